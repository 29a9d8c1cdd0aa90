package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/date"
)

// --- notes

// Note is a coordinator's note; History holds its earlier texts, oldest first.
type Note struct {
	ID          string
	ProgrammeID string
	SubjectID   string
	SubjectType string
	Body        string
	AuthorID    string
	Corrected   bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	History     []Revision
}

// Revision is an earlier text of a note.
type Revision struct {
	Body     string
	AuthorID string
	At       time.Time
}

const noteCols = `id, programme_id, subject_id, subject_type, body, author_id, corrected, version, created_at, updated_at`

func scanNote(row pgx.Row) (*Note, error) {
	var n Note
	err := row.Scan(&n.ID, &n.ProgrammeID, &n.SubjectID, &n.SubjectType, &n.Body, &n.AuthorID, &n.Corrected, &n.Version, &n.CreatedAt, &n.UpdatedAt)
	return &n, err
}

// InsertNote stores a new note; with a request id, a retry returns the first one.
func (s *Store) InsertNote(ctx context.Context, n *Note, requestID string) (*Note, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO notes (`+noteCols+`, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF($11, ''))
		ON CONFLICT DO NOTHING`, n.ID, n.ProgrammeID, n.SubjectID, n.SubjectType, n.Body, n.AuthorID, n.Corrected, n.Version, n.CreatedAt, n.UpdatedAt, requestID)
	if err != nil {
		return nil, fmt.Errorf("insert note: %w", err)
	}
	if tag.RowsAffected() == 0 {
		first, err := scanNote(s.db.QueryRow(ctx, `SELECT `+noteCols+` FROM notes WHERE author_id = $1 AND request_id = $2`, n.AuthorID, requestID))
		if err != nil {
			return nil, fmt.Errorf("read retried note: %w", err)
		}
		return first, nil
	}
	return n, nil
}

// Note returns a note with its history; forUpdate locks it.
func (s *Store) Note(ctx context.Context, id string, forUpdate bool) (*Note, error) {
	sql := `SELECT ` + noteCols + ` FROM notes WHERE id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	n, err := scanNote(s.db.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoteNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read note %s: %w", id, err)
	}
	if err := s.loadHistory(ctx, []*Note{n}); err != nil {
		return nil, err
	}
	return n, nil
}

// CorrectNote keeps the note's current text in its history and writes the new one.
func (s *Store) CorrectNote(ctx context.Context, old *Note, body, authorID string, now time.Time) (*Note, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO note_revisions (note_id, seq, body, author_id, written_at) VALUES ($1, $2, $3, $4, $5)`,
		old.ID, len(old.History)+1, old.Body, old.AuthorID, old.UpdatedAt); err != nil {
		return nil, fmt.Errorf("keep note revision: %w", err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE notes SET body = $2, author_id = $3, corrected = true, version = version + 1, updated_at = $4 WHERE id = $1`,
		old.ID, body, authorID, now); err != nil {
		return nil, fmt.Errorf("correct note: %w", err)
	}
	return s.Note(ctx, old.ID, false)
}

// Notes lists the notes on a subject, newest first, after the note id after (paging).
func (s *Store) Notes(ctx context.Context, subjectID, after string, limit int) ([]*Note, error) {
	rows, err := s.db.Query(ctx, `SELECT `+noteCols+` FROM notes WHERE subject_id = $1
		AND ($2 = '' OR (created_at, id) < (SELECT created_at, id FROM notes WHERE id = NULLIF($2, '')::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $3`, subjectID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	notes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Note, error) { return scanNote(r) })
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	return notes, s.loadHistory(ctx, notes)
}

func (s *Store) loadHistory(ctx context.Context, notes []*Note) error {
	if len(notes) == 0 {
		return nil
	}
	byID := map[string]*Note{}
	ids := make([]string, 0, len(notes))
	for _, n := range notes {
		byID[n.ID] = n
		ids = append(ids, n.ID)
	}
	rows, err := s.db.Query(ctx, `SELECT note_id, body, author_id, written_at FROM note_revisions WHERE note_id = ANY($1::uuid[]) ORDER BY note_id, seq`, ids)
	if err != nil {
		return fmt.Errorf("read note history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var r Revision
		if err := rows.Scan(&id, &r.Body, &r.AuthorID, &r.At); err != nil {
			return fmt.Errorf("read note history: %w", err)
		}
		byID[id].History = append(byID[id].History, r)
	}
	return rows.Err()
}

// --- what the agenda and the timeline are made of, copied from other services' events

// Subject tells what kind of record an id is, and its programme: "" when unknown.
func (s *Store) Subject(ctx context.Context, id string) (kind, programmeID string, err error) {
	err = s.db.QueryRow(ctx, `SELECT kind, programme_id FROM (
			SELECT party AS kind, programme_id FROM people WHERE id = $1
			UNION ALL SELECT 'MATCH', programme_id FROM matches WHERE id = $1
			UNION ALL SELECT 'CONTRACT', programme_id FROM contracts WHERE id = $1) s LIMIT 1`, id).Scan(&kind, &programmeID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("find subject %s: %w", id, err)
	}
	return kind, programmeID, nil
}

// Match is matching's match as its events told it.
type Match struct {
	ID, ProgrammeID, HostID, StudentID, Status string
	MeetingAt                                  *time.Time
}

// SaveMatch records a match's status; proposedAt is kept from the first event.
func (s *Store) SaveMatch(ctx context.Context, m Match, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO matches (id, programme_id, host_id, student_id, status, proposed_at, meeting_at, updated_at)
		VALUES ($1, $2, NULLIF($3, '')::uuid, NULLIF($4, '')::uuid, $5, $6, $7, $6)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, meeting_at = COALESCE(EXCLUDED.meeting_at, matches.meeting_at),
			proposed_at = LEAST(matches.proposed_at, EXCLUDED.proposed_at), updated_at = EXCLUDED.updated_at
		WHERE matches.updated_at <= EXCLUDED.updated_at`,
		m.ID, m.ProgrammeID, m.HostID, m.StudentID, m.Status, at, m.MeetingAt)
	if err != nil {
		return fmt.Errorf("save match %s: %w", m.ID, err)
	}
	return nil
}

// Contract is contracts' contract as its events told it.
type Contract struct {
	ID, ProgrammeID, MatchID, HostID, StudentID, Status string
	StartDate, EndDate                                  date.Date
}

// SaveContract records a contract's status and dates.
func (s *Store) SaveContract(ctx context.Context, c Contract, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO contracts (id, programme_id, match_id, host_id, student_id, status, start_date, end_date, status_since, updated_at)
		VALUES ($1, $2, NULLIF($3, '')::uuid, NULLIF($4, '')::uuid, NULLIF($5, '')::uuid, $6, $7, $8, $9, $9)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
			status_since = CASE WHEN contracts.status = EXCLUDED.status THEN contracts.status_since ELSE EXCLUDED.status_since END,
			updated_at = EXCLUDED.updated_at
		WHERE contracts.updated_at <= EXCLUDED.updated_at`,
		c.ID, c.ProgrammeID, c.MatchID, c.HostID, c.StudentID, c.Status, expiryArg(c.StartDate), expiryArg(c.EndDate), at)
	if err != nil {
		return fmt.Errorf("save contract %s: %w", c.ID, err)
	}
	return nil
}

