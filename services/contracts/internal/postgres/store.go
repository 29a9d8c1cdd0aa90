// Package postgres stores contracts, check-ins, incidents and the copies of the parties'
// profiles. Every change is written with its events in one transaction (the outbox), under the
// row's lock, so that no event is lost or invented.
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
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/incident"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the contracts database: the platform's sets with the copy of the
// programmes' settings, then the service's own tables (schema.Service).
var dbSchema = schema.Service("contracts_schema_version", migrations, schema.Programmes())

// Sets are the migration sets of the contracts database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Errors of the store.
var (
	ErrContractNotFound = errs.NotFound("CONTRACT_NOT_FOUND", "no such contract")
	ErrCheckinNotFound  = errs.NotFound("CHECKIN_NOT_FOUND", "no such check-in")
	ErrIncidentNotFound = errs.NotFound("INCIDENT_NOT_FOUND", "no such incident")
)

// Store reads and writes the contracts database. A Store made by Within runs its
// transaction's writes (InsertDraft, MatchCancelled, RememberCancelledMatch,
// UpdateContractWhere, SaveParty) in that transaction; they refuse to run outside one.
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
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("contracts store", s.tx) }

// Pool returns the underlying pool (for consumers that need their own transactions).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Programme returns the copy of a programme's settings, and false when none arrived yet.
func (s *Store) Programme(ctx context.Context, id string) (*identityv1.ProgrammeSettings, bool, error) {
	return programmes.Get(ctx, s.pool, id)
}

// Effects are what a contract change writes besides the contract: its events, the check-ins
// it schedules, and the day from which DUE check-ins are CANCELLED (a stay that ends early has
// no follow-up after its last day).
type Effects struct {
	Events   []*eventsv1.Envelope
	Checkins []*checkin.Checkin
	// Changed are check-ins of the contract the change moved (cancelled with their stay).
	Changed  []*checkin.Checkin
	DropFrom date.Date
}

// View is a contract with what is known of its parties.
type View struct {
	Contract *contract.Contract
	Parties  contract.Parties
}

const contractSelect = `SELECT c.record, coalesce(h.owner_account_id, ''), coalesce(h.display_name, ''),
		coalesce(s.owner_account_id, ''), coalesce(s.display_name, '')
	FROM contracts c
	LEFT JOIN parties h ON h.kind = 'HOST' AND h.id = c.host_id
	LEFT JOIN parties s ON s.kind = 'STUDENT' AND s.id = c.student_id `

func scanContract(row pgx.Row) (View, error) {
	var rec []byte
	var p contract.Parties
	if err := row.Scan(&rec, &p.HostAccountID, &p.HostName, &p.StudentAccountID, &p.StudentName); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return View{}, ErrContractNotFound
		}
		return View{}, fmt.Errorf("read contract: %w", err)
	}
	var r contract.Record
	if err := json.Unmarshal(rec, &r); err != nil {
		return View{}, fmt.Errorf("decode contract: %w", err)
	}
	return View{Contract: contract.FromRecord(r), Parties: p}, nil
}

// Contract returns contract id with its parties, or ErrContractNotFound.
func (s *Store) Contract(ctx context.Context, id string) (View, error) {
	if !ids.Valid(id) {
		return View{}, ErrContractNotFound
	}
	return scanContract(s.pool.QueryRow(ctx, contractSelect+`WHERE c.id = $1`, id))
}

