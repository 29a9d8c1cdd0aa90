-- +goose Up
-- Each service's copy of the programmes' settings, as the identity service's events tell them.
-- updated_at is the time of the event that wrote the row, so that an older event arriving late
-- never overwrites a newer one.
CREATE TABLE programmes (
    id         text PRIMARY KEY,
    settings   bytea       NOT NULL,
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE programmes;
