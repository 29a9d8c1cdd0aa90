-- +goose Up
-- The version of each programme's pool: bumped by triggers in the same transaction as every
-- change that can move a ranking (a host, room, student or application copy written; a match
-- entering or leaving ACCEPTED/APPROVED, which takes its room and student out of the pool; the
-- programme's settings). Each replica keeps rankings in memory (internal/livepool) tagged with
-- the version they were built from and reads this one row before serving them: a change
-- committed by any replica's consumer is seen by every replica's next read. Triggers rather
-- than calls in Go, so that no write path can forget the bump.
CREATE TABLE pool_versions (
    programme_id text PRIMARY KEY,
    version      bigint NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION bump_pool_version(programme text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO pool_versions (programme_id, version) VALUES (programme, 1)
    ON CONFLICT (programme_id) DO UPDATE SET version = pool_versions.version + 1
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A pool row: its programme, and the one it left when a row moves between programmes.
CREATE FUNCTION pool_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- A match counts only when it takes (or gives back) its room and student: ACCEPTED or
-- APPROVED. Proposals, meetings and declines leave rankings as they are.
CREATE FUNCTION match_taken_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE FUNCTION programme_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_pool_version(NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- An upsert that changes nothing (a redelivered event: same profile, same event_at) or that
-- its WHERE keeps out (an older event) fires no UPDATE trigger, or one the WHEN drops.
CREATE TRIGGER pool_hosts_version AFTER INSERT OR DELETE ON pool_hosts FOR EACH ROW EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_hosts_version_upd AFTER UPDATE ON pool_hosts FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_rooms_version AFTER INSERT OR DELETE ON pool_rooms FOR EACH ROW EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_rooms_version_upd AFTER UPDATE ON pool_rooms FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_students_version AFTER INSERT OR DELETE ON pool_students FOR EACH ROW EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_students_version_upd AFTER UPDATE ON pool_students FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_applications_version AFTER INSERT OR DELETE ON pool_applications FOR EACH ROW EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER pool_applications_version_upd AFTER UPDATE ON pool_applications FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION pool_row_changed();
CREATE TRIGGER matches_pool_version AFTER INSERT OR UPDATE OF status OR DELETE ON matches FOR EACH ROW EXECUTE FUNCTION match_taken_changed();
CREATE TRIGGER programmes_pool_version AFTER INSERT OR UPDATE ON programmes FOR EACH ROW WHEN (NEW.settings IS NOT NULL) EXECUTE FUNCTION programme_settings_changed();

-- +goose Down
DROP TRIGGER programmes_pool_version ON programmes;
DROP TRIGGER matches_pool_version ON matches;
DROP TRIGGER pool_applications_version_upd ON pool_applications;
DROP TRIGGER pool_applications_version ON pool_applications;
DROP TRIGGER pool_students_version_upd ON pool_students;
DROP TRIGGER pool_students_version ON pool_students;
DROP TRIGGER pool_rooms_version_upd ON pool_rooms;
DROP TRIGGER pool_rooms_version ON pool_rooms;
DROP TRIGGER pool_hosts_version_upd ON pool_hosts;
DROP TRIGGER pool_hosts_version ON pool_hosts;
DROP FUNCTION programme_settings_changed();
DROP FUNCTION match_taken_changed();
DROP FUNCTION pool_row_changed();
DROP FUNCTION bump_pool_version(text);
DROP TABLE pool_versions;
