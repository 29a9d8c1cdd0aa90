package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// The pool's writes run in the consumer's inbox transaction (tx). Each is an upsert that keeps
// the row written from the newest event: `WHERE event_at <= EXCLUDED.event_at` lets an event
// that arrives late (after a nak, or from another stream) change nothing, and a redelivered
// one rewrite the same values. Equal times let the later delivery win, which is the stream's
// order.

// SaveHost stores the host's profile as of at.
func SaveHost(ctx context.Context, tx pgx.Tx, h pool.Host, at time.Time) error {
	if gone, err := erasure.Erased(ctx, tx, h.ID); err != nil || gone {
		return err // an erased person never comes back to the pool
	}
	prof, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode host %s: %w", h.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO pool_hosts (host_id, programme_id, status, owner_account_id, profile, event_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6)
		ON CONFLICT (host_id) DO UPDATE SET programme_id = EXCLUDED.programme_id, status = EXCLUDED.status,
			owner_account_id = EXCLUDED.owner_account_id, profile = EXCLUDED.profile, event_at = EXCLUDED.event_at
		WHERE pool_hosts.event_at <= EXCLUDED.event_at`,
		h.ID, h.ProgrammeID, h.Status, h.OwnerAccountID, prof, at); err != nil {
		return fmt.Errorf("save host %s: %w", h.ID, err)
	}
	return nil
}

// SaveRoom stores the room's profile as of at.
func SaveRoom(ctx context.Context, tx pgx.Tx, r pool.Room, at time.Time) error {
	if gone, err := erasure.Erased(ctx, tx, r.HostID); err != nil || gone {
		return err // an erased person never comes back to the pool
	}
	prof, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode room %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO pool_rooms (room_id, host_id, programme_id, status, profile, event_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (room_id) DO UPDATE SET host_id = EXCLUDED.host_id, programme_id = EXCLUDED.programme_id,
			status = EXCLUDED.status, profile = EXCLUDED.profile, event_at = EXCLUDED.event_at
		WHERE pool_rooms.event_at <= EXCLUDED.event_at`,
		r.ID, r.HostID, r.ProgrammeID, r.Status, prof, at); err != nil {
		return fmt.Errorf("save room %s: %w", r.ID, err)
	}
	return nil
}

// SaveStudent stores the student's profile as of at.
func SaveStudent(ctx context.Context, tx pgx.Tx, st pool.Student, at time.Time) error {
	if gone, err := erasure.Erased(ctx, tx, st.ID); err != nil || gone {
		return err // an erased person never comes back to the pool
	}
	prof, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode student %s: %w", st.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO pool_students (student_id, programme_id, status, owner_account_id, profile, event_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6)
		ON CONFLICT (student_id) DO UPDATE SET programme_id = EXCLUDED.programme_id, status = EXCLUDED.status,
			owner_account_id = EXCLUDED.owner_account_id, profile = EXCLUDED.profile, event_at = EXCLUDED.event_at
		WHERE pool_students.event_at <= EXCLUDED.event_at`,
		st.ID, st.ProgrammeID, st.Status, st.OwnerAccountID, prof, at); err != nil {
		return fmt.Errorf("save student %s: %w", st.ID, err)
	}
	return nil
}

// SaveApplication stores the application's profile as of at.
func SaveApplication(ctx context.Context, tx pgx.Tx, a pool.Application, at time.Time) error {
	if gone, err := erasure.Erased(ctx, tx, a.StudentID); err != nil || gone {
		return err // an erased person never comes back to the pool
	}
	prof, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode application %s: %w", a.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO pool_applications (application_id, student_id, programme_id, status, profile, event_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (application_id) DO UPDATE SET student_id = EXCLUDED.student_id, programme_id = EXCLUDED.programme_id,
			status = EXCLUDED.status, profile = EXCLUDED.profile, event_at = EXCLUDED.event_at
		WHERE pool_applications.event_at <= EXCLUDED.event_at`,
		a.ID, a.StudentID, a.ProgrammeID, a.Status, prof, at); err != nil {
		return fmt.Errorf("save application %s: %w", a.ID, err)
	}
	return nil
}

// Pool membership, in SQL as pool.Offer.InPool and pool.Seeker.InPool say it, plus "not
// taken": a room or student with an ACCEPTED or APPROVED match has left the pool until that
// match is cancelled (SPEC §4), whatever the owning service has announced yet.
const (
	offersIn = `SELECT r.profile, h.profile FROM pool_rooms r JOIN pool_hosts h ON h.host_id = r.host_id
		WHERE r.programme_id = $1 AND r.status = 'PUBLISHED' AND h.status = 'VERIFIED'
		  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.room_id = r.room_id AND m.status IN ('ACCEPTED', 'APPROVED'))`
	offersSQL = offersIn + ` ORDER BY r.room_id`
	// offersOfSQL: those among rooms $2 and the rooms of hosts $3.
	offersOfSQL = offersIn + ` AND (r.room_id = ANY($2::uuid[]) OR r.host_id = ANY($3::uuid[])) ORDER BY r.room_id`
	// A student has at most one open application; should two SUBMITTED rows coexist for a
	// moment (a withdrawal not consumed yet), the newest counts.
	seekersIn = `SELECT DISTINCT ON (a.student_id) a.profile, s.profile
		FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.programme_id = $1 AND a.status = 'SUBMITTED' AND s.status = 'VERIFIED'
		  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.student_id = a.student_id AND m.status IN ('ACCEPTED', 'APPROVED'))`
	seekersSQL = seekersIn + ` ORDER BY a.student_id, a.event_at DESC`
	// seekersOfSQL: those among students $2.
	seekersOfSQL = seekersIn + ` AND a.student_id = ANY($2::uuid[]) ORDER BY a.student_id, a.event_at DESC`
)

