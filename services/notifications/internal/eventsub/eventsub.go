// Package eventsub turns other services' events into notifications: durable consumers of the
// MATCHING, CONTRACTS, HOSTS, STUDENTS and IDENTITY streams, each event handled once through
// the inbox, in the transaction that records its notifications (app.Handle).
//
// Who is told what:
//   - both parties of a match: proposed, meeting scheduled (and the day before, a reminder),
//     approved, declined, cancelled; of a contract: sent for signature, active (with the
//     other party's contact details, now that they may have them), notice given; the day
//     before each check-in visit, a reminder;
//   - the programme's coordinators: a host or student who signed up themself (to verify), an
//     incident of high or critical severity at once, a concern recorded at a check-in;
//   - a person invited to claim their record: the invitation, with its sign-up link;
//   - the owner of an account someone signed up with again (the answer did not say so, SPEC
//     §3): that it happened, and to sign in (the address is read from identity, never
//     carried by the event).
//
// Retry or terminate: an event that does not decode, or whose ids are not UUIDs, is
// terminated; a check-in of a contract not known yet, or any transient failure (a contact
// read, the database), is retried later.
package eventsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Subjects the notifications service follows.
const (
	SubjectMatchProposed     = "cohabit.matching.match.proposed"
	SubjectMeetingScheduled  = "cohabit.matching.match.meeting_scheduled"
	SubjectMatchApproved     = "cohabit.matching.match.approved"
	SubjectMatchDeclined     = "cohabit.matching.match.declined"
	SubjectMatchCancelled    = "cohabit.matching.match.cancelled"
	SubjectMatchExpired      = "cohabit.matching.match.expired"
	SubjectContracts         = "cohabit.contracts.contract.>"
	SubjectContractSent      = "cohabit.contracts.contract.sent"
	SubjectContractActivated = "cohabit.contracts.contract.activated"
	SubjectContractNotice    = "cohabit.contracts.contract.notice_given"
	SubjectContractEnded     = "cohabit.contracts.contract.ended"
	SubjectContractTerminate = "cohabit.contracts.contract.terminated"
	SubjectContractCancelled = "cohabit.contracts.contract.cancelled"
	SubjectCheckinScheduled  = "cohabit.contracts.checkin.scheduled"
	SubjectCheckinCompleted  = "cohabit.contracts.checkin.completed"
	SubjectCheckinMissed     = "cohabit.contracts.checkin.missed"
	SubjectIncidentReported  = "cohabit.contracts.incident.reported"
	SubjectHostRegistered    = "cohabit.hosts.host.registered"
	SubjectHostUpdated       = "cohabit.hosts.host.updated"
	SubjectStudentRegistered = "cohabit.students.student.registered"
	SubjectStudentUpdated    = "cohabit.students.student.updated"
	SubjectAccountCreated    = "cohabit.identity.account.created"
	SubjectInvitationCreated = "cohabit.identity.invitation.created"
	SubjectInviteAccepted    = "cohabit.identity.invitation.accepted"
	SubjectSignupDuplicated  = "cohabit.identity.signup.duplicated"
	SubjectProgrammeCreated  = "cohabit.identity.programme.created"
	SubjectProgrammeUpdated  = "cohabit.identity.programme.updated"
)

// Durable names, which are also the inbox's consumer names. The identity one is not
// "notifications-identity": the programmes consumer has that name.
const (
	DurableMatching  = "notifications-matching"
	DurableContracts = "notifications-contracts"
	DurableHosts     = "notifications-hosts"
	DurableStudents  = "notifications-students"
	DurableIdentity  = "notifications-accounts"
)

// errNotYet is an event that arrived before what it needs (a check-in before its contract).
var errNotYet = errors.New("not ready yet")

