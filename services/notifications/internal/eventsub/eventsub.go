// Package eventsub turns other services' events into notifications: durable consumers of the
// MATCHING, CONTRACTS, HOSTS, STUDENTS and IDENTITY streams, each event handled in its inbox
// transaction (platform/consume), which records its notifications (app.Plan); the dispatcher
// is woken after the commit.
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
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
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
var errNotYet = fmt.Errorf("notifications: %w", consume.ErrNotYet)

// tell is one event's handling: what it changes through st, a store bound to the event's
// inbox transaction, and the notifications it plans.
type tell[T proto.Message] func(ctx context.Context, st *postgres.Store, m consume.Meta, p T) ([]app.Intent, error)

// Consumers returns the service's durable consumers.
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	h := handlers{a: a}
	group := func(durable string, hs ...[]consume.Handler) *natsx.Consumer {
		return consume.Group{Durable: durable, DB: db, Handlers: concat(hs...), Committed: a.Kick}.Consumer(log)
	}
	return []*natsx.Consumer{
		group(DurableMatching,
			on(a, h.match, matchingevents.MatchProposed, matchingevents.MatchMeetingScheduled, matchingevents.MatchDeclined,
				matchingevents.MatchCancelled, matchingevents.MatchExpired),
			on(a, h.approved, matchingevents.MatchApproved)),
		group(DurableContracts,
			// Every contract fact updates the copy of the contract (parties, status).
			on(a, h.contract, contractsevents.ContractDrafted, contractsevents.ContractSent, contractsevents.ContractReopened,
				contractsevents.ContractSigned, contractsevents.ContractActivated, contractsevents.ContractNoticeGiven,
				contractsevents.ContractTerminated, contractsevents.ContractEnded, contractsevents.ContractRenewed,
				contractsevents.ContractCancelled),
			on(a, h.checkin, contractsevents.CheckinScheduled, contractsevents.CheckinCompleted, contractsevents.CheckinMissed),
			on(a, h.incident, contractsevents.IncidentReported)),
		group(DurableHosts,
			on(a, person((*hostseventsv1.HostRegistered).GetHost, hostOf), hostsevents.HostRegistered),
			on(a, person((*hostseventsv1.HostUpdated).GetHost, hostOf), hostsevents.HostUpdated)),
		group(DurableStudents,
			on(a, person((*studentseventsv1.StudentRegistered).GetStudent, studentOf), studentsevents.StudentRegistered),
			on(a, person((*studentseventsv1.StudentUpdated).GetStudent, studentOf), studentsevents.StudentUpdated)),
		group(DurableIdentity,
			on(a, h.account, identityevents.AccountCreated),
			on(a, programme((*identityeventsv1.ProgrammeCreated).GetProgramme), identityevents.ProgrammeCreated),
			on(a, programme((*identityeventsv1.ProgrammeUpdated).GetProgramme), identityevents.ProgrammeUpdated),
			on(a, h.invitation, identityevents.InvitationCreated),
			on(a, h.accepted, identityevents.InvitationAccepted),
			on(a, h.duplicated, identityevents.SignupDuplicated)),
	}
}

// on handles each of evs with fn, and plans its notifications in the same transaction.
func on[T proto.Message](a *app.App, fn tell[T], evs ...eventcat.Event[T]) []consume.Handler {
	return consume.OnEach(evs, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p T) error {
		intents, err := fn(ctx, a.Store.Within(tx), m, p)
		if err != nil {
			return err
		}
		return a.Plan(ctx, tx, intents)
	})
}

func concat(hs ...[]consume.Handler) []consume.Handler {
	var out []consume.Handler
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}

type handlers struct{ a *app.App }

