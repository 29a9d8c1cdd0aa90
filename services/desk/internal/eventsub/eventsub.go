// Package eventsub keeps the desk's copies from other services' events (the desk never calls
// them on a request): hosts and students (whose documents it collects, and who owns each
// record), the programmes' settings (which documents are required), matches, contracts and
// check-ins (what the agenda lists), and every record's life for its timeline. Each event is
// handled once through the inbox.
//
// Durable consumers: desk-hosts, desk-students, desk-matching, desk-contracts, desk-settings (programmes' settings; desk-identity is the platform's programmes copy).
// Retried (nak with delay) on any database failure; terminated when the payload does not
// decode or its ids are not UUIDs. Events may arrive in any order: every copy is an upsert
// that keeps the newest, and a document is created for a person the moment the desk knows
// them, with the defaults until the programme's settings arrive (their event adds the rest).
package eventsub

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
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

// SubjectCallRequested is a new line of the notifications service's call list.
const SubjectCallRequested = "cohabit.notifications.call.requested"

// The subjects followed, with the timeline's code of each ("" when it is not part of a life).
var (
	hostCodes = map[string]string{
		"cohabit.hosts.host.registered": "HOST_REGISTERED",
		"cohabit.hosts.host.updated":    "",
		"cohabit.hosts.host.verified":   "HOST_VERIFIED",
		"cohabit.hosts.host.suspended":  "HOST_SUSPENDED",
		"cohabit.hosts.host.reinstated": "HOST_REINSTATED",
		"cohabit.hosts.host.archived":   "HOST_ARCHIVED",
	}
	studentCodes = map[string]string{
		"cohabit.students.student.registered": "STUDENT_REGISTERED",
		"cohabit.students.student.updated":    "",
		"cohabit.students.student.verified":   "STUDENT_VERIFIED",
		"cohabit.students.student.archived":   "STUDENT_ARCHIVED",
		"cohabit.students.student.placed":     "STUDENT_PLACED",
		"cohabit.students.student.released":   "STUDENT_RELEASED",
	}
	matchCodes = map[string]string{
		"cohabit.matching.match.proposed":          "MATCH_PROPOSED",
		"cohabit.matching.match.meeting_scheduled": "MATCH_MEETING",
		"cohabit.matching.match.accepted":          "MATCH_ACCEPTED",
		"cohabit.matching.match.declined":          "MATCH_DECLINED",
		"cohabit.matching.match.cancelled":         "MATCH_CANCELLED",
		"cohabit.matching.match.expired":           "MATCH_EXPIRED",
		"cohabit.matching.match.approved":          "MATCH_APPROVED",
		"cohabit.matching.match.completed":         "MATCH_COMPLETED",
	}
	contractCodes = map[string]string{
		"cohabit.contracts.contract.drafted":      "CONTRACT_DRAFTED",
		"cohabit.contracts.contract.sent":         "CONTRACT_SENT",
		"cohabit.contracts.contract.reopened":     "CONTRACT_REOPENED",
		"cohabit.contracts.contract.signed":       "CONTRACT_SIGNED",
		"cohabit.contracts.contract.activated":    "CONTRACT_ACTIVATED",
		"cohabit.contracts.contract.notice_given": "CONTRACT_NOTICE",
		"cohabit.contracts.contract.terminated":   "CONTRACT_TERMINATED",
		"cohabit.contracts.contract.ended":        "CONTRACT_ENDED",
		"cohabit.contracts.contract.renewed":      "CONTRACT_RENEWED",
		"cohabit.contracts.contract.cancelled":    "CONTRACT_CANCELLED",
	}
	checkinCodes = map[string]string{
		"cohabit.contracts.checkin.scheduled": "",
		"cohabit.contracts.checkin.completed": "CHECKIN_COMPLETED",
		"cohabit.contracts.checkin.missed":    "CHECKIN_MISSED",
		"cohabit.contracts.checkin.cancelled": "",
	}
	incidentCodes = map[string]string{
		"cohabit.contracts.incident.reported": "INCIDENT_REPORTED",
		"cohabit.contracts.incident.mediated": "INCIDENT_MEDIATED",
		"cohabit.contracts.incident.resolved": "INCIDENT_RESOLVED",
	}
	programmeSubjects = []string{"cohabit.identity.programme.created", "cohabit.identity.programme.updated"}
)

func keys(ms ...map[string]string) []string {
	var out []string
	for _, m := range ms {
		for k := range m {
			out = append(out, k)
		}
	}
	return out
}