// Consumers returns the service's durable consumers.
func Consumers(a *app.App, log *slog.Logger) []*natsx.Consumer {
	c := func(stream, durable string, subjects []string, fn func(context.Context, *app.App, string, *eventsv1.Envelope) error) *natsx.Consumer {
		return &natsx.Consumer{Stream: stream, Durable: durable, Subjects: subjects, Log: log,
			Handle: func(ctx context.Context, e *eventsv1.Envelope) error { return fn(ctx, a, durable, e) }}
	}
	return []*natsx.Consumer{
		c("MATCHING", DurableMatching, []string{SubjectMatchProposed, SubjectMeetingScheduled, SubjectMatchApproved,
			SubjectMatchDeclined, SubjectMatchCancelled, SubjectMatchExpired}, onMatch),
		c("CONTRACTS", DurableContracts, []string{SubjectContracts, SubjectCheckinScheduled, SubjectCheckinCompleted,
			SubjectCheckinMissed, SubjectIncidentReported}, onContracts),
		c("HOSTS", DurableHosts, []string{SubjectHostRegistered, SubjectHostUpdated}, onPeople),
		c("STUDENTS", DurableStudents, []string{SubjectStudentRegistered, SubjectStudentUpdated}, onPeople),
		c("IDENTITY", DurableIdentity, identitySubjects, onIdentity),
	}
}

func permanent(e *eventsv1.Envelope, err error) error {
	return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
}

// parties are the intents of telling both parties of a match or contract the same topic.
func parties(e *eventsv1.Envelope, topic notice.Topic, hostID, studentID string, p postgres.Params) []app.Intent {
	base := app.Intent{EventID: e.GetId(), EventTime: e.GetOccurredAt().AsTime(), ProgrammeID: e.GetProgrammeId(), Topic: topic}
	host, student := base, base
	host.Kind, host.RecipientID = notice.Host, hostID
	host.Params = p
	host.Params.OtherKind, host.Params.OtherID = string(notice.Student), studentID
	student.Kind, student.RecipientID = notice.Student, studentID
	student.Params = p
	student.Params.OtherKind, student.Params.OtherID = string(notice.Host), hostID
	return []app.Intent{host, student}
}

// coordinators is the intent of telling the coordinators of the event's programme: one
// message to the association's address (Programme.email), recipient the programme, until
// identity serves each coordinator's own address to services (the coordinators' accounts are
// already recorded from AccountCreated for that day).
func coordinators(e *eventsv1.Envelope, topic notice.Topic, p postgres.Params) []app.Intent {
	return []app.Intent{{EventID: e.GetId(), EventTime: e.GetOccurredAt().AsTime(), ProgrammeID: e.GetProgrammeId(),
		Topic: topic, Kind: notice.Coordinator, RecipientID: e.GetProgrammeId(), Params: p}}
}

func onMatch(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	var m *matchingeventsv1.MatchSummary
	var meeting time.Time
	if e.GetType() == SubjectMatchApproved {
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
		meeting = meetingTime(p)
	}
	if !ids.Valid(m.GetMatchId()) || !ids.Valid(m.GetHostId()) || !ids.Valid(m.GetStudentId()) {
		return permanent(e, fmt.Errorf("match, host or student id is not a UUID"))
	}
	p := postgres.Params{Meeting: meeting, Path: "/"}
	return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
		now := a.Now()
		switch e.GetType() {
		case SubjectMatchProposed:
			return parties(e, notice.MatchProposed, m.GetHostId(), m.GetStudentId(), p), nil
		case SubjectMeetingScheduled:
			// A meeting less than a day away gets no reminder: this message is the reminder
			// (it would say "tomorrow" of today).
			if !meeting.IsZero() && app.MeetingReminderDue(meeting).After(e.GetOccurredAt().AsTime()) {
				if err := postgres.SaveReminder(ctx, tx, postgres.Reminder{Kind: app.ReminderMeeting, SubjectID: m.GetMatchId(),
					ProgrammeID: e.GetProgrammeId(), HostID: m.GetHostId(), StudentID: m.GetStudentId(), At: meeting,
					DueAt: app.MeetingReminderDue(meeting)}); err != nil {
					return nil, err
				}
			}
			return parties(e, notice.MeetingScheduled, m.GetHostId(), m.GetStudentId(), p), nil
		case SubjectMatchApproved:
			return parties(e, notice.MatchApproved, m.GetHostId(), m.GetStudentId(), p), postgres.DropReminder(ctx, tx, app.ReminderMeeting, m.GetMatchId(), now)
		case SubjectMatchDeclined:
			return parties(e, notice.MatchDeclined, m.GetHostId(), m.GetStudentId(), p), postgres.DropReminder(ctx, tx, app.ReminderMeeting, m.GetMatchId(), now)
		case SubjectMatchCancelled:
			return parties(e, notice.MatchCancelled, m.GetHostId(), m.GetStudentId(), p), postgres.DropReminder(ctx, tx, app.ReminderMeeting, m.GetMatchId(), now)
		default: // expired: nothing to say, a proposal left unanswered lapses; its meeting too
			return nil, postgres.DropReminder(ctx, tx, app.ReminderMeeting, m.GetMatchId(), now)
		}
	})
}

