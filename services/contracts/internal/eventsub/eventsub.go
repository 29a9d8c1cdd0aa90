// Package eventsub holds the contracts service's durable consumers of other services' events:
// approved and cancelled matches (MATCHING), and the hosts' and students' profiles (HOSTS,
// STUDENTS), which say who owns each party's record and their name. Each event is handled
// once per consumer (platform/inbox): claiming it and applying it commit together.
package eventsub

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Durable names, "<consumer>-<source>"; each is also the consumer's name in the inbox.
const (
	DurableMatching = "contracts-matching"
	DurableHosts    = "contracts-hosts"
	DurableStudents = "contracts-students"
)

// Consumers returns the service's consumers of other services' streams. An event no retry
// makes usable (app.ErrBadEvent, a refusal) is terminated (platform/consume).
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	return []*natsx.Consumer{Matching(db, a, log), Hosts(db, a, log), Students(db, a, log)}
}

// Matching drafts a contract for each approved match, and cancels it when the match is
// cancelled after its approval.
func Matching(db pg.Beginner, a *app.App, log *slog.Logger) *natsx.Consumer {
	return consume.Group{Durable: DurableMatching, DB: db, Handlers: []consume.Handler{
		consume.On(matchingevents.MatchApproved, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, m *matchingeventsv1.MatchApproved) error {
			return a.DraftFromMatch(ctx, tx, m, a.Now())
		}),
		consume.On(matchingevents.MatchCancelled, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, m *matchingeventsv1.MatchChanged) error {
			return a.CancelFromMatch(ctx, tx, m, a.Now())
		}),
	}}.Consumer(log)
}

// The host and student events that carry a profile, by payload type: each says who owns the
// record and its name now.
var (
	hostRegistered = []eventcat.Event[*hostseventsv1.HostRegistered]{hostsevents.HostRegistered}
	hostUpdated    = []eventcat.Event[*hostseventsv1.HostUpdated]{hostsevents.HostUpdated}
	hostVerified   = []eventcat.Event[*hostseventsv1.HostVerified]{hostsevents.HostVerified}
	hostStatus     = []eventcat.Event[*hostseventsv1.HostStatusChanged]{
		hostsevents.HostSuspended, hostsevents.HostReinstated, hostsevents.HostArchived,
	}
	studentRegistered = []eventcat.Event[*studentseventsv1.StudentRegistered]{studentsevents.StudentRegistered}
	studentUpdated    = []eventcat.Event[*studentseventsv1.StudentUpdated]{studentsevents.StudentUpdated}
	studentVerified   = []eventcat.Event[*studentseventsv1.StudentVerified]{studentsevents.StudentVerified}
	studentStatus     = []eventcat.Event[*studentseventsv1.StudentStatusChanged]{
		studentsevents.StudentArchived, studentsevents.StudentPlaced, studentsevents.StudentReleased,
	}
)

// Hosts copies each host's owner account, name and assisted flag.
func Hosts(db pg.Beginner, a *app.App, log *slog.Logger) *natsx.Consumer {
	save := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *hostseventsv1.HostProfile) error {
		return a.SaveParty(ctx, tx, contract.PartyHost, p.GetHostId(), p.GetProgrammeId(), p.GetOwnerAccountId(), p.GetDisplayName(), p.GetAssisted(), m.OccurredAt)
	}
	return consume.Group{Durable: DurableHosts, DB: db, Handlers: concat(
		profiles(hostRegistered, (*hostseventsv1.HostRegistered).GetHost, save),
		profiles(hostUpdated, (*hostseventsv1.HostUpdated).GetHost, save),
		profiles(hostVerified, (*hostseventsv1.HostVerified).GetHost, save),
		profiles(hostStatus, (*hostseventsv1.HostStatusChanged).GetHost, save),
	)}.Consumer(log)
}

// Students copies each student's owner account and name.
func Students(db pg.Beginner, a *app.App, log *slog.Logger) *natsx.Consumer {
	save := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *studentseventsv1.StudentProfile) error {
		return a.SaveParty(ctx, tx, contract.PartyStudent, p.GetStudentId(), p.GetProgrammeId(), p.GetOwnerAccountId(), p.GetDisplayName(), false, m.OccurredAt)
	}
	return consume.Group{Durable: DurableStudents, DB: db, Handlers: concat(
		profiles(studentRegistered, (*studentseventsv1.StudentRegistered).GetStudent, save),
		profiles(studentUpdated, (*studentseventsv1.StudentUpdated).GetStudent, save),
		profiles(studentVerified, (*studentseventsv1.StudentVerified).GetStudent, save),
		profiles(studentStatus, (*studentseventsv1.StudentStatusChanged).GetStudent, save),
	)}.Consumer(log)
}

// profiles handles each of evs by saving the profile its payload carries (get). A payload
// without one changes nothing.
func profiles[T proto.Message, P comparable](evs []eventcat.Event[T], get func(T) P, save func(context.Context, pgx.Tx, consume.Meta, P) error) []consume.Handler {
	return consume.OnEach(evs, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p T) error {
		var none P
		if prof := get(p); prof != none {
			return save(ctx, tx, m, prof)
		}
		return nil
	})
}

func concat(hs ...[]consume.Handler) []consume.Handler {
	var out []consume.Handler
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}
