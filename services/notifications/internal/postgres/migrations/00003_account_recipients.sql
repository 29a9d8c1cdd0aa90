-- +goose Up
-- A notification may go to an account known only as such (SIGNUP_DUPLICATED: the owner of an
-- address someone signed up with), whose address identity gives when it is sent.
ALTER TABLE notifications DROP CONSTRAINT notifications_recipient_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient_kind_check
    CHECK (recipient_kind IN ('host', 'student', 'coordinator', 'account'));

-- +goose Down
DELETE FROM notifications WHERE recipient_kind = 'account';
ALTER TABLE notifications DROP CONSTRAINT notifications_recipient_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient_kind_check
    CHECK (recipient_kind IN ('host', 'student', 'coordinator'));
