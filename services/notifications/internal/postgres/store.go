// Package postgres stores notifications, their recipients' settings, and what the service
// keeps of other services' events (who owns which record, coordinators, contracts' parties,
// reminders to send).
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the notifications database: the platform's sets with the copy of
// the programmes' settings, then the service's own tables (schema.Service).
var dbSchema = schema.Service("notifications_schema_version", migrations, schema.Programmes())

// Sets are the migration sets of the notifications database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Store reads and writes the notifications database. A Store made by Within (or handed to
// DueReminders' callback) reads in that transaction and runs its writes there (Insert,
// Append, SavePerson, AddCoordinator, SaveContract, SaveReminder, DropReminder,
// DropContractReminders, SaveProgrammeEmail, ErasePerson); they refuse to run outside one.
type Store struct {
	Pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Pool: pool} }

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that the changes a use case makes for the event
// commit with its claim, or roll back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{Pool: s.Pool, tx: tx} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("notifications store", s.tx) }

// db is what the store reads on: its transaction when bound to one (to see its own writes
// and the rows it locked), else the pool.
func (s *Store) db() Querier {
	if s.tx != nil {
		return s.tx
	}
	return s.Pool
}

// Append writes events to the outbox of the store's transaction, so that they are published
// only if the change they tell of commits.
func (s *Store) Append(ctx context.Context, events ...*eventsv1.Envelope) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	return outbox.Append(ctx, tx, events...)
}

// Params are the event's facts a message is written from.
type Params struct {
	Meeting    time.Time `json:"meeting,omitzero"`
	Date       string    `json:"date,omitempty"`
	Severity   string    `json:"severity,omitempty"`
	OtherKind  string    `json:"otherKind,omitempty"`
	OtherID    string    `json:"otherId,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	SubjectID  string    `json:"subjectId,omitempty"`
	Path       string    `json:"path,omitempty"`
	Invitation string    `json:"invitation,omitempty"`
}

// Notification is one row of the notifications table.
type Notification struct {
	ID            string
	ProgrammeID   string
	EventID       string
	RecipientID   string
	RecipientKind notice.Kind
	Channel       notice.Channel
	Topic         notice.Topic
	Language      string
	Subject       string
	Message       string
	Params        Params
	Status        notice.Status
	MessageID     string
	Attempts      int
	NextAttemptAt *time.Time
	InFlightAt    *time.Time
	Resent        bool
	Failure       string
	EventTime     time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
}

const columns = `id, programme_id, event_id, recipient_id, recipient_kind, channel, topic, language, subject, message,
	params, status, message_id, attempts, next_attempt_at, in_flight_at, resent, failure, event_time, created_at, sent_at`

func scan(row pgx.Row) (Notification, error) {
	var n Notification
	var params []byte
	err := row.Scan(&n.ID, &n.ProgrammeID, &n.EventID, &n.RecipientID, &n.RecipientKind, &n.Channel, &n.Topic, &n.Language,
		&n.Subject, &n.Message, &params, &n.Status, &n.MessageID, &n.Attempts, &n.NextAttemptAt, &n.InFlightAt, &n.Resent,
		&n.Failure, &n.EventTime, &n.CreatedAt, &n.SentAt)
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal(params, &n.Params); err != nil {
		return n, fmt.Errorf("decode params of notification %s: %w", n.ID, err)
	}
	return n, nil
}

// Insert adds n unless a notification of the same (event, recipient, channel) exists, which
// it keeps: a redelivered event creates nothing twice. It reports whether n was added.
func (s *Store) Insert(ctx context.Context, n Notification) (bool, error) {
	tx, err := s.inTx()
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	if gone, err := erasure.Erased(ctx, tx, n.RecipientID); err != nil || gone {
		return false, err // an event older than the erasure tells the erased person nothing
	}
	params, err := json.Marshal(n.Params)
	if err != nil {
		return false, fmt.Errorf("encode params: %w", err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO notifications (id, programme_id, event_id, recipient_id, recipient_kind, channel, topic,
			language, subject, message, params, status, message_id, failure, next_attempt_at, event_time, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
		ON CONFLICT (event_id, recipient_id, channel) DO NOTHING`,
		n.ID, n.ProgrammeID, n.EventID, n.RecipientID, n.RecipientKind, n.Channel, n.Topic, n.Language, n.Subject, n.Message,
		params, n.Status, n.MessageID, n.Failure, n.NextAttemptAt, n.EventTime, n.CreatedAt)
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Attempt is a notification the dispatcher took: Resend says that an earlier attempt's
// outcome is unknown (the process stopped between sending and recording), so this is the
// one and only time it is sent again.
type Attempt struct {
	Notification
	Resend bool
}

