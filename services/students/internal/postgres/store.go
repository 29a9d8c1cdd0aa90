// Package postgres stores students and their applications. Every change is written with its
// events in one transaction (the outbox), under the row's lock, so that no event is lost or
// invented.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/placement"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the students database: the platform's sets with the copy of the
// programmes' settings, then the service's own tables (schema.Service).
var dbSchema = schema.Service("students_schema_version", migrations, schema.Programmes())

// Sets are the migration sets of the students database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Errors of the store.
var (
	ErrStudentNotFound     = errs.NotFound("STUDENT_NOT_FOUND", "no such student")
	ErrApplicationNotFound = errs.NotFound("APPLICATION_NOT_FOUND", "no such application")
	ErrOwnerHasStudent     = errs.AlreadyExists("STUDENT_EXISTS", "this account has already registered a student profile")
)

// Store reads and writes students, applications and the programme settings copied from
// identity. A Store made by Within runs its transaction's writes (ApplyPlacement,
// UpdateStudentIn) in that transaction; they refuse to run outside one.
type Store struct {
	pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that the changes a use case makes for the event
// commit with its claim, or roll back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{pool: s.pool, tx: tx} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("students store", s.tx) }

// CreateStudent inserts st with its events. A retry with the same (createdBy, requestID)
// returns the student created the first time, and writes nothing. Errors: ErrOwnerHasStudent.
func (s *Store) CreateStudent(ctx context.Context, st *student.Student, createdBy, requestID string, events ...*eventsv1.Envelope) (*student.Student, error) {
	r := st.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode student %s: %w", r.ID, err)
	}
	first, found, err := pg.CreateOnce(ctx, s.pool, requestID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO students (id, programme_id, status, owner_account_id, created_by, request_id, version, record, created_at, updated_at)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, NULLIF($6, ''), $7, $8, $9, $10)`,
			r.ID, r.ProgrammeID, r.Status, r.OwnerAccountID, createdBy, requestID, r.Version, rec, r.CreatedAt, r.UpdatedAt)
		if err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	}, func() (*student.Student, error) {
		return scanStudent(s.pool.QueryRow(ctx, `SELECT record FROM students WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
	}, ErrStudentNotFound)
	if found {
		return first, nil
	}
	if c, ok := pg.IsUniqueViolation(err); ok && c == "students_owner" {
		return nil, ErrOwnerHasStudent
	}
	if err != nil {
		return nil, fmt.Errorf("insert student %s: %w", r.ID, err)
	}
	return st, nil
}

// Student returns the student with id, or ErrStudentNotFound.
func (s *Store) Student(ctx context.Context, id string) (*student.Student, error) {
	if !ids.Valid(id) {
		return nil, ErrStudentNotFound
	}
	return scanStudent(s.pool.QueryRow(ctx, `SELECT record FROM students WHERE id = $1`, id))
}

