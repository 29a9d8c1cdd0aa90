-- +goose Up
CREATE TABLE hosts (
    id               uuid PRIMARY KEY,
    programme_id     text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING_VERIFICATION', 'VERIFIED', 'SUSPENDED', 'ARCHIVED')),
    owner_account_id text,
    created_by       text        NOT NULL,
    request_id       text,
    city             text        NOT NULL,
    version          integer     NOT NULL CHECK (version > 0),
    -- The domain record, read and written whole; the columns beside it are what queries
    -- filter on and what constraints guard.
    record           jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
-- One host record per account: a host who signed up registers once.
CREATE UNIQUE INDEX hosts_owner ON hosts (owner_account_id) WHERE owner_account_id IS NOT NULL;
-- A retried create with the same request id finds the first one.
CREATE UNIQUE INDEX hosts_request ON hosts (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX hosts_programme ON hosts (programme_id, id);

CREATE TABLE rooms (
    id                         uuid PRIMARY KEY,
    programme_id               text        NOT NULL,
    host_id                    uuid        NOT NULL REFERENCES hosts (id),
    status                     text        NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'RESERVED', 'OCCUPIED', 'WITHDRAWN')),
    city                       text        NOT NULL,
    area_m2                    double precision NOT NULL CHECK (area_m2 >= 9),
    monthly_contribution_cents integer     NOT NULL CHECK (monthly_contribution_cents >= 0),
    available_from             date        NOT NULL,
    created_by                 text        NOT NULL,
    request_id                 text,
    version                    integer     NOT NULL CHECK (version > 0),
    record                     jsonb       NOT NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL
);
CREATE UNIQUE INDEX rooms_request ON rooms (created_by, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX rooms_programme ON rooms (programme_id, id);
CREATE INDEX rooms_host ON rooms (host_id);

-- +goose Down
DROP TABLE rooms;
DROP TABLE hosts;