// Offers returns the rooms of a programme's pool with their hosts, in room id order.
func (s *Store) Offers(ctx context.Context, programmeID string) ([]pool.Offer, error) {
	return s.offers(ctx, offersSQL, programmeID)
}

func (s *Store) offers(ctx context.Context, sql, programmeID string, args ...any) ([]pool.Offer, error) {
	rows, err := s.db.Query(ctx, sql, append([]any{programmeID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list offers of %s: %w", programmeID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (pool.Offer, error) {
		var o pool.Offer
		return o, scanJSON(row, &o.Room, &o.Host)
	})
}

// Seekers returns the applications of a programme's pool with their students, in student id
// order.
func (s *Store) Seekers(ctx context.Context, programmeID string) ([]pool.Seeker, error) {
	return s.seekers(ctx, seekersSQL, programmeID)
}

func (s *Store) seekers(ctx context.Context, sql, programmeID string, args ...any) ([]pool.Seeker, error) {
	rows, err := s.db.Query(ctx, sql, append([]any{programmeID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list seekers of %s: %w", programmeID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (pool.Seeker, error) {
		var sk pool.Seeker
		return sk, scanJSON(row, &sk.Application, &sk.Student)
	})
}

// Offer returns room id with its host whatever their statuses (the caller checks InPool),
// and false when either is unknown. lock takes a share lock on both rows, so that a
// transaction that proposes or approves on them sees them stay as read until it commits.
func (s *Store) Offer(ctx context.Context, roomID string, lock bool) (pool.Offer, bool, error) {
	var o pool.Offer
	if !ids.Valid(roomID) {
		return o, false, nil
	}
	q := `SELECT r.profile, h.profile FROM pool_rooms r JOIN pool_hosts h ON h.host_id = r.host_id WHERE r.room_id = $1`
	if lock {
		q += ` FOR SHARE`
	}
	err := scanJSON(s.db.QueryRow(ctx, q, roomID), &o.Room, &o.Host)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, false, nil
	}
	return o, err == nil, err
}

// Student returns the student with id, and false when unknown.
func (s *Store) Student(ctx context.Context, id string) (pool.Student, bool, error) {
	var st pool.Student
	if !ids.Valid(id) {
		return st, false, nil
	}
	err := scanJSON(s.db.QueryRow(ctx, `SELECT profile FROM pool_students WHERE student_id = $1`, id), &st)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, false, nil
	}
	return st, err == nil, err
}

// OpenSeeker returns student id with their newest SUBMITTED application, and false when the
// student or such an application is unknown. lock as for Offer.
func (s *Store) OpenSeeker(ctx context.Context, studentID string, lock bool) (pool.Seeker, bool, error) {
	var sk pool.Seeker
	if !ids.Valid(studentID) {
		return sk, false, nil
	}
	q := `SELECT a.profile, s.profile FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.student_id = $1 AND a.status = 'SUBMITTED' ORDER BY a.event_at DESC LIMIT 1`
	if lock {
		q += ` FOR SHARE`
	}
	err := scanJSON(s.db.QueryRow(ctx, q, studentID), &sk.Application, &sk.Student)
	if errors.Is(err, pgx.ErrNoRows) {
		return sk, false, nil
	}
	return sk, err == nil, err
}

// Taken reports whether the room, and the student, have an ACCEPTED or APPROVED match.
func (s *Store) Taken(ctx context.Context, roomID, studentID string) (room, student bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM matches WHERE room_id = $1 AND status IN ('ACCEPTED', 'APPROVED')),
		EXISTS (SELECT 1 FROM matches WHERE student_id = $2 AND status IN ('ACCEPTED', 'APPROVED'))`,
		roomID, studentID).Scan(&room, &student)
	if err != nil {
		return false, false, fmt.Errorf("check room %s and student %s: %w", roomID, studentID, err)
	}
	return room, student, nil
}

// RoomTaken reports whether the room has an ACCEPTED or APPROVED match.
func (s *Store) RoomTaken(ctx context.Context, roomID string) (bool, error) {
	var taken bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM matches WHERE room_id = $1 AND status IN ('ACCEPTED', 'APPROVED'))`, roomID).Scan(&taken)
	if err != nil {
		return false, fmt.Errorf("check room %s: %w", roomID, err)
	}
	return taken, nil
}

