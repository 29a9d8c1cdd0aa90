// Package postgres stores the desk: the people it knows of, their documents and files, notes,
// the copies of matches, contracts, check-ins and calls the agenda lists, the life events of
// each record's timeline, and the agenda feeds. Every change is written with its events in one
// transaction (the outbox). Everything about one person is deleted by ErasePerson (erasure).
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the desk database: the platform's sets with the copy of the
// programmes' settings, then the service's own tables (schema.Service).
var dbSchema = schema.Service("desk_schema_version", migrations, schema.Programmes())

// Sets are the migration sets of the desk database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Errors of the store.
var (
	ErrDocumentNotFound = errs.NotFound("DOCUMENT_NOT_FOUND", "no such document")
	ErrPersonNotFound   = errs.NotFound("PERSON_NOT_FOUND", "no such host or student")
	ErrNoteNotFound     = errs.NotFound("NOTE_NOT_FOUND", "no such note")
	ErrFileNotFound     = errs.NotFound("FILE_NOT_FOUND", "this document has no file")
)

// db is what queries run on: the pool or a transaction.
type db interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes the desk's database: on the pool, or in the one transaction of a
// store made by Tx or Within, whose changes, files and events (Publish) then commit together.
// Publish and the files' writes refuse to run outside a transaction.
type Store struct {
	pool  *pgxpool.Pool
	db    db
	tx    pgx.Tx
	Files FileStore
}

// New returns a store over pool, keeping files in the same database.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, db: pool, Files: PGFiles{}} }

// Tx runs fn with a store bound to a transaction of its own, committed when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(q *Store) error) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(s.Within(tx)) })
}

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that the changes a use case makes for the event
// commit with its claim, or roll back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{pool: s.pool, db: tx, tx: tx, Files: s.Files} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("desk store", s.tx) }

// Publish appends events to the outbox of the store's transaction.
func (s *Store) Publish(ctx context.Context, events ...*eventsv1.Envelope) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return outbox.Append(ctx, tx, events...)
}

// Settings returns the copy of a programme's settings (false before it arrives).
func (s *Store) Settings(ctx context.Context, programmeID string) (*identityv1.ProgrammeSettings, bool, error) {
	return programmes.Get(ctx, s.db, programmeID)
}

// Person is a host or a student as the desk knows them.
type Person struct {
	ID             string
	ProgrammeID    string
	Party          document.Party
	OwnerAccountID string
	IsTenant       bool
	Status         string
	RegisteredAt   time.Time
}

// SavePerson inserts or updates p.
func (s *Store) SavePerson(ctx context.Context, p Person, at time.Time) error {
	if gone, err := erasure.Erased(ctx, s.db, p.ID); err != nil || gone {
		if err == nil {
			// An event about an erased person is dropped, not retried: nothing of hers comes back.
			err = fmt.Errorf("%w: save person %s: %w", natsx.ErrPermanent, p.ID, errErased)
		}
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO people (id, programme_id, party, owner_account_id, is_tenant, status, registered_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (id) DO UPDATE SET owner_account_id = EXCLUDED.owner_account_id, is_tenant = EXCLUDED.is_tenant,
			status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
		p.ID, p.ProgrammeID, p.Party, p.OwnerAccountID, p.IsTenant, p.Status, at)
	if err != nil {
		return fmt.Errorf("save person %s: %w", p.ID, err)
	}
	return nil
}

const personCols = `id, programme_id, party, owner_account_id, is_tenant, status, registered_at`

func scanPerson(row pgx.Row) (Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.ProgrammeID, &p.Party, &p.OwnerAccountID, &p.IsTenant, &p.Status, &p.RegisteredAt)
	return p, err
}

