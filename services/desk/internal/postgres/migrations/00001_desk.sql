-- +goose Up
-- The hosts and students the desk knows of, from their events: whose documents it collects
-- and who may read them (the record's owner account). No name, no contact detail.
CREATE TABLE people (
    id               uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    party            text        NOT NULL CHECK (party IN ('HOST', 'STUDENT')),
    owner_account_id text        NOT NULL DEFAULT '',
    is_tenant        boolean     NOT NULL DEFAULT false,
    status           text        NOT NULL DEFAULT '',
    registered_at    timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX people_programme ON people (programme_id);

CREATE TABLE documents (
    id               uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    owner_id         uuid        NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    party            text        NOT NULL CHECK (party IN ('HOST', 'STUDENT')),
    kind             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('MISSING', 'RECEIVED', 'VERIFIED', 'REJECTED', 'EXPIRED')),
    -- Created from the programme's settings (one per person and kind), or asked for by a
    -- coordinator (any number).
    required         boolean     NOT NULL,
    file_name        text        NOT NULL DEFAULT '',
    content_type     text        NOT NULL DEFAULT '',
    size_bytes       integer     NOT NULL DEFAULT 0,
    sha256           text        NOT NULL DEFAULT '',
    has_file         boolean     NOT NULL DEFAULT false,
    expiry_date      date,
    seen_in_person   boolean     NOT NULL DEFAULT false,
    rejection_reason text        NOT NULL DEFAULT '',
    verified_at      timestamptz,
    created_by       text        NOT NULL DEFAULT '',
    request_id       text,
    version          integer     NOT NULL CHECK (version > 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX documents_required ON documents (owner_id, kind) WHERE required;
CREATE UNIQUE INDEX documents_request ON documents (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX documents_programme ON documents (programme_id, status);
-- The expiry job's scan.
CREATE INDEX documents_expiring ON documents (expiry_date) WHERE status = 'VERIFIED';

-- The files, apart from their documents' rows so that lists never read them (FileStore).
CREATE TABLE document_files (
    document_id uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    content     bytea NOT NULL
);

CREATE TABLE notes (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    subject_id   uuid        NOT NULL,
    subject_type text        NOT NULL CHECK (subject_type IN ('HOST', 'STUDENT', 'MATCH', 'CONTRACT')),
    body         text        NOT NULL,
    author_id    text        NOT NULL,
    corrected    boolean     NOT NULL DEFAULT false,
    request_id   text,
    version      integer     NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX notes_subject ON notes (subject_id, created_at);
CREATE UNIQUE INDEX notes_request ON notes (author_id, request_id) WHERE request_id IS NOT NULL;

-- The earlier texts of corrected notes.
CREATE TABLE note_revisions (
    note_id    uuid        NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    seq        integer     NOT NULL,
    body       text        NOT NULL,
    author_id  text        NOT NULL,
    written_at timestamptz NOT NULL,
    PRIMARY KEY (note_id, seq)
);

-- Matches, contracts and check-ins as their events told them: what the agenda lists.
CREATE TABLE matches (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    host_id      uuid,
    student_id   uuid,
    status       text        NOT NULL,
    proposed_at  timestamptz NOT NULL,
    meeting_at   timestamptz,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX matches_programme ON matches (programme_id, status);

CREATE TABLE contracts (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    match_id     uuid,
    host_id      uuid,
    student_id   uuid,
    status       text        NOT NULL,
    start_date   date,
    end_date     date,
    status_since timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX contracts_programme ON contracts (programme_id, status);

CREATE TABLE checkins (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    contract_id  uuid        NOT NULL,
    status       text        NOT NULL,
    due_date     date        NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX checkins_programme ON checkins (programme_id, status, due_date);

-- People to phone (the notifications service's call list).
CREATE TABLE calls (
    id           text PRIMARY KEY,
    programme_id text        NOT NULL,
    recipient_id text        NOT NULL,
    topic        text        NOT NULL,
    status       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX calls_programme ON calls (programme_id, status);

-- The life of each record for its timeline: one row per event and record it concerns.
CREATE TABLE life_events (
    event_id     text        NOT NULL,
    subject_id   uuid        NOT NULL,
    programme_id text        NOT NULL,
    code         text        NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (subject_id, event_id)
);

-- Each coordinator's iCalendar feed: the SHA-256 of its secret (the secret itself is only
-- ever in the address given to the coordinator).
CREATE TABLE agenda_feeds (
    account_id   text PRIMARY KEY,
    programme_id text        NOT NULL,
    secret_hash  text        NOT NULL UNIQUE,
    language     text        NOT NULL,
    created_at   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE agenda_feeds, life_events, calls, checkins, contracts, matches, note_revisions, notes, document_files, documents, people;
