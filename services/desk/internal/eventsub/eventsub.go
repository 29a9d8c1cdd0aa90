// Package eventsub keeps the desk's copies from other services' events (the desk never calls
// them on a request): hosts and students (whose documents it collects, and who owns each
// record), the programmes' settings (which documents are required), matches, contracts and
// check-ins (what the agenda lists), and every record's life for its timeline. Each event is
// handled in its inbox transaction (platform/consume); lifeCodes says which events are part of
// a record's life, and with which timeline code.
//
// Durable consumers: desk-hosts, desk-students, desk-matching, desk-contracts, desk-settings
// (programmes' settings; desk-identity is the platform's programmes copy), desk-notifications
// (the call list). Retried (nak with delay) on any database failure; terminated when the
// payload does not decode or its ids are not UUIDs. Events may arrive in any order: every copy is an upsert
// that keeps the newest, and a document is created for a person the moment the desk knows
// them, with the defaults until the programme's settings arrive (their event adds the rest).
package eventsub

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Durable names, which are also the inbox's consumer names.
const (
	DurableHosts     = "desk-hosts"
	DurableStudents  = "desk-students"
	DurableMatching  = "desk-matching"
	DurableContracts = "desk-contracts"
	DurableIdentity  = "desk-settings"
	// DurableNotifications follows the call list.
	DurableNotifications = "desk-notifications"
)

// lifeCodes is the timeline's code of each event that is part of a record's life; a followed
// event missing here (host.updated, checkin.scheduled…) changes a copy and no timeline.
var lifeCodes = map[string]string{
	hostsevents.HostRegistered.Subject: "HOST_REGISTERED", hostsevents.HostVerified.Subject: "HOST_VERIFIED",
	hostsevents.HostSuspended.Subject: "HOST_SUSPENDED", hostsevents.HostReinstated.Subject: "HOST_REINSTATED",
	hostsevents.HostArchived.Subject:         "HOST_ARCHIVED",
	studentsevents.StudentRegistered.Subject: "STUDENT_REGISTERED", studentsevents.StudentVerified.Subject: "STUDENT_VERIFIED",
	studentsevents.StudentArchived.Subject: "STUDENT_ARCHIVED", studentsevents.StudentPlaced.Subject: "STUDENT_PLACED",
	studentsevents.StudentReleased.Subject: "STUDENT_RELEASED",
	matchingevents.MatchProposed.Subject:   "MATCH_PROPOSED", matchingevents.MatchMeetingScheduled.Subject: "MATCH_MEETING",
	matchingevents.MatchAccepted.Subject: "MATCH_ACCEPTED", matchingevents.MatchDeclined.Subject: "MATCH_DECLINED",
	matchingevents.MatchCancelled.Subject: "MATCH_CANCELLED", matchingevents.MatchExpired.Subject: "MATCH_EXPIRED",
	matchingevents.MatchApproved.Subject: "MATCH_APPROVED", matchingevents.MatchCompleted.Subject: "MATCH_COMPLETED",
	contractsevents.ContractDrafted.Subject: "CONTRACT_DRAFTED", contractsevents.ContractSent.Subject: "CONTRACT_SENT",
	contractsevents.ContractReopened.Subject: "CONTRACT_REOPENED", contractsevents.ContractSigned.Subject: "CONTRACT_SIGNED",
	contractsevents.ContractActivated.Subject: "CONTRACT_ACTIVATED", contractsevents.ContractNoticeGiven.Subject: "CONTRACT_NOTICE",
	contractsevents.ContractTerminated.Subject: "CONTRACT_TERMINATED", contractsevents.ContractEnded.Subject: "CONTRACT_ENDED",
	contractsevents.ContractRenewed.Subject: "CONTRACT_RENEWED", contractsevents.ContractCancelled.Subject: "CONTRACT_CANCELLED",
	contractsevents.CheckinCompleted.Subject: "CHECKIN_COMPLETED", contractsevents.CheckinMissed.Subject: "CHECKIN_MISSED",
	contractsevents.IncidentReported.Subject: "INCIDENT_REPORTED", contractsevents.IncidentMediated.Subject: "INCIDENT_MEDIATED",
	contractsevents.IncidentResolved.Subject: "INCIDENT_RESOLVED",
}

// eventOf is the desk's view of the event m.
func eventOf(m consume.Meta) app.Event {
	return app.Event{ID: m.ID, ProgrammeID: m.ProgrammeID, Code: lifeCodes[m.Subject], At: m.OccurredAt}
}

// each handles each of evs with fn, given what get reads from its payload.
func each[T proto.Message, P any](evs []eventcat.Event[T], get func(T) P, fn func(context.Context, pgx.Tx, consume.Meta, P) error) []consume.Handler {
	return consume.OnEach(evs, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p T) error { return fn(ctx, tx, m, get(p)) })
}