// UpdateStudent locks student id, lets fn change it and return the events that tell of the
// change, and stores both. fn also gets the id of the student's open application, or "": no
// application can be created or reopened while the lock is held. fn's error aborts everything.
func (s *Store) UpdateStudent(ctx context.Context, id string, fn func(st *student.Student, openApplicationID string) ([]*eventsv1.Envelope, error)) (*student.Student, error) {
	if !ids.Valid(id) {
		return nil, ErrStudentNotFound
	}
	var out *student.Student
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		openID, err := openApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		events, err := fn(st, openID)
		if err != nil {
			return err
		}
		if err := writeStudent(ctx, tx, st); err != nil {
			return err
		}
		out = st
		return outbox.Append(ctx, tx, events...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func writeStudent(ctx context.Context, tx pgx.Tx, st *student.Student) error {
	r := st.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode student %s: %w", r.ID, err)
	}
	// owner_account_id follows the record: a student who accepts an invitation comes to own hers.
	if _, err := tx.Exec(ctx, `UPDATE students SET status = $2, version = $3, record = $4, updated_at = $5,
		owner_account_id = NULLIF($6, '') WHERE id = $1`,
		r.ID, r.Status, r.Version, rec, r.UpdatedAt, r.OwnerAccountID); err != nil {
		return fmt.Errorf("update student %s: %w", r.ID, err)
	}
	return nil
}

// StudentFilter selects students; empty fields select all.
type StudentFilter struct {
	ProgrammeID    string
	OwnerAccountID string
	Status         student.Status
	// Query: words the name, town of study, institution or email contain ("" for all).
	Query string
	After string
	Limit int
}

// ListStudents returns up to f.Limit students after id f.After, in id order.
func (s *Store) ListStudents(ctx context.Context, f StudentFilter) ([]*student.Student, error) {
	rows, err := s.pool.Query(ctx, `SELECT record FROM students
		WHERE ($1 = '' OR programme_id = $1) AND ($2 = '' OR owner_account_id = $2) AND ($3 = '' OR status = $3)
		  AND ($4 = '' OR id > NULLIF($4, '')::uuid)
		  AND ($6 = '' OR record->'Profile'->>'DisplayName' ILIKE $6 OR record->'Profile'->'StudyPlace'->>'City' ILIKE $6
		       OR record->'Profile'->>'Institution' ILIKE $6 OR record->'Profile'->>'Email' ILIKE $6)
		ORDER BY id LIMIT $5`, f.ProgrammeID, f.OwnerAccountID, string(f.Status), f.After, f.Limit, pg.Contains(f.Query))
	if err != nil {
		return nil, fmt.Errorf("list students: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*student.Student, error) { return scanStudent(row) })
}

func scanStudent(row pgx.Row) (*student.Student, error) {
	return pg.ScanRecord(row, "student", ErrStudentNotFound, student.FromRecord)
}

// BuildApplication decides, from the locked student and the id of their open application (or
// ""), the application to insert and its events.
type BuildApplication func(st *student.Student, openID string) (*application.Application, []*eventsv1.Envelope, error)

// CreateApplication inserts the application build returns, with its events. The student is
// locked FOR SHARE: it must not change status under the check, but two applications of the
// same student may race, and the applications_open index decides between them. A retry with
// the same (createdBy, requestID) returns the application created the first time. Errors:
// ErrStudentNotFound, application.ErrOpenExists, and build's.
func (s *Store) CreateApplication(ctx context.Context, studentID, createdBy, requestID string, build BuildApplication) (*application.Application, error) {
	if !ids.Valid(studentID) {
		return nil, ErrStudentNotFound
	}
	var out *application.Application
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if requestID != "" {
			a, err := s.applicationByRequest(ctx, tx, createdBy, requestID)
			if err == nil {
				out = a
				return nil
			}
			if !errors.Is(err, ErrApplicationNotFound) {
				return err
			}
		}
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR SHARE`, studentID))
		if err != nil {
			return err
		}
		openID, err := openApplication(ctx, tx, studentID)
		if err != nil {
			return err
		}
		a, events, err := build(st, openID)
		if err != nil {
			return err
		}
		r := a.Record()
		rec, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode application %s: %w", r.ID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO applications (id, programme_id, student_id, status, budget_cents, move_in_date, created_by, request_id, version, record, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''), $9, $10, $11, $12)`,
			r.ID, r.ProgrammeID, r.StudentID, r.Status, r.Preferences.BudgetCents, r.Preferences.MoveIn.Time(),
			createdBy, requestID, r.Version, rec, r.CreatedAt, r.UpdatedAt); err != nil {
			return err
		}
		out = a
		return outbox.Append(ctx, tx, events...)
	})
	if c, ok := pg.IsUniqueViolation(err); ok {
		// A retry racing its first attempt may trip either index: the first attempt's
		// application is then the answer.
		if requestID != "" {
			if a, err := s.applicationByRequest(ctx, s.pool, createdBy, requestID); err == nil {
				return a, nil
			}
		}
		if c == "applications_open" {
			return nil, application.ErrOpenExists
		}
	}
	if err != nil {
		if _, ok := errs.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("insert application of student %s: %w", studentID, err)
	}
	return out, nil
}

// openApplication returns the id of the student's open application, or "".
func openApplication(ctx context.Context, tx pgx.Tx, studentID string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id::text FROM applications WHERE student_id = $1 AND status IN ('SUBMITTED', 'MATCHED') LIMIT 1`, studentID).Scan(&id)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("find open application of student %s: %w", studentID, err)
	}
	return id, nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) applicationByRequest(ctx context.Context, q querier, createdBy, requestID string) (*application.Application, error) {
	return scanApplication(q.QueryRow(ctx, `SELECT record FROM applications WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
}

// Application returns the application with id, or ErrApplicationNotFound.
func (s *Store) Application(ctx context.Context, id string) (*application.Application, error) {
	if !ids.Valid(id) {
		return nil, ErrApplicationNotFound
	}
	return scanApplication(s.pool.QueryRow(ctx, `SELECT record FROM applications WHERE id = $1`, id))
}

