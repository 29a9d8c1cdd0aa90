-- +goose Up
-- The audit trail (SPEC §9): who read or changed which person's data, when, how. One row per
-- read or change (a list or ranking is one row with every id it showed); ids and actions
-- only. Rows arrive as events (the id is the event's, so a redelivery adds nothing).
CREATE TABLE audit_events (
    id                 uuid        PRIMARY KEY,
    time               timestamptz NOT NULL,
    actor_id           text        NOT NULL,
    actor_role         text        NOT NULL,
    actor_programme_id text        NOT NULL DEFAULT '',
    action             text        NOT NULL CHECK (action IN ('read', 'change')),
    method             text        NOT NULL,
    subject_ids        text[]      NOT NULL,
    subject_kinds      text[]      NOT NULL,
    CHECK (cardinality(subject_ids) = cardinality(subject_kinds) AND cardinality(subject_ids) > 0)
);
CREATE INDEX audit_events_subjects ON audit_events USING gin (subject_ids);
CREATE INDEX audit_events_time ON audit_events (time);

-- Append-only, in the database itself: no UPDATE ever, no DELETE but the purge of rows over a
-- year old, which must say so (SET LOCAL cohabit.audit_purge = 'on'), no TRUNCATE. No code
-- path of the platform can alter an entry, a bug or a compromised service included.
-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cohabit.audit_purge', true) = 'on'
       AND OLD.time < now() - interval '1 year' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
