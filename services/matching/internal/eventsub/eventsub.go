// Package eventsub fills the matching pool from the hosts' and students' events (matching
// never calls those services): durable consumers "matching-hosts" and "matching-students",
// each event handled once in its inbox transaction (platform/consume). Which events carry
// which copy is a table of the catalogue's events (hostCopies, roomCopies, …), not a switch on
// subjects. A third consumer, "matching-contracts", follows the contracts of approved matches
// (contracts.go); a fourth, "matching-desk", the desk's documents (documents.go).
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
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

// Consumer is the name under which the matching service claims the pool's events in its
// inbox (both "matching-hosts" and "matching-students").
const Consumer = "matching"

// Consumers returns the durable consumers of the HOSTS, STUDENTS and CONTRACTS streams. The
// CONTRACTS stream is the contracts service's: natsx.Consumer waits until it exists.
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	hosts := slices.Concat(
		[]consume.Handler{consume.On(hostsevents.RoomPublished, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *hostseventsv1.RoomPublished) error {
			// The room comes with its host, so that it is scored at once.
			if err := saveHost(ctx, tx, m, p.GetHost()); err != nil {
				return err
			}
			return saveRoom(ctx, tx, m, p.GetRoom())
		})},
		copies(roomCopiesUpdated, (*hostseventsv1.RoomUpdated).GetRoom, saveRoom),
		copies(roomCopiesWithdrawn, (*hostseventsv1.RoomWithdrawn).GetRoom, saveRoom),
		copies(hostCopiesUpdated, (*hostseventsv1.HostUpdated).GetHost, saveHost),
		copies(hostCopiesVerified, (*hostseventsv1.HostVerified).GetHost, saveHost),
		copies(hostCopiesStatus, (*hostseventsv1.HostStatusChanged).GetHost, saveHost),
	)
	students := slices.Concat(
		[]consume.Handler{
			consume.On(studentsevents.ApplicationSubmitted, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *studentseventsv1.ApplicationSubmitted) error {
				if err := saveStudent(ctx, tx, m, p.GetStudent()); err != nil {
					return err
				}
				return saveApplication(ctx, tx, m, p.GetApplication())
			}),
			consume.On(studentsevents.ApplicationWithdrawn, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *studentseventsv1.ApplicationWithdrawn) error {
				// After the save (see the package comment): the student has left, her matches go.
				if err := saveApplication(ctx, tx, m, p.GetApplication()); err != nil {
					return err
				}
				return a.CancelMatchesOfWithdrawnApplication(ctx, tx, p.GetApplication().GetApplicationId())
			}),
		},
		copies(applicationCopies, (*studentseventsv1.ApplicationStatusChanged).GetApplication, saveApplication),
		copies(studentCopiesUpdated, (*studentseventsv1.StudentUpdated).GetStudent, saveStudent),
		copies(studentCopiesVerified, (*studentseventsv1.StudentVerified).GetStudent, saveStudent),
		copies(studentCopiesStatus, (*studentseventsv1.StudentStatusChanged).GetStudent, saveStudent),
	)
	return []*natsx.Consumer{
		consume.Group{Durable: Consumer + "-hosts", Inbox: Consumer, DB: db, Handlers: hosts}.Consumer(log),
		consume.Group{Durable: Consumer + "-students", Inbox: Consumer, DB: db, Handlers: students}.Consumer(log),
		contractsConsumer(db, a, log),
	}
}

// The events that carry the newest copy of one record and nothing else the pool acts on, by
// payload type. A reserved or occupied room leaves the pool; released (PUBLISHED again), it
// returns: the copy's status says so. host.registered, room.created and student.registered
// are not followed: a record enters the pool with its publication or application.
var (
	roomCopiesUpdated = []eventcat.Event[*hostseventsv1.RoomUpdated]{
		hostsevents.RoomUpdated, hostsevents.RoomReserved, hostsevents.RoomOccupied, hostsevents.RoomReleased,
	}
	roomCopiesWithdrawn = []eventcat.Event[*hostseventsv1.RoomWithdrawn]{hostsevents.RoomWithdrawn}
	hostCopiesUpdated   = []eventcat.Event[*hostseventsv1.HostUpdated]{hostsevents.HostUpdated}
	hostCopiesVerified  = []eventcat.Event[*hostseventsv1.HostVerified]{hostsevents.HostVerified}
	hostCopiesStatus    = []eventcat.Event[*hostseventsv1.HostStatusChanged]{
		hostsevents.HostSuspended, hostsevents.HostReinstated, hostsevents.HostArchived,
	}
	applicationCopies = []eventcat.Event[*studentseventsv1.ApplicationStatusChanged]{
		studentsevents.ApplicationMatched, studentsevents.ApplicationPlaced, studentsevents.ApplicationResubmitted,
	}
	studentCopiesUpdated  = []eventcat.Event[*studentseventsv1.StudentUpdated]{studentsevents.StudentUpdated}
	studentCopiesVerified = []eventcat.Event[*studentseventsv1.StudentVerified]{studentsevents.StudentVerified}
	studentCopiesStatus   = []eventcat.Event[*studentseventsv1.StudentStatusChanged]{
		studentsevents.StudentArchived, studentsevents.StudentPlaced, studentsevents.StudentReleased,
	}
)

// copies handles each of evs by saving the copy of the record its payload carries (get).
func copies[T proto.Message, R any](evs []eventcat.Event[T], get func(T) R, save func(context.Context, pgx.Tx, consume.Meta, R) error) []consume.Handler {
	return consume.OnEach(evs, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p T) error { return save(ctx, tx, m, get(p)) })
}

// saveCopy is the save of one record's copy from an event: its profile translated (of),
// refused for good when an id it holds (ids: its own, and its parent's) is not a UUID, stored
// as of the event's time.
func saveCopy[P, R any](of func(P) R, ids func(R) []string, save func(context.Context, pgx.Tx, R, time.Time) error) func(context.Context, pgx.Tx, consume.Meta, P) error {
	return func(ctx context.Context, tx pgx.Tx, m consume.Meta, p P) error {
		r := of(p)
		if err := consume.IDs(ids(r)...); err != nil {
			return err
		}
		return save(ctx, tx, r, m.OccurredAt)
	}
}

var (
	saveHost        = saveCopy(hostOf, func(h pool.Host) []string { return []string{h.ID} }, postgres.SaveHost)
	saveRoom        = saveCopy(roomOf, func(r pool.Room) []string { return []string{r.ID, r.HostID} }, postgres.SaveRoom)
	saveStudent     = saveCopy(studentOf, func(s pool.Student) []string { return []string{s.ID} }, postgres.SaveStudent)
	saveApplication = saveCopy(applicationOf, func(a pool.Application) []string { return []string{a.ID, a.StudentID} }, postgres.SaveApplication)
)

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