// InsertDraft inserts c (a draft, or in tests a contract in any state) with its events in the
// store's transaction, unless a contract for its match exists: then it writes nothing and
// reports false.
func (s *Store) InsertDraft(ctx context.Context, c *contract.Contract, events ...*eventsv1.Envelope) (bool, error) {
	tx, err := s.inTx()
	if err != nil {
		return false, err
	}
	r := c.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("encode contract %s: %w", r.ID, err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO contracts (id, programme_id, match_id, host_id, student_id, status, end_date, effective_date, version, record, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (match_id) DO NOTHING`,
		r.ID, r.ProgrammeID, r.MatchID, r.HostID, r.StudentID, r.Status, dateArg(r.Terms.EndDate), effectiveArg(r), r.Version, rec, r.CreatedAt, r.UpdatedAt)
	if err != nil {
		return false, fmt.Errorf("insert contract %s: %w", r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	return true, outbox.Append(ctx, tx, events...)
}

// MatchCancelled reports whether match id was cancelled before its contract was drafted.
func (s *Store) MatchCancelled(ctx context.Context, matchID string) (bool, error) {
	tx, err := s.inTx()
	if err != nil {
		return false, err
	}
	var ok bool
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cancelled_matches WHERE match_id = $1)`, matchID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("read cancelled match %s: %w", matchID, err)
	}
	return ok, nil
}

// RememberCancelledMatch records that match id was cancelled with no contract drafted yet.
func (s *Store) RememberCancelledMatch(ctx context.Context, matchID string, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO cancelled_matches (match_id, cancelled_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, matchID, at); err != nil {
		return fmt.Errorf("remember cancelled match %s: %w", matchID, err)
	}
	return nil
}

// UpdateContract locks contract id, lets fn change it and say what else to write, and writes
// it all in one transaction. fn's error aborts everything.
func (s *Store) UpdateContract(ctx context.Context, id string, fn func(View) (Effects, error)) (View, error) {
	if !ids.Valid(id) {
		return View{}, ErrContractNotFound
	}
	var out View
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		v, err := s.Within(tx).UpdateContractWhere(ctx, `c.id = $1`, id, fn)
		out = v
		return err
	})
	return out, err
}

// UpdateContractWhere is UpdateContract inside the store's transaction, on the contract where
// (a condition on c with one parameter) holds, such as "c.match_id = $1".
func (s *Store) UpdateContractWhere(ctx context.Context, where string, arg any, fn func(View) (Effects, error)) (View, error) {
	tx, err := s.inTx()
	if err != nil {
		return View{}, err
	}
	v, err := scanContract(tx.QueryRow(ctx, contractSelect+`WHERE `+where+` FOR UPDATE OF c`, arg))
	if err != nil {
		return View{}, err
	}
	eff, err := fn(v)
	if err != nil {
		return View{}, err
	}
	if err := writeContract(ctx, tx, v.Contract, eff); err != nil {
		return View{}, err
	}
	return v, nil
}

func writeContract(ctx context.Context, tx pgx.Tx, c *contract.Contract, eff Effects) error {
	r := c.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode contract %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE contracts SET status = $2, end_date = $3, effective_date = $4, version = $5, record = $6, updated_at = $7 WHERE id = $1`,
		r.ID, r.Status, dateArg(r.Terms.EndDate), effectiveArg(r), r.Version, rec, r.UpdatedAt); err != nil {
		return fmt.Errorf("update contract %s: %w", r.ID, err)
	}
	if !eff.DropFrom.IsZero() {
		// DUE → CANCELLED (SPEC §2): kept, not deleted, so that the follow-up shows what was
		// planned; the record column is the domain's (checkin.Record, JSON field names).
		if _, err := tx.Exec(ctx, `UPDATE checkins SET status = 'CANCELLED', version = version + 1, updated_at = $3,
				record = record || jsonb_build_object('Status', 'CANCELLED', 'Version', version + 1, 'UpdatedAt', $3::timestamptz)
			WHERE contract_id = $1 AND status = 'DUE' AND due_date >= $2`, r.ID, eff.DropFrom.Time(), r.UpdatedAt); err != nil {
			return fmt.Errorf("cancel check-ins of contract %s: %w", r.ID, err)
		}
	}
	for _, ch := range eff.Checkins {
		if err := insertCheckin(ctx, tx, ch); err != nil {
			return err
		}
	}
	for _, ch := range eff.Changed {
		if err := writeCheckin(ctx, tx, ch); err != nil {
			return err
		}
	}
	return outbox.Append(ctx, tx, eff.Events...)
}

func effectiveArg(r contract.Record) any {
	if r.Termination == nil {
		return nil
	}
	return dateArg(r.Termination.EffectiveDate)
}

func dateArg(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// ContractFilter selects contracts; empty fields select all. A caller's reach is either a
// programme (coordinator) or an account whose hosts' and students' contracts it sees.
type ContractFilter struct {
	ProgrammeID string
	AccountID   string
	Status      contract.Status
	MatchID     string
	After       string
	Limit       int
}

// reach is the SQL condition of a caller's reach on contracts aliased c, with the programme
// at $1 and the account at $2.
const reach = `($1 = '' OR c.programme_id = $1) AND ($2 = '' OR
	c.host_id IN (SELECT id FROM parties WHERE kind = 'HOST' AND owner_account_id = $2) OR
	c.student_id IN (SELECT id FROM parties WHERE kind = 'STUDENT' AND owner_account_id = $2))`

// ListContracts returns up to f.Limit contracts after id f.After, in id order.
func (s *Store) ListContracts(ctx context.Context, f ContractFilter) ([]View, error) {
	rows, err := s.pool.Query(ctx, contractSelect+`WHERE `+reach+`
		AND ($3 = '' OR c.status = $3) AND ($4 = '' OR c.match_id = $4) AND ($5 = '' OR c.id > NULLIF($5, '')::uuid)
		ORDER BY c.id LIMIT $6`, f.ProgrammeID, f.AccountID, string(f.Status), f.MatchID, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list contracts: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (View, error) { return scanContract(row) })
}

// CountContracts counts every contract (for tests of the one-contract-per-match rule).
func (s *Store) CountContracts(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM contracts`).Scan(&n)
	return n, err
}

