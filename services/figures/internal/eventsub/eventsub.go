// Package eventsub feeds the figures' read model from the events of every service: durable
// consumers "figures-identity", "figures-hosts", "figures-students", "figures-matching" and
// "figures-contracts" (the prefix is configurable, so that a second read model can be rebuilt
// beside the first by replaying the streams from their start), each event applied in its inbox
// transaction (platform/consume).
//
// Only ids, days, states and coded reasons are kept. Facts are upserts that do not depend on
// arrival order (see postgres), so nothing here waits for another event: an event about a
// record not seen yet creates its row.
//
// Retry or terminate: a payload that does not decode is terminated and logged (no retry can
// fix it); a database failure is retried (nak with delay). The consumers' subjects are their
// handlers' events: the figures follow nothing else.
package eventsub

import (
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // the Paris zone wherever the binary runs

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/figures/internal/figures"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// fact is what one event tells the figures; an error is an event no retry makes usable.
type fact[T proto.Message] func(m consume.Meta, p T) (postgres.Fact, error)

// on applies, for each of evs, the fact it tells, in the event's inbox transaction.
func on[T proto.Message](store *postgres.Store, tell fact[T], evs ...eventcat.Event[T]) []consume.Handler {
	return consume.OnEach(evs, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p T) error {
		f, err := tell(m, p)
		if err != nil {
			return consume.Permanent(err)
		}
		return store.Within(tx).Apply(ctx, f)
	})
}

func concat(hs ...[]consume.Handler) []consume.Handler {
	var out []consume.Handler
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}

// hostStatus is the status each status event of a host leads to.
var hostStatus = map[string]string{
	hostsevents.HostSuspended.Subject:  figures.StatusSuspended,
	hostsevents.HostReinstated.Subject: figures.StatusVerified,
	hostsevents.HostArchived.Subject:   figures.StatusArchived,
}

