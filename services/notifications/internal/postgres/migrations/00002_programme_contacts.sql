-- +goose Up
-- The association's address of each programme (Programme.email, from identity's programme
-- events): where what coordinators are told goes, until identity serves each coordinator's
-- own address to services. An association's address, not a person's.
CREATE TABLE programme_contacts (
    id         text PRIMARY KEY,
    email      text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE programme_contacts;
