package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// Errors of the contract use cases.
var (
	ErrCoordinatorOnly = errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator of the contract's programme may do this")
	ErrNotYourParty    = errs.PermissionDenied("NOT_YOUR_PARTY", "you act only for yourself on this contract")
	// ErrElectronicOwnOnly refuses a coordinator who asks to record an electronic signature
	// for a party: an electronic signature is only ever the party's own.
	ErrElectronicOwnOnly = &errs.Error{Code: codes.InvalidArgument, Reason: "ELECTRONIC_SIGNATURE_OWN_ONLY",
		Message:    "an electronic signature is only ever the party's own: record a paper or in-person signature (SIGNATURE_METHOD_PAPER or SIGNATURE_METHOD_IN_PERSON)",
		Violations: []errs.Violation{{Field: "method", Description: "a coordinator records a paper or in-person signature (SIGNATURE_METHOD_PAPER or SIGNATURE_METHOD_IN_PERSON); an electronic signature is only ever the party's own"}}}
	// ErrOwnSignatureElectronic refuses a party who says they sign on paper through the
	// platform: a paper or in-person signature is recorded by the coordinator who saw it.
	ErrOwnSignatureElectronic = &errs.Error{Code: codes.InvalidArgument, Reason: "OWN_SIGNATURE_ELECTRONIC",
		Message:    "you sign electronically here; a paper or in-person signature is recorded by your coordinator",
		Violations: []errs.Violation{{Field: "method", Description: "must be SIGNATURE_METHOD_ELECTRONIC or left out when you sign yourself"}}}
	// ErrPartyRequired refuses a coordinator's signature that names no party.
	ErrPartyRequired = &errs.Error{Code: codes.InvalidArgument, Reason: "PARTY_REQUIRED",
		Message:    "say whose signature you record: PARTY_HOST or PARTY_STUDENT",
		Violations: []errs.Violation{{Field: "party", Description: "is required when a coordinator records a signature: PARTY_HOST or PARTY_STUDENT"}}}
)

// GetContract returns a contract its caller may see. Errors: NotFound (also for contracts out
// of reach, and for a party whose profile has not reached this service yet).
func (a *App) GetContract(ctx context.Context, id string) (postgres.View, error) {
	p, err := principal(ctx)
	if err != nil {
		return postgres.View{}, err
	}
	v, err := a.store.Contract(ctx, id)
	if err != nil {
		return postgres.View{}, err
	}
	if accessTo(p, v.Contract, v.Parties).none() {
		return postgres.View{}, postgres.ErrContractNotFound
	}
	return v, nil
}

// ContractQuery filters a list of contracts.
type ContractQuery struct {
	Status  contract.Status
	MatchID string
	Page    page.Request
}

// ListContracts lists the contracts of the coordinator's programme, or a party's own.
func (a *App) ListContracts(ctx context.Context, q ContractQuery) ([]postgres.View, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	f := postgres.ContractFilter{ProgrammeID: p.ProgrammeID, Status: q.Status, MatchID: q.MatchID, After: after, Limit: limit}
	switch p.Role {
	case auth.RoleCoordinator:
	case auth.RoleHost, auth.RoleStudent:
		f.AccountID = p.AccountID
	default:
		return nil, "", errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not list contracts")
	}
	if f.ProgrammeID == "" {
		return nil, "", nil
	}
	list, err := a.store.ListContracts(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return list, page.Next(list, limit, func(v postgres.View) string { return v.Contract.ID() }), nil
}

// UpdateContract changes the terms of a DRAFT contract; a new start date has the parties'
// ages checked on it. Errors: NotFound, PermissionDenied (a party), Aborted (stale etag),
// Invalid, FailedPrecondition (not a draft, an age rule broken on the new start date).
func (a *App) UpdateContract(ctx context.Context, id, sentEtag string, change func(*contract.Terms) error) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(_ auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		if !x.coordinator {
			return postgres.Effects{}, ErrCoordinatorOnly
		}
		r, err := a.rules(ctx, a.store.Pool(), v.Contract.ProgrammeID())
		if err != nil {
			return postgres.Effects{}, err
		}
		t := v.Contract.Terms()
		oldStart := t.StartDate
		if err := change(&t); err != nil {
			return postgres.Effects{}, err
		}
		if err := v.Contract.UpdateTerms(t, r.terms, a.now()); err != nil {
			return postgres.Effects{}, err
		}
		// The age rules hold on the start date too: a new one is checked at once.
		if v.Contract.Terms().StartDate != oldStart {
			if err := a.checkAges(ctx, v.Contract, r); err != nil {
				return postgres.Effects{}, err
			}
		}
		// The terms are not an event of their own: their final form travels with
		// contract.sent and contract.signed.
		return postgres.Effects{}, nil
	})
}

