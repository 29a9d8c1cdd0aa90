package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Errors of the match store.
var (
	ErrMatchNotFound = errs.NotFound("MATCH_NOT_FOUND", "no such match")
	// ErrRoomTaken and ErrStudentTaken are the unique partial indexes speaking: another match
	// of the room (or student) reached ACCEPTED or APPROVED first. A lost race, hence Aborted.
	ErrRoomTaken    = errs.Aborted("ROOM_TAKEN", "another match for this room has been accepted first")
	ErrStudentTaken = errs.Aborted("STUDENT_TAKEN", "another match for this student has been accepted first")
	ErrPairOpen     = errs.AlreadyExists("MATCH_EXISTS", "this room is already proposed to this student")
)

// uniqueErr turns a violation of the matches' unique indexes into the error it means.
func uniqueErr(err error) error {
	c, ok := pg.IsUniqueViolation(err)
	if !ok {
		return err
	}
	switch c {
	case "matches_room_taken":
		return ErrRoomTaken.WithCause(err)
	case "matches_student_taken":
		return ErrStudentTaken.WithCause(err)
	case "matches_pair_open":
		return ErrPairOpen.WithCause(err)
	}
	return err
}

// InsertMatch inserts m, proposed by createdBy with requestID (may be ""). Errors:
// ErrPairOpen, ErrRoomTaken, ErrStudentTaken, a violation of matches_request (a concurrent
// retry: the caller looks the first one up with MatchByRequest), the database's.
func (s *Store) InsertMatch(ctx context.Context, m *match.Match, createdBy, requestID string) error {
	r := m.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode match %s: %w", r.ID, err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO matches (id, programme_id, room_id, host_id, student_id, application_id,
			host_account_id, student_account_id, status, expire_at, created_by, request_id, version, record, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), NULLIF($8, ''), $9, $10, $11, NULLIF($12, ''), $13, $14, $15, $16)`,
		r.ID, r.ProgrammeID, r.Pair.RoomID, r.Pair.HostID, r.Pair.StudentID, r.Pair.ApplicationID,
		r.Pair.HostAccountID, r.Pair.StudentAccountID, r.Status, r.ExpireAt, createdBy, requestID, r.Version, rec, r.CreatedAt, r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert match %s: %w", r.ID, uniqueErr(err))
	}
	return nil
}

// MatchByRequest returns the match createdBy proposed with requestID, or ErrMatchNotFound.
func (s *Store) MatchByRequest(ctx context.Context, createdBy, requestID string) (*match.Match, error) {
	return scanMatch(s.db.QueryRow(ctx, `SELECT record FROM matches WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
}

// OpenMatchOfPair returns the match under way for the pair (PROPOSED to APPROVED), or
// ErrMatchNotFound.
func (s *Store) OpenMatchOfPair(ctx context.Context, roomID, studentID string) (*match.Match, error) {
	return scanMatch(s.db.QueryRow(ctx, `SELECT record FROM matches WHERE room_id = $1 AND student_id = $2
		AND status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED', 'APPROVED')`, roomID, studentID))
}

// Match returns the match with id, or ErrMatchNotFound.
func (s *Store) Match(ctx context.Context, id string) (*match.Match, error) {
	if !ids.Valid(id) {
		return nil, ErrMatchNotFound
	}
	return scanMatch(s.db.QueryRow(ctx, `SELECT record FROM matches WHERE id = $1`, id))
}

