-- +goose Up
-- A signed contract whose party was erased (SPEC §9) is kept, sealed, for 5 years after its
-- end, then deleted by a job: here, out of reach of every screen and of the API (no query of
-- the service reads this table but the retention job). It holds what the contract was when
-- sealed: its record, both parties' names, the check-in notes and the incidents' words,
-- which the erasure removes from the live tables.
CREATE TABLE sealed_contracts (
    contract_id   uuid        PRIMARY KEY,
    programme_id  text        NOT NULL,
    record        jsonb       NOT NULL,
    host_name     text        NOT NULL,
    student_name  text        NOT NULL,
    checkin_notes jsonb       NOT NULL,
    incidents     jsonb       NOT NULL,
    sealed_at     timestamptz NOT NULL,
    delete_after  date        NOT NULL
);
CREATE INDEX sealed_contracts_delete_after ON sealed_contracts (delete_after);

-- +goose Down
DROP TABLE sealed_contracts;
