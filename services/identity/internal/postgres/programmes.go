package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// settingsDoc is the stored form of programme settings. Its JSON names are a storage contract
// (the table's CHECKs read them), kept apart from the domain type on purpose.
type settingsDoc struct {
	HostMinAge           int          `json:"hostMinAge"`
	StudentMaxAge        int          `json:"studentMaxAge"`
	ContributionCapCents int          `json:"contributionCapCents"`
	NoticeDays           int          `json:"noticeDays"`
	TrialDays            int          `json:"trialDays"`
	TrialNoticeDays      int          `json:"trialNoticeDays"`
	CheckinFirstDays     []int        `json:"checkinFirstDays"`
	CheckinIntervalDays  int          `json:"checkinIntervalDays"`
	CheckinGraceDays     int          `json:"checkinGraceDays"`
	ProposalExpiryDays   int          `json:"proposalExpiryDays"`
	Formulas             []formulaDoc `json:"formulas"`
	// Association is absent from settings written before it existed.
	Association *associationDoc `json:"association,omitempty"`
	// Absent from settings written before the desk existed (the desk's defaults apply).
	HostRequiredDocuments    []string `json:"hostRequiredDocuments,omitempty"`
	StudentRequiredDocuments []string `json:"studentRequiredDocuments,omitempty"`
	DocumentWarningDays      int      `json:"documentWarningDays,omitempty"`
	// Absent from settings written before erasure by retention existed (the default applies).
	RetentionMonths int `json:"retentionMonths,omitempty"`
}

type associationDoc struct {
	LegalName           string `json:"legalName,omitempty"`
	Registration        string `json:"registration,omitempty"`
	AddressLine1        string `json:"addressLine1,omitempty"`
	Postcode            string `json:"postcode,omitempty"`
	City                string `json:"city,omitempty"`
	RepresentativeName  string `json:"representativeName,omitempty"`
	RepresentativeTitle string `json:"representativeTitle,omitempty"`
	Phone               string `json:"phone,omitempty"`
	Email               string `json:"email,omitempty"`
}

type formulaDoc struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	MinContributionCents int    `json:"minContributionCents"`
	MaxContributionCents int    `json:"maxContributionCents"`
	EveningsPerWeek      int    `json:"eveningsPerWeek"`
	HoursPerWeek         int    `json:"hoursPerWeek"`
}

func encodeSettings(s programme.Settings) ([]byte, error) {
	d := settingsDoc{
		HostMinAge: s.HostMinAge, StudentMaxAge: s.StudentMaxAge, ContributionCapCents: s.ContributionCapCents,
		NoticeDays: s.NoticeDays, TrialDays: s.TrialDays, TrialNoticeDays: s.TrialNoticeDays,
		CheckinFirstDays: s.CheckinFirstDays, CheckinIntervalDays: s.CheckinIntervalDays,
		CheckinGraceDays: s.CheckinGraceDays, ProposalExpiryDays: s.ProposalExpiryDays,
		HostRequiredDocuments: s.HostRequiredDocuments, StudentRequiredDocuments: s.StudentRequiredDocuments,
		DocumentWarningDays: s.DocumentWarningDays, RetentionMonths: s.RetentionMonths,
	}
	for _, f := range s.Formulas {
		d.Formulas = append(d.Formulas, formulaDoc(f))
	}
	if s.Association != (programme.Association{}) {
		a := associationDoc(s.Association)
		d.Association = &a
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	return b, nil
}

func decodeSettings(b []byte) (programme.Settings, error) {
	var d settingsDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return programme.Settings{}, fmt.Errorf("decode settings: %w", err)
	}
	s := programme.Settings{
		HostMinAge: d.HostMinAge, StudentMaxAge: d.StudentMaxAge, ContributionCapCents: d.ContributionCapCents,
		NoticeDays: d.NoticeDays, TrialDays: d.TrialDays, TrialNoticeDays: d.TrialNoticeDays,
		CheckinFirstDays: d.CheckinFirstDays, CheckinIntervalDays: d.CheckinIntervalDays,
		CheckinGraceDays: d.CheckinGraceDays, ProposalExpiryDays: d.ProposalExpiryDays,
		HostRequiredDocuments: d.HostRequiredDocuments, StudentRequiredDocuments: d.StudentRequiredDocuments,
		DocumentWarningDays: d.DocumentWarningDays, RetentionMonths: d.RetentionMonths,
	}
	for _, f := range d.Formulas {
		s.Formulas = append(s.Formulas, programme.Formula(f))
	}
	if d.Association != nil {
		s.Association = programme.Association(*d.Association)
	}
	return s, nil
}

