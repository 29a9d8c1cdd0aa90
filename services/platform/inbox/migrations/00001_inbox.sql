-- +goose Up
-- One row per event a consumer has handled: claiming it in the same transaction as the change
-- makes a redelivered event a no-op.
CREATE TABLE inbox (
    consumer   text        NOT NULL,
    event_id   uuid        NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- +goose Down
DROP TABLE inbox;