func onContracts(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	switch e.GetType() {
	case SubjectCheckinScheduled, SubjectCheckinCompleted, SubjectCheckinMissed:
		return onCheckin(ctx, a, consumer, e)
	case SubjectIncidentReported:
		m, err := event.Payload(e, &contractseventsv1.IncidentChanged{})
		if err != nil {
			return permanent(e, err)
		}
		sev := m.GetSeverity()
		if sev != "SEVERITY_HIGH" && sev != "SEVERITY_CRITICAL" && sev != "HIGH" && sev != "CRITICAL" {
			return nil
		}
		return a.Handle(ctx, consumer, e.GetId(), func(pgx.Tx) ([]app.Intent, error) {
			return coordinators(e, notice.IncidentReported, postgres.Params{Severity: sev, Path: "/coordinator/incidents"}), nil
		})
	}
	m, err := event.Payload(e, &contractseventsv1.ContractChanged{})
	if err != nil {
		return permanent(e, err)
	}
	c := m.GetContract()
	if !ids.Valid(c.GetContractId()) || !ids.Valid(c.GetHostId()) || !ids.Valid(c.GetStudentId()) {
		return permanent(e, fmt.Errorf("contract, host or student id is not a UUID"))
	}
	return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
		if err := postgres.SaveContract(ctx, tx, postgres.Contract{ID: c.GetContractId(), ProgrammeID: e.GetProgrammeId(),
			HostID: c.GetHostId(), StudentID: c.GetStudentId(), Status: c.GetStatus()}); err != nil {
			return nil, err
		}
		switch e.GetType() {
		case SubjectContractSent:
			return parties(e, notice.ContractToSign, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetStartDate(), Path: "/"}), nil
		case SubjectContractActivated:
			return parties(e, notice.ContractActive, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetStartDate(), Path: "/"}), nil
		case SubjectContractNotice:
			return parties(e, notice.NoticeGiven, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetEndDate(), Path: "/"}), nil
		case SubjectContractEnded, SubjectContractTerminate, SubjectContractCancelled:
			return nil, postgres.DropContractReminders(ctx, tx, c.GetContractId(), a.Now())
		}
		return nil, nil
	})
}

func onCheckin(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	m, err := event.Payload(e, &contractseventsv1.CheckinChanged{})
	if err != nil {
		return permanent(e, err)
	}
	if !ids.Valid(m.GetCheckinId()) || !ids.Valid(m.GetContractId()) {
		return permanent(e, fmt.Errorf("check-in or contract id is not a UUID"))
	}
	due, err := time.Parse(time.DateOnly, m.GetDueDate())
	if err != nil && e.GetType() == SubjectCheckinScheduled {
		return permanent(e, fmt.Errorf("due date %q: %w", m.GetDueDate(), err))
	}
	return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
		switch e.GetType() {
		case SubjectCheckinScheduled:
			c, ok, err := postgres.ContractByID(ctx, tx, m.GetContractId())
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, errNotYet
			}
			return nil, postgres.SaveReminder(ctx, tx, postgres.Reminder{Kind: app.ReminderCheckin, SubjectID: m.GetCheckinId(),
				ProgrammeID: e.GetProgrammeId(), ContractID: c.ID, HostID: c.HostID, StudentID: c.StudentID, At: due,
				DueAt: app.CheckinReminderDue(due)})
		case SubjectCheckinCompleted:
			if err := postgres.DropReminder(ctx, tx, app.ReminderCheckin, m.GetCheckinId(), a.Now()); err != nil {
				return nil, err
			}
			if !m.GetConcern() {
				return nil, nil
			}
			return coordinators(e, notice.CheckinConcern, postgres.Params{Date: m.GetDueDate(), Path: "/coordinator/checkins/" + m.GetCheckinId()}), nil
		default: // missed: the visit did not happen on its day; its reminder is of no use
			return nil, postgres.DropReminder(ctx, tx, app.ReminderCheckin, m.GetCheckinId(), a.Now())
		}
	})
}