// Claim takes up to limit notifications due at now (PENDING, or FAILED with a retry due),
// marks each as in flight until now+lease, and commits that before anything is sent, so that
// another replica skips them (FOR UPDATE SKIP LOCKED, then the lease) and a crash leaves a
// trace. A row found still in flight from an earlier attempt whose lease ran out is taken
// again as a Resend once; a second unknown outcome ends it FAILED, never sent a third time.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Attempt, error) {
	var out []Attempt
	err := pg.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+columns+` FROM notifications
			WHERE next_attempt_at <= $1 AND status IN ('PENDING', 'FAILED')
			ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil {
			return err
		}
		ns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) { return scan(r) })
		if err != nil {
			return err
		}
		for _, n := range ns {
			a := Attempt{Notification: n, Resend: n.InFlightAt != nil}
			if a.Resend && n.Resent {
				if _, err := tx.Exec(ctx, `UPDATE notifications SET status = 'FAILED', next_attempt_at = NULL, in_flight_at = NULL,
					failure = $2, updated_at = $3 WHERE id = $1`, n.ID, FailureUnknownTwice, now); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE notifications SET attempts = attempts + 1, in_flight_at = $2, next_attempt_at = $3,
				resent = resent OR $4, updated_at = $2 WHERE id = $1`, n.ID, now, now.Add(lease), a.Resend); err != nil {
				return err
			}
			a.Attempts++
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	return out, nil
}

// FailureUnknownTwice is the failure of a notification whose outcome was unknown twice.
const FailureUnknownTwice = "the process stopped twice while sending; it may have been received, so it is not sent again"

// MarkSent records a successful attempt.
func (s *Store) MarkSent(ctx context.Context, id string, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE notifications SET status = 'SENT', sent_at = $2, next_attempt_at = NULL,
		in_flight_at = NULL, failure = '', updated_at = $2 WHERE id = $1`, id, at)
	if err != nil {
		return fmt.Errorf("mark notification %s sent: %w", id, err)
	}
	return nil
}

// MarkFailed records a failed attempt: FAILED with why, tried again at retry (nil: never).
func (s *Store) MarkFailed(ctx context.Context, id, failure string, at time.Time, retry *time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE notifications SET status = 'FAILED', failure = $2, next_attempt_at = $3,
		in_flight_at = NULL, updated_at = $4 WHERE id = $1`, id, failure, retry, at)
	if err != nil {
		return fmt.Errorf("mark notification %s failed: %w", id, err)
	}
	return nil
}