// SaveParty stores what a profile event says of a host or student, in the store's
// transaction, unless a later event already did.
func (s *Store) SaveParty(ctx context.Context, kind contract.Party, id, programmeID, ownerAccountID, displayName string, assisted bool, at time.Time) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if gone, err := erasure.Erased(ctx, tx, id); err != nil || gone {
		return err // an event older than the erasure never brings the name back
	}
	if _, err := tx.Exec(ctx, `INSERT INTO parties (kind, id, programme_id, owner_account_id, display_name, assisted, updated_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7)
		ON CONFLICT (kind, id) DO UPDATE SET programme_id = EXCLUDED.programme_id, owner_account_id = EXCLUDED.owner_account_id,
			display_name = EXCLUDED.display_name, assisted = EXCLUDED.assisted, updated_at = EXCLUDED.updated_at
		WHERE parties.updated_at <= EXCLUDED.updated_at`,
		string(kind), id, programmeID, ownerAccountID, displayName, assisted, at); err != nil {
		return fmt.Errorf("save %s %s: %w", kind, id, err)
	}
	return nil
}

// CheckinView is a check-in with the names of its contract's parties.
type CheckinView struct {
	Checkin     *checkin.Checkin
	HostName    string
	StudentName string
}

const checkinSelect = `SELECT ch.record, coalesce(h.display_name, ''), coalesce(s.display_name, '')
	FROM checkins ch
	JOIN contracts c ON c.id = ch.contract_id
	LEFT JOIN parties h ON h.kind = 'HOST' AND h.id = c.host_id
	LEFT JOIN parties s ON s.kind = 'STUDENT' AND s.id = c.student_id `

func scanCheckin(row pgx.Row) (CheckinView, error) {
	var rec []byte
	var v CheckinView
	if err := row.Scan(&rec, &v.HostName, &v.StudentName); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return CheckinView{}, ErrCheckinNotFound
		}
		return CheckinView{}, fmt.Errorf("read check-in: %w", err)
	}
	var r checkin.Record
	if err := json.Unmarshal(rec, &r); err != nil {
		return CheckinView{}, fmt.Errorf("decode check-in: %w", err)
	}
	v.Checkin = checkin.FromRecord(r)
	return v, nil
}

func insertCheckin(ctx context.Context, tx pgx.Tx, ch *checkin.Checkin) error {
	r := ch.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode check-in %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO checkins (id, programme_id, contract_id, status, due_date, miss_after, concern, version, record, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.ProgrammeID, r.ContractID, r.Status, r.DueDate.Time(), r.MissAfter.Time(), r.Concern, r.Version, rec, r.CreatedAt, r.UpdatedAt); err != nil {
		return fmt.Errorf("insert check-in %s: %w", r.ID, err)
	}
	return nil
}

