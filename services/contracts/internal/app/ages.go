package app

import (
	"context"
	"errors"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
)

// checkAges refuses a start date on which a party is outside the programme's age bounds
// (SPEC §2: on the day each is verified and on the contract's start date). The birth dates
// are read from the hosts and students services through the directory, with the service's
// identity: they never travel in events and are kept nowhere here. When a party's record
// cannot be read (no directory, its service down, this service without a service key) the
// check is logged as skipped for that party rather than blocking the contract: her age was
// checked when she was verified. Errors: contract.ErrHostTooYoung, ErrStudentTooOld,
// ErrStudentTooYoung (FailedPrecondition, naming the party).
func (a *App) checkAges(ctx context.Context, c *contract.Contract, r rules) error {
	start := c.Terms().StartDate
	if a.directory == nil || start.IsZero() {
		return nil
	}
	var host document.Host
	var student document.Student
	h, herr := a.directory.Host(ctx, c.HostID())
	if herr == nil {
		host = h
	}
	s, serr := a.directory.Student(ctx, c.StudentID())
	if serr == nil {
		student = s
	}
	if err := errors.Join(herr, serr); err != nil && a.log != nil {
		// Ids only: no personal data in logs.
		a.log.WarnContext(ctx, "age rule on the start date not checked for a party whose record could not be read",
			"contract", c.ID(), "err", err)
	}
	return contract.CheckAges(start, host.BirthDate, student.BirthDate, r.ages)
}