// UpdateMatch locks match id, lets fn change it (fn may read through tx, in the same
// transaction) and return the events that tell of the change, and stores both. The row lock
// serializes changes of one match: of two approvals at once, the second sees the first's
// result. Errors: fn's, ErrMatchNotFound, ErrRoomTaken and ErrStudentTaken (another match
// reached ACCEPTED first), the database's.
func (s *Store) UpdateMatch(ctx context.Context, id string, fn func(tx *Store, m *match.Match) ([]*eventsv1.Envelope, error)) (*match.Match, error) {
	if !ids.Valid(id) {
		return nil, ErrMatchNotFound
	}
	var out *match.Match
	err := s.InTx(ctx, func(tx *Store) error {
		m, err := scanMatch(tx.db.QueryRow(ctx, `SELECT record FROM matches WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(tx, m)
		if err != nil {
			return err
		}
		if err := tx.writeMatch(ctx, m); err != nil {
			return err
		}
		out = m
		return tx.Append(ctx, events...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) writeMatch(ctx context.Context, m *match.Match) error {
	r := m.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode match %s: %w", r.ID, err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE matches SET status = $2, expire_at = $3, version = $4, record = $5, updated_at = $6 WHERE id = $1`,
		r.ID, r.Status, r.ExpireAt, r.Version, rec, r.UpdatedAt); err != nil {
		return fmt.Errorf("update match %s: %w", r.ID, uniqueErr(err))
	}
	return nil
}

// ExpireDue locks up to limit open matches whose expiry time is at or before now, lets fn
// change each and return its events, and stores them, all in one transaction. SKIP LOCKED
// lets several replicas run the job at once without waiting on each other (each takes rows
// the others have not locked) and skips a match a user is changing right now (the next run
// takes it). It returns how many matches it handled.
func (s *Store) ExpireDue(ctx context.Context, now time.Time, limit int, fn func(m *match.Match) ([]*eventsv1.Envelope, error)) (int, error) {
	return s.updateLocked(ctx, "expire due matches", `SELECT record FROM matches
		WHERE status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED') AND expire_at <= $1
		ORDER BY expire_at LIMIT $2 FOR UPDATE SKIP LOCKED`, []any{now, limit}, fn)
}

// UpdateOpenMatchesOfApplication locks every match of applicationID that is still under way
// (PROPOSED to APPROVED), lets fn change each and return its events, and stores them, in one
// transaction (the caller's, when s is bound to one). The statuses are filtered under the row
// locks, in id order: a match a coordinator declines meanwhile is waited for, then left out,
// and two such runs never deadlock. It returns how many matches it changed.
func (s *Store) UpdateOpenMatchesOfApplication(ctx context.Context, applicationID string, fn func(m *match.Match) ([]*eventsv1.Envelope, error)) (int, error) {
	if !ids.Valid(applicationID) {
		return 0, nil // an id that is not a UUID names no match
	}
	return s.updateLocked(ctx, "cancel the open matches of application "+applicationID, `SELECT record FROM matches
		WHERE application_id = $1 AND status IN ('PROPOSED', 'MEETING_SCHEDULED', 'ACCEPTED', 'APPROVED')
		ORDER BY id FOR UPDATE`, []any{applicationID}, fn)
}

// updateLocked runs query (it selects and locks match records), lets fn change each match
// and return its events, and stores them, in one transaction. It returns how many matches
// the query locked.
func (s *Store) updateLocked(ctx context.Context, what, query string, args []any, fn func(m *match.Match) ([]*eventsv1.Envelope, error)) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx *Store) error {
		rows, err := tx.db.Query(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		locked, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*match.Match, error) { return scanMatch(row) })
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		for _, m := range locked {
			events, err := fn(m)
			if err != nil {
				return fmt.Errorf("%s: match %s: %w", what, m.ID(), err)
			}
			if err := tx.writeMatch(ctx, m); err != nil {
				return err
			}
			if err := tx.Append(ctx, events...); err != nil {
				return err
			}
		}
		n = len(locked)
		return nil
	})
	return n, err
}

// MatchFilter selects matches; empty fields select all.
type MatchFilter struct {
	ProgrammeID      string
	HostAccountID    string
	StudentAccountID string
	Status           match.Status
	RoomID           string
	StudentID        string
	After            string
	Limit            int
}

// ListMatches returns up to f.Limit matches after id f.After, in id order.
func (s *Store) ListMatches(ctx context.Context, f MatchFilter) ([]*match.Match, error) {
	rows, err := s.db.Query(ctx, `SELECT record FROM matches
		WHERE ($1 = '' OR programme_id = $1) AND ($2 = '' OR host_account_id = $2) AND ($3 = '' OR student_account_id = $3)
		  AND ($4 = '' OR status = $4) AND ($5 = '' OR room_id = NULLIF($5, '')::uuid) AND ($6 = '' OR student_id = NULLIF($6, '')::uuid)
		  AND ($7 = '' OR id > NULLIF($7, '')::uuid)
		ORDER BY id LIMIT $8`,
		f.ProgrammeID, f.HostAccountID, f.StudentAccountID, string(f.Status), f.RoomID, f.StudentID, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*match.Match, error) { return scanMatch(row) })
}

func scanMatch(row pgx.Row) (*match.Match, error) {
	var rec []byte
	if err := row.Scan(&rec); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrMatchNotFound
		}
		return nil, fmt.Errorf("read match: %w", err)
	}
	var r match.Record
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, fmt.Errorf("decode match: %w", err)
	}
	return match.FromRecord(r), nil
}
