package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// The pool's writes run in the consumer's inbox transaction (tx), one row per record, kept
// from the newest event (newestWins).

// newestWins is the upsert of a row of table keyed by cols[0], whose parameters are cols then
// profile and event_at, that leaves a row written from a newer event as it is: an event that
// arrives late (after a nak, or from another stream) changes nothing, and a redelivered one
// rewrites the same values. Equal times let the later delivery win, which is the stream's
// order.
func newestWins(table string, cols ...string) string {
	all := append(slices.Clone(cols), "profile", "event_at")
	params, set := make([]string, len(all)), make([]string, 0, len(all)-1)
	for i, c := range all {
		params[i] = fmt.Sprintf("$%d", i+1)
		if i > 0 {
			set = append(set, c+" = EXCLUDED."+c)
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s WHERE %s.event_at <= EXCLUDED.event_at",
		table, strings.Join(all, ", "), strings.Join(params, ", "), cols[0], strings.Join(set, ", "), table)
}

var (
	saveHostSQL        = newestWins("pool_hosts", "host_id", "programme_id", "status", "owner_account_id")
	saveRoomSQL        = newestWins("pool_rooms", "room_id", "host_id", "programme_id", "status")
	saveStudentSQL     = newestWins("pool_students", "student_id", "programme_id", "status", "owner_account_id")
	saveApplicationSQL = newestWins("pool_applications", "application_id", "student_id", "programme_id", "status")
)

// save writes the copy of record id (what it is, for errors) with its columns cols and its
// profile as of at, unless person (the host or student it belongs to) was erased.
func save(ctx context.Context, tx pgx.Tx, sql, what, id, person string, profile any, at time.Time, cols ...any) error {
	if gone, err := erasure.Erased(ctx, tx, person); err != nil || gone {
		return err // an erased person never comes back to the pool
	}
	prof, err := json.Marshal(profile)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", what, id, err)
	}
	if _, err := tx.Exec(ctx, sql, append(cols, prof, at)...); err != nil {
		return fmt.Errorf("save %s %s: %w", what, id, err)
	}
	return nil
}

// nullIfEmpty stores "" (no account) as NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SaveHost stores the host's profile as of at.
func SaveHost(ctx context.Context, tx pgx.Tx, h pool.Host, at time.Time) error {
	return save(ctx, tx, saveHostSQL, "host", h.ID, h.ID, h, at, h.ID, h.ProgrammeID, h.Status, nullIfEmpty(h.OwnerAccountID))
}

// SaveRoom stores the room's profile as of at.
func SaveRoom(ctx context.Context, tx pgx.Tx, r pool.Room, at time.Time) error {
	return save(ctx, tx, saveRoomSQL, "room", r.ID, r.HostID, r, at, r.ID, r.HostID, r.ProgrammeID, r.Status)
}

// SaveStudent stores the student's profile as of at.
func SaveStudent(ctx context.Context, tx pgx.Tx, st pool.Student, at time.Time) error {
	return save(ctx, tx, saveStudentSQL, "student", st.ID, st.ID, st, at, st.ID, st.ProgrammeID, st.Status, nullIfEmpty(st.OwnerAccountID))
}

// SaveApplication stores the application's profile as of at.
func SaveApplication(ctx context.Context, tx pgx.Tx, a pool.Application, at time.Time) error {
	return save(ctx, tx, saveApplicationSQL, "application", a.ID, a.StudentID, a, at, a.ID, a.StudentID, a.ProgrammeID, a.Status)
}