// onPeople records who owns each host and student record (for their settings and their
// list), and tells the coordinators of a sign-up to verify: a record its owner created
// (a coordinator who registers someone verifies them without being told).
func onPeople(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	var id, account, programme string
	var kind notice.Kind
	switch e.GetType() {
	case SubjectHostRegistered, SubjectHostUpdated:
		var h *hostseventsv1.HostProfile
		if e.GetType() == SubjectHostRegistered {
			m, err := event.Payload(e, &hostseventsv1.HostRegistered{})
			if err != nil {
				return permanent(e, err)
			}
			h = m.GetHost()
		} else {
			m, err := event.Payload(e, &hostseventsv1.HostUpdated{})
			if err != nil {
				return permanent(e, err)
			}
			h = m.GetHost()
		}
		id, account, programme, kind = h.GetHostId(), h.GetOwnerAccountId(), h.GetProgrammeId(), notice.Host
	default:
		var s *studentseventsv1.StudentProfile
		if e.GetType() == SubjectStudentRegistered {
			m, err := event.Payload(e, &studentseventsv1.StudentRegistered{})
			if err != nil {
				return permanent(e, err)
			}
			s = m.GetStudent()
		} else {
			m, err := event.Payload(e, &studentseventsv1.StudentUpdated{})
			if err != nil {
				return permanent(e, err)
			}
			s = m.GetStudent()
		}
		id, account, programme, kind = s.GetStudentId(), s.GetOwnerAccountId(), s.GetProgrammeId(), notice.Student
	}
	if !ids.Valid(id) {
		return permanent(e, fmt.Errorf("record id %q is not a UUID", id))
	}
	if programme == "" {
		programme = e.GetProgrammeId()
	}
	return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
		if err := postgres.SavePerson(ctx, tx, id, kind, programme, account, e.GetOccurredAt().AsTime()); err != nil {
			return nil, err
		}
		registered := e.GetType() == SubjectHostRegistered || e.GetType() == SubjectStudentRegistered
		if !registered || account == "" {
			return nil, nil
		}
		return coordinators(e, notice.SignupToVerify, postgres.Params{Subject: string(kind), SubjectID: id,
			OtherKind: string(kind), OtherID: id, Path: "/coordinator/" + string(kind) + "s/" + id}), nil
	})
}

// identitySubjects are the identity events followed here.
var identitySubjects = []string{SubjectAccountCreated, SubjectInvitationCreated, SubjectInviteAccepted,
	SubjectProgrammeCreated, SubjectProgrammeUpdated, SubjectSignupDuplicated}

func recordKind(k identityv1.RecordKind) (notice.Kind, bool) {
	switch k {
	case identityv1.RecordKind_RECORD_KIND_HOST:
		return notice.Host, true
	case identityv1.RecordKind_RECORD_KIND_STUDENT:
		return notice.Student, true
	}
	return "", false
}