func writeCheckin(ctx context.Context, tx pgx.Tx, ch *checkin.Checkin) error {
	r := ch.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode check-in %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE checkins SET status = $2, concern = $3, version = $4, record = $5, updated_at = $6 WHERE id = $1`,
		r.ID, r.Status, r.Concern, r.Version, rec, r.UpdatedAt); err != nil {
		return fmt.Errorf("update check-in %s: %w", r.ID, err)
	}
	return nil
}

// UpdateCheckin locks check-in id, lets fn change it and return its events, and stores both.
func (s *Store) UpdateCheckin(ctx context.Context, id string, fn func(CheckinView) ([]*eventsv1.Envelope, error)) (CheckinView, error) {
	if !ids.Valid(id) {
		return CheckinView{}, ErrCheckinNotFound
	}
	var out CheckinView
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		v, err := scanCheckin(tx.QueryRow(ctx, checkinSelect+`WHERE ch.id = $1 FOR UPDATE OF ch`, id))
		if err != nil {
			return err
		}
		events, err := fn(v)
		if err != nil {
			return err
		}
		if err := writeCheckin(ctx, tx, v.Checkin); err != nil {
			return err
		}
		out = v
		return outbox.Append(ctx, tx, events...)
	})
	return out, err
}

// CheckinFilter selects a programme's check-ins; empty fields select all.
type CheckinFilter struct {
	ProgrammeID string
	Status      checkin.Status
	DueBefore   date.Date
	ContractID  string
	After       string
	Limit       int
}

// ListCheckins returns up to f.Limit check-ins of a programme after check-in f.After, in the
// agenda's order: concerns first, then by due date.
func (s *Store) ListCheckins(ctx context.Context, f CheckinFilter) ([]CheckinView, error) {
	rows, err := s.pool.Query(ctx, checkinSelect+`WHERE ch.programme_id = $1
		AND ($2 = '' OR ch.status = $2) AND ($3::date IS NULL OR ch.due_date < $3::date)
		AND ($4 = '' OR ch.contract_id = NULLIF($4, '')::uuid)
		AND ($5 = '' OR (NOT ch.concern, ch.due_date, ch.id) > (SELECT NOT concern, due_date, id FROM checkins WHERE id = NULLIF($5, '')::uuid))
		ORDER BY NOT ch.concern, ch.due_date, ch.id LIMIT $6`,
		f.ProgrammeID, string(f.Status), dateArg(f.DueBefore), f.ContractID, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list check-ins: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (CheckinView, error) { return scanCheckin(row) })
}

// CheckinsOf returns every check-in of a contract, by due date.
func (s *Store) CheckinsOf(ctx context.Context, contractID string) ([]*checkin.Checkin, error) {
	rows, err := s.pool.Query(ctx, checkinSelect+`WHERE ch.contract_id = $1 ORDER BY ch.due_date`, contractID)
	if err != nil {
		return nil, fmt.Errorf("list check-ins of %s: %w", contractID, err)
	}
	views, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CheckinView, error) { return scanCheckin(row) })
	if err != nil {
		return nil, err
	}
	out := make([]*checkin.Checkin, len(views))
	for i, v := range views {
		out[i] = v.Checkin
	}
	return out, nil
}

// CreateIncident inserts inc with its events; a retry with the same (createdBy, requestID)
// returns the incident created the first time and writes nothing.
func (s *Store) CreateIncident(ctx context.Context, inc *incident.Incident, createdBy, requestID string, events ...*eventsv1.Envelope) (*incident.Incident, error) {
	r := inc.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode incident %s: %w", r.ID, err)
	}
	err = pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO incidents (id, programme_id, contract_id, status, severity_rank, created_by, request_id, version, record, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), $8, $9, $10, $11)`,
			r.ID, r.ProgrammeID, r.ContractID, r.Status, r.Severity.Rank(), createdBy, requestID, r.Version, rec, r.CreatedAt, r.UpdatedAt)
		if err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	})
	if c, ok := pg.IsUniqueViolation(err); ok && c == "incidents_request" {
		return scanIncident(s.pool.QueryRow(ctx, `SELECT record FROM incidents WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
	}
	if err != nil {
		return nil, fmt.Errorf("insert incident %s: %w", r.ID, err)
	}
	return inc, nil
}

func scanIncident(row pgx.Row) (*incident.Incident, error) {
	var rec []byte
	if err := row.Scan(&rec); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrIncidentNotFound
		}
		return nil, fmt.Errorf("read incident: %w", err)
	}
	var r incident.Record
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, fmt.Errorf("decode incident: %w", err)
	}
	return incident.FromRecord(r), nil
}

// UpdateIncident locks incident id, lets fn change it and return its events, and stores both.
func (s *Store) UpdateIncident(ctx context.Context, id string, fn func(*incident.Incident) ([]*eventsv1.Envelope, error)) (*incident.Incident, error) {
	if !ids.Valid(id) {
		return nil, ErrIncidentNotFound
	}
	var out *incident.Incident
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		inc, err := scanIncident(tx.QueryRow(ctx, `SELECT record FROM incidents WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(inc)
		if err != nil {
			return err
		}
		r := inc.Record()
		rec, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode incident %s: %w", r.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE incidents SET status = $2, version = $3, record = $4, updated_at = $5 WHERE id = $1`,
			r.ID, r.Status, r.Version, rec, r.UpdatedAt); err != nil {
			return fmt.Errorf("update incident %s: %w", r.ID, err)
		}
		out = inc
		return outbox.Append(ctx, tx, events...)
	})
	return out, err
}

