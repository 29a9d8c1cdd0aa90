// Package eventsub fills the matching pool from the hosts' and students' events (matching
// never calls those services): durable consumers "matching-hosts" and "matching-students",
// each event handled once through the inbox. A third, "matching-contracts", follows the
// contracts of approved matches (see contracts.go).
//
// No event needs another to have arrived first: every host, room, student and application
// event carries the record's whole profile, and each is stored as the newest copy of its
// record (postgres.Save*: an older event never overwrites a newer one). Pool membership is
// then a rule over the copies' statuses (pool.Offer.InPool, pool.Seeker.InPool): a host
// suspended before its room's publication is consumed still keeps the room out; a
// host.updated that comes before room.published simply waits in pool_hosts.
//
// One event does more than copy: application.withdrawn also cancels the matches still under
// way of that application (app.CancelMatchesOfWithdrawnApplication), in the same inbox
// transaction, after the application's copy is saved. Saving first matters: a proposal or an
// approval holds a share lock on the application's copy, so the withdrawal waits for it to
// commit and then finds, and cancels, the match it made.
package eventsub

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

// Consumer is the name under which the matching service claims events in its inbox.
const Consumer = "matching"

// Consumers returns the durable consumers of the HOSTS, STUDENTS and CONTRACTS streams. The
// CONTRACTS stream is the contracts service's: natsx.Consumer waits until it exists.
func Consumers(db *pgxpool.Pool, a *app.App, log *slog.Logger) []*natsx.Consumer {
	h := &handler{db: db, app: a}
	return []*natsx.Consumer{
		{Stream: "HOSTS", Durable: Consumer + "-hosts", Subjects: []string{"cohabit.hosts.>"}, Handle: h.handle, Log: log},
		{Stream: "STUDENTS", Durable: Consumer + "-students", Subjects: []string{"cohabit.students.>"}, Handle: h.handle, Log: log},
		contractsConsumer(a, log),
	}
}

type handler struct {
	db  *pgxpool.Pool
	app *app.App
}

// SubjectApplicationWithdrawn is the students' event that takes an application out of the
// pool and cancels its matches under way.
const SubjectApplicationWithdrawn = "cohabit.students.application.withdrawn"

// write is one event's change of the pool (or of its matches), run in the inbox transaction.
type write func(ctx context.Context, tx pgx.Tx) error

