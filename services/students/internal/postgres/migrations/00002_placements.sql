-- +goose Up
-- How far each approved match's chain has been applied to its application and student
-- (placement.Status): what makes those events idempotent by state and safe in any order. A
-- late event of a match already UNMATCHED or ENDED changes nothing, even when the student has
-- moved on to another match.
CREATE TABLE placements (
    match_id       uuid PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    student_id     uuid        NOT NULL REFERENCES students (id),
    status         text        NOT NULL CHECK (status IN ('MATCHED', 'PLACED', 'ENDED', 'UNMATCHED')),
    updated_at     timestamptz NOT NULL
);
-- An application is matched, then placed, by one match at a time.
CREATE UNIQUE INDEX placements_current ON placements (application_id) WHERE status IN ('MATCHED', 'PLACED');
CREATE INDEX placements_student ON placements (student_id);

-- +goose Down
DROP TABLE placements;