func concat(hs ...[]consume.Handler) []consume.Handler {
	var out []consume.Handler
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}

// Consumers returns the desk's durable consumers.
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	host := func(ctx context.Context, tx pgx.Tx, m consume.Meta, h *hostseventsv1.HostProfile) error {
		if err := badIDs(h.GetHostId()); err != nil || h.GetHostId() == "" {
			return consume.Permanent(fmt.Errorf("host id %q", h.GetHostId()))
		}
		return a.PersonChanged(ctx, tx, eventOf(m), postgres.Person{ID: h.GetHostId(), ProgrammeID: h.GetProgrammeId(), Party: document.PartyHost,
			OwnerAccountID: h.GetOwnerAccountId(), IsTenant: h.GetIsTenant(), Status: h.GetStatus()})
	}
	student := func(ctx context.Context, tx pgx.Tx, m consume.Meta, s *studentseventsv1.StudentProfile) error {
		if err := badIDs(s.GetStudentId()); err != nil || s.GetStudentId() == "" {
			return consume.Permanent(fmt.Errorf("student id %q", s.GetStudentId()))
		}
		return a.PersonChanged(ctx, tx, eventOf(m), postgres.Person{ID: s.GetStudentId(), ProgrammeID: s.GetProgrammeId(), Party: document.PartyStudent,
			OwnerAccountID: s.GetOwnerAccountId(), Status: s.GetStatus()})
	}
	match := func(ctx context.Context, tx pgx.Tx, m consume.Meta, s *matchingeventsv1.MatchSummary, meeting *postgres.Match) error {
		if err := badIDs(s.GetMatchId(), s.GetHostId(), s.GetStudentId()); err != nil || s.GetMatchId() == "" {
			return consume.Permanent(fmt.Errorf("match ids: %v", err))
		}
		meeting.ID, meeting.ProgrammeID, meeting.HostID, meeting.StudentID, meeting.Status = s.GetMatchId(), m.ProgrammeID, s.GetHostId(), s.GetStudentId(), s.GetStatus()
		return a.MatchChanged(ctx, tx, eventOf(m), *meeting)
	}
	contract := func(ctx context.Context, tx pgx.Tx, m consume.Meta, c *contractseventsv1.ContractSummary) error {
		if err := badIDs(c.GetContractId(), c.GetMatchId(), c.GetHostId(), c.GetStudentId()); err != nil || c.GetContractId() == "" {
			return consume.Permanent(fmt.Errorf("contract ids: %v", err))
		}
		start, err1 := optDate(c.GetStartDate())
		end, err2 := optDate(c.GetEndDate())
		if err1 != nil || err2 != nil {
			return consume.Permanent(fmt.Errorf("contract dates %q %q", c.GetStartDate(), c.GetEndDate()))
		}
		return a.ContractChanged(ctx, tx, eventOf(m), postgres.Contract{ID: c.GetContractId(), ProgrammeID: m.ProgrammeID, MatchID: c.GetMatchId(),
			HostID: c.GetHostId(), StudentID: c.GetStudentId(), Status: c.GetStatus(), StartDate: start, EndDate: end})
	}
	checkin := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *contractseventsv1.CheckinChanged) error {
		if err := badIDs(p.GetCheckinId(), p.GetContractId()); err != nil || p.GetCheckinId() == "" {
			return consume.Permanent(fmt.Errorf("check-in ids: %v", err))
		}
		if _, err := optDate(p.GetDueDate()); err != nil || p.GetDueDate() == "" {
			return consume.Permanent(fmt.Errorf("check-in due date %q", p.GetDueDate()))
		}
		return a.CheckinChanged(ctx, tx, eventOf(m), p.GetCheckinId(), p.GetContractId(), p.GetStatus(), p.GetDueDate())
	}
	incident := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *contractseventsv1.IncidentChanged) error {
		if err := badIDs(p.GetContractId()); err != nil || p.GetContractId() == "" {
			return consume.Permanent(fmt.Errorf("incident's contract id %q", p.GetContractId()))
		}
		return a.ContractLifeEvent(ctx, tx, eventOf(m), p.GetContractId())
	}
	settings := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *identityv1.Programme) error {
		e := eventOf(m)
		e.ProgrammeID = p.GetId()
		return a.SettingsChanged(ctx, tx, e, p.GetSettings())
	}
	group := func(durable string, hs ...[]consume.Handler) *natsx.Consumer {
		return consume.Group{Durable: durable, DB: db, Handlers: concat(hs...)}.Consumer(log)
	}
	return []*natsx.Consumer{
		group(DurableHosts,
			each([]eventcat.Event[*hostseventsv1.HostRegistered]{hostsevents.HostRegistered}, (*hostseventsv1.HostRegistered).GetHost, host),
			each([]eventcat.Event[*hostseventsv1.HostUpdated]{hostsevents.HostUpdated}, (*hostseventsv1.HostUpdated).GetHost, host),
			each([]eventcat.Event[*hostseventsv1.HostVerified]{hostsevents.HostVerified}, (*hostseventsv1.HostVerified).GetHost, host),
			each([]eventcat.Event[*hostseventsv1.HostStatusChanged]{hostsevents.HostSuspended, hostsevents.HostReinstated, hostsevents.HostArchived},
				(*hostseventsv1.HostStatusChanged).GetHost, host)),
		group(DurableStudents,
			each([]eventcat.Event[*studentseventsv1.StudentRegistered]{studentsevents.StudentRegistered}, (*studentseventsv1.StudentRegistered).GetStudent, student),
			each([]eventcat.Event[*studentseventsv1.StudentUpdated]{studentsevents.StudentUpdated}, (*studentseventsv1.StudentUpdated).GetStudent, student),
			each([]eventcat.Event[*studentseventsv1.StudentVerified]{studentsevents.StudentVerified}, (*studentseventsv1.StudentVerified).GetStudent, student),
			each([]eventcat.Event[*studentseventsv1.StudentStatusChanged]{studentsevents.StudentArchived, studentsevents.StudentPlaced, studentsevents.StudentReleased},
				(*studentseventsv1.StudentStatusChanged).GetStudent, student)),
		group(DurableMatching,
			[]consume.Handler{consume.On(matchingevents.MatchApproved, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *matchingeventsv1.MatchApproved) error {
				return match(ctx, tx, m, p.GetMatch(), &postgres.Match{})
			})},
			consume.OnEach([]eventcat.Event[*matchingeventsv1.MatchChanged]{
				matchingevents.MatchProposed, matchingevents.MatchMeetingScheduled, matchingevents.MatchAccepted, matchingevents.MatchDeclined,
				matchingevents.MatchCancelled, matchingevents.MatchExpired, matchingevents.MatchCompleted,
			}, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *matchingeventsv1.MatchChanged) error {
				var meeting postgres.Match
				if p.GetMeetingTime() != nil {
					at := p.GetMeetingTime().AsTime()
					meeting.MeetingAt = &at
				}
				return match(ctx, tx, m, p.GetMatch(), &meeting)
			})),
		group(DurableContracts,
			each([]eventcat.Event[*contractseventsv1.ContractChanged]{
				contractsevents.ContractDrafted, contractsevents.ContractSent, contractsevents.ContractReopened, contractsevents.ContractSigned,
				contractsevents.ContractActivated, contractsevents.ContractNoticeGiven, contractsevents.ContractTerminated,
				contractsevents.ContractEnded, contractsevents.ContractRenewed, contractsevents.ContractCancelled,
			}, (*contractseventsv1.ContractChanged).GetContract, contract),
			consume.OnEach([]eventcat.Event[*contractseventsv1.CheckinChanged]{
				contractsevents.CheckinScheduled, contractsevents.CheckinCompleted, contractsevents.CheckinMissed, contractsevents.CheckinCancelled,
			}, checkin),
			consume.OnEach([]eventcat.Event[*contractseventsv1.IncidentChanged]{
				contractsevents.IncidentReported, contractsevents.IncidentMediated, contractsevents.IncidentResolved,
			}, incident)),
		group(DurableIdentity,
			each([]eventcat.Event[*identityeventsv1.ProgrammeCreated]{identityevents.ProgrammeCreated}, (*identityeventsv1.ProgrammeCreated).GetProgramme, settings),
			each([]eventcat.Event[*identityeventsv1.ProgrammeUpdated]{identityevents.ProgrammeUpdated}, (*identityeventsv1.ProgrammeUpdated).GetProgramme, settings)),
		group(DurableNotifications,
			[]consume.Handler{consume.On(notificationsevents.CallRequested, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *notificationseventsv1.CallRequested) error {
				if p.GetNotificationId() == "" || badIDs(p.GetRecipientId()) != nil {
					return consume.Permanent(fmt.Errorf("call %q for %q", p.GetNotificationId(), p.GetRecipientId()))
				}
				return a.CallChanged(ctx, tx, eventOf(m), p.GetNotificationId(), p.GetRecipientId(), p.GetTopic(), "PENDING")
			})}),
	}
}

// badIDs refuses an id that is set and is not a UUID (an empty one is allowed: a record
// without that party yet).
func badIDs(list ...string) error {
	for _, id := range list {
		if id != "" && !ids.Valid(id) {
			return fmt.Errorf("id %q is not a UUID", id)
		}
	}
	return nil
}

func optDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}
