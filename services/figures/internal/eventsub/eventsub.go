// Package eventsub feeds the figures' read model from the events of every service: durable
// consumers "figures-identity", "figures-hosts", "figures-students", "figures-matching" and
// "figures-contracts" (the prefix is configurable, so that a second read model can be rebuilt
// beside the first by replaying the streams from their start), each event applied once
// through the inbox.
//
// Only ids, days, states and coded reasons are kept. Facts are upserts that do not depend on
// arrival order (see postgres), so nothing here waits for another event: an event about a
// record not seen yet creates its row.
//
// Retry or terminate: a payload that does not decode is terminated and logged (no retry can
// fix it); a database failure is retried (nak with delay). Events of these streams the figures
// do not count are filtered out by the consumers' subjects.
package eventsub

import (
	"context"
	"fmt"
	"log/slog"
	"time"
	_ "time/tzdata" // the Paris zone wherever the binary runs

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/figures/internal/figures"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// The subjects the figures follow.
const (
	SubjectProgrammeCreated     = "cohabit.identity.programme.created"
	SubjectProgrammeUpdated     = "cohabit.identity.programme.updated"
	SubjectHostRegistered       = "cohabit.hosts.host.registered"
	SubjectHostVerified         = "cohabit.hosts.host.verified"
	SubjectHostSuspended        = "cohabit.hosts.host.suspended"
	SubjectHostReinstated       = "cohabit.hosts.host.reinstated"
	SubjectHostArchived         = "cohabit.hosts.host.archived"
	SubjectStudentRegistered    = "cohabit.students.student.registered"
	SubjectStudentVerified      = "cohabit.students.student.verified"
	SubjectStudentArchived      = "cohabit.students.student.archived"
	SubjectApplicationSubmitted = "cohabit.students.application.submitted"
	SubjectMatchProposed        = "cohabit.matching.match.proposed"
	SubjectMatchApproved        = "cohabit.matching.match.approved"
	SubjectContractActivated    = "cohabit.contracts.contract.activated"
	SubjectContractNoticeGiven  = "cohabit.contracts.contract.notice_given"
	SubjectContractTerminated   = "cohabit.contracts.contract.terminated"
	SubjectContractEnded        = "cohabit.contracts.contract.ended"
	SubjectContractRenewed      = "cohabit.contracts.contract.renewed"
	SubjectContractCancelled    = "cohabit.contracts.contract.cancelled"
	SubjectCheckinCompleted     = "cohabit.contracts.checkin.completed"
)

// Consumers returns the durable consumers, named prefix-<source> ("figures" in service).
func Consumers(s *postgres.Store, prefix string, log *slog.Logger) []*natsx.Consumer {
	c := func(stream, source string, subjects ...string) *natsx.Consumer {
		durable := prefix + "-" + source
		return &natsx.Consumer{Stream: stream, Durable: durable, Subjects: subjects, Log: log,
			Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
				f, err := factOf(e)
				if err != nil {
					return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
				}
				if f == nil {
					return nil
				}
				return s.Apply(ctx, durable, e.GetId(), f)
			}}
	}
	return []*natsx.Consumer{
		c("IDENTITY", "identity", SubjectProgrammeCreated, SubjectProgrammeUpdated),
		c("HOSTS", "hosts", SubjectHostRegistered, SubjectHostVerified, SubjectHostSuspended, SubjectHostReinstated, SubjectHostArchived),
		c("STUDENTS", "students", SubjectStudentRegistered, SubjectStudentVerified, SubjectStudentArchived, SubjectApplicationSubmitted),
		c("MATCHING", "matching", SubjectMatchProposed, SubjectMatchApproved),
		c("CONTRACTS", "contracts", SubjectContractActivated, SubjectContractNoticeGiven, SubjectContractTerminated,
			SubjectContractEnded, SubjectContractRenewed, SubjectContractCancelled, SubjectCheckinCompleted),
	}
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("figures: no Europe/Paris zone: " + err.Error())
	}
	return loc
}()

// dayOf is the Paris day of an event: the programmes' days are French days.
func dayOf(e *eventsv1.Envelope) date.Date { return date.Of(e.GetOccurredAt().AsTime().In(paris)) }