// IncidentFilter selects incidents within a caller's reach (see ContractFilter).
type IncidentFilter struct {
	ProgrammeID string
	AccountID   string
	Status      incident.Status
	ContractID  string
	After       string
	Limit       int
}

// ListIncidents returns up to f.Limit incidents after incident f.After, the most severe first,
// then in creation order.
func (s *Store) ListIncidents(ctx context.Context, f IncidentFilter) ([]*incident.Incident, error) {
	rows, err := s.pool.Query(ctx, `SELECT i.record FROM incidents i JOIN contracts c ON c.id = i.contract_id
		WHERE `+reach+`
		AND ($3 = '' OR i.status = $3) AND ($4 = '' OR i.contract_id = NULLIF($4, '')::uuid)
		AND ($5 = '' OR (-i.severity_rank, i.id) > (SELECT -severity_rank, id FROM incidents WHERE id = NULLIF($5, '')::uuid))
		ORDER BY i.severity_rank DESC, i.id LIMIT $6`,
		f.ProgrammeID, f.AccountID, string(f.Status), f.ContractID, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*incident.Incident, error) { return scanIncident(row) })
}

// ExpireContracts locks up to limit contracts whose notice or end date has come by day (rows
// another replica holds are skipped), lets fn move each, and writes them with their effects
// in one transaction. It returns how many it handled; fewer than limit means none are left.
func (s *Store) ExpireContracts(ctx context.Context, day date.Date, limit int, fn func(*contract.Contract) (Effects, error)) (int, error) {
	n := 0
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT record FROM contracts
			WHERE (status = 'NOTICE_GIVEN' AND effective_date <= $1) OR (status = 'ACTIVE' AND end_date <= $1)
			ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, day.Time(), limit)
		if err != nil {
			return fmt.Errorf("select due contracts: %w", err)
		}
		due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*contract.Contract, error) {
			var rec []byte
			if err := row.Scan(&rec); err != nil {
				return nil, err
			}
			var r contract.Record
			if err := json.Unmarshal(rec, &r); err != nil {
				return nil, fmt.Errorf("decode contract: %w", err)
			}
			return contract.FromRecord(r), nil
		})
		if err != nil {
			return err
		}
		for _, c := range due {
			eff, err := fn(c)
			if err != nil {
				return err
			}
			if err := writeContract(ctx, tx, c, eff); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

// MissCheckins locks up to limit DUE check-ins whose grace period ended before day (skipping
// rows another replica holds), lets fn mark each, and writes them with their events in one
// transaction. It returns how many it handled.
func (s *Store) MissCheckins(ctx context.Context, day date.Date, limit int, fn func(*checkin.Checkin) ([]*eventsv1.Envelope, error)) (int, error) {
	n := 0
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT record FROM checkins WHERE status = 'DUE' AND miss_after < $1
			ORDER BY miss_after, id LIMIT $2 FOR UPDATE SKIP LOCKED`, day.Time(), limit)
		if err != nil {
			return fmt.Errorf("select overdue check-ins: %w", err)
		}
		due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*checkin.Checkin, error) {
			var rec []byte
			if err := row.Scan(&rec); err != nil {
				return nil, err
			}
			var r checkin.Record
			if err := json.Unmarshal(rec, &r); err != nil {
				return nil, fmt.Errorf("decode check-in: %w", err)
			}
			return checkin.FromRecord(r), nil
		})
		if err != nil {
			return err
		}
		for _, ch := range due {
			events, err := fn(ch)
			if err != nil {
				return err
			}
			if err := writeCheckin(ctx, tx, ch); err != nil {
				return err
			}
			if err := outbox.Append(ctx, tx, events...); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}
