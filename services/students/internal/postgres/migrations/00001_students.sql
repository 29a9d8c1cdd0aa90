-- +goose Up
CREATE TABLE students (
    id               uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING_VERIFICATION', 'VERIFIED', 'PLACED', 'ALUMNI', 'ARCHIVED')),
    owner_account_id text,
    created_by       text        NOT NULL,
    request_id       text,
    version          integer     NOT NULL CHECK (version > 0),
    -- The domain record, read and written whole; the columns beside it are what queries
    -- filter on and what constraints guard.
    record           jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
-- One student record per account: a student who signed up registers once.
CREATE UNIQUE INDEX students_owner ON students (owner_account_id) WHERE owner_account_id IS NOT NULL;
-- A retried create with the same request id finds the first one.
CREATE UNIQUE INDEX students_request ON students (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX students_programme ON students (programme_id, id);

CREATE TABLE applications (
    id           uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    student_id   uuid        NOT NULL REFERENCES students (id),
    status       text        NOT NULL CHECK (status IN ('SUBMITTED', 'MATCHED', 'PLACED', 'WITHDRAWN')),
    budget_cents integer     NOT NULL CHECK (budget_cents >= 0),
    move_in_date date        NOT NULL,
    created_by   text        NOT NULL,
    request_id   text,
    version      integer     NOT NULL CHECK (version > 0),
    record       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
-- At most one open application per student. The use case checks it too, but two concurrent
-- creates both pass that check; this index lets exactly one of them commit.
CREATE UNIQUE INDEX applications_open ON applications (student_id) WHERE status IN ('SUBMITTED', 'MATCHED');
CREATE UNIQUE INDEX applications_request ON applications (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX applications_student ON applications (student_id, id);
CREATE INDEX applications_programme ON applications (programme_id, status, id);

-- +goose Down
DROP TABLE applications;
DROP TABLE students;