// Pool membership, in SQL as pool.Offer.InPool and pool.Seeker.InPool say it, plus "not
// taken": a room or student with an ACCEPTED or APPROVED match has left the pool until that
// match is cancelled (SPEC §4), whatever the owning service has announced yet.
var (
	offersIn = `SELECT r.profile, h.profile FROM pool_rooms r JOIN pool_hosts h ON h.host_id = r.host_id
		WHERE r.programme_id = $1 AND r.status = 'PUBLISHED' AND h.status = 'VERIFIED'
		  AND NOT ` + takenSQL("room_id", "r.room_id")
	offersSQL = offersIn + ` ORDER BY r.room_id`
	// offersOfSQL: those among rooms $2 and the rooms of hosts $3.
	offersOfSQL = offersIn + ` AND (r.room_id = ANY($2::uuid[]) OR r.host_id = ANY($3::uuid[])) ORDER BY r.room_id`
	// A student has at most one open application; should two SUBMITTED rows coexist for a
	// moment (a withdrawal not consumed yet), the newest counts.
	seekersIn = `SELECT DISTINCT ON (a.student_id) a.profile, s.profile
		FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.programme_id = $1 AND a.status = 'SUBMITTED' AND s.status = 'VERIFIED'
		  AND NOT ` + takenSQL("student_id", "a.student_id")
	seekersSQL = seekersIn + ` ORDER BY a.student_id, a.event_at DESC`
	// seekersOfSQL: those among students $2.
	seekersOfSQL = seekersIn + ` AND a.student_id = ANY($2::uuid[]) ORDER BY a.student_id, a.event_at DESC`

	pairTakenSQL = `SELECT ` + takenSQL("room_id", "$1") + `, ` + takenSQL("student_id", "$2")
	roomTakenSQL = `SELECT ` + takenSQL("room_id", "$1")
)

// takenSQL is the SQL condition "the room (or student) whose id is v has an ACCEPTED or
// APPROVED match", col naming matches' column of that id: what takes it out of the pool.
func takenSQL(col, v string) string {
	return `EXISTS (SELECT 1 FROM matches m WHERE m.` + col + ` = ` + v + ` AND m.status IN ('ACCEPTED', 'APPROVED'))`
}

// Offers returns the rooms of a programme's pool with their hosts, in room id order.
func (s *Store) Offers(ctx context.Context, programmeID string) ([]pool.Offer, error) {
	return list(ctx, s.db, "offers", offersSQL, programmeID, nil, offerSides)
}

// Seekers returns the applications of a programme's pool with their students, in student id
// order.
func (s *Store) Seekers(ctx context.Context, programmeID string) ([]pool.Seeker, error) {
	return list(ctx, s.db, "seekers", seekersSQL, programmeID, nil, seekerSides)
}

// offerSides and seekerSides are where the two profiles of a row of pairs go, in the order
// the queries select them.
func offerSides(o *pool.Offer) []any   { return []any{&o.Room, &o.Host} }
func seekerSides(s *pool.Seeker) []any { return []any{&s.Application, &s.Student} }

