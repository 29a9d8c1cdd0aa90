-- +goose Up
-- The people erased (SPEC §9), by id only: an event about one of them that arrives after the
-- erasure (streams are not ordered with each other) is ignored instead of bringing the person
-- back, and the erasure is applied once whatever the order.
CREATE TABLE erased_people (
    id        text        PRIMARY KEY,
    kind      text        NOT NULL CHECK (kind IN ('host', 'student')),
    erased_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE erased_people;
