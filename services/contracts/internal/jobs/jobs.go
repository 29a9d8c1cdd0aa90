// Package jobs moves contracts and check-ins with the calendar: a notice whose effective date
// has come terminates its contract, an active contract whose end date has come ends, and a
// check-in left undone past its grace period is missed. Several replicas may run them at once:
// each batch locks its rows with SKIP LOCKED, so a row is handled by one replica only.
package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
)

// Batch is how many rows one transaction handles.
const Batch = 100

// Result counts what one run changed.
type Result struct {
	Terminated int
	Ended      int
	Missed     int
}

// Jobs runs the calendar's changes over a store.
type Jobs struct {
	Store *postgres.Store
}

// RunOnce applies every change due at now, batch after batch until none is left. Errors: the
// database's (the changes of batches already committed stay).
func (j *Jobs) RunOnce(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	day := app.DayOf(now)
	for {
		n, err := j.Store.ExpireContracts(ctx, day, Batch, func(c *contract.Contract) (postgres.Effects, error) {
			s, err := c.Expire(day, now)
			if err != nil {
				return postgres.Effects{}, err
			}
			subject := contractsevents.ContractEnded.Subject
			if s == contract.StatusTerminated {
				subject, res.Terminated = contractsevents.ContractTerminated.Subject, res.Terminated+1
			} else {
				res.Ended++
			}
			ev, err := app.ContractEvent(subject, c, c.Record().EndReason, now)
			if err != nil {
				return postgres.Effects{}, err
			}
			return postgres.Effects{Events: []*eventsv1.Envelope{ev}, DropFrom: c.LastDay()}, nil
		})
		if err != nil {
			return res, fmt.Errorf("expire contracts: %w", err)
		}
		if n < Batch {
			break
		}
	}
	for {
		n, err := j.Store.MissCheckins(ctx, day, Batch, func(ch *checkin.Checkin) ([]*eventsv1.Envelope, error) {
			if err := ch.Miss(day, now); err != nil {
				return nil, err
			}
			res.Missed++
			ev, err := app.CheckinEvent(contractsevents.CheckinMissed.Subject, ch, now)
			if err != nil {
				return nil, err
			}
			return []*eventsv1.Envelope{ev}, nil
		})
		if err != nil {
			return res, fmt.Errorf("miss check-ins: %w", err)
		}
		if n < Batch {
			break
		}
	}
	return res, nil
}