// onIdentity records the coordinators of each programme and who owns a claimed record, and
// sends an invitation's email: the code is read from identity when sending, never kept here.
func onIdentity(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	switch e.GetType() {
	case SubjectAccountCreated:
		m, err := event.Payload(e, &identityeventsv1.AccountCreated{})
		if err != nil {
			return permanent(e, err)
		}
		if m.GetRole() != typev1.Role_ROLE_COORDINATOR || m.GetProgrammeId() == "" {
			return nil
		}
		return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
			return nil, postgres.AddCoordinator(ctx, tx, m.GetAccountId(), m.GetProgrammeId())
		})
	case SubjectProgrammeCreated, SubjectProgrammeUpdated:
		var p *identityv1.Programme
		if e.GetType() == SubjectProgrammeCreated {
			m, err := event.Payload(e, &identityeventsv1.ProgrammeCreated{})
			if err != nil {
				return permanent(e, err)
			}
			p = m.GetProgramme()
		} else {
			m, err := event.Payload(e, &identityeventsv1.ProgrammeUpdated{})
			if err != nil {
				return permanent(e, err)
			}
			p = m.GetProgramme()
		}
		if p.GetId() == "" {
			return permanent(e, fmt.Errorf("programme without id"))
		}
		return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
			return nil, postgres.SaveProgrammeEmail(ctx, tx, p.GetId(), p.GetEmail(), e.GetOccurredAt().AsTime())
		})
	case SubjectInvitationCreated:
		m, err := event.Payload(e, &identityeventsv1.InvitationCreated{})
		if err != nil {
			return permanent(e, err)
		}
		kind, ok := recordKind(m.GetRecordKind())
		if !ok || !ids.Valid(m.GetRecordId()) || m.GetInvitationId() == "" {
			return permanent(e, fmt.Errorf("invitation %q of record %q (%v)", m.GetInvitationId(), m.GetRecordId(), m.GetRecordKind()))
		}
		expires := ""
		if m.GetExpireTime() != nil {
			expires = m.GetExpireTime().AsTime().In(message.Paris).Format(time.DateOnly)
		}
		return a.Handle(ctx, consumer, e.GetId(), func(pgx.Tx) ([]app.Intent, error) {
			return []app.Intent{{EventID: e.GetId(), EventTime: e.GetOccurredAt().AsTime(), ProgrammeID: e.GetProgrammeId(),
				Topic: notice.Invitation, Kind: kind, RecipientID: m.GetRecordId(),
				Params: postgres.Params{Invitation: m.GetInvitationId(), Date: expires, Path: "/signup"}}}, nil
		})
	case SubjectSignupDuplicated:
		m, err := event.Payload(e, &identityeventsv1.SignupDuplicated{})
		if err != nil {
			return permanent(e, err)
		}
		if !ids.Valid(m.GetAccountId()) {
			return permanent(e, fmt.Errorf("account id %q is not a UUID", m.GetAccountId()))
		}
		return a.Handle(ctx, consumer, e.GetId(), func(pgx.Tx) ([]app.Intent, error) {
			return []app.Intent{{EventID: e.GetId(), EventTime: e.GetOccurredAt().AsTime(), ProgrammeID: e.GetProgrammeId(),
				Topic: notice.SignupDuplicated, Kind: notice.Account, RecipientID: m.GetAccountId(),
				Params: postgres.Params{Path: "/login"}}}, nil
		})
	case SubjectInviteAccepted:
		m, err := event.Payload(e, &identityeventsv1.InvitationAccepted{})
		if err != nil {
			return permanent(e, err)
		}
		kind, ok := recordKind(m.GetRecordKind())
		if !ok || !ids.Valid(m.GetRecordId()) {
			return permanent(e, fmt.Errorf("record %q (%v)", m.GetRecordId(), m.GetRecordKind()))
		}
		return a.Handle(ctx, consumer, e.GetId(), func(tx pgx.Tx) ([]app.Intent, error) {
			return nil, postgres.SavePerson(ctx, tx, m.GetRecordId(), kind, e.GetProgrammeId(), m.GetAccountId(), e.GetOccurredAt().AsTime())
		})
	}
	return nil
}

// meetingTime is the meeting's time a MatchChanged carries, zero when none.
func meetingTime(m *matchingeventsv1.MatchChanged) time.Time {
	if m.GetMeetingTime() == nil {
		return time.Time{}
	}
	return m.GetMeetingTime().AsTime()
}