// Person returns one person (ErrPersonNotFound).
func (s *Store) Person(ctx context.Context, id string) (Person, error) {
	p, err := scanPerson(s.db.QueryRow(ctx, `SELECT `+personCols+` FROM people WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrPersonNotFound
	}
	if err != nil {
		return p, fmt.Errorf("read person %s: %w", id, err)
	}
	return p, nil
}

// PeopleOf returns the people of a programme.
func (s *Store) PeopleOf(ctx context.Context, programmeID string) ([]Person, error) {
	rows, err := s.db.Query(ctx, `SELECT `+personCols+` FROM people WHERE programme_id = $1 ORDER BY id`, programmeID)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) { return scanPerson(r) })
}

// PersonOfAccount returns the person an account owns, if any.
func (s *Store) PersonOfAccount(ctx context.Context, accountID string) (Person, bool, error) {
	p, err := scanPerson(s.db.QueryRow(ctx, `SELECT `+personCols+` FROM people WHERE owner_account_id = $1 AND owner_account_id <> '' LIMIT 1`, accountID))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, nil
	}
	return p, err == nil, err
}

// --- documents

const docCols = `id, programme_id, owner_id, party, kind, status, required, file_name, content_type, size_bytes, sha256,
	has_file, expiry_date, seen_in_person, rejection_reason, verified_at, created_by, version, created_at, updated_at`

func scanDoc(row pgx.Row) (*document.Document, error) {
	var d document.Document
	var expiry *time.Time
	err := row.Scan(&d.ID, &d.ProgrammeID, &d.OwnerID, &d.Party, &d.Kind, &d.Status, &d.Required, &d.File.Name,
		&d.File.ContentType, &d.File.SizeBytes, &d.File.SHA256, &d.HasFile, &expiry, &d.SeenInPerson,
		&d.RejectionReason, &d.VerifiedAt, &d.CreatedBy, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if expiry != nil {
		d.ExpiryDate = date.Of(*expiry)
	}
	return &d, nil
}

func expiryArg(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// InsertDocument stores a new document. With a request id, a retry returns the first one.
func (s *Store) InsertDocument(ctx context.Context, d *document.Document, requestID string) (*document.Document, bool, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO documents (`+docCols+`, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, NULLIF($21, ''))
		ON CONFLICT DO NOTHING`,
		d.ID, d.ProgrammeID, d.OwnerID, d.Party, d.Kind, d.Status, d.Required, d.File.Name, d.File.ContentType,
		d.File.SizeBytes, d.File.SHA256, d.HasFile, expiryArg(d.ExpiryDate), d.SeenInPerson, d.RejectionReason,
		d.VerifiedAt, d.CreatedBy, d.Version, d.CreatedAt, d.UpdatedAt, requestID)
	if err != nil {
		return nil, false, fmt.Errorf("insert document: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return d, true, nil
	}
	if requestID != "" {
		first, err := scanDoc(s.db.QueryRow(ctx, `SELECT `+docCols+` FROM documents WHERE created_by = $1 AND request_id = $2`, d.CreatedBy, requestID))
		if err == nil {
			return first, false, nil
		}
	}
	return nil, false, nil // a required document of that kind exists already
}

// Document returns one document; forUpdate locks its row (inside a transaction).
func (s *Store) Document(ctx context.Context, id string, forUpdate bool) (*document.Document, error) {
	sql := `SELECT ` + docCols + ` FROM documents WHERE id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	d, err := scanDoc(s.db.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrDocumentNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read document %s: %w", id, err)
	}
	return d, nil
}

// UpdateDocument writes d (read with forUpdate in the same transaction).
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	_, err := s.db.Exec(ctx, `UPDATE documents SET status = $2, file_name = $3, content_type = $4, size_bytes = $5, sha256 = $6,
		has_file = $7, expiry_date = $8, seen_in_person = $9, rejection_reason = $10, verified_at = $11, version = $12, updated_at = $13
		WHERE id = $1`, d.ID, d.Status, d.File.Name, d.File.ContentType, d.File.SizeBytes, d.File.SHA256, d.HasFile,
		expiryArg(d.ExpiryDate), d.SeenInPerson, d.RejectionReason, d.VerifiedAt, d.Version, d.UpdatedAt)
	if err != nil {
		return fmt.Errorf("update document %s: %w", d.ID, err)
	}
	return nil
}

// DocumentFilter narrows a list of documents.
type DocumentFilter struct {
	ProgrammeID   string
	OwnerID       string
	Status        document.Status
	ExpiresBefore date.Date
	After         string
	Limit         int
}

// Documents lists documents by id.
func (s *Store) Documents(ctx context.Context, f DocumentFilter) ([]*document.Document, error) {
	sql := `SELECT ` + docCols + ` FROM documents WHERE programme_id = $1
		AND ($2 = '' OR owner_id = NULLIF($2, '')::uuid) AND ($3 = '' OR status = $3)
		AND ($4::date IS NULL OR expiry_date < $4::date) AND ($5 = '' OR id > NULLIF($5, '')::uuid)
		ORDER BY id LIMIT $6`
	rows, err := s.db.Query(ctx, sql, f.ProgrammeID, f.OwnerID, string(f.Status), expiryArg(f.ExpiresBefore), f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*document.Document, error) { return scanDoc(r) })
}

// ExpireDue locks up to limit VERIFIED documents past their expiry date, skipping rows another
// replica holds, and calls fn on each inside the transaction.
func (s *Store) ExpireDue(ctx context.Context, today date.Date, limit int) ([]*document.Document, error) {
	rows, err := s.db.Query(ctx, `SELECT `+docCols+` FROM documents WHERE status = 'VERIFIED' AND expiry_date < $1
		ORDER BY expiry_date LIMIT $2 FOR UPDATE SKIP LOCKED`, today.String(), limit)
	if err != nil {
		return nil, fmt.Errorf("scan expired documents: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*document.Document, error) { return scanDoc(r) })
}

// FileStore keeps documents' files. The default keeps them in the desk's PostgreSQL; another
// store (an object store) would implement the same three calls. Put and Delete run in the
// transaction that changes the document.
type FileStore interface {
	Put(ctx context.Context, tx pgx.Tx, documentID string, content []byte) error
	Get(ctx context.Context, db Querier, documentID string) ([]byte, error)
	Delete(ctx context.Context, tx pgx.Tx, documentID string) error
}

// Querier reads.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// PGFiles keeps files in the document_files table.
type PGFiles struct{}

// Put stores (or replaces) a document's file.
func (PGFiles) Put(ctx context.Context, tx pgx.Tx, id string, content []byte) error {
	_, err := tx.Exec(ctx, `INSERT INTO document_files (document_id, content) VALUES ($1, $2)
		ON CONFLICT (document_id) DO UPDATE SET content = EXCLUDED.content`, id, content)
	if err != nil {
		return fmt.Errorf("store file of %s: %w", id, err)
	}
	return nil
}

// Get reads a document's file (ErrFileNotFound).
func (PGFiles) Get(ctx context.Context, db Querier, id string) ([]byte, error) {
	var b []byte
	err := db.QueryRow(ctx, `SELECT content FROM document_files WHERE document_id = $1`, id).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrFileNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read file of %s: %w", id, err)
	}
	return b, nil
}

// Delete removes a document's file.
func (PGFiles) Delete(ctx context.Context, tx pgx.Tx, id string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM document_files WHERE document_id = $1`, id); err != nil {
		return fmt.Errorf("delete file of %s: %w", id, err)
	}
	return nil
}

// PutFile stores a file in the transaction.
func (s *Store) PutFile(ctx context.Context, id string, content []byte) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("store file of %s: %w", id, err)
	}
	return s.Files.Put(ctx, tx, id, content)
}

// DeleteFile removes a file in the transaction.
func (s *Store) DeleteFile(ctx context.Context, id string) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("delete file of %s: %w", id, err)
	}
	return s.Files.Delete(ctx, tx, id)
}

// File reads a file.
func (s *Store) File(ctx context.Context, id string) ([]byte, error) {
	return s.Files.Get(ctx, s.db, id)
}