// SendContract sends a DRAFT contract for signature, the parties' ages checked on its start
// date. Errors: NotFound, PermissionDenied, Aborted, FailedPrecondition (not a draft,
// incomplete terms, HOST_TOO_YOUNG, STUDENT_TOO_OLD, STUDENT_TOO_YOUNG), Invalid.
func (a *App) SendContract(ctx context.Context, id, sentEtag string) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(_ auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		if !x.coordinator {
			return postgres.Effects{}, ErrCoordinatorOnly
		}
		r, err := a.rules(ctx, a.store.Pool(), v.Contract.ProgrammeID())
		if err != nil {
			return postgres.Effects{}, err
		}
		now := a.now()
		if err := v.Contract.Send(r.terms, now); err != nil {
			return postgres.Effects{}, err
		}
		if err := a.checkAges(ctx, v.Contract, r); err != nil {
			return postgres.Effects{}, err
		}
		return one(contractEvent(contractsevents.ContractSent.Subject, v.Contract, "SENT_FOR_SIGNATURE", now))
	})
}

// SignContract records a signature. A host or student signs for themselves, electronically
// (party and method implied); a coordinator records the signature of either party, given on
// paper (the default) or in person, whether or not that party has an account — never an
// electronic one, which is only ever the party's own. The signature keeps who recorded it and
// how. Once both signed the contract is ACTIVE and its check-ins are scheduled. Errors:
// NotFound, PermissionDenied (NOT_YOUR_PARTY), Aborted, FailedPrecondition (not awaiting
// signatures, already signed), Invalid (ELECTRONIC_SIGNATURE_OWN_ONLY,
// OWN_SIGNATURE_ELECTRONIC, PARTY_REQUIRED, a method that is none).
func (a *App) SignContract(ctx context.Context, id, sentEtag string, party contract.Party, method contract.Method) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(p auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		c := v.Contract
		now := a.now()
		sig := contract.Signature{Party: x.party, Method: method, SignedBy: p.AccountID, At: now}
		if x.coordinator {
			switch party {
			case contract.PartyHost, contract.PartyStudent:
			case "":
				return postgres.Effects{}, ErrPartyRequired
			}
			switch method {
			case "":
				sig.Method = contract.MethodPaper
			case contract.MethodElectronic:
				return postgres.Effects{}, ErrElectronicOwnOnly
			}
			sig.Party, sig.OnBehalf = party, true
		} else {
			if party != "" && party != x.party {
				return postgres.Effects{}, ErrNotYourParty
			}
			switch method {
			case "":
				sig.Method = contract.MethodElectronic
			case contract.MethodPaper, contract.MethodInPerson:
				return postgres.Effects{}, ErrOwnSignatureElectronic
			}
		}
		activated, err := c.Sign(sig)
		if err != nil {
			return postgres.Effects{}, err
		}
		var evs events
		evs.add(contractEvent(contractsevents.ContractSigned.Subject, c, "SIGNED_BY_"+string(sig.Party), now))
		if !activated {
			return postgres.Effects{Events: evs.list}, evs.err
		}
		evs.add(contractEvent(contractsevents.ContractActivated.Subject, c, "SIGNED_BY_BOTH", now))
		r, err := a.rules(ctx, a.store.Pool(), c.ProgrammeID())
		if err != nil {
			return postgres.Effects{}, err
		}
		t := c.Terms()
		checkins := a.schedule(c, r.plan, r.plan.Schedule(t.StartDate, t.EndDate), nil, &evs)
		return postgres.Effects{Events: evs.list, Checkins: checkins}, evs.err
	})
}