// parties are the intents of telling both parties of a match or contract the same topic.
func parties(m consume.Meta, topic notice.Topic, hostID, studentID string, p postgres.Params) []app.Intent {
	base := app.Intent{EventID: m.ID, EventTime: m.OccurredAt, ProgrammeID: m.ProgrammeID, Topic: topic}
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
func coordinators(m consume.Meta, topic notice.Topic, p postgres.Params) []app.Intent {
	return []app.Intent{{EventID: m.ID, EventTime: m.OccurredAt, ProgrammeID: m.ProgrammeID,
		Topic: topic, Kind: notice.Coordinator, RecipientID: m.ProgrammeID, Params: p}}
}

func matchIDs(s *matchingeventsv1.MatchSummary) error {
	if !ids.Valid(s.GetMatchId()) || !ids.Valid(s.GetHostId()) || !ids.Valid(s.GetStudentId()) {
		return consume.Permanent(errors.New("match, host or student id is not a UUID"))
	}
	return nil
}

func (h handlers) approved(ctx context.Context, st *postgres.Store, m consume.Meta, p *matchingeventsv1.MatchApproved) ([]app.Intent, error) {
	s := p.GetMatch()
	if err := matchIDs(s); err != nil {
		return nil, err
	}
	return parties(m, notice.MatchApproved, s.GetHostId(), s.GetStudentId(), postgres.Params{Path: "/"}),
		st.DropReminder(ctx, app.ReminderMeeting, s.GetMatchId(), h.a.Now())
}

func (h handlers) match(ctx context.Context, st *postgres.Store, m consume.Meta, p *matchingeventsv1.MatchChanged) ([]app.Intent, error) {
	s := p.GetMatch()
	if err := matchIDs(s); err != nil {
		return nil, err
	}
	meeting := meetingTime(p)
	params := postgres.Params{Meeting: meeting, Path: "/"}
	now := h.a.Now()
	switch m.Subject {
	case matchingevents.MatchProposed.Subject:
		return parties(m, notice.MatchProposed, s.GetHostId(), s.GetStudentId(), params), nil
	case matchingevents.MatchMeetingScheduled.Subject:
		// A meeting less than a day away gets no reminder: this message is the reminder
		// (it would say "tomorrow" of today).
		if !meeting.IsZero() && app.MeetingReminderDue(meeting).After(m.OccurredAt) {
			if err := st.SaveReminder(ctx, postgres.Reminder{Kind: app.ReminderMeeting, SubjectID: s.GetMatchId(),
				ProgrammeID: m.ProgrammeID, HostID: s.GetHostId(), StudentID: s.GetStudentId(), At: meeting,
				DueAt: app.MeetingReminderDue(meeting)}); err != nil {
				return nil, err
			}
		}
		return parties(m, notice.MeetingScheduled, s.GetHostId(), s.GetStudentId(), params), nil
	case matchingevents.MatchDeclined.Subject:
		return parties(m, notice.MatchDeclined, s.GetHostId(), s.GetStudentId(), params), st.DropReminder(ctx, app.ReminderMeeting, s.GetMatchId(), now)
	case matchingevents.MatchCancelled.Subject:
		return parties(m, notice.MatchCancelled, s.GetHostId(), s.GetStudentId(), params), st.DropReminder(ctx, app.ReminderMeeting, s.GetMatchId(), now)
	default: // expired: nothing to say, a proposal left unanswered lapses; its meeting too
		return nil, st.DropReminder(ctx, app.ReminderMeeting, s.GetMatchId(), now)
	}
}

func (h handlers) incident(_ context.Context, _ *postgres.Store, m consume.Meta, p *contractseventsv1.IncidentChanged) ([]app.Intent, error) {
	sev := p.GetSeverity()
	if sev != "SEVERITY_HIGH" && sev != "SEVERITY_CRITICAL" && sev != "HIGH" && sev != "CRITICAL" {
		return nil, nil
	}
	return coordinators(m, notice.IncidentReported, postgres.Params{Severity: sev, Path: "/coordinator/incidents"}), nil
}

func (h handlers) contract(ctx context.Context, st *postgres.Store, m consume.Meta, p *contractseventsv1.ContractChanged) ([]app.Intent, error) {
	c := p.GetContract()
	if !ids.Valid(c.GetContractId()) || !ids.Valid(c.GetHostId()) || !ids.Valid(c.GetStudentId()) {
		return nil, consume.Permanent(errors.New("contract, host or student id is not a UUID"))
	}
	if err := st.SaveContract(ctx, postgres.Contract{ID: c.GetContractId(), ProgrammeID: m.ProgrammeID,
		HostID: c.GetHostId(), StudentID: c.GetStudentId(), Status: c.GetStatus()}); err != nil {
		return nil, err
	}
	switch m.Subject {
	case contractsevents.ContractSent.Subject:
		return parties(m, notice.ContractToSign, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetStartDate(), Path: "/"}), nil
	case contractsevents.ContractActivated.Subject:
		return parties(m, notice.ContractActive, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetStartDate(), Path: "/"}), nil
	case contractsevents.ContractNoticeGiven.Subject:
		return parties(m, notice.NoticeGiven, c.GetHostId(), c.GetStudentId(), postgres.Params{Date: c.GetEndDate(), Path: "/"}), nil
	case contractsevents.ContractEnded.Subject, contractsevents.ContractTerminated.Subject, contractsevents.ContractCancelled.Subject:
		return nil, st.DropContractReminders(ctx, c.GetContractId(), h.a.Now())
	}
	return nil, nil
}