// Consumers returns the desk's durable consumers.
func Consumers(a *app.App, log *slog.Logger) []*natsx.Consumer {
	c := func(stream, durable string, subjects []string) *natsx.Consumer {
		return &natsx.Consumer{Stream: stream, Durable: durable, Subjects: subjects, Log: log,
			Handle: func(ctx context.Context, e *eventsv1.Envelope) error { return handle(ctx, a, durable, e) }}
	}
	return []*natsx.Consumer{
		c("HOSTS", DurableHosts, keys(hostCodes)),
		c("STUDENTS", DurableStudents, keys(studentCodes)),
		c("MATCHING", DurableMatching, keys(matchCodes)),
		c("CONTRACTS", DurableContracts, keys(contractCodes, checkinCodes, incidentCodes)),
		c("IDENTITY", DurableIdentity, programmeSubjects),
		c("NOTIFICATIONS", DurableNotifications, []string{SubjectCallRequested}),
	}
}

func permanent(e *eventsv1.Envelope, err error) error {
	return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
}

func badIDs(list ...string) error {
	for _, id := range list {
		if id != "" && !ids.Valid(id) {
			return fmt.Errorf("id %q is not a UUID", id)
		}
	}
	return nil
}

func handle(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	ev := app.Event{Consumer: consumer, ID: e.GetId(), ProgrammeID: e.GetProgrammeId(), At: e.GetOccurredAt().AsTime()}
	t := e.GetType()
	switch {
	case strings.HasPrefix(t, "cohabit.hosts.host."):
		ev.Code = hostCodes[t]
		h, err := hostOf(e)
		if err != nil {
			return permanent(e, err)
		}
		if err := badIDs(h.GetHostId()); err != nil || h.GetHostId() == "" {
			return permanent(e, fmt.Errorf("host id %q", h.GetHostId()))
		}
		return a.PersonChanged(ctx, ev, postgres.Person{ID: h.GetHostId(), ProgrammeID: h.GetProgrammeId(), Party: document.PartyHost,
			OwnerAccountID: h.GetOwnerAccountId(), IsTenant: h.GetIsTenant(), Status: h.GetStatus()})
	case strings.HasPrefix(t, "cohabit.students.student."):
		ev.Code = studentCodes[t]
		s, err := studentOf(e)
		if err != nil {
			return permanent(e, err)
		}
		if err := badIDs(s.GetStudentId()); err != nil || s.GetStudentId() == "" {
			return permanent(e, fmt.Errorf("student id %q", s.GetStudentId()))
		}
		return a.PersonChanged(ctx, ev, postgres.Person{ID: s.GetStudentId(), ProgrammeID: s.GetProgrammeId(), Party: document.PartyStudent,
			OwnerAccountID: s.GetOwnerAccountId(), Status: s.GetStatus()})
	case strings.HasPrefix(t, "cohabit.matching.match."):
		ev.Code = matchCodes[t]
		var m *matchingeventsv1.MatchSummary
		m2 := postgres.Match{}
		if t == "cohabit.matching.match.approved" {
			p, err := event.Payload(e, &matchingeventsv1.MatchApproved{})
			if err != nil {
				return permanent(e, err)
			}
			m = p.GetMatch()
		} else {
			p, err := event.Payload(e, &matchingeventsv1.MatchChanged{})
			if err != nil {
				return permanent(e, err)
			}
			m = p.GetMatch()
			if p.GetMeetingTime() != nil {
				at := p.GetMeetingTime().AsTime()
				m2.MeetingAt = &at
			}
		}
		if err := badIDs(m.GetMatchId(), m.GetHostId(), m.GetStudentId()); err != nil || m.GetMatchId() == "" {
			return permanent(e, fmt.Errorf("match ids: %v", err))
		}
		m2.ID, m2.ProgrammeID, m2.HostID, m2.StudentID, m2.Status = m.GetMatchId(), e.GetProgrammeId(), m.GetHostId(), m.GetStudentId(), m.GetStatus()
		return a.MatchChanged(ctx, ev, m2)
	case strings.HasPrefix(t, "cohabit.contracts.contract."):
		ev.Code = contractCodes[t]
		p, err := event.Payload(e, &contractseventsv1.ContractChanged{})
		if err != nil {
			return permanent(e, err)
		}
		c := p.GetContract()
		if err := badIDs(c.GetContractId(), c.GetMatchId(), c.GetHostId(), c.GetStudentId()); err != nil || c.GetContractId() == "" {
			return permanent(e, fmt.Errorf("contract ids: %v", err))
		}
		start, err1 := optDate(c.GetStartDate())
		end, err2 := optDate(c.GetEndDate())
		if err1 != nil || err2 != nil {
			return permanent(e, fmt.Errorf("contract dates %q %q", c.GetStartDate(), c.GetEndDate()))
		}
		return a.ContractChanged(ctx, ev, postgres.Contract{ID: c.GetContractId(), ProgrammeID: e.GetProgrammeId(), MatchID: c.GetMatchId(),
			HostID: c.GetHostId(), StudentID: c.GetStudentId(), Status: c.GetStatus(), StartDate: start, EndDate: end})
	case strings.HasPrefix(t, "cohabit.contracts.checkin."):
		ev.Code = checkinCodes[t]
		p, err := event.Payload(e, &contractseventsv1.CheckinChanged{})
		if err != nil {
			return permanent(e, err)
		}
		if err := badIDs(p.GetCheckinId(), p.GetContractId()); err != nil || p.GetCheckinId() == "" {
			return permanent(e, fmt.Errorf("check-in ids: %v", err))
		}
		if _, err := optDate(p.GetDueDate()); err != nil || p.GetDueDate() == "" {
			return permanent(e, fmt.Errorf("check-in due date %q", p.GetDueDate()))
		}
		return a.CheckinChanged(ctx, ev, p.GetCheckinId(), p.GetContractId(), p.GetStatus(), p.GetDueDate())
	case strings.HasPrefix(t, "cohabit.contracts.incident."):
		ev.Code = incidentCodes[t]
		p, err := event.Payload(e, &contractseventsv1.IncidentChanged{})
		if err != nil {
			return permanent(e, err)
		}
		if err := badIDs(p.GetContractId()); err != nil || p.GetContractId() == "" {
			return permanent(e, fmt.Errorf("incident's contract id %q", p.GetContractId()))
		}
		return a.ContractLifeEvent(ctx, ev, p.GetContractId())
	case t == SubjectCallRequested:
		p, err := event.Payload(e, &notificationseventsv1.CallRequested{})
		if err != nil {
			return permanent(e, err)
		}
		if p.GetNotificationId() == "" || badIDs(p.GetRecipientId()) != nil {
			return permanent(e, fmt.Errorf("call %q for %q", p.GetNotificationId(), p.GetRecipientId()))
		}
		return a.CallChanged(ctx, ev, p.GetNotificationId(), p.GetRecipientId(), p.GetTopic(), "PENDING")
	case t == "cohabit.identity.programme.created" || t == "cohabit.identity.programme.updated":
		if t == "cohabit.identity.programme.created" {
			p, err := event.Payload(e, &identityeventsv1.ProgrammeCreated{})
			if err != nil {
				return permanent(e, err)
			}
			ev.ProgrammeID = p.GetProgramme().GetId()
			return a.SettingsChanged(ctx, ev, p.GetProgramme().GetSettings())
		}
		p, err := event.Payload(e, &identityeventsv1.ProgrammeUpdated{})
		if err != nil {
			return permanent(e, err)
		}
		ev.ProgrammeID = p.GetProgramme().GetId()
		return a.SettingsChanged(ctx, ev, p.GetProgramme().GetSettings())
	}
	return nil
}

func optDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

func hostOf(e *eventsv1.Envelope) (*hostseventsv1.HostProfile, error) {
	switch e.GetType() {
	case "cohabit.hosts.host.registered":
		p, err := event.Payload(e, &hostseventsv1.HostRegistered{})
		return p.GetHost(), err
	case "cohabit.hosts.host.updated":
		p, err := event.Payload(e, &hostseventsv1.HostUpdated{})
		return p.GetHost(), err
	case "cohabit.hosts.host.verified":
		p, err := event.Payload(e, &hostseventsv1.HostVerified{})
		return p.GetHost(), err
	default:
		p, err := event.Payload(e, &hostseventsv1.HostStatusChanged{})
		return p.GetHost(), err
	}
}

func studentOf(e *eventsv1.Envelope) (*studentseventsv1.StudentProfile, error) {
	switch e.GetType() {
	case "cohabit.students.student.registered":
		p, err := event.Payload(e, &studentseventsv1.StudentRegistered{})
		return p.GetStudent(), err
	case "cohabit.students.student.updated":
		p, err := event.Payload(e, &studentseventsv1.StudentUpdated{})
		return p.GetStudent(), err
	case "cohabit.students.student.verified":
		p, err := event.Payload(e, &studentseventsv1.StudentVerified{})
		return p.GetStudent(), err
	default:
		p, err := event.Payload(e, &studentseventsv1.StudentStatusChanged{})
		return p.GetStudent(), err
	}
}