// schedule makes the DUE check-ins of c on days (skipping days it already has) and their
// events.
func (a *App) schedule(c *contract.Contract, plan checkin.Plan, days []date.Date, existing []*checkin.Checkin, evs *events) []*checkin.Checkin {
	now := a.now()
	var out []*checkin.Checkin
	for _, d := range days {
		if slices.ContainsFunc(existing, func(ch *checkin.Checkin) bool { return ch.Record().DueDate == d }) {
			continue
		}
		ch := checkin.New(ids.New(), c.ProgrammeID(), c.ID(), d, plan.GraceDays, now)
		out = append(out, ch)
		evs.add(checkinEvent(contractsevents.CheckinScheduled.Subject, ch, now))
	}
	return out
}

// Terminate is a notice: why, from when, and for whom when a coordinator asks for a party.
type Terminate struct {
	Reason string
	// Category is the reason's category (contract.TerminationCategories), "" when not given.
	Category      string
	EffectiveDate date.Date
	Party         contract.Party
}

// TerminateContract gives notice on an ACTIVE contract: a party for themselves, or the
// coordinator (for a party, or on the programme's behalf). Errors: NotFound, PermissionDenied,
// Aborted, FailedPrecondition (not active), Invalid (effectiveDate naming the earliest date
// allowed, reason).
func (a *App) TerminateContract(ctx context.Context, id, sentEtag string, in Terminate) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(p auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		who := in.Party
		if !x.coordinator {
			if who != "" && who != x.party {
				return postgres.Effects{}, ErrNotYourParty
			}
			who = x.party
		}
		now := a.now()
		n := contract.Termination{Party: who, AccountID: p.AccountID, Reason: in.Reason, Category: in.Category, EffectiveDate: in.EffectiveDate, NoticeAt: now}
		if err := v.Contract.Terminate(n, today(now)); err != nil {
			return postgres.Effects{}, err
		}
		eff, err := one(contractEvent(contractsevents.ContractNoticeGiven.Subject, v.Contract, v.Contract.Record().EndReason, now))
		// No follow-up after the stay's last day.
		eff.DropFrom = in.EffectiveDate
		return eff, err
	})
}

// RenewContract moves the end date of an ACTIVE contract later and extends its check-ins.
// Errors: NotFound, PermissionDenied, Aborted, FailedPrecondition, Invalid (endDate).
func (a *App) RenewContract(ctx context.Context, id, sentEtag string, end date.Date) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(_ auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		if !x.coordinator {
			return postgres.Effects{}, ErrCoordinatorOnly
		}
		c := v.Contract
		oldEnd := c.Terms().EndDate
		now := a.now()
		if err := c.Renew(end, now); err != nil {
			return postgres.Effects{}, err
		}
		r, err := a.rules(ctx, a.store.Pool(), c.ProgrammeID())
		if err != nil {
			return postgres.Effects{}, err
		}
		existing, err := a.store.CheckinsOf(ctx, c.ID())
		if err != nil {
			return postgres.Effects{}, err
		}
		var evs events
		evs.add(contractEvent(contractsevents.ContractRenewed.Subject, c, "RENEWED", now))
		checkins := a.schedule(c, r.plan, r.plan.ScheduleBetween(c.Terms().StartDate, oldEnd, end), existing, &evs)
		return postgres.Effects{Events: evs.list, Checkins: checkins}, evs.err
	})
}

// Coded reasons of a cancellation, in contract.cancelled.
const (
	CancelReasonCoordinator = "CANCELLED_BY_COORDINATOR"
	// CancelReasonBeforeStart: an ACTIVE contract cancelled before its start date (the pair
	// withdrew before moving in).
	CancelReasonBeforeStart = "WITHDRAWN_BEFORE_START"
)

