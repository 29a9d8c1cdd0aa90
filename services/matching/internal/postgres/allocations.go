package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/allocation"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// ErrAllocationNotFound is an unknown run, or one out of the caller's reach.
var ErrAllocationNotFound = errs.NotFound("ALLOCATION_NOT_FOUND", "no such allocation")

// InsertAllocation stores a finished run with its events. A retry with the same (createdBy,
// requestID) returns the first run and writes nothing.
func (s *Store) InsertAllocation(ctx context.Context, a *allocation.Allocation, requestID string, events ...*eventsv1.Envelope) (*allocation.Allocation, error) {
	in, err := json.Marshal(a.Input)
	if err != nil {
		return nil, fmt.Errorf("encode allocation %s input: %w", a.ID, err)
	}
	res, err := json.Marshal(a.Result)
	if err != nil {
		return nil, fmt.Errorf("encode allocation %s result: %w", a.ID, err)
	}
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `INSERT INTO allocations (id, programme_id, status, created_by, request_id, input, result, created_at, updated_at)
			VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9)`,
			a.ID, a.ProgrammeID, a.Status, a.CreatedBy, requestID, in, res, a.CreatedAt, a.UpdatedAt); err != nil {
			return err
		}
		return tx.Append(ctx, events...)
	})
	if c, ok := pg.IsUniqueViolation(err); ok && c == "allocations_request" {
		return s.AllocationByRequest(ctx, a.CreatedBy, requestID)
	}
	if err != nil {
		return nil, fmt.Errorf("insert allocation %s: %w", a.ID, err)
	}
	return a, nil
}

// AllocationByRequest returns the run createdBy started with requestID, or
// ErrAllocationNotFound.
func (s *Store) AllocationByRequest(ctx context.Context, createdBy, requestID string) (*allocation.Allocation, error) {
	return scanAllocation(s.db.QueryRow(ctx, `SELECT id, programme_id, status, created_by, input, result, created_at, updated_at
		FROM allocations WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
}

// Allocation returns run id, or ErrAllocationNotFound.
func (s *Store) Allocation(ctx context.Context, id string) (*allocation.Allocation, error) {
	if !ids.Valid(id) {
		return nil, ErrAllocationNotFound
	}
	return scanAllocation(s.db.QueryRow(ctx, `SELECT id, programme_id, status, created_by, input, result, created_at, updated_at
		FROM allocations WHERE id = $1`, id))
}

// ListAllocations returns up to limit runs of a programme, newest first, older than id
// before ("" for the first page). Ids are time-ordered (UUIDv7), so id order is age order.
func (s *Store) ListAllocations(ctx context.Context, programmeID, before string, limit int) ([]*allocation.Allocation, error) {
	rows, err := s.db.Query(ctx, `SELECT id, programme_id, status, created_by, input, result, created_at, updated_at
		FROM allocations WHERE programme_id = $1 AND ($2 = '' OR id < NULLIF($2, '')::uuid)
		ORDER BY id DESC LIMIT $3`, programmeID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list allocations: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*allocation.Allocation, error) { return scanAllocation(row) })
}

func scanAllocation(row pgx.Row) (*allocation.Allocation, error) {
	var a allocation.Allocation
	var in, res []byte
	if err := row.Scan(&a.ID, &a.ProgrammeID, &a.Status, &a.CreatedBy, &in, &res, &a.CreatedAt, &a.UpdatedAt); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrAllocationNotFound
		}
		return nil, fmt.Errorf("read allocation: %w", err)
	}
	if err := json.Unmarshal(in, &a.Input); err != nil {
		return nil, fmt.Errorf("decode allocation %s input: %w", a.ID, err)
	}
	if err := json.Unmarshal(res, &a.Result); err != nil {
		return nil, fmt.Errorf("decode allocation %s result: %w", a.ID, err)
	}
	return &a, nil
}
