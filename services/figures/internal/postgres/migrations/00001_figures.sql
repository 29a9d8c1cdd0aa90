-- +goose Up
-- The figures' read model: ids, days, states and coded reasons, never a name (but a
-- programme's), a contact or free text. Every row is written by upserts that do not depend on
-- the order events arrive in (see store.go), so replaying the streams rebuilds it.
CREATE TABLE programmes (
    id   text PRIMARY KEY,
    name text NOT NULL DEFAULT ''
);

CREATE TABLE hosts (
    id            text PRIMARY KEY,
    programme_id  text NOT NULL,
    registered_on date
);
CREATE INDEX hosts_programme ON hosts (programme_id);

CREATE TABLE students (
    id            text PRIMARY KEY,
    programme_id  text NOT NULL,
    registered_on date
);
CREATE INDEX students_programme ON students (programme_id);

-- Status changes of hosts and students (VERIFIED, SUSPENDED, ARCHIVED), one per event.
CREATE TABLE status_changes (
    event_id     text PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('host', 'student')),
    person_id    text NOT NULL,
    programme_id text NOT NULL,
    at           timestamptz NOT NULL,
    on_day       date NOT NULL,
    status       text NOT NULL
);
CREATE INDEX status_changes_programme ON status_changes (programme_id, kind);

CREATE TABLE applications (
    id           text PRIMARY KEY,
    programme_id text NOT NULL,
    submitted_on date
);

CREATE TABLE matches (
    id             text PRIMARY KEY,
    programme_id   text NOT NULL,
    application_id text NOT NULL DEFAULT '',
    proposed_on    date,
    approved_on    date
);
CREATE INDEX matches_programme ON matches (programme_id);

-- Contracts that may be stays: dates from the latest event (dates_at), activation and
-- cancellation as facts that, once known, stay known.
CREATE TABLE contracts (
    id           text PRIMARY KEY,
    programme_id text NOT NULL,
    host_id      text NOT NULL DEFAULT '',
    student_id   text NOT NULL DEFAULT '',
    start_date   date,
    end_date     date,
    dates_at     timestamptz,
    activated_on date,
    cancelled    boolean NOT NULL DEFAULT false,
    early        boolean NOT NULL DEFAULT false,
    reason       text NOT NULL DEFAULT ''
);
CREATE INDEX contracts_programme ON contracts (programme_id) WHERE activated_on IS NOT NULL AND NOT cancelled;

CREATE TABLE checkins (
    id           text PRIMARY KEY,
    programme_id text NOT NULL,
    done_on      date,
    late         boolean NOT NULL DEFAULT false
);
CREATE INDEX checkins_programme ON checkins (programme_id, done_on);

-- +goose Down
DROP TABLE checkins;
DROP TABLE contracts;
DROP TABLE matches;
DROP TABLE applications;
DROP TABLE status_changes;
DROP TABLE students;
DROP TABLE hosts;
DROP TABLE programmes;
