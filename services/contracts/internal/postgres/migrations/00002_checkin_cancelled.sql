-- +goose Up
-- A check-in of a stay cancelled before its start date is CANCELLED (SPEC §2), kept rather
-- than deleted so the timeline shows what was planned.
ALTER TABLE checkins DROP CONSTRAINT checkins_status_check;
ALTER TABLE checkins ADD CONSTRAINT checkins_status_check CHECK (status IN ('DUE', 'DONE', 'MISSED', 'CANCELLED'));

-- +goose Down
DELETE FROM checkins WHERE status = 'CANCELLED';
ALTER TABLE checkins DROP CONSTRAINT checkins_status_check;
ALTER TABLE checkins ADD CONSTRAINT checkins_status_check CHECK (status IN ('DUE', 'DONE', 'MISSED'));
