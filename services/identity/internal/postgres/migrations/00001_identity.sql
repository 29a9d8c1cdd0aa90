-- +goose Up
-- Programmes: one association's programme on one territory. Settings are a document (the
-- legal frame as tightened by the programme) that is always read and written whole.
CREATE TABLE programmes (
    id          text        PRIMARY KEY,
    name        text        NOT NULL CHECK (name <> ''),
    territory   text        NOT NULL CHECK (territory <> ''),
    phone       text        NOT NULL DEFAULT '',
    email       text        NOT NULL DEFAULT '',
    settings    jsonb       NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    -- A create retried with the same request_id returns the first programme.
    request_id  text        UNIQUE,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    -- The law's floor holds in the database too, whatever a future release's code does.
    CHECK ((settings->>'hostMinAge')::int >= 60),
    CHECK ((settings->>'studentMaxAge')::int <= 30),
    CHECK ((settings->>'noticeDays')::int >= 30),
    CHECK ((settings->>'contributionCapCents')::int > 0)
);

CREATE TABLE accounts (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL CHECK (email <> '' AND email = lower(btrim(email))),
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'coordinator', 'host', 'student')),
    programme_id  text        REFERENCES programmes (id),
    host_id       text,
    student_id    text,
    version       bigint      NOT NULL CHECK (version > 0),
    create_time   timestamptz NOT NULL,
    update_time   timestamptz NOT NULL,
    CONSTRAINT accounts_email_key UNIQUE (email),
    -- An admin serves the whole network; everyone else belongs to one programme.
    CHECK ((role = 'admin') = (programme_id IS NULL)),
    CHECK (host_id IS NULL OR role = 'host'),
    CHECK (student_id IS NULL OR role = 'student')
);
CREATE UNIQUE INDEX accounts_host_id_key ON accounts (host_id) WHERE host_id IS NOT NULL;
CREATE UNIQUE INDEX accounts_student_id_key ON accounts (student_id) WHERE student_id IS NOT NULL;
CREATE INDEX accounts_programme_id ON accounts (programme_id);

-- Consecutive failed sign-ins per email (known or not), so that the slowdown survives
-- restarts and is shared by replicas. An attempt is counted before its password is checked;
-- a success deletes the row.
CREATE TABLE login_attempts (
    email           text        PRIMARY KEY,
    failures        int         NOT NULL CHECK (failures >= 0),
    last_attempt_at timestamptz,
    locked_until    timestamptz
);

-- +goose Down
DROP TABLE login_attempts;
DROP TABLE accounts;
DROP TABLE programmes;
