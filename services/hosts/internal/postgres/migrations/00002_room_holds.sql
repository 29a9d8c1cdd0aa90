-- +goose Up
-- Each approved match's hold on a room, as the chain of events has moved it (room.Hold):
-- what makes those events idempotent by state and safe in any order. A late event of a match
-- whose hold is RELEASED changes nothing, even when the room is reserved for another match.
CREATE TABLE room_holds (
    match_id   uuid PRIMARY KEY,
    room_id    uuid        NOT NULL REFERENCES rooms (id),
    status     text        NOT NULL CHECK (status IN ('RESERVED', 'OCCUPIED', 'RELEASED')),
    updated_at timestamptz NOT NULL
);
-- A room is held by one match at a time.
CREATE UNIQUE INDEX room_holds_current ON room_holds (room_id) WHERE status IN ('RESERVED', 'OCCUPIED');

-- +goose Down
DROP TABLE room_holds;
