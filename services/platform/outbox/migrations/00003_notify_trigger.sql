-- +goose Up
-- The relay's wake-up is sent by the database rather than by each writer: a statement-level
-- trigger notifies channel outbox once per INSERT statement, whatever its number of rows,
-- and PostgreSQL delivers it at commit (never for a transaction rolled back) and folds the
-- notifications of one transaction into one. A writer spends no round trip on it
-- (outbox.Append used to send a SELECT pg_notify of its own), and no write path can forget it.
-- +goose StatementBegin
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- +goose Down
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