// CancelContract cancels a contract before the stay: a draft, one awaiting signatures, or an
// ACTIVE one before its start date, whose scheduled check-ins are then CANCELLED. Consumers
// put room, student and application back (SPEC §4) on contract.cancelled. Errors: NotFound,
// PermissionDenied, Aborted, FailedPrecondition (STAY_STARTED, INVALID_TRANSITION), Invalid
// (reason).
func (a *App) CancelContract(ctx context.Context, id, sentEtag, reason string) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(_ auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		if !x.coordinator {
			return postgres.Effects{}, ErrCoordinatorOnly
		}
		c := v.Contract
		wasActive := c.Status() == contract.StatusActive
		now := a.now()
		code := CancelReasonCoordinator
		if wasActive {
			code = CancelReasonBeforeStart
		}
		if err := c.Cancel(reason, code, today(now), now); err != nil {
			return postgres.Effects{}, err
		}
		var evs events
		evs.add(contractEvent(contractsevents.ContractCancelled.Subject, c, code, now))
		if !wasActive {
			return postgres.Effects{Events: evs.list}, evs.err
		}
		// Check-ins are only ever written under the contract's lock, which this change holds.
		existing, err := a.store.CheckinsOf(ctx, c.ID())
		if err != nil {
			return postgres.Effects{}, err
		}
		var changed []*checkin.Checkin
		for _, ch := range existing {
			if ch.Cancel(now) {
				changed = append(changed, ch)
				evs.add(checkinEvent(contractsevents.CheckinCancelled.Subject, ch, now))
			}
		}
		return postgres.Effects{Events: evs.list, Changed: changed}, evs.err
	})
}

// ReopenContract takes a contract awaiting signatures back to DRAFT so that the coordinator
// corrects a term; the signatures already given are cleared (contract.reopened). Errors:
// NotFound, PermissionDenied (COORDINATOR_ONLY), Aborted, FailedPrecondition (not awaiting
// signatures).
func (a *App) ReopenContract(ctx context.Context, id, sentEtag string) (postgres.View, error) {
	return a.changeContract(ctx, id, sentEtag, func(_ auth.Principal, x access, v postgres.View) (postgres.Effects, error) {
		if !x.coordinator {
			return postgres.Effects{}, ErrCoordinatorOnly
		}
		now := a.now()
		if err := v.Contract.Reopen(now); err != nil {
			return postgres.Effects{}, err
		}
		return one(contractEvent(contractsevents.ContractReopened.Subject, v.Contract, "REOPENED_BY_COORDINATOR", now))
	})
}

func one(ev *eventsv1.Envelope, err error) (postgres.Effects, error) {
	if err != nil {
		return postgres.Effects{}, err
	}
	return postgres.Effects{Events: []*eventsv1.Envelope{ev}}, nil
}

// changeContract is every contract change: lock, check access and etag, change, store with
// the effects. A caller who may not see the contract gets NotFound, whatever its existence.
func (a *App) changeContract(ctx context.Context, id, sentEtag string, change func(auth.Principal, access, postgres.View) (postgres.Effects, error)) (postgres.View, error) {
	p, err := principal(ctx)
	if err != nil {
		return postgres.View{}, err
	}
	v, err := a.store.UpdateContract(ctx, id, func(v postgres.View) (postgres.Effects, error) {
		x := accessTo(p, v.Contract, v.Parties)
		if x.none() {
			return postgres.Effects{}, postgres.ErrContractNotFound
		}
		if err := etag.Check(sentEtag, v.Contract.Version()); err != nil {
			return postgres.Effects{}, err
		}
		return change(p, x, v)
	})
	if err != nil {
		if _, ok := errs.As(err); ok || errors.Is(err, context.Canceled) {
			return postgres.View{}, err
		}
		return postgres.View{}, fmt.Errorf("change contract %s: %w", id, err)
	}
	return v, nil
}