// Consumers returns the durable consumers, named prefix-<source> ("figures" in service),
// which apply their facts to store.
func Consumers(db pg.Beginner, store *postgres.Store, prefix string, log *slog.Logger) []*natsx.Consumer {
	group := func(source string, hs ...[]consume.Handler) *natsx.Consumer {
		return consume.Group{Durable: prefix + "-" + source, DB: db, Handlers: concat(hs...)}.Consumer(log)
	}
	return []*natsx.Consumer{
		group("identity",
			on(store, func(_ consume.Meta, p *identityeventsv1.ProgrammeCreated) (postgres.Fact, error) {
				return postgres.ProgrammeNamed{ID: p.GetProgramme().GetId(), Name: p.GetProgramme().GetName()}, nil
			}, identityevents.ProgrammeCreated),
			on(store, func(_ consume.Meta, p *identityeventsv1.ProgrammeUpdated) (postgres.Fact, error) {
				return postgres.ProgrammeNamed{ID: p.GetProgramme().GetId(), Name: p.GetProgramme().GetName()}, nil
			}, identityevents.ProgrammeUpdated)),
		group("hosts",
			on(store, func(m consume.Meta, p *hostseventsv1.HostRegistered) (postgres.Fact, error) {
				return postgres.Registered{Kind: postgres.Host, ID: p.GetHost().GetHostId(), ProgrammeID: or(m.ProgrammeID, p.GetHost().GetProgrammeId()), On: dayOf(m)}, nil
			}, hostsevents.HostRegistered),
			on(store, func(m consume.Meta, p *hostseventsv1.HostVerified) (postgres.Fact, error) {
				return status(m, postgres.Host, p.GetHost().GetHostId(), or(m.ProgrammeID, p.GetHost().GetProgrammeId()), figures.StatusVerified), nil
			}, hostsevents.HostVerified),
			on(store, func(m consume.Meta, p *hostseventsv1.HostStatusChanged) (postgres.Fact, error) {
				return status(m, postgres.Host, p.GetHost().GetHostId(), or(m.ProgrammeID, p.GetHost().GetProgrammeId()), hostStatus[m.Subject]), nil
			}, hostsevents.HostSuspended, hostsevents.HostReinstated, hostsevents.HostArchived)),
		group("students",
			on(store, func(m consume.Meta, p *studentseventsv1.StudentRegistered) (postgres.Fact, error) {
				return postgres.Registered{Kind: postgres.Student, ID: p.GetStudent().GetStudentId(), ProgrammeID: or(m.ProgrammeID, p.GetStudent().GetProgrammeId()), On: dayOf(m)}, nil
			}, studentsevents.StudentRegistered),
			on(store, func(m consume.Meta, p *studentseventsv1.StudentVerified) (postgres.Fact, error) {
				return status(m, postgres.Student, p.GetStudent().GetStudentId(), or(m.ProgrammeID, p.GetStudent().GetProgrammeId()), figures.StatusVerified), nil
			}, studentsevents.StudentVerified),
			on(store, func(m consume.Meta, p *studentseventsv1.StudentStatusChanged) (postgres.Fact, error) {
				return status(m, postgres.Student, p.GetStudent().GetStudentId(), or(m.ProgrammeID, p.GetStudent().GetProgrammeId()), figures.StatusArchived), nil
			}, studentsevents.StudentArchived),
			on(store, func(m consume.Meta, p *studentseventsv1.ApplicationSubmitted) (postgres.Fact, error) {
				a := p.GetApplication()
				return postgres.ApplicationSubmitted{ID: a.GetApplicationId(), ProgrammeID: or(m.ProgrammeID, a.GetProgrammeId()), On: dayOf(m)}, nil
			}, studentsevents.ApplicationSubmitted)),
		group("matching",
			on(store, func(m consume.Meta, p *matchingeventsv1.MatchChanged) (postgres.Fact, error) {
				s := p.GetMatch()
				return postgres.MatchChanged{ID: s.GetMatchId(), ProgrammeID: or(m.ProgrammeID, s.GetProgrammeId()), ApplicationID: s.GetApplicationId(), Proposed: dayOf(m)}, nil
			}, matchingevents.MatchProposed),
			on(store, func(m consume.Meta, p *matchingeventsv1.MatchApproved) (postgres.Fact, error) {
				s := p.GetMatch()
				return postgres.MatchChanged{ID: s.GetMatchId(), ProgrammeID: or(m.ProgrammeID, s.GetProgrammeId()), ApplicationID: s.GetApplicationId(), Approved: dayOf(m)}, nil
			}, matchingevents.MatchApproved)),
		group("contracts",
			on(store, contractChanged, contractsevents.ContractActivated, contractsevents.ContractNoticeGiven, contractsevents.ContractTerminated,
				contractsevents.ContractEnded, contractsevents.ContractRenewed, contractsevents.ContractCancelled),
			on(store, func(m consume.Meta, p *contractseventsv1.CheckinChanged) (postgres.Fact, error) {
				on, err := parseDay(p.GetDoneDate())
				if err != nil {
					return nil, err
				}
				if on.IsZero() { // published before check-ins carried their day: the event's own
					on = dayOf(m)
				}
				return postgres.CheckinDone{ID: p.GetCheckinId(), ProgrammeID: or(m.ProgrammeID, p.GetProgrammeId()), On: on, Late: p.GetLate()}, nil
			}, contractsevents.CheckinCompleted)),
	}
}

// contractChanged is what a contract's activation, early or normal end, renewal or
// cancellation tells the figures.
func contractChanged(m consume.Meta, p *contractseventsv1.ContractChanged) (postgres.Fact, error) {
	c := p.GetContract()
	start, err := parseDay(c.GetStartDate())
	if err != nil {
		return nil, err
	}
	end, err := parseDay(c.GetEndDate())
	if err != nil {
		return nil, err
	}
	f := postgres.ContractChanged{ID: c.GetContractId(), ProgrammeID: or(m.ProgrammeID, c.GetProgrammeId()), HostID: c.GetHostId(),
		StudentID: c.GetStudentId(), Start: start, End: end, At: m.OccurredAt}
	switch m.Subject {
	case contractsevents.ContractActivated.Subject:
		f.Activated = dayOf(m)
	case contractsevents.ContractCancelled.Subject:
		f.Cancelled = true
	case contractsevents.ContractNoticeGiven.Subject, contractsevents.ContractTerminated.Subject:
		// The reason's category when one was given (STUDIES_OR_WORK, …), else who asked
		// (REQUESTED_BY_<party>).
		f.Early, f.Reason = true, or(p.GetTerminationReason(), p.GetReasonCode())
	}
	return f, nil
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("figures: no Europe/Paris zone: " + err.Error())
	}
	return loc
}()

// dayOf is the Paris day of an event: the programmes' days are French days.
func dayOf(m consume.Meta) date.Date { return date.Of(m.OccurredAt.In(paris)) }

func parseDay(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

func status(m consume.Meta, k postgres.Kind, id, programme, st string) postgres.Fact {
	return postgres.StatusChanged{EventID: m.ID, Kind: k, ID: id, ProgrammeID: programme, At: m.OccurredAt, On: dayOf(m), Status: st}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
