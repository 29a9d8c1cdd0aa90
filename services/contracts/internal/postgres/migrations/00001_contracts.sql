-- +goose Up
-- What the contracts service knows of hosts and students, copied from the HOSTS and STUDENTS
-- streams: who owns the record (to let a party see and sign their own contract without a
-- call) and the name to print. A newer event wins over an older one delivered late.
CREATE TABLE parties (
    kind             text        NOT NULL CHECK (kind IN ('HOST', 'STUDENT')),
    id               text        NOT NULL,
    programme_id     text        NOT NULL,
    owner_account_id text,
    display_name     text        NOT NULL,
    assisted         boolean     NOT NULL DEFAULT false,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX parties_owner ON parties (owner_account_id) WHERE owner_account_id IS NOT NULL;

CREATE TABLE contracts (
    id             uuid PRIMARY KEY,
    programme_id   text        NOT NULL,
    match_id       text        NOT NULL,
    host_id        text        NOT NULL,
    student_id     text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('DRAFT', 'AWAITING_SIGNATURES', 'ACTIVE', 'NOTICE_GIVEN', 'TERMINATED', 'ENDED', 'CANCELLED')),
    end_date       date,
    effective_date date,
    version        integer     NOT NULL CHECK (version > 0),
    -- The domain record, read and written whole; the columns beside it are what queries
    -- filter on and what constraints guard.
    record         jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CHECK (status <> 'NOTICE_GIVEN' OR effective_date IS NOT NULL)
);
-- Exactly one contract per match, whatever the event deliveries.
CREATE UNIQUE INDEX contracts_match ON contracts (match_id);
CREATE INDEX contracts_programme ON contracts (programme_id, id);
CREATE INDEX contracts_host ON contracts (host_id);
CREATE INDEX contracts_student ON contracts (student_id);
-- The jobs' work lists.
CREATE INDEX contracts_notice_due ON contracts (effective_date) WHERE status = 'NOTICE_GIVEN';
CREATE INDEX contracts_end_due ON contracts (end_date) WHERE status = 'ACTIVE';

-- A match cancelled before its approval reached this service: the approval, when it comes,
-- drafts nothing.
CREATE TABLE cancelled_matches (
    match_id     text PRIMARY KEY,
    cancelled_at timestamptz NOT NULL
);

CREATE TABLE checkins (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    contract_id  uuid        NOT NULL REFERENCES contracts (id),
    status       text        NOT NULL CHECK (status IN ('DUE', 'DONE', 'MISSED')),
    due_date     date        NOT NULL,
    -- The last day of grace: the check-in is MISSED from the day after.
    miss_after   date        NOT NULL CHECK (miss_after >= due_date),
    concern      boolean     NOT NULL DEFAULT false,
    version      integer     NOT NULL CHECK (version > 0),
    record       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
-- One check-in per contract and day: a renewal that extends the schedule twice adds nothing.
CREATE UNIQUE INDEX checkins_contract_day ON checkins (contract_id, due_date);
CREATE INDEX checkins_agenda ON checkins (programme_id, (NOT concern), due_date, id);
CREATE INDEX checkins_overdue ON checkins (miss_after) WHERE status = 'DUE';

CREATE TABLE incidents (
    id            uuid PRIMARY KEY,
    programme_id  text        NOT NULL,
    contract_id   uuid        NOT NULL REFERENCES contracts (id),
    status        text        NOT NULL CHECK (status IN ('OPEN', 'IN_MEDIATION', 'RESOLVED')),
    severity_rank integer     NOT NULL CHECK (severity_rank BETWEEN 1 AND 4),
    created_by    text        NOT NULL,
    request_id    text,
    version       integer     NOT NULL CHECK (version > 0),
    record        jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX incidents_request ON incidents (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX incidents_programme ON incidents (programme_id, severity_rank DESC, id);
CREATE INDEX incidents_contract ON incidents (contract_id);

-- +goose Down
DROP TABLE incidents;
DROP TABLE checkins;
DROP TABLE cancelled_matches;
DROP TABLE contracts;
DROP TABLE parties;
