-- +goose Up
-- Events are written here in the same transaction as the change they describe, then relayed
-- to JetStream in seq order. Published rows are kept for a while for audit and replays.
CREATE TABLE outbox (
    seq          bigserial PRIMARY KEY,
    id           uuid        NOT NULL UNIQUE,
    subject      text        NOT NULL,
    envelope     bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- +goose Down
DROP TABLE outbox;
