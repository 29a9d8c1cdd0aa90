-- +goose Up
-- What each version of a programme's pool changed, so that a replica holding the pool at
-- version h can bring it to version v by reading again only what changed in between
-- (internal/livepool) instead of the whole programme. Every bump (bump_pool_version) writes
-- one row: the room, the host (all its rooms) and the student (her application and profile)
-- whose pool rows to read again; all three NULL means anything may have changed (the
-- programme's settings, a bulk load): read everything. Versions are handed out under the
-- pool_versions row's lock, so the rows up to a version a reader sees are all committed. The
-- last 1,024 versions of each programme are kept; a replica further behind rebuilds in full.
CREATE TABLE pool_changes (
    programme_id text   NOT NULL,
    version      bigint NOT NULL,
    room_id      uuid,
    host_id      uuid,
    student_id   uuid,
    PRIMARY KEY (programme_id, version)
);

-- +goose StatementBegin
CREATE FUNCTION bump_pool_version(programme text, room uuid, host uuid, student uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    INSERT INTO pool_versions (programme_id, version) VALUES (programme, 1)
    ON CONFLICT (programme_id) DO UPDATE SET version = pool_versions.version + 1
    RETURNING version INTO v;
    INSERT INTO pool_changes (programme_id, version, room_id, host_id, student_id) VALUES (programme, v, room, host, student);
    DELETE FROM pool_changes WHERE programme_id = programme AND version <= v - 1024;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A change of anything (settings, poolseed's bulk load).
CREATE OR REPLACE FUNCTION bump_pool_version(programme text) RETURNS void LANGUAGE sql AS $$
    SELECT bump_pool_version(programme, NULL, NULL, NULL)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A pool row: its programme (and the one it left when a row moves between programmes), and
-- what to read again — the host, the room, or the student (a student's profile or
-- application). An update that changes the row's key writes both.
CREATE OR REPLACE FUNCTION pool_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_ref uuid;
    new_ref uuid;
BEGIN
    IF TG_TABLE_NAME = 'pool_hosts' THEN
        IF TG_OP <> 'INSERT' THEN old_ref := OLD.host_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_ref := NEW.host_id; END IF;
    ELSIF TG_TABLE_NAME = 'pool_rooms' THEN
        IF TG_OP <> 'INSERT' THEN old_ref := OLD.room_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_ref := NEW.room_id; END IF;
    ELSE -- pool_students, pool_applications
        IF TG_OP <> 'INSERT' THEN old_ref := OLD.student_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_ref := NEW.student_id; END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_pool_version(OLD.programme_id,
            CASE WHEN TG_TABLE_NAME = 'pool_rooms' THEN old_ref END,
            CASE WHEN TG_TABLE_NAME = 'pool_hosts' THEN old_ref END,
            CASE WHEN TG_TABLE_NAME IN ('pool_students', 'pool_applications') THEN old_ref END);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.programme_id IS DISTINCT FROM OLD.programme_id OR new_ref IS DISTINCT FROM old_ref)) THEN
        PERFORM bump_pool_version(NEW.programme_id,
            CASE WHEN TG_TABLE_NAME = 'pool_rooms' THEN new_ref END,
            CASE WHEN TG_TABLE_NAME = 'pool_hosts' THEN new_ref END,
            CASE WHEN TG_TABLE_NAME IN ('pool_students', 'pool_applications') THEN new_ref END);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A match taking or giving back its room and student: both to read again.
CREATE OR REPLACE FUNCTION match_taken_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := false;
    now_taken boolean := false;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was := OLD.status IN ('ACCEPTED', 'APPROVED');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        now_taken := NEW.status IN ('ACCEPTED', 'APPROVED');
    END IF;
    IF was IS DISTINCT FROM now_taken THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM bump_pool_version(OLD.programme_id, OLD.room_id, NULL, OLD.student_id);
        ELSE
            PERFORM bump_pool_version(NEW.programme_id, NEW.room_id, NULL, NEW.student_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION match_taken_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := false;
    now_taken boolean := false;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was := OLD.status IN ('ACCEPTED', 'APPROVED');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        now_taken := NEW.status IN ('ACCEPTED', 'APPROVED');
    END IF;
    IF was IS DISTINCT FROM now_taken THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM bump_pool_version(OLD.programme_id);
        ELSE
            PERFORM bump_pool_version(NEW.programme_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pool_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_pool_version(OLD.programme_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.programme_id IS DISTINCT FROM OLD.programme_id) THEN
        PERFORM bump_pool_version(NEW.programme_id);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_pool_version(programme text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO pool_versions (programme_id, version) VALUES (programme, 1)
    ON CONFLICT (programme_id) DO UPDATE SET version = pool_versions.version + 1
$$;
-- +goose StatementEnd
DROP FUNCTION bump_pool_version(text, uuid, uuid, uuid);
DROP TABLE pool_changes;