// handle decodes e into the pool writes it implies and applies them once. What no retry can
// fix (an undecodable payload, ids that are not UUIDs) is terminated; a database failure is
// retried later (natsx naks it).
func (h *handler) handle(ctx context.Context, e *eventsv1.Envelope) error {
	w, err := h.writesOf(e)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
	}
	if len(w) == 0 {
		return nil // a fact the pool does not depend on (room.created, host.registered…)
	}
	return inbox.Handle(ctx, h.db, Consumer, e.GetId(), func(tx pgx.Tx) error {
		for _, f := range w {
			if err := f(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
}

func (h *handler) writesOf(e *eventsv1.Envelope) ([]write, error) {
	at := e.GetOccurredAt().AsTime()
	withdrawn := false
	var hp *hostseventsv1.HostProfile
	var rp *hostseventsv1.RoomProfile
	var sp *studentseventsv1.StudentProfile
	var ap *studentseventsv1.ApplicationProfile
	switch t := e.GetType(); {
	case t == "cohabit.hosts.room.published":
		m, err := event.Payload(e, &hostseventsv1.RoomPublished{})
		if err != nil {
			return nil, err
		}
		rp, hp = m.GetRoom(), m.GetHost()
	case t == "cohabit.hosts.room.updated", t == "cohabit.hosts.room.reserved", t == "cohabit.hosts.room.occupied",
		t == "cohabit.hosts.room.released":
		// A reserved or occupied room leaves the pool; released (PUBLISHED again), it returns.
		m, err := event.Payload(e, &hostseventsv1.RoomUpdated{})
		if err != nil {
			return nil, err
		}
		rp = m.GetRoom()
	case t == "cohabit.hosts.room.withdrawn":
		m, err := event.Payload(e, &hostseventsv1.RoomWithdrawn{})
		if err != nil {
			return nil, err
		}
		rp = m.GetRoom()
	case t == "cohabit.hosts.host.updated":
		m, err := event.Payload(e, &hostseventsv1.HostUpdated{})
		if err != nil {
			return nil, err
		}
		hp = m.GetHost()
	case t == "cohabit.hosts.host.verified":
		m, err := event.Payload(e, &hostseventsv1.HostVerified{})
		if err != nil {
			return nil, err
		}
		hp = m.GetHost()
	case t == "cohabit.hosts.host.suspended", t == "cohabit.hosts.host.reinstated", t == "cohabit.hosts.host.archived":
		m, err := event.Payload(e, &hostseventsv1.HostStatusChanged{})
		if err != nil {
			return nil, err
		}
		hp = m.GetHost()
	case t == "cohabit.students.application.submitted":
		m, err := event.Payload(e, &studentseventsv1.ApplicationSubmitted{})
		if err != nil {
			return nil, err
		}
		ap, sp = m.GetApplication(), m.GetStudent()
	case t == SubjectApplicationWithdrawn:
		m, err := event.Payload(e, &studentseventsv1.ApplicationWithdrawn{})
		if err != nil {
			return nil, err
		}
		ap, withdrawn = m.GetApplication(), true
	case strings.HasPrefix(t, "cohabit.students.application."): // matched, placed, resubmitted
		m, err := event.Payload(e, &studentseventsv1.ApplicationStatusChanged{})
		if err != nil {
			return nil, err
		}
		ap = m.GetApplication()
	case t == "cohabit.students.student.updated":
		m, err := event.Payload(e, &studentseventsv1.StudentUpdated{})
		if err != nil {
			return nil, err
		}
		sp = m.GetStudent()
	case t == "cohabit.students.student.verified":
		m, err := event.Payload(e, &studentseventsv1.StudentVerified{})
		if err != nil {
			return nil, err
		}
		sp = m.GetStudent()
	case t == "cohabit.students.student.archived", t == "cohabit.students.student.placed", t == "cohabit.students.student.released":
		m, err := event.Payload(e, &studentseventsv1.StudentStatusChanged{})
		if err != nil {
			return nil, err
		}
		sp = m.GetStudent()
	}
	var out []write
	if hp != nil {
		h := hostOf(hp)
		if !ids.Valid(h.ID) {
			return nil, fmt.Errorf("host id %q is not a UUID", h.ID)
		}
		out = append(out, func(ctx context.Context, tx pgx.Tx) error { return postgres.SaveHost(ctx, tx, h, at) })
	}
	if rp != nil {
		r := roomOf(rp)
		if !ids.Valid(r.ID) || !ids.Valid(r.HostID) {
			return nil, fmt.Errorf("room id %q or host id %q is not a UUID", r.ID, r.HostID)
		}
		out = append(out, func(ctx context.Context, tx pgx.Tx) error { return postgres.SaveRoom(ctx, tx, r, at) })
	}
	if sp != nil {
		s := studentOf(sp)
		if !ids.Valid(s.ID) {
			return nil, fmt.Errorf("student id %q is not a UUID", s.ID)
		}
		out = append(out, func(ctx context.Context, tx pgx.Tx) error { return postgres.SaveStudent(ctx, tx, s, at) })
	}
	if ap != nil {
		a := applicationOf(ap)
		if !ids.Valid(a.ID) || !ids.Valid(a.StudentID) {
			return nil, fmt.Errorf("application id %q or student id %q is not a UUID", a.ID, a.StudentID)
		}
		out = append(out, func(ctx context.Context, tx pgx.Tx) error { return postgres.SaveApplication(ctx, tx, a, at) })
		if withdrawn {
			// After the save (see the package comment): the student has left, her matches go.
			out = append(out, func(ctx context.Context, tx pgx.Tx) error {
				return h.app.CancelMatchesOfWithdrawnApplication(ctx, tx, a.ID)
			})
		}
	}
	return out, nil
}

func serviceNames(s []typev1.Service) []string {
	out := make([]string, 0, len(s))
	for _, x := range s {
		if n := protoenum.Name(x, typev1.Service_name, "SERVICE_"); n != "" && n != protoenum.Unknown {
			out = append(out, n)
		}
	}
	return out
}

func hostOf(p *hostseventsv1.HostProfile) pool.Host {
	return pool.Host{
		ID: p.GetHostId(), ProgrammeID: p.GetProgrammeId(), Status: p.GetStatus(), OwnerAccountID: p.GetOwnerAccountId(),
		DisplayName: p.GetDisplayName(), Age: int(p.GetAge()), City: p.GetCity(), Lat: p.GetLat(), Lng: p.GetLng(),
		Approximate: p.GetApproximatePosition(),
		Languages:   p.GetLanguages(), Smokes: p.GetSmokes(), HasPets: p.GetHasPets(),
		ServicesWanted: serviceNames(p.GetServicesWanted()), HoursWanted: int(p.GetHoursWantedPerWeek()),
		NightsWanted:     int(p.GetNightsWantedPerWeek()),
		Rhythm:           protoenum.Name(p.GetRhythm(), typev1.Rhythm_name, "RHYTHM_"),
		GenderPreference: protoenum.Name(p.GetGenderPreference(), typev1.Gender_name, "GENDER_"),
		Assisted:         p.GetAssisted(),
	}
}

func roomOf(p *hostseventsv1.RoomProfile) pool.Room {
	return pool.Room{
		ID: p.GetRoomId(), HostID: p.GetHostId(), ProgrammeID: p.GetProgrammeId(), Status: p.GetStatus(),
		Title: p.GetTitle(), AreaM2: p.GetAreaM2(), ContributionCents: int(p.GetMonthlyContributionCents()),
		FormulaID: p.GetFormulaId(), AvailableFrom: p.GetAvailableFrom(), AvailableUntil: p.GetAvailableUntil(),
		MinStayMonths: int(p.GetMinStayMonths()), SmokingAllowed: p.GetSmokingAllowed(), PetsAllowed: p.GetPetsAllowed(),
		City: p.GetCity(), SharedSpaces: p.GetSharedSpaces(),
	}
}

func studentOf(p *studentseventsv1.StudentProfile) pool.Student {
	return pool.Student{
		ID: p.GetStudentId(), ProgrammeID: p.GetProgrammeId(), Status: p.GetStatus(), OwnerAccountID: p.GetOwnerAccountId(),
		DisplayName: p.GetDisplayName(), Age: int(p.GetAge()), StudyCity: p.GetStudyCity(),
		StudyLat: p.GetStudyLat(), StudyLng: p.GetStudyLng(), MaxCommuteKm: int(p.GetMaxCommuteKm()),
		StudyApproximate: p.GetStudyPlaceApproximate(),
		Languages:        p.GetLanguages(), Smokes: p.GetSmokes(), HasPets: p.GetHasPets(),
		AcceptsSmokers: p.GetAcceptsSmokers(), AcceptsPets: p.GetAcceptsPets(),
		Gender:          protoenum.Name(p.GetGender(), typev1.Gender_name, "GENDER_"),
		ServicesOffered: serviceNames(p.GetServicesOffered()),
		HoursOffered:    int(p.GetHoursOfferedPerWeek()), NightsPresent: int(p.GetNightsPresentPerWeek()),
		Rhythm: protoenum.Name(p.GetRhythm(), typev1.Rhythm_name, "RHYTHM_"),
	}
}

func applicationOf(p *studentseventsv1.ApplicationProfile) pool.Application {
	return pool.Application{
		ID: p.GetApplicationId(), StudentID: p.GetStudentId(), ProgrammeID: p.GetProgrammeId(), Status: p.GetStatus(),
		BudgetCents: int(p.GetBudgetCents()), MoveIn: p.GetMoveInDate(), MoveOut: p.GetMoveOutDate(), RoomID: p.GetRoomId(),
	}
}