// ContractParties returns a contract's host and student ("" when unknown).
func (s *Store) ContractParties(ctx context.Context, id string) (hostID, studentID, matchID string, err error) {
	var h, st, m *string
	err = s.db.QueryRow(ctx, `SELECT host_id::text, student_id::text, match_id::text FROM contracts WHERE id = $1`, id).Scan(&h, &st, &m)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", nil
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return deref(h), deref(st), deref(m), err
}

// SaveCheckin records a check-in's status and due date.
func (s *Store) SaveCheckin(ctx context.Context, id, programmeID, contractID, status string, due date.Date, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO checkins (id, programme_id, contract_id, status, due_date, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, due_date = EXCLUDED.due_date, updated_at = EXCLUDED.updated_at
		WHERE checkins.updated_at <= EXCLUDED.updated_at`, id, programmeID, contractID, status, due.String(), at)
	if err != nil {
		return fmt.Errorf("save check-in %s: %w", id, err)
	}
	return nil
}

// SaveCall records a line of the call list.
func (s *Store) SaveCall(ctx context.Context, id, programmeID, recipientID, topic, status string, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO calls (id, programme_id, recipient_id, topic, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
		WHERE calls.updated_at <= EXCLUDED.updated_at`, id, programmeID, recipientID, topic, status, at)
	if err != nil {
		return fmt.Errorf("save call %s: %w", id, err)
	}
	return nil
}

// AddLifeEvent records that code happened to each subject at at (once per event and subject).
func (s *Store) AddLifeEvent(ctx context.Context, eventID, programmeID, code string, at time.Time, subjectIDs ...string) error {
	for _, subject := range subjectIDs {
		if subject == "" {
			continue
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO life_events (event_id, subject_id, programme_id, code, at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, eventID, subject, programmeID, code, at); err != nil {
			return fmt.Errorf("record life event: %w", err)
		}
	}
	return nil
}

// LifeEvent is one entry of a record's life.
type LifeEvent struct {
	Code string
	At   time.Time
}

// LifeEvents returns a subject's life, newest first (at most limit).
func (s *Store) LifeEvents(ctx context.Context, subjectID string, limit int) ([]LifeEvent, error) {
	rows, err := s.db.Query(ctx, `SELECT code, at FROM life_events WHERE subject_id = $1 ORDER BY at DESC, event_id DESC LIMIT $2`, subjectID, limit)
	if err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (LifeEvent, error) {
		var e LifeEvent
		err := r.Scan(&e.Code, &e.At)
		return e, err
	})
}

// --- feeds

// Feed is a coordinator's agenda feed.
type Feed struct {
	AccountID, ProgrammeID, Language string
}

// ReplaceFeed gives an account a new feed secret (its hash), replacing the previous one.
func (s *Store) ReplaceFeed(ctx context.Context, f Feed, secretHash string, now time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO agenda_feeds (account_id, programme_id, secret_hash, language, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id) DO UPDATE SET programme_id = EXCLUDED.programme_id, secret_hash = EXCLUDED.secret_hash,
			language = EXCLUDED.language, created_at = EXCLUDED.created_at`, f.AccountID, f.ProgrammeID, secretHash, f.Language, now)
	if err != nil {
		return fmt.Errorf("replace feed: %w", err)
	}
	return nil
}

// FeedBySecret finds the feed whose secret hashes to secretHash.
func (s *Store) FeedBySecret(ctx context.Context, secretHash string) (Feed, bool, error) {
	var f Feed
	err := s.db.QueryRow(ctx, `SELECT account_id, programme_id, language FROM agenda_feeds WHERE secret_hash = $1`, secretHash).
		Scan(&f.AccountID, &f.ProgrammeID, &f.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, fmt.Errorf("read feed: %w", err)
	}
	return f, true, nil
}