func (h handlers) checkin(ctx context.Context, st *postgres.Store, m consume.Meta, p *contractseventsv1.CheckinChanged) ([]app.Intent, error) {
	if !ids.Valid(p.GetCheckinId()) || !ids.Valid(p.GetContractId()) {
		return nil, consume.Permanent(errors.New("check-in or contract id is not a UUID"))
	}
	switch m.Subject {
	case contractsevents.CheckinScheduled.Subject:
		due, err := time.Parse(time.DateOnly, p.GetDueDate())
		if err != nil {
			return nil, consume.Permanent(fmt.Errorf("due date %q: %w", p.GetDueDate(), err))
		}
		c, ok, err := st.ContractByID(ctx, p.GetContractId())
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNotYet
		}
		return nil, st.SaveReminder(ctx, postgres.Reminder{Kind: app.ReminderCheckin, SubjectID: p.GetCheckinId(),
			ProgrammeID: m.ProgrammeID, ContractID: c.ID, HostID: c.HostID, StudentID: c.StudentID, At: due,
			DueAt: app.CheckinReminderDue(due)})
	case contractsevents.CheckinCompleted.Subject:
		if err := st.DropReminder(ctx, app.ReminderCheckin, p.GetCheckinId(), h.a.Now()); err != nil {
			return nil, err
		}
		if !p.GetConcern() {
			return nil, nil
		}
		return coordinators(m, notice.CheckinConcern, postgres.Params{Date: p.GetDueDate(), Path: "/coordinator/checkins/" + p.GetCheckinId()}), nil
	default: // missed: the visit did not happen on its day; its reminder is of no use
		return nil, st.DropReminder(ctx, app.ReminderCheckin, p.GetCheckinId(), h.a.Now())
	}
}

// record is what a host or student profile says of its owner.
type record struct {
	id, account, programme string
	kind                   notice.Kind
}

func hostOf(p *hostseventsv1.HostProfile) record {
	return record{p.GetHostId(), p.GetOwnerAccountId(), p.GetProgrammeId(), notice.Host}
}

func studentOf(p *studentseventsv1.StudentProfile) record {
	return record{p.GetStudentId(), p.GetOwnerAccountId(), p.GetProgrammeId(), notice.Student}
}

// person records who owns each host and student record (for their settings and their list),
// and tells the coordinators of a sign-up to verify: a record its owner created (a
// coordinator who registers someone verifies them without being told).
func person[T proto.Message, P any](get func(T) P, of func(P) record) tell[T] {
	return func(ctx context.Context, st *postgres.Store, m consume.Meta, p T) ([]app.Intent, error) {
		r := of(get(p))
		if !ids.Valid(r.id) {
			return nil, consume.Permanent(fmt.Errorf("record id %q is not a UUID", r.id))
		}
		if r.programme == "" {
			r.programme = m.ProgrammeID
		}
		if err := st.SavePerson(ctx, r.id, r.kind, r.programme, r.account, m.OccurredAt); err != nil {
			return nil, err
		}
		registered := m.Subject == hostsevents.HostRegistered.Subject || m.Subject == studentsevents.StudentRegistered.Subject
		if !registered || r.account == "" {
			return nil, nil
		}
		return coordinators(m, notice.SignupToVerify, postgres.Params{Subject: string(r.kind), SubjectID: r.id,
			OtherKind: string(r.kind), OtherID: r.id, Path: "/coordinator/" + string(r.kind) + "s/" + r.id}), nil
	}
}