// MarkSkipped records that a notification will not be sent, and why.
func (s *Store) MarkSkipped(ctx context.Context, id, why string, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE notifications SET status = 'SKIPPED', failure = $2, next_attempt_at = NULL,
		in_flight_at = NULL, updated_at = $3 WHERE id = $1`, id, why, at)
	if err != nil {
		return fmt.Errorf("mark notification %s skipped: %w", id, err)
	}
	return nil
}

// Filter selects notifications: those of a programme, of some recipients, of a status and
// channel; After is the page token (the last id seen; newest first).
type Filter struct {
	ProgrammeID  string
	RecipientIDs []string
	Status       notice.Status
	Channel      notice.Channel
	After        string
	Limit        int
}

// List returns the notifications f selects, newest first (ids are UUIDv7: time-ordered).
func (s *Store) List(ctx context.Context, f Filter) ([]Notification, error) {
	q := `SELECT ` + columns + ` FROM notifications WHERE true`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ProgrammeID != "" {
		add("programme_id = $%d", f.ProgrammeID)
	}
	if f.RecipientIDs != nil {
		add("recipient_id = ANY($%d)", f.RecipientIDs)
	}
	if f.Status != "" {
		add("status = $%d", string(f.Status))
	}
	if f.Channel != "" {
		add("channel = $%d", string(f.Channel))
	}
	if f.After != "" {
		add("id < $%d", f.After)
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT $%d", len(args))
	rows, err := s.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) { return scan(r) })
}

// Get returns one notification. Errors: pgx.ErrNoRows.
func (s *Store) Get(ctx context.Context, id string) (Notification, error) {
	return scan(s.Pool.QueryRow(ctx, `SELECT `+columns+` FROM notifications WHERE id = $1`, id))
}

// Querier reads in a transaction or on the pool.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Settings returns account's settings, the defaults when it never changed them.
func (s *Store) Settings(ctx context.Context, account string) (notice.Settings, *time.Time, error) {
	st := notice.DefaultSettings()
	if account == "" {
		return st, nil, nil
	}
	var at time.Time
	err := s.db().QueryRow(ctx, `SELECT email, sms, language, updated_at FROM settings WHERE account_id = $1`, account).
		Scan(&st.Email, &st.SMS, &st.Language, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return notice.DefaultSettings(), nil, nil
	}
	if err != nil {
		return st, nil, fmt.Errorf("read settings: %w", err)
	}
	return st, &at, nil
}

// SaveSettings changes account's settings with fn, under the row's lock.
func (s *Store) SaveSettings(ctx context.Context, account string, at time.Time, fn func(*notice.Settings) error) (notice.Settings, error) {
	var out notice.Settings
	err := pg.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		// The row is created with the defaults first, so that two concurrent changes of
		// different fields both apply (the second waits for the first's lock).
		d := notice.DefaultSettings()
		if _, err := tx.Exec(ctx, `INSERT INTO settings (account_id, email, sms, language, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (account_id) DO NOTHING`, account, d.Email, d.SMS, d.Language, at); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT email, sms, language FROM settings WHERE account_id = $1 FOR UPDATE`, account).
			Scan(&out.Email, &out.SMS, &out.Language); err != nil {
			return err
		}
		if err := fn(&out); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE settings SET email = $2, sms = $3, language = $4, updated_at = $5 WHERE account_id = $1`,
			account, out.Email, out.SMS, out.Language, at)
		return err
	})
	return out, err
}

// SavePerson records who owns a host or student record; an owner already known is kept when
// account is "" (an update that does not say).
func (s *Store) SavePerson(ctx context.Context, id string, kind notice.Kind, programme, account string, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("save person %s: %w", id, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO people (id, kind, programme_id, account_id, updated_at) VALUES ($1, $2, $3, NULLIF($4, ''), $5)
		ON CONFLICT (id) DO UPDATE SET account_id = COALESCE(EXCLUDED.account_id, people.account_id), updated_at = EXCLUDED.updated_at`,
		id, kind, programme, account, at)
	if err != nil {
		return fmt.Errorf("save person %s: %w", id, err)
	}
	return nil
}