// scanJSON scans one row of jsonb columns into dst, in order. pgx.ErrNoRows comes back as is.
func scanJSON(row pgx.Row, dst ...any) error {
	raw := make([][]byte, len(dst))
	ptrs := make([]any, len(dst))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := row.Scan(ptrs...); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return fmt.Errorf("read pool row: %w", err)
	}
	for i, b := range raw {
		if err := json.Unmarshal(b, dst[i]); err != nil {
			return fmt.Errorf("decode pool row: %w", err)
		}
	}
	return nil
}

// Seeker returns application id with its student whatever their statuses, and false when
// either is unknown. lock as for Offer.
func (s *Store) Seeker(ctx context.Context, applicationID string, lock bool) (pool.Seeker, bool, error) {
	var sk pool.Seeker
	if !ids.Valid(applicationID) {
		return sk, false, nil
	}
	q := `SELECT a.profile, s.profile FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.application_id = $1`
	if lock {
		q += ` FOR SHARE`
	}
	err := scanJSON(s.db.QueryRow(ctx, q, applicationID), &sk.Application, &sk.Student)
	if errors.Is(err, pgx.ErrNoRows) {
		return sk, false, nil
	}
	return sk, err == nil, err
}

// PoolVersion returns the version of a programme's pool (0 before its first change): the
// one cheap query a ranking served from memory makes, to know whether its copy is current.
func (s *Store) PoolVersion(ctx context.Context, programmeID string) (int64, error) {
	var v int64
	err := s.db.QueryRow(ctx, `SELECT version FROM pool_versions WHERE programme_id = $1`, programmeID).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read pool version of %s: %w", programmeID, err)
	}
	return v, nil
}

// PoolSnapshot returns a programme's pool (as Offers and Seekers) with the version it is at,
// read in one REPEATABLE READ transaction: the rows are exactly those of that version, since
// every change bumps the version in its own transaction.
func (s *Store) PoolSnapshot(ctx context.Context, programmeID string) (version int64, offers []pool.Offer, seekers []pool.Seeker, err error) {
	err = pgx.BeginTxFunc(ctx, s.conns, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		in := s.Within(tx)
		var err error
		if version, err = in.PoolVersion(ctx, programmeID); err != nil {
			return err
		}
		if offers, err = in.Offers(ctx, programmeID); err != nil {
			return err
		}
		seekers, err = in.Seekers(ctx, programmeID)
		return err
	})
	if err != nil {
		return 0, nil, nil, fmt.Errorf("snapshot pool of %s: %w", programmeID, err)
	}
	return version, offers, seekers, nil
}

// PoolChanges returns what changed in a programme's pool after version since, read in one
// REPEATABLE READ transaction: the version now, the rooms, hosts and students changed (from
// pool_changes, one row per version), and their rows in the pool now — a room, host's room or
// student named and not among them has left the pool. ok is false when the changes are not
// all known or not worth reading one by one: more than limit versions, versions pruned, or a
// change of anything (settings, a bulk load); the caller then reads the whole snapshot.
func (s *Store) PoolChanges(ctx context.Context, programmeID string, since, limit int64) (c poolcache.Changes, ok bool, err error) {
	err = pgx.BeginTxFunc(ctx, s.conns, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		in := s.Within(tx)
		var err error
		if c.Version, err = in.PoolVersion(ctx, programmeID); err != nil {
			return err
		}
		if c.Version <= since || c.Version-since > limit {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT room_id::text, host_id::text, student_id::text FROM pool_changes
			WHERE programme_id = $1 AND version > $2 AND version <= $3`, programmeID, since, c.Version)
		if err != nil {
			return fmt.Errorf("read pool changes of %s: %w", programmeID, err)
		}
		seen := map[string]bool{}
		add := func(list *[]string, id *string) {
			if id != nil && !seen[*id] {
				seen[*id] = true
				*list = append(*list, *id)
			}
		}
		n, everything := int64(0), false
		for rows.Next() {
			var room, host, student *string
			if err := rows.Scan(&room, &host, &student); err != nil {
				return fmt.Errorf("read pool changes of %s: %w", programmeID, err)
			}
			n++
			everything = everything || (room == nil && host == nil && student == nil)
			add(&c.Rooms, room)
			add(&c.Hosts, host)
			add(&c.Students, student)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read pool changes of %s: %w", programmeID, err)
		}
		if everything || n != c.Version-since {
			return nil
		}
		if len(c.Rooms)+len(c.Hosts) > 0 {
			if c.Offers, err = in.offers(ctx, offersOfSQL, programmeID, c.Rooms, c.Hosts); err != nil {
				return err
			}
		}
		if len(c.Students) > 0 {
			if c.Seekers, err = in.seekers(ctx, seekersOfSQL, programmeID, c.Students); err != nil {
				return err
			}
		}
		ok = true
		return nil
	})
	if err != nil {
		return poolcache.Changes{}, false, fmt.Errorf("pool changes of %s since %d: %w", programmeID, since, err)
	}
	return c, ok, nil
}
