// Package personaldata is identity's part of a person's export (SPEC §9): their account
// (never its password), their invitation (never its code), and the audit trail of who read
// or changed their data.
package personaldata

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/identity/internal/auditlog"
	"github.com/cohabit/cohabit/services/platform/export"
)

// Exporter reads identity's tables for an export.
type Exporter struct {
	pool  *pgxpool.Pool
	trail *auditlog.Log
}

// New returns the exporter over pool and the audit trail.
func New(pool *pgxpool.Pool, trail *auditlog.Log) *Exporter {
	return &Exporter{pool: pool, trail: trail}
}

type account struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	Role        string    `json:"role"`
	ProgrammeID string    `json:"programmeId"`
	CreateTime  time.Time `json:"createTime"`
	UpdateTime  time.Time `json:"updateTime"`
}

type invitation struct {
	CreateTime time.Time  `json:"createTime"`
	ExpireTime time.Time  `json:"expireTime"`
	UsedTime   *time.Time `json:"usedTime,omitempty"`
}

type auditEntry struct {
	Time        time.Time `json:"time"`
	ActorID     string    `json:"actorId"`
	ActorRole   string    `json:"actorRole"`
	Action      string    `json:"action"`
	SubjectID   string    `json:"subjectId"`
	SubjectType string    `json:"subjectType"`
	Method      string    `json:"method"`
}

// maxAudit bounds the trail in one export: a year of reads of one person.
const maxAudit = 10000

// Export returns identity's part: nothing for a person identity does not know or the caller
// may not read (hosts or students, the records' owners, answer NotFound for them).
func (x *Exporter) Export(ctx context.Context, p export.Person) (export.Part, error) {
	caller, err := export.Caller(ctx)
	if err != nil {
		return export.Part{}, err
	}
	var programme, owner string
	err = x.pool.QueryRow(ctx, `SELECT programme_id, coalesce(owner_account_id::text, '') FROM records WHERE kind = $1 AND id = $2`,
		string(p.Kind), p.ID).Scan(&programme, &owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return export.Part{}, nil
	}
	if err != nil {
		return export.Part{}, fmt.Errorf("export: read record %s: %w", p.ID, err)
	}
	if !export.MayRead(caller, programme, owner) {
		return export.Part{}, nil
	}
	fields := map[string]any{}
	col := "host_id"
	if p.Kind == export.Student {
		col = "student_id"
	}
	var a account
	err = x.pool.QueryRow(ctx, `SELECT id::text, email, role, coalesce(programme_id, ''), create_time, update_time FROM accounts WHERE `+col+` = $1`, p.ID).
		Scan(&a.ID, &a.Email, &a.Role, &a.ProgrammeID, &a.CreateTime, &a.UpdateTime)
	switch {
	case err == nil:
		fields["account"] = a
	case !errors.Is(err, pgx.ErrNoRows):
		return export.Part{}, fmt.Errorf("export: read account of %s: %w", p.ID, err)
	}
	var inv invitation
	err = x.pool.QueryRow(ctx, `SELECT create_time, expire_time, used_time FROM invitations WHERE record_kind = $1 AND record_id = $2`, string(p.Kind), p.ID).
		Scan(&inv.CreateTime, &inv.ExpireTime, &inv.UsedTime)
	switch {
	case err == nil:
		fields["invitation"] = inv
	case !errors.Is(err, pgx.ErrNoRows):
		return export.Part{}, fmt.Errorf("export: read invitation of %s: %w", p.ID, err)
	}
	entries, err := x.trail.List(ctx, p.ID, "", maxAudit)
	if err != nil {
		return export.Part{}, err
	}
	trail := make([]auditEntry, 0, len(entries))
	for _, e := range entries {
		trail = append(trail, auditEntry{Time: e.Time, ActorID: e.ActorID, ActorRole: "ROLE_" + strings.ToUpper(e.ActorRole),
			Action: "AUDIT_ACTION_" + strings.ToUpper(e.Action), SubjectID: e.SubjectID,
			SubjectType: "SUBJECT_TYPE_" + strings.ToUpper(e.SubjectKind), Method: e.Method})
	}
	fields["auditTrail"] = trail
	return export.Part{Fields: fields}, nil
}
