-- +goose Up
-- Hosts and students as far as notifications need them: whose account owns the record (for
-- its settings and for a person listing their own notifications). No name, no contact
-- details: those are read from the record's service when a message is written.
CREATE TABLE people (
    id           uuid PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('host', 'student')),
    programme_id text        NOT NULL,
    account_id   text,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX people_account ON people (account_id) WHERE account_id IS NOT NULL;

-- The coordinators of each programme (from identity's AccountCreated): who is told of a
-- sign-up to verify, a serious incident, a concern at a check-in.
CREATE TABLE coordinators (
    account_id   text PRIMARY KEY,
    programme_id text NOT NULL
);
CREATE INDEX coordinators_programme ON coordinators (programme_id);

-- Each account's choices; an account without a row has the defaults (notice.DefaultSettings).
CREATE TABLE settings (
    account_id text PRIMARY KEY,
    email      boolean     NOT NULL,
    sms        boolean     NOT NULL,
    language   text        NOT NULL CHECK (language IN ('fr', 'en')),
    updated_at timestamptz NOT NULL
);

-- Contracts' parties, for the events that name only the contract (check-ins).
CREATE TABLE contracts (
    id           uuid PRIMARY KEY,
    programme_id text NOT NULL,
    host_id      text NOT NULL,
    student_id   text NOT NULL,
    status       text NOT NULL
);

-- One row per (event, recipient, channel): the unique key makes a redelivered event, or a
-- second replica handling it, create nothing twice.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    programme_id    text        NOT NULL,
    event_id        text        NOT NULL,
    recipient_id    text        NOT NULL,
    recipient_kind  text        NOT NULL CHECK (recipient_kind IN ('host', 'student', 'coordinator')),
    channel         text        NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'CALL')),
    topic           text        NOT NULL,
    language        text        NOT NULL CHECK (language IN ('fr', 'en')),
    subject         text        NOT NULL,
    -- For a CALL: what to tell the person.
    message         text        NOT NULL DEFAULT '',
    -- The event's facts the message is written from (dates, ids of the other party), never
    -- a contact detail.
    params          jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
    message_id      text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    -- When the dispatcher may take it next; NULL once nothing more will be tried.
    next_attempt_at timestamptz,
    -- Set in its own committed transaction before an attempt, cleared when the attempt's
    -- outcome is recorded: a row found with it set had an attempt whose outcome is unknown.
    in_flight_at    timestamptz,
    -- The message was sent again once after an unknown outcome; never a third time.
    resent          boolean     NOT NULL DEFAULT false,
    failure         text        NOT NULL DEFAULT '',
    -- When the event happened (its commit), to measure the delay to the SMTP acceptance.
    event_time      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    updated_at      timestamptz NOT NULL,
    UNIQUE (event_id, recipient_id, channel),
    CHECK (channel <> 'CALL' OR next_attempt_at IS NULL)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_recipient ON notifications (recipient_id, id DESC);
CREATE INDEX notifications_programme ON notifications (programme_id, id DESC);

-- Reminders the day before a meeting or a check-in visit: one per match or check-in (a
-- meeting moved moves its reminder), taken by one replica at a time (FOR UPDATE SKIP LOCKED).
CREATE TABLE reminders (
    kind         text        NOT NULL CHECK (kind IN ('meeting', 'checkin')),
    subject_id   text        NOT NULL,
    programme_id text        NOT NULL,
    contract_id  text        NOT NULL DEFAULT '',
    host_id      text        NOT NULL,
    student_id   text        NOT NULL,
    -- The meeting's time, or the check-in's due date at midnight UTC.
    at           timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    done_at      timestamptz,
    PRIMARY KEY (kind, subject_id)
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE reminders;
DROP TABLE notifications;
DROP TABLE contracts;
DROP TABLE settings;
DROP TABLE coordinators;
DROP TABLE people;
