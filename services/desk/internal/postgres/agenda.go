package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/date"
)

// AgendaRow is one thing that needs a coordinator, before its title is written.
type AgendaRow struct {
	Kind        string // AGENDA_ITEM_KIND_ less its prefix
	ItemID      string // the check-in's, match's, contract's, document's or call's id
	Date        date.Date
	SubjectID   string
	SubjectType string     // HOST, STUDENT, MATCH, CONTRACT
	Detail      string     // the document's kind, the contract's status, the call's topic
	At          *time.Time // the meeting's time (other items are all-day)
}

// AgendaQuery is a programme's period, as of today.
type AgendaQuery struct {
	ProgrammeID  string
	From, To     date.Date
	Today        date.Date
	WarningDays  int // documents expiring within this many days of today
	EndingDays   int // contracts ending or notices taking effect within this many days
	ProposalDays int // a proposal unanswered this many days is overdue
	Limit        int
}

// Agenda lists what needs the coordinator: items dated within [From, To], and items dated
// before Today that are still to handle (overdue), dated in UTC, by date.
func (s *Store) Agenda(ctx context.Context, a AgendaQuery) ([]AgendaRow, error) {
	const sql = `
WITH items AS (
	SELECT 'CHECKIN' AS kind, id::text AS item, due_date AS day, contract_id::text AS subject, 'CONTRACT' AS stype, status AS detail, NULL::timestamptz AS at
	FROM checkins WHERE programme_id = $1 AND status IN ('DUE', 'MISSED')
	UNION ALL
	SELECT 'MEETING', id::text, (meeting_at AT TIME ZONE 'UTC')::date, id::text, 'MATCH', '', meeting_at
	FROM matches WHERE programme_id = $1 AND status = 'MEETING_SCHEDULED' AND meeting_at IS NOT NULL
	UNION ALL
	SELECT 'PROPOSAL_WAITING', id::text, (proposed_at AT TIME ZONE 'UTC')::date + $7::int, id::text, 'MATCH', '', NULL
	FROM matches WHERE programme_id = $1 AND status = 'PROPOSED'
	UNION ALL
	SELECT 'SIGNATURES_WAITING', id::text, (status_since AT TIME ZONE 'UTC')::date, id::text, 'CONTRACT', '', NULL
	FROM contracts WHERE programme_id = $1 AND status = 'AWAITING_SIGNATURES'
	UNION ALL
	SELECT 'DOCUMENT_MISSING', id::text, (updated_at AT TIME ZONE 'UTC')::date, owner_id::text, party, kind, NULL
	FROM documents WHERE programme_id = $1 AND status IN ('MISSING', 'REJECTED')
	UNION ALL
	SELECT 'DOCUMENT_EXPIRING', id::text, expiry_date, owner_id::text, party, kind, NULL
	FROM documents WHERE programme_id = $1 AND ((status = 'VERIFIED' AND expiry_date <= $4::date + $5::int) OR status = 'EXPIRED')
	  AND expiry_date IS NOT NULL
	UNION ALL
	SELECT 'CONTRACT_ENDING', id::text, end_date, id::text, 'CONTRACT', status, NULL
	FROM contracts WHERE programme_id = $1 AND status IN ('ACTIVE', 'NOTICE_GIVEN') AND end_date <= $4::date + $6::int
	UNION ALL
	SELECT 'CALL', c.id, (c.created_at AT TIME ZONE 'UTC')::date, c.recipient_id, COALESCE(p.party, 'HOST'), c.topic, NULL
	FROM calls c LEFT JOIN people p ON p.id::text = c.recipient_id WHERE c.programme_id = $1 AND c.status = 'PENDING'
)
SELECT kind, item, day, subject, stype, detail, at FROM items
WHERE day BETWEEN $2::date AND $3::date
	-- Overdue until handled; a call, which nothing marks done yet, for a fortnight.
	OR (day < $4::date AND (kind <> 'CALL' OR day >= $4::date - 14))
ORDER BY day, kind, item LIMIT $8`
	rows, err := s.db.Query(ctx, sql, a.ProgrammeID, a.From.String(), a.To.String(), a.Today.String(), a.WarningDays, a.EndingDays, a.ProposalDays, a.Limit)
	if err != nil {
		return nil, fmt.Errorf("read agenda: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AgendaRow, error) {
		var row AgendaRow
		var day time.Time
		err := r.Scan(&row.Kind, &row.ItemID, &day, &row.SubjectID, &row.SubjectType, &row.Detail, &row.At)
		row.Date = date.Of(day)
		return row, err
	})
}
