-- +goose Up
-- The pool: the newest copy of each host, room, student and application, as their owning
-- services announced them. Each row keeps the time of the event it was written from
-- (event_at): an older event arriving late (a redelivery after a nak) never overwrites a
-- newer one, so events need no ordering across streams or within one.
CREATE TABLE pool_hosts (
    host_id          uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    status           text        NOT NULL,
    owner_account_id text,
    profile          jsonb       NOT NULL,
    event_at         timestamptz NOT NULL
);

CREATE TABLE pool_rooms (
    room_id      uuid PRIMARY KEY,
    host_id      uuid        NOT NULL,
    programme_id text        NOT NULL,
    status       text        NOT NULL,
    profile      jsonb       NOT NULL,
    event_at     timestamptz NOT NULL
);
CREATE INDEX pool_rooms_programme ON pool_rooms (programme_id, status);
CREATE INDEX pool_rooms_host ON pool_rooms (host_id);

CREATE TABLE pool_students (
    student_id       uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    status           text        NOT NULL,
    owner_account_id text,
    profile          jsonb       NOT NULL,
    event_at         timestamptz NOT NULL
);
CREATE INDEX pool_students_owner ON pool_students (owner_account_id) WHERE owner_account_id IS NOT NULL;

CREATE TABLE pool_applications (
    application_id uuid PRIMARY KEY,
    student_id     uuid        NOT NULL,
    programme_id   text        NOT NULL,
    status         text        NOT NULL,
    profile        jsonb       NOT NULL,
    event_at       timestamptz NOT NULL
);
CREATE INDEX pool_applications_programme ON pool_applications (programme_id, status);
CREATE INDEX pool_applications_student ON pool_applications (student_id);

CREATE TABLE matches (
    id                 uuid PRIMARY KEY,
    programme_id       text        NOT NULL,
    room_id            uuid        NOT NULL,
    host_id            uuid        NOT NULL,
    student_id         uuid        NOT NULL,
    application_id     uuid        NOT NULL,
    host_account_id    text,
    student_account_id text,
    status             text        NOT NULL CHECK (status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED', 'APPROVED', 'COMPLETED', 'DECLINED', 'CANCELLED', 'EXPIRED')),
    expire_at          timestamptz NOT NULL,
    created_by         text        NOT NULL,
    request_id         text,
    version            integer     NOT NULL CHECK (version > 0),
    record             jsonb       NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
-- THE invariant (SPEC §2): a room, and a student, has at most one match that is ACCEPTED or
-- APPROVED. The use cases cannot check it alone: two matches of one room reaching ACCEPTED in
-- two transactions at once both pass any check; these indexes let exactly one commit.
CREATE UNIQUE INDEX matches_room_taken ON matches (room_id) WHERE status IN ('ACCEPTED', 'APPROVED');
CREATE UNIQUE INDEX matches_student_taken ON matches (student_id) WHERE status IN ('ACCEPTED', 'APPROVED');
-- One match under way per pair: proposing the same room to the same student twice is a
-- mistake (or a retry, which request_id answers).
CREATE UNIQUE INDEX matches_pair_open ON matches (room_id, student_id) WHERE status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED', 'APPROVED');
CREATE UNIQUE INDEX matches_request ON matches (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX matches_programme ON matches (programme_id, id);
CREATE INDEX matches_host_account ON matches (host_account_id, id) WHERE host_account_id IS NOT NULL;
CREATE INDEX matches_student_account ON matches (student_account_id, id) WHERE student_account_id IS NOT NULL;
-- The expiry job's scan.
CREATE INDEX matches_expiry ON matches (expire_at) WHERE status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED');

CREATE TABLE allocations (
    id            uuid PRIMARY KEY,
    programme_id  text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    created_by    text        NOT NULL,
    request_id    text,
    -- What the run saw (rooms and applications with their profiles) and what it found: a run
    -- stays explainable after the pool has moved on.
    input         jsonb       NOT NULL,
    result        jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX allocations_request ON allocations (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX allocations_programme ON allocations (programme_id, id);

-- +goose Down
DROP TABLE allocations;
DROP TABLE matches;
DROP TABLE pool_applications;
DROP TABLE pool_students;
DROP TABLE pool_rooms;
DROP TABLE pool_hosts;