func recordKind(k identityv1.RecordKind) (notice.Kind, bool) {
	switch k {
	case identityv1.RecordKind_RECORD_KIND_HOST:
		return notice.Host, true
	case identityv1.RecordKind_RECORD_KIND_STUDENT:
		return notice.Student, true
	}
	return "", false
}

// account records the coordinators of each programme.
func (h handlers) account(ctx context.Context, st *postgres.Store, _ consume.Meta, p *identityeventsv1.AccountCreated) ([]app.Intent, error) {
	if p.GetRole() != typev1.Role_ROLE_COORDINATOR || p.GetProgrammeId() == "" {
		return nil, nil
	}
	return nil, st.AddCoordinator(ctx, p.GetAccountId(), p.GetProgrammeId())
}

// programme keeps the association's address of each programme.
func programme[T proto.Message](get func(T) *identityv1.Programme) tell[T] {
	return func(ctx context.Context, st *postgres.Store, m consume.Meta, e T) ([]app.Intent, error) {
		p := get(e)
		if p.GetId() == "" {
			return nil, consume.Permanent(errors.New("programme without id"))
		}
		return nil, st.SaveProgrammeEmail(ctx, p.GetId(), p.GetEmail(), m.OccurredAt)
	}
}

// invitation sends an invitation's email: the code is read from identity when sending, never
// kept here.
func (h handlers) invitation(_ context.Context, _ *postgres.Store, m consume.Meta, p *identityeventsv1.InvitationCreated) ([]app.Intent, error) {
	kind, ok := recordKind(p.GetRecordKind())
	if !ok || !ids.Valid(p.GetRecordId()) || p.GetInvitationId() == "" {
		return nil, consume.Permanent(fmt.Errorf("invitation %q of record %q (%v)", p.GetInvitationId(), p.GetRecordId(), p.GetRecordKind()))
	}
	expires := ""
	if p.GetExpireTime() != nil {
		expires = p.GetExpireTime().AsTime().In(message.Paris).Format(time.DateOnly)
	}
	return []app.Intent{{EventID: m.ID, EventTime: m.OccurredAt, ProgrammeID: m.ProgrammeID,
		Topic: notice.Invitation, Kind: kind, RecipientID: p.GetRecordId(),
		Params: postgres.Params{Invitation: p.GetInvitationId(), Date: expires, Path: "/signup"}}}, nil
}

// duplicated tells the owner of an account someone signed up with again.
func (h handlers) duplicated(_ context.Context, _ *postgres.Store, m consume.Meta, p *identityeventsv1.SignupDuplicated) ([]app.Intent, error) {
	if !ids.Valid(p.GetAccountId()) {
		return nil, consume.Permanent(fmt.Errorf("account id %q is not a UUID", p.GetAccountId()))
	}
	return []app.Intent{{EventID: m.ID, EventTime: m.OccurredAt, ProgrammeID: m.ProgrammeID,
		Topic: notice.SignupDuplicated, Kind: notice.Account, RecipientID: p.GetAccountId(),
		Params: postgres.Params{Path: "/login"}}}, nil
}

// accepted records who owns a claimed record.
func (h handlers) accepted(ctx context.Context, st *postgres.Store, m consume.Meta, p *identityeventsv1.InvitationAccepted) ([]app.Intent, error) {
	kind, ok := recordKind(p.GetRecordKind())
	if !ok || !ids.Valid(p.GetRecordId()) {
		return nil, consume.Permanent(fmt.Errorf("record %q (%v)", p.GetRecordId(), p.GetRecordKind()))
	}
	return nil, st.SavePerson(ctx, p.GetRecordId(), kind, m.ProgrammeID, p.GetAccountId(), m.OccurredAt)
}

// meetingTime is the meeting's time a MatchChanged carries, zero when none.
func meetingTime(m *matchingeventsv1.MatchChanged) time.Time {
	if m.GetMeetingTime() == nil {
		return time.Time{}
	}
	return m.GetMeetingTime().AsTime()
}