// RecordsOf returns the ids of the host and student records account owns.
func (s *Store) RecordsOf(ctx context.Context, account string) ([]string, error) {
	rows, err := s.db().Query(ctx, `SELECT id::text FROM people WHERE account_id = $1`, account)
	if err != nil {
		return nil, fmt.Errorf("records of account: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// AccountOf returns the account that owns record id, "" when none is known.
func (s *Store) AccountOf(ctx context.Context, id string) (string, error) {
	var a *string
	err := s.db().QueryRow(ctx, `SELECT account_id FROM people WHERE id = $1`, id).Scan(&a)
	if errors.Is(err, pgx.ErrNoRows) || a == nil {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("account of %s: %w", id, err)
	}
	return *a, nil
}

// AddCoordinator records a coordinator account of programme.
func (s *Store) AddCoordinator(ctx context.Context, account, programme string) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("add coordinator: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO coordinators (account_id, programme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, account, programme)
	if err != nil {
		return fmt.Errorf("add coordinator: %w", err)
	}
	return nil
}

// Coordinators returns the coordinator accounts of programme.
func (s *Store) Coordinators(ctx context.Context, programme string) ([]string, error) {
	rows, err := s.db().Query(ctx, `SELECT account_id FROM coordinators WHERE programme_id = $1 ORDER BY account_id`, programme)
	if err != nil {
		return nil, fmt.Errorf("coordinators: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Contract is a contract's parties.
type Contract struct {
	ID, ProgrammeID, HostID, StudentID, Status string
}

// SaveContract records a contract's parties and status.
func (s *Store) SaveContract(ctx context.Context, c Contract) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("save contract: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO contracts (id, programme_id, host_id, student_id, status) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status`, c.ID, c.ProgrammeID, c.HostID, c.StudentID, c.Status)
	if err != nil {
		return fmt.Errorf("save contract: %w", err)
	}
	return nil
}

// ContractByID returns a contract's parties, and false when it is not known yet.
func (s *Store) ContractByID(ctx context.Context, id string) (Contract, bool, error) {
	c := Contract{ID: id}
	err := s.db().QueryRow(ctx, `SELECT programme_id, host_id, student_id, status FROM contracts WHERE id = $1`, id).
		Scan(&c.ProgrammeID, &c.HostID, &c.StudentID, &c.Status)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read contract: %w", err)
	}
	return c, true, nil
}

// Reminder is a message to send the day before a meeting or a check-in visit.
type Reminder struct {
	Kind        string
	SubjectID   string
	ProgrammeID string
	ContractID  string
	HostID      string
	StudentID   string
	At          time.Time
	DueAt       time.Time
}

// SaveReminder sets the reminder of a meeting or check-in; a moved meeting moves it, and a
// reminder already sent for an earlier time is due again for the new one.
func (s *Store) SaveReminder(ctx context.Context, r Reminder) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("save reminder: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO reminders (kind, subject_id, programme_id, contract_id, host_id, student_id, at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (kind, subject_id) DO UPDATE SET at = EXCLUDED.at, due_at = EXCLUDED.due_at,
			done_at = CASE WHEN reminders.at = EXCLUDED.at THEN reminders.done_at END`,
		r.Kind, r.SubjectID, r.ProgrammeID, r.ContractID, r.HostID, r.StudentID, r.At, r.DueAt)
	if err != nil {
		return fmt.Errorf("save reminder: %w", err)
	}
	return nil
}

// DropReminder cancels the reminder of a meeting or check-in that will not happen.
func (s *Store) DropReminder(ctx context.Context, kind, subject string, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("drop reminder: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE reminders SET done_at = $3 WHERE kind = $1 AND subject_id = $2 AND done_at IS NULL`, kind, subject, at)
	if err != nil {
		return fmt.Errorf("drop reminder: %w", err)
	}
	return nil
}

// DropContractReminders cancels the check-in reminders of a contract that ended or was
// cancelled.
func (s *Store) DropContractReminders(ctx context.Context, contract string, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("drop reminders of contract: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE reminders SET done_at = $2 WHERE contract_id = $1 AND done_at IS NULL`, contract, at)
	if err != nil {
		return fmt.Errorf("drop reminders of contract: %w", err)
	}
	return nil
}

// DueReminders takes up to limit reminders due at now, locked so that another replica skips
// them (FOR UPDATE SKIP LOCKED), calls fn for each with a store bound to the same
// transaction, and marks them done: fn's notifications and the reminder's end commit together, so a crash sends nothing
// twice (the notifications' unique key covers a second run too).
func (s *Store) DueReminders(ctx context.Context, now time.Time, limit int, fn func(st *Store, r Reminder) error) (int, error) {
	n := 0
	err := pg.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT kind, subject_id, programme_id, contract_id, host_id, student_id, at, due_at FROM reminders
			WHERE done_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil {
			return err
		}
		rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Reminder, error) {
			var m Reminder
			err := r.Scan(&m.Kind, &m.SubjectID, &m.ProgrammeID, &m.ContractID, &m.HostID, &m.StudentID, &m.At, &m.DueAt)
			return m, err
		})
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := fn(s.Within(tx), r); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE reminders SET done_at = $3 WHERE kind = $1 AND subject_id = $2`, r.Kind, r.SubjectID, now); err != nil {
				return err
			}
		}
		n = len(rs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("due reminders: %w", err)
	}
	return n, nil
}

// SaveProgrammeEmail records the association's address of a programme; an older event does
// not overwrite a newer one.
func (s *Store) SaveProgrammeEmail(ctx context.Context, programme, email string, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("save programme email: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO programme_contacts (id, email, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at
		WHERE programme_contacts.updated_at <= EXCLUDED.updated_at`, programme, email, at)
	if err != nil {
		return fmt.Errorf("save programme email: %w", err)
	}
	return nil
}

// ProgrammeEmail returns the association's address of a programme, "" when none is known.
func (s *Store) ProgrammeEmail(ctx context.Context, programme string) (string, error) {
	var email string
	err := s.db().QueryRow(ctx, `SELECT email FROM programme_contacts WHERE id = $1`, programme).Scan(&email)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("programme email: %w", err)
	}
	return email, nil
}