const programmeColumns = `id, name, territory, phone, email, settings, version, create_time, update_time`

func scanProgramme(row pgx.Row) (*programme.Programme, error) {
	var (
		s        programme.Snapshot
		settings []byte
	)
	err := row.Scan(&s.ID, &s.Fields.Name, &s.Fields.Territory, &s.Fields.Phone, &s.Fields.Email,
		&settings, &s.Version, &s.CreateTime, &s.UpdateTime)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, programme.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if s.Fields.Settings, err = decodeSettings(settings); err != nil {
		return nil, err
	}
	s.CreateTime, s.UpdateTime = s.CreateTime.UTC(), s.UpdateTime.UTC()
	return programme.Restore(s), nil
}

// CreateProgramme stores p and its ProgrammeCreated event. With a requestID already used, it
// stores nothing and returns the programme that request created, so that a retried create is
// safe. Errors: programme.ErrExists when the id is taken.
func (s *Store) CreateProgramme(ctx context.Context, p *programme.Programme, requestID string) (*programme.Programme, error) {
	if requestID != "" {
		prev, err := s.programmeByRequestID(ctx, requestID)
		if err == nil || !errors.Is(err, programme.ErrNotFound) {
			return prev, err
		}
	}
	settings, err := encodeSettings(p.Settings())
	if err != nil {
		return nil, err
	}
	f := p.Fields()
	var reqID *string
	if requestID != "" {
		reqID = &requestID
	}
	err = pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO programmes (`+programmeColumns+`, request_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			p.ID(), f.Name, f.Territory, f.Phone, f.Email, settings, p.Version(), p.CreateTime(), p.UpdateTime(), reqID)
		if err != nil {
			return err
		}
		return s.Within(tx).programmeCreated(ctx, p)
	})
	if constraint, ok := pg.IsUniqueViolation(err); ok {
		switch constraint {
		case "programmes_request_id_key":
			// A concurrent retry of the same request won: answer with its programme.
			return s.programmeByRequestID(ctx, requestID)
		case "programmes_pkey":
			return nil, programme.ErrExists.WithCause(err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create programme %s: %w", p.ID(), err)
	}
	return p, nil
}

func (s *Store) programmeByRequestID(ctx context.Context, requestID string) (*programme.Programme, error) {
	p, err := scanProgramme(s.pool.QueryRow(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE request_id = $1`, requestID))
	if err != nil && !errors.Is(err, programme.ErrNotFound) {
		return nil, fmt.Errorf("programme of request %s: %w", requestID, err)
	}
	return p, err
}

// Programme returns programme id. Errors: programme.ErrNotFound.
func (s *Store) Programme(ctx context.Context, id string) (*programme.Programme, error) {
	p, err := scanProgramme(s.pool.QueryRow(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = $1`, id))
	if err != nil && !errors.Is(err, programme.ErrNotFound) {
		return nil, fmt.Errorf("get programme %s: %w", id, err)
	}
	return p, err
}

// ListProgrammes returns up to limit programmes whose id comes after afterID, in id order.
func (s *Store) ListProgrammes(ctx context.Context, afterID string, limit int) ([]*programme.Programme, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	defer rows.Close()
	var out []*programme.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, fmt.Errorf("list programmes: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	return out, nil
}

// UpdateProgramme locks programme id, applies fn and stores the result with its
// ProgrammeUpdated event, all in one transaction; fn's error cancels everything and is returned
// as is. Errors: programme.ErrNotFound, fn's.
func (s *Store) UpdateProgramme(ctx context.Context, id string, fn func(*programme.Programme) error) (*programme.Programme, error) {
	var p *programme.Programme
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		p, err = scanProgramme(tx.QueryRow(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		before := p.Version()
		if err := fn(p); err != nil {
			return err
		}
		if p.Version() == before {
			return nil
		}
		settings, err := encodeSettings(p.Settings())
		if err != nil {
			return err
		}
		f := p.Fields()
		if _, err := tx.Exec(ctx, `UPDATE programmes SET name = $2, territory = $3, phone = $4, email = $5,
			settings = $6, version = $7, update_time = $8 WHERE id = $1`,
			id, f.Name, f.Territory, f.Phone, f.Email, settings, p.Version(), p.UpdateTime()); err != nil {
			return err
		}
		return s.Within(tx).programmeUpdated(ctx, p)
	})
	if err != nil {
		return nil, fmt.Errorf("update programme %s: %w", id, err)
	}
	return p, nil
}