// UpdateApplication locks application id and its student (the student first, always, so that
// two changes never wait on each other in opposite orders), lets fn change the application,
// and stores it with fn's events.
func (s *Store) UpdateApplication(ctx context.Context, id string, fn func(*application.Application, *student.Student) ([]*eventsv1.Envelope, error)) (*application.Application, error) {
	if !ids.Valid(id) {
		return nil, ErrApplicationNotFound
	}
	var out *application.Application
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var studentID string
		if err := tx.QueryRow(ctx, `SELECT student_id::text FROM applications WHERE id = $1`, id).Scan(&studentID); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrApplicationNotFound
			}
			return fmt.Errorf("find application %s: %w", id, err)
		}
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR SHARE`, studentID))
		if err != nil {
			return err
		}
		a, err := scanApplication(tx.QueryRow(ctx, `SELECT record FROM applications WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(a, st)
		if err != nil {
			return err
		}
		if err := writeApplication(ctx, tx, a); err != nil {
			return err
		}
		out = a
		return outbox.Append(ctx, tx, events...)
	})
	if c, ok := pg.IsUniqueViolation(err); ok && c == "applications_open" {
		return nil, application.ErrOpenExists
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func writeApplication(ctx context.Context, tx pgx.Tx, a *application.Application) error {
	r := a.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode application %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, budget_cents = $3, move_in_date = $4, version = $5, record = $6, updated_at = $7 WHERE id = $1`,
		r.ID, r.Status, r.Preferences.BudgetCents, r.Preferences.MoveIn.Time(), r.Version, rec, r.UpdatedAt); err != nil {
		return fmt.Errorf("update application %s: %w", r.ID, uniqueOpen(err))
	}
	return nil
}

// uniqueOpen turns a violation of applications_open into the error it means.
func uniqueOpen(err error) error {
	if c, ok := pg.IsUniqueViolation(err); ok && c == "applications_open" {
		return application.ErrOpenExists.WithCause(err)
	}
	return err
}

// ApplicationFilter selects applications; empty fields select all.
type ApplicationFilter struct {
	StudentID string
	After     string
	Limit     int
}

// ListApplications returns up to f.Limit applications after id f.After, in id order.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]*application.Application, error) {
	rows, err := s.pool.Query(ctx, `SELECT record FROM applications
		WHERE ($1 = '' OR student_id = NULLIF($1, '')::uuid) AND ($2 = '' OR id > NULLIF($2, '')::uuid)
		ORDER BY id LIMIT $3`, f.StudentID, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*application.Application, error) { return scanApplication(row) })
}

func scanApplication(row pgx.Row) (*application.Application, error) {
	return pg.ScanRecord(row, "application", ErrApplicationNotFound, application.FromRecord)
}

// Programme returns the copy of a programme's settings, and false when none arrived yet.
func (s *Store) Programme(ctx context.Context, id string) (*identityv1.ProgrammeSettings, bool, error) {
	return programmes.Get(ctx, s.pool, id)
}

// PlacementChange decides, from the locked application, its student and how far the match's
// chain has been applied, the outcome and the events that tell of it.
type PlacementChange func(a *application.Application, st *student.Student, p placement.Status) (placement.Outcome, []*eventsv1.Envelope, error)

// ApplyPlacement handles one event of the chain of a match on an application in the store's
// transaction, the event's inbox transaction (Within): it locks the student then the
// application (the order every change takes), reads the match's placement, lets fn decide, and
// stores what moved with fn's events. fn's error rolls everything back, the claim too, so that
// a redelivery tries again. Errors: fn's, ErrApplicationNotFound, the database's.
func (s *Store) ApplyPlacement(ctx context.Context, applicationID, matchID string, fn PlacementChange) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if !ids.Valid(applicationID) {
		return ErrApplicationNotFound
	}
	return func() error {
		var studentID string
		if err := tx.QueryRow(ctx, `SELECT student_id::text FROM applications WHERE id = $1`, applicationID).Scan(&studentID); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrApplicationNotFound
			}
			return fmt.Errorf("find application %s: %w", applicationID, err)
		}
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR UPDATE`, studentID))
		if err != nil {
			return err
		}
		a, err := scanApplication(tx.QueryRow(ctx, `SELECT record FROM applications WHERE id = $1 FOR UPDATE`, applicationID))
		if err != nil {
			return err
		}
		var p placement.Status
		err = tx.QueryRow(ctx, `SELECT status FROM placements WHERE match_id = $1`, matchID).Scan(&p)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read placement of match %s: %w", matchID, err)
		}
		out, events, err := fn(a, st, p)
		if err != nil {
			return err
		}
		if out.Next != p {
			if _, err := tx.Exec(ctx, `INSERT INTO placements (match_id, application_id, student_id, status, updated_at) VALUES ($1, $2, $3, $4, now())
				ON CONFLICT (match_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
				matchID, applicationID, studentID, out.Next); err != nil {
				return fmt.Errorf("write placement of match %s: %w", matchID, err)
			}
		}
		if out.Student {
			if err := writeStudent(ctx, tx, st); err != nil {
				return err
			}
		}
		if out.Application {
			if err := writeApplication(ctx, tx, a); err != nil {
				return err
			}
		}
		return outbox.Append(ctx, tx, events...)
	}()
}
