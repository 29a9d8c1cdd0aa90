-- +goose Up
-- A withdrawn application cancels the matches under way of that application (eventsub): the
-- consumer finds them by application, in the inbox transaction of the withdrawal.
CREATE INDEX matches_application_open ON matches (application_id) WHERE status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED', 'APPROVED');

-- +goose Down
DROP INDEX matches_application_open;