// list returns the rows of sql (parameters: programmeID, then args) decoded into pairs by
// sides; what names them in errors.
func list[T any](ctx context.Context, db dbtx, what, sql, programmeID string, args []any, sides func(*T) []any) ([]T, error) {
	rows, err := db.Query(ctx, sql, append([]any{programmeID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list %s of %s: %w", what, programmeID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) {
		var v T
		return v, scanJSON(row, sides(&v)...)
	})
}

// one reads the row of sql for id into dst, and false when there is none or id is not a UUID
// (no record has such an id). lock appends FOR SHARE.
func (s *Store) one(ctx context.Context, sql, id string, lock bool, dst ...any) (bool, error) {
	if !ids.Valid(id) {
		return false, nil
	}
	if lock {
		sql += ` FOR SHARE`
	}
	err := scanJSON(s.db.QueryRow(ctx, sql, id), dst...)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Offer returns room id with its host whatever their statuses (the caller checks InPool),
// and false when either is unknown. lock takes a share lock on both rows, so that a
// transaction that proposes or approves on them sees them stay as read until it commits.
func (s *Store) Offer(ctx context.Context, roomID string, lock bool) (pool.Offer, bool, error) {
	var o pool.Offer
	ok, err := s.one(ctx, `SELECT r.profile, h.profile FROM pool_rooms r JOIN pool_hosts h ON h.host_id = r.host_id WHERE r.room_id = $1`,
		roomID, lock, offerSides(&o)...)
	return o, ok, err
}

// Student returns the student with id, and false when unknown.
func (s *Store) Student(ctx context.Context, id string) (pool.Student, bool, error) {
	var st pool.Student
	ok, err := s.one(ctx, `SELECT profile FROM pool_students WHERE student_id = $1`, id, false, &st)
	return st, ok, err
}

// OpenSeeker returns student id with their newest SUBMITTED application, and false when the
// student or such an application is unknown. lock as for Offer.
func (s *Store) OpenSeeker(ctx context.Context, studentID string, lock bool) (pool.Seeker, bool, error) {
	var sk pool.Seeker
	ok, err := s.one(ctx, `SELECT a.profile, s.profile FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.student_id = $1 AND a.status = 'SUBMITTED' ORDER BY a.event_at DESC LIMIT 1`, studentID, lock, seekerSides(&sk)...)
	return sk, ok, err
}

// Taken reports whether the room, and the student, have an ACCEPTED or APPROVED match.
func (s *Store) Taken(ctx context.Context, roomID, studentID string) (room, student bool, err error) {
	err = s.db.QueryRow(ctx, pairTakenSQL, roomID, studentID).Scan(&room, &student)
	if err != nil {
		return false, false, fmt.Errorf("check room %s and student %s: %w", roomID, studentID, err)
	}
	return room, student, nil
}

// RoomTaken reports whether the room has an ACCEPTED or APPROVED match.
func (s *Store) RoomTaken(ctx context.Context, roomID string) (bool, error) {
	var taken bool
	err := s.db.QueryRow(ctx, roomTakenSQL, roomID).Scan(&taken)
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
	ok, err := s.one(ctx, `SELECT a.profile, s.profile FROM pool_applications a JOIN pool_students s ON s.student_id = a.student_id
		WHERE a.application_id = $1`, applicationID, lock, seekerSides(&sk)...)
	return sk, ok, err
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

// atOneInstant runs fn with a store bound to one REPEATABLE READ, read-only transaction: every
// read in it sees the database as of one instant.
func (s *Store) atOneInstant(ctx context.Context, fn func(in *Store) error) error {
	return pgx.BeginTxFunc(ctx, s.conns, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return fn(s.Within(tx)) })
}

// PoolSnapshot returns a programme's pool (as Offers and Seekers) with the version it is at,
// read in one REPEATABLE READ transaction: the rows are exactly those of that version, since
// every change bumps the version in its own transaction.
func (s *Store) PoolSnapshot(ctx context.Context, programmeID string) (version int64, offers []pool.Offer, seekers []pool.Seeker, err error) {
	err = s.atOneInstant(ctx, func(in *Store) error {
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
	err = s.atOneInstant(ctx, func(in *Store) error {
		var err error
		if c.Version, err = in.PoolVersion(ctx, programmeID); err != nil {
			return err
		}
		if c.Version <= since || c.Version-since > limit {
			return nil
		}
		rows, err := in.db.Query(ctx, `SELECT room_id::text, host_id::text, student_id::text FROM pool_changes
			WHERE programme_id = $1 AND version > $2 AND version <= $3`, programmeID, since, c.Version)
		if err != nil {
			return fmt.Errorf("read pool changes of %s: %w", programmeID, err)
		}
		seen := map[string]bool{}
		add := func(into *[]string, id *string) {
			if id != nil && !seen[*id] {
				seen[*id] = true
				*into = append(*into, *id)
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
			if c.Offers, err = list(ctx, in.db, "offers", offersOfSQL, programmeID, []any{c.Rooms, c.Hosts}, offerSides); err != nil {
				return err
			}
		}
		if len(c.Students) > 0 {
			if c.Seekers, err = list(ctx, in.db, "seekers", seekersOfSQL, programmeID, []any{c.Students}, seekerSides); err != nil {
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
