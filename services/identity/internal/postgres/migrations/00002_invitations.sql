-- +goose Up
-- records is the identity service's copy of the host and student records, fed by the hosts'
-- and students' registered events: which programme each belongs to and whether an account
-- owns it, so that identity can authorize an invitation and redeem its code in its own
-- transaction, without calling another service. No personal data.
CREATE TABLE records (
    kind             text NOT NULL CHECK (kind IN ('host', 'student')),
    id               text NOT NULL CHECK (id <> ''),
    programme_id     text NOT NULL,
    owner_account_id uuid,
    PRIMARY KEY (kind, id)
);

-- One invitation per record: a new one replaces (deletes) the previous, whose code then stops
-- working. code is readable because the notifications service puts it in the email; it is set
-- to NULL when the invitation is used or expires, and code_digest (SHA-256) is what sign-up
-- looks invitations up by.
CREATE TABLE invitations (
    id           uuid        PRIMARY KEY,
    record_kind  text        NOT NULL,
    record_id    text        NOT NULL,
    programme_id text        NOT NULL,
    code         text,
    code_digest  bytea       NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    create_time  timestamptz NOT NULL,
    expire_time  timestamptz NOT NULL,
    used_time    timestamptz,
    account_id   uuid,
    FOREIGN KEY (record_kind, record_id) REFERENCES records (kind, id),
    CONSTRAINT invitations_record_key UNIQUE (record_kind, record_id),
    CHECK (used_time IS NULL OR code IS NULL),
    CHECK (expire_time > create_time)
);
CREATE INDEX invitations_live_expiry ON invitations (expire_time) WHERE code IS NOT NULL;

-- +goose Down
DROP TABLE invitations;
DROP TABLE records;
