package app

import (
	"context"
	"fmt"

	"github.com/cohabit/cohabit/services/matching/internal/allocation"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// ErrNotPairOfRun is a pair to propose that the run did not make.
var ErrNotPairOfRun = errs.Invalid(errs.Violation{Field: "pairs", Description: "every pair must be a pair of the allocation"})

// CreateAllocation runs an allocation over the coordinator's programme: its available rooms
// and submitted applications at this moment, with lockedPairs kept. The run is synchronous
// (the request waits for the optimum; fine for a programme's intake of hundreds) and stored
// finished: SUCCEEDED, or FAILED with the solver's error. A retry with the same request id
// returns the first run. Errors: NotFound (another programme), Invalid (lockedPairs).
func (a *App) CreateAllocation(ctx context.Context, programmeID string, locked []allocation.Key, requestID string) (*allocation.Allocation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.CoordinatesProgramme(programmeID) {
		return nil, errs.NotFound("PROGRAMME_NOT_FOUND", "no such programme")
	}
	if requestID != "" {
		if first, err := a.store.AllocationByRequest(ctx, p.AccountID, requestID); err == nil {
			return first, nil
		}
	}
	snap, err := a.cache.Get(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	in := allocation.Input{Offers: snap.Offers, Seekers: snap.Seekers}
	now := a.now()
	run := &allocation.Allocation{ID: ids.New(), ProgrammeID: programmeID, Status: allocation.StatusSucceeded, CreatedBy: p.AccountID, Input: in, CreatedAt: now, UpdatedAt: now}
	res, err := allocation.Run(in, locked, a.weights(ctx, programmeID))
	if err != nil {
		if _, ok := errs.As(err); ok {
			return nil, err // bad locked pairs: nothing ran
		}
		run.Status, res.Failure = allocation.StatusFailed, "the solver failed: "+err.Error()
	}
	run.Result = res
	ev, err := allocationFinished(run, now)
	if err != nil {
		return nil, err
	}
	return a.store.InsertAllocation(ctx, run, requestID, ev)
}

// GetAllocation returns a run of the coordinator's programme. Errors: NotFound.
func (a *App) GetAllocation(ctx context.Context, id string) (*allocation.Allocation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	run, err := a.store.Allocation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.CoordinatesProgramme(run.ProgrammeID) {
		return nil, postgres.ErrAllocationNotFound
	}
	return run, nil
}

// ListAllocations lists the coordinator's programme's runs, newest first.
func (a *App) ListAllocations(ctx context.Context, pr page.Request) ([]*allocation.Allocation, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	before, limit, err := pr.Bounds()
	if err != nil {
		return nil, "", err
	}
	runs, err := a.store.ListAllocations(ctx, p.ProgrammeID, before, limit)
	if err != nil {
		return nil, "", err
	}
	return runs, page.Next(runs, limit, func(r *allocation.Allocation) string { return r.ID }), nil
}

// ProposeAllocationPairs turns chosen pairs of a run into PROPOSED matches, all in ONE
// transaction: either every pair is proposed or none is, so that a coordinator never has to
// work out which half of a batch went through. Each pair passes CreateMatch's checks against
// the pool as it is now (it may have moved since the run). A pair already under way returns
// its match, so a retried call proposes nothing twice. Errors: NotFound (run), Invalid (a pair
// not of the run, none given), and CreateMatch's, naming the pair at fault.
func (a *App) ProposeAllocationPairs(ctx context.Context, id string, keys []allocation.Key) ([]*match.Match, error) {
	run, err := a.GetAllocation(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errs.Invalid(errs.Violation{Field: "pairs", Description: "name at least one pair of the allocation"})
	}
	for i, k := range keys {
		if _, ok := run.Pair(k); !ok {
			return nil, errs.Invalid(errs.Violation{Field: fmt.Sprintf("pairs[%d]", i), Description: fmt.Sprintf("room %s and student %s are not a pair of the allocation", k.RoomID, k.StudentID)})
		}
	}
	p, _ := principal(ctx)
	var out []*match.Match
	err = a.store.InTx(ctx, func(tx *postgres.Store) error {
		now := a.now()
		for _, k := range keys {
			if m, err := tx.OpenMatchOfPair(ctx, k.RoomID, k.StudentID); err == nil {
				out = append(out, m)
				continue
			} else if errs.CodeOf(err) != errMatchNotFound.Code {
				return err
			}
			m, err := a.propose(ctx, tx, proposal{programmeID: run.ProgrammeID, roomID: k.RoomID, studentID: k.StudentID, by: p.AccountID, allocationID: run.ID}, "", now)
			if err != nil {
				if e, ok := errs.As(err); ok {
					return e.WithMessage("room %s, student %s: %s", k.RoomID, k.StudentID, e.Message)
				}
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