func parseDay(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

// factOf decodes e into what it tells the figures (nil: nothing).
func factOf(e *eventsv1.Envelope) (postgres.Fact, error) {
	programme := e.GetProgrammeId()
	switch t := e.GetType(); t {
	case SubjectProgrammeCreated, SubjectProgrammeUpdated:
		var pr *identityv1.Programme
		if t == SubjectProgrammeCreated {
			m, err := event.Payload(e, &identityeventsv1.ProgrammeCreated{})
			if err != nil {
				return nil, err
			}
			pr = m.GetProgramme()
		} else {
			m, err := event.Payload(e, &identityeventsv1.ProgrammeUpdated{})
			if err != nil {
				return nil, err
			}
			pr = m.GetProgramme()
		}
		return postgres.ProgrammeNamed{ID: pr.GetId(), Name: pr.GetName()}, nil

	case SubjectHostRegistered:
		m, err := event.Payload(e, &hostseventsv1.HostRegistered{})
		if err != nil {
			return nil, err
		}
		return postgres.Registered{Kind: postgres.Host, ID: m.GetHost().GetHostId(), ProgrammeID: or(programme, m.GetHost().GetProgrammeId()), On: dayOf(e)}, nil
	case SubjectHostVerified:
		m, err := event.Payload(e, &hostseventsv1.HostVerified{})
		if err != nil {
			return nil, err
		}
		return status(e, postgres.Host, m.GetHost().GetHostId(), or(programme, m.GetHost().GetProgrammeId()), figures.StatusVerified), nil
	case SubjectHostSuspended, SubjectHostReinstated, SubjectHostArchived:
		m, err := event.Payload(e, &hostseventsv1.HostStatusChanged{})
		if err != nil {
			return nil, err
		}
		st := map[string]string{SubjectHostSuspended: figures.StatusSuspended, SubjectHostReinstated: figures.StatusVerified, SubjectHostArchived: figures.StatusArchived}[t]
		return status(e, postgres.Host, m.GetHost().GetHostId(), or(programme, m.GetHost().GetProgrammeId()), st), nil

	case SubjectStudentRegistered:
		m, err := event.Payload(e, &studentseventsv1.StudentRegistered{})
		if err != nil {
			return nil, err
		}
		return postgres.Registered{Kind: postgres.Student, ID: m.GetStudent().GetStudentId(), ProgrammeID: or(programme, m.GetStudent().GetProgrammeId()), On: dayOf(e)}, nil
	case SubjectStudentVerified:
		m, err := event.Payload(e, &studentseventsv1.StudentVerified{})
		if err != nil {
			return nil, err
		}
		return status(e, postgres.Student, m.GetStudent().GetStudentId(), or(programme, m.GetStudent().GetProgrammeId()), figures.StatusVerified), nil
	case SubjectStudentArchived:
		m, err := event.Payload(e, &studentseventsv1.StudentStatusChanged{})
		if err != nil {
			return nil, err
		}
		return status(e, postgres.Student, m.GetStudent().GetStudentId(), or(programme, m.GetStudent().GetProgrammeId()), figures.StatusArchived), nil
	case SubjectApplicationSubmitted:
		m, err := event.Payload(e, &studentseventsv1.ApplicationSubmitted{})
		if err != nil {
			return nil, err
		}
		a := m.GetApplication()
		return postgres.ApplicationSubmitted{ID: a.GetApplicationId(), ProgrammeID: or(programme, a.GetProgrammeId()), On: dayOf(e)}, nil

	case SubjectMatchProposed:
		m, err := event.Payload(e, &matchingeventsv1.MatchChanged{})
		if err != nil {
			return nil, err
		}
		s := m.GetMatch()
		return postgres.MatchChanged{ID: s.GetMatchId(), ProgrammeID: or(programme, s.GetProgrammeId()), ApplicationID: s.GetApplicationId(), Proposed: dayOf(e)}, nil
	case SubjectMatchApproved:
		m, err := event.Payload(e, &matchingeventsv1.MatchApproved{})
		if err != nil {
			return nil, err
		}
		s := m.GetMatch()
		return postgres.MatchChanged{ID: s.GetMatchId(), ProgrammeID: or(programme, s.GetProgrammeId()), ApplicationID: s.GetApplicationId(), Approved: dayOf(e)}, nil

	case SubjectContractActivated, SubjectContractNoticeGiven, SubjectContractTerminated, SubjectContractEnded, SubjectContractRenewed, SubjectContractCancelled:
		m, err := event.Payload(e, &contractseventsv1.ContractChanged{})
		if err != nil {
			return nil, err
		}
		c := m.GetContract()
		start, err := parseDay(c.GetStartDate())
		if err != nil {
			return nil, err
		}
		end, err := parseDay(c.GetEndDate())
		if err != nil {
			return nil, err
		}
		f := postgres.ContractChanged{ID: c.GetContractId(), ProgrammeID: or(programme, c.GetProgrammeId()), HostID: c.GetHostId(),
			StudentID: c.GetStudentId(), Start: start, End: end, At: e.GetOccurredAt().AsTime()}
		switch t {
		case SubjectContractActivated:
			f.Activated = dayOf(e)
		case SubjectContractCancelled:
			f.Cancelled = true
		case SubjectContractNoticeGiven, SubjectContractTerminated:
			// The reason's category when one was given (STUDIES_OR_WORK, …), else who asked
			// (REQUESTED_BY_<party>).
			f.Early, f.Reason = true, or(m.GetTerminationReason(), m.GetReasonCode())
		}
		return f, nil
	case SubjectCheckinCompleted:
		m, err := event.Payload(e, &contractseventsv1.CheckinChanged{})
		if err != nil {
			return nil, err
		}
		on, err := parseDay(m.GetDoneDate())
		if err != nil {
			return nil, err
		}
		if on.IsZero() { // published before check-ins carried their day: the event's own
			on = dayOf(e)
		}
		return postgres.CheckinDone{ID: m.GetCheckinId(), ProgrammeID: or(programme, m.GetProgrammeId()), On: on, Late: m.GetLate()}, nil
	}
	return nil, nil
}

func status(e *eventsv1.Envelope, k postgres.Kind, id, programme, st string) postgres.Fact {
	return postgres.StatusChanged{EventID: e.GetId(), Kind: k, ID: id, ProgrammeID: programme, At: e.GetOccurredAt().AsTime(), On: dayOf(e), Status: st}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
