package service_test

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/matching/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// replicas is several matching services over one database and one NATS: each event is
// consumed by one of them (the durable consumers are shared), and every one must rank from
// the pool as the database has it.
type replicas struct {
	env
	clients []matchingv1.MatchingServiceClient
	store   *postgres.Store
	builds  *builds
}

// builds counts, from the replicas' logs, how their in-memory pools were made: read whole
// from the database, or patched with what changed since the version they held.
type builds struct{ whole, patched atomic.Int64 }

func (b *builds) Enabled(context.Context, slog.Level) bool { return true }
func (b *builds) WithAttrs([]slog.Attr) slog.Handler       { return b }
func (b *builds) WithGroup(string) slog.Handler            { return b }
func (b *builds) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "matching pool built" {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key != "how" {
			return true
		}
		if strings.HasPrefix(a.Value.String(), "patched") {
			b.patched.Add(1)
		} else {
			b.whole.Add(1)
		}
		return false
	})
	return nil
}

func startReplicas(t *testing.T, n int) *replicas {
	t.Helper()
	url := svctest.DatabaseURL(t, "matching", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	r := &replicas{env: env{issuer: issuer}, builds: &builds{}}
	r.js = svctest.JetStream(t, ns.URL())
	for _, s := range []natsx.Stream{{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()}, {Name: studentsevents.Stream.Name, Subjects: studentsevents.Stream.Subjects()},
		{Name: contractsevents.Stream.Name, Subjects: contractsevents.Stream.Subjects()}, {Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}} {
		if err := natsx.EnsureStream(context.Background(), r.js, s); err != nil {
			t.Fatal(err)
		}
	}
	for range n {
		cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
			return service.Run(ctx, service.Config{Config: boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready}}, slog.New(r.builds))
		})
		r.clients = append(r.clients, matchingv1.NewMatchingServiceClient(cc))
	}
	db, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	r.store = postgres.New(db)
	r.coord, _ = r.as(t, auth.RoleCoordinator, lyon)
	return r
}

// ranked is one line of a ranking: who, with which score.
type ranked struct {
	id    string
	score float64
}

// fresh ranks from the database, the way rankings were computed before they were kept in
// memory: every room of the pool against every application (score.Rank), sorted by points
// then id. Candidates by room, suggestions by student.
func (r *replicas) fresh(t *testing.T) (map[string][]ranked, map[string][]ranked) {
	t.Helper()
	ctx := context.Background()
	offers, err := r.store.Offers(ctx, lyon)
	if err != nil {
		t.Fatal(err)
	}
	seekers, err := r.store.Seekers(ctx, lyon)
	if err != nil {
		t.Fatal(err)
	}
	langs := score.NewLanguageTable()
	type line struct {
		id     string
		points int
	}
	cands, suggs := map[string][]line{}, map[string][]line{}
	for _, s := range seekers {
		suggs[s.Student.ID] = []line{}
	}
	for _, o := range offers {
		cands[o.Room.ID] = []line{}
		for _, s := range seekers {
			if res := score.Rank(o.ScoreRoom(langs), s.ScoreStudent(langs), score.Weights{}); res.Feasible() {
				cands[o.Room.ID] = append(cands[o.Room.ID], line{s.Student.ID, res.Points})
				suggs[s.Student.ID] = append(suggs[s.Student.ID], line{o.Room.ID, res.Points})
			}
		}
	}
	sorted := func(m map[string][]line) map[string][]ranked {
		out := map[string][]ranked{}
		for k, ls := range m {
			slices.SortFunc(ls, func(x, y line) int { return cmp.Or(y.points-x.points, cmp.Compare(x.id, y.id)) })
			out[k] = []ranked{}
			for _, l := range ls {
				out[k] = append(out[k], ranked{l.id, float64(l.points) / 100})
			}
		}
		return out
	}
	return sorted(cands), sorted(suggs)
}

// candidates reads a room's whole ranking from one replica, page by page (the first page is
// a top-K search, the next ones cut after the token).
func (r *replicas) candidates(c matchingv1.MatchingServiceClient, roomID string) ([]ranked, error) {
	var out []ranked
	token := ""
	for {
		res, err := c.ListCandidates(r.coord, &matchingv1.ListCandidatesRequest{RoomId: roomID, PageSize: 4, PageToken: token})
		if err != nil {
			return nil, err
		}
		for _, x := range res.GetCandidates() {
			out = append(out, ranked{x.GetStudentId(), x.GetScore()})
		}
		if token = res.GetNextPageToken(); token == "" {
			return out, nil
		}
	}
}

func (r *replicas) suggestions(c matchingv1.MatchingServiceClient, studentID string) ([]ranked, error) {
	var out []ranked
	token := ""
	for {
		res, err := c.ListSuggestions(r.coord, &matchingv1.ListSuggestionsRequest{StudentId: studentID, PageSize: 2, PageToken: token})
		if err != nil {
			return nil, err
		}
		for _, x := range res.GetSuggestions() {
			out = append(out, ranked{x.GetRoomId(), x.GetScore()})
		}
		if token = res.GetNextPageToken(); token == "" {
			return out, nil
		}
	}
}

// change publishes one event and waits until its transaction has committed (the pool's
// version moved past what it was). The check that follows has no retry: from that commit on,
// a ranking that does not reflect the change is stale.
func (r *replicas) change(t *testing.T, what string, publish func()) {
	t.Helper()
	ctx := context.Background()
	before, err := r.store.PoolVersion(ctx, lyon)
	if err != nil {
		t.Fatal(err)
	}
	publish()
	eventually(t, what+": the pool's version", func() error {
		v, err := r.store.PoolVersion(ctx, lyon)
		if err != nil || v <= before {
			return fmt.Errorf("version %d (was %d): %v", v, before, err)
		}
		return nil
	})
}

// check compares every replica's rankings with a fresh computation from the database: the
// candidates of every room (those out of the pool must say so) and the suggestions of every
// student with an open application.
func (r *replicas) check(t *testing.T, what string, rooms ...string) {
	t.Helper()
	cands, suggs := r.fresh(t)
	for i, c := range r.clients {
		for _, room := range rooms {
			want, inPool := cands[room]
			got, err := r.candidates(c, room)
			switch {
			case !inPool && grpcx.Reason(err) != "ROOM_NOT_IN_POOL":
				t.Errorf("%s: replica %d, room %s is out of the pool, candidates say %v %v", what, i, room, got, err)
			case inPool && err != nil:
				t.Errorf("%s: replica %d, room %s: %v", what, i, room, err)
			case inPool && !slices.Equal(got, want):
				t.Errorf("%s: replica %d, room %s: candidates\n%v\nfresh from the database\n%v", what, i, room, got, want)
			}
		}
		for student, want := range suggs {
			got, err := r.suggestions(c, student)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%s: replica %d, student %s: suggestions %v %v, fresh from the database %v", what, i, student, got, err, want)
			}
		}
	}
}

// TestRankingsFromMemoryFollowEveryPoolChange: two replicas rank from their in-memory pools;
// after every kind of change of the pool (a room published, withdrawn, reserved, released;
// an application submitted, withdrawn; the programme's settings; a match accepted, which
// takes its room and student out, and cancelled, which gives them back), as soon as its transaction has committed, both answer
// exactly what a fresh computation from the database gives, although only one of them
// consumed the event.
func TestRankingsFromMemoryFollowEveryPoolChange(t *testing.T) {
	t.Parallel()
	r := startReplicas(t, 2)
	rng := rand.New(rand.NewPCG(7, 19))

	var hosts []*hostseventsv1.HostProfile
	var rooms []*hostseventsv1.RoomProfile
	var roomIDs []string
	newRoom := func() *hostseventsv1.RoomProfile {
		h := hostProfile("")
		h.Lat, h.Lng = 45.72+rng.Float64()*0.08, 4.80+rng.Float64()*0.10
		h.HoursWantedPerWeek = int32(rng.IntN(8))
		room := roomProfile(h)
		room.MonthlyContributionCents = int32(10000 + rng.IntN(8000))
		hosts, rooms, roomIDs = append(hosts, h), append(rooms, room), append(roomIDs, room.GetRoomId())
		return room
	}
	type applicant struct {
		s *studentseventsv1.StudentProfile
		a *studentseventsv1.ApplicationProfile
	}
	var applicants []applicant
	newApplicant := func() applicant {
		s := studentProfile("")
		s.StudyLat, s.StudyLng = 45.72+rng.Float64()*0.08, 4.80+rng.Float64()*0.10
		s.HoursOfferedPerWeek, s.NightsPresentPerWeek = int32(rng.IntN(10)), int32(rng.IntN(7))
		s.MaxCommuteKm = int32(6 + rng.IntN(10))
		a := applicationProfile(s)
		a.BudgetCents = int32(14000 + rng.IntN(10000))
		applicants = append(applicants, applicant{s, a})
		return applicant{s, a}
	}
	for range 3 {
		room := newRoom()
		r.publishRoom(t, hosts[len(hosts)-1], room)
	}
	for range 12 {
		ap := newApplicant()
		r.submit(t, ap.s, ap.a)
	}
	eventually(t, "the pool", func() error {
		offers, err := r.store.Offers(context.Background(), lyon)
		if err != nil {
			return err
		}
		seekers, err := r.store.Seekers(context.Background(), lyon)
		if err != nil {
			return err
		}
		if len(offers) != 3 || len(seekers) != 12 {
			return fmt.Errorf("%d rooms and %d applications so far", len(offers), len(seekers))
		}
		return nil
	})
	// Both replicas now hold the pool in memory; every change below must replace it.
	r.check(t, "initial", roomIDs...)
	// From here on each change of pool rows is applied to the pool each replica holds (what
	// changed since its version, read again), never by reading the whole pool: only the
	// settings, a change of anything, are.
	whole := r.builds.whole.Load()
	patched := func(what string) {
		t.Helper()
		if n := r.builds.whole.Load() - whole; n != 0 {
			t.Errorf("%s: %d whole reads of the pool, want every replica to patch the one it holds", what, n)
		}
		whole = r.builds.whole.Load()
	}
	cands, _ := r.fresh(t)
	if n := len(cands[roomIDs[0]]); n < 3 {
		t.Fatalf("the fixture ranks only %d students for the first room: nothing to compare", n)
	}

	r.change(t, "room published", func() {
		room := newRoom()
		r.publishRoom(t, hosts[len(hosts)-1], room)
	})
	r.check(t, "room published", roomIDs...)
	patched("room published")

	wd := clone(rooms[1])
	wd.Status = "WITHDRAWN"
	r.change(t, "room withdrawn", func() {
		svctest.Publish(t, r.js, hostsevents.RoomWithdrawn.Subject, lyon, &hostseventsv1.RoomWithdrawn{Room: wd})
	})
	r.check(t, "room withdrawn", roomIDs...)
	patched("room withdrawn")

	res := clone(rooms[0])
	res.Status = "RESERVED"
	r.change(t, "room reserved", func() {
		svctest.Publish(t, r.js, hostsevents.RoomReserved.Subject, lyon, &hostseventsv1.RoomUpdated{Room: res})
	})
	r.check(t, "room reserved", roomIDs...)
	patched("room reserved")
	r.change(t, "room released", func() {
		svctest.Publish(t, r.js, hostsevents.RoomReleased.Subject, lyon, &hostseventsv1.RoomUpdated{Room: clone(rooms[0])})
	})
	r.check(t, "room released", roomIDs...)
	patched("room released")

	r.change(t, "application submitted", func() {
		ap := newApplicant()
		r.submit(t, ap.s, ap.a)
	})
	r.check(t, "application submitted", roomIDs...)
	patched("application submitted")

	// The best candidate of the first room withdraws: the ranking must move.
	best, err := r.candidates(r.clients[0], roomIDs[0])
	if err != nil || len(best) == 0 {
		t.Fatalf("candidates of the first room: %v %v", best, err)
	}
	for _, ap := range applicants {
		if ap.s.GetStudentId() != best[0].id {
			continue
		}
		w := clone(ap.a)
		w.Status = "WITHDRAWN"
		r.change(t, "application withdrawn", func() {
			svctest.Publish(t, r.js, studentsevents.ApplicationWithdrawn.Subject, lyon, &studentseventsv1.ApplicationWithdrawn{Application: w})
		})
	}
	r.check(t, "application withdrawn", roomIDs...)
	patched("application withdrawn")
	if after, _ := r.candidates(r.clients[1], roomIDs[0]); slices.ContainsFunc(after, func(x ranked) bool { return x.id == best[0].id }) {
		t.Errorf("the withdrawn student %s is still a candidate: %v", best[0].id, after)
	}

	r.change(t, "settings changed", func() {
		svctest.Publish(t, r.js, identityevents.ProgrammeUpdated.Subject, lyon, &identityeventsv1.ProgrammeUpdated{
			Programme: &identityv1.Programme{Id: lyon, Settings: &identityv1.ProgrammeSettings{ProposalExpiryDays: 3}}})
	})
	r.check(t, "settings changed", roomIDs...)
	whole = r.builds.whole.Load()

	// A host's profile changes the scores of her rooms; a student's, her own.
	h0 := clone(hosts[0])
	h0.HoursWantedPerWeek = (h0.GetHoursWantedPerWeek() + 3) % 8
	h0.Rhythm = typev1.Rhythm_RHYTHM_LATE
	r.change(t, "host updated", func() {
		svctest.Publish(t, r.js, hostsevents.HostUpdated.Subject, lyon, &hostseventsv1.HostUpdated{Host: h0})
	})
	r.check(t, "host updated", roomIDs...)
	patched("host updated")
	s0 := clone(applicants[1].s)
	s0.HoursOfferedPerWeek, s0.MaxCommuteKm = (s0.GetHoursOfferedPerWeek()+5)%10, 30
	r.change(t, "student updated", func() {
		svctest.Publish(t, r.js, studentsevents.StudentUpdated.Subject, lyon, &studentseventsv1.StudentUpdated{Student: s0})
	})
	r.check(t, "student updated", roomIDs...)
	patched("student updated")

	// A match accepted (on replica 0) takes its room and student out of both replicas'
	// rankings at once: the accept's own transaction bumps the version.
	third, err := r.candidates(r.clients[1], roomIDs[2])
	if err != nil || len(third) == 0 {
		t.Fatalf("candidates of the third room: %v %v", third, err)
	}
	c := r.clients[0]
	m, err := c.CreateMatch(r.coord, &matchingv1.CreateMatchRequest{RoomId: roomIDs[2], StudentId: third[0].id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScheduleMeeting(r.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(48 * time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptMatch(r.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_STUDENT}); err != nil {
		t.Fatal(err)
	}
	if m, err = c.AcceptMatch(r.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_HOST}); err != nil || m.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED {
		t.Fatalf("accept: %v %v", m, err)
	}
	r.check(t, "match accepted", roomIDs...)
	patched("match accepted")
	if _, err := r.candidates(r.clients[1], roomIDs[2]); grpcx.Reason(err) != "ROOM_NOT_IN_POOL" {
		t.Errorf("the accepted match's room is still ranked on replica 1: %v", err)
	}
	if _, err := c.CancelMatch(r.coord, &matchingv1.CancelMatchRequest{Id: m.GetId(), Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	r.check(t, "match cancelled", roomIDs...)
	patched("match cancelled")
	if n := r.builds.patched.Load(); n < 2*10 {
		t.Errorf("%d pools patched, want at least one per replica and change (20)", n)
	}
}

// TestPoolVersionIgnoresWhatRankingsDoNotSee: an event delivered twice (the same profile
// again) and a proposal (PROPOSED takes nothing out of the pool) leave the version alone, so that
// no replica rebuilds for nothing.
func TestPoolVersionIgnoresWhatRankingsDoNotSee(t *testing.T) {
	t.Parallel()
	r := startReplicas(t, 1)
	h := hostProfile("")
	room := roomProfile(h)
	r.publishRoom(t, h, room)
	s := studentProfile("")
	a := applicationProfile(s)
	submitted := r.submit(t, s, a)
	eventually(t, "the pool", func() error {
		got, err := r.candidates(r.clients[0], room.GetRoomId())
		if err != nil || len(got) != 1 {
			return fmt.Errorf("candidates %v %v", got, err)
		}
		return nil
	})
	ctx := context.Background()
	v0, err := r.store.PoolVersion(ctx, lyon)
	if err != nil || v0 == 0 {
		t.Fatalf("version %d: %v", v0, err)
	}
	// The same submission again, as a new event (another id: the inbox lets it through).
	again := clone(submitted)
	again.Id = "00000000-0000-4000-8000-000000000001"
	svctest.PublishEnvelope(t, r.js, again)
	// A marker on the same stream: once it is consumed, so is the redelivery.
	s2 := studentProfile("")
	r.submit(t, s2, applicationProfile(s2))
	eventually(t, "the marker", func() error {
		got, err := r.candidates(r.clients[0], room.GetRoomId())
		if err != nil || len(got) != 2 {
			return fmt.Errorf("candidates %v %v", got, err)
		}
		return nil
	})
	v1, err := r.store.PoolVersion(ctx, lyon)
	if err != nil {
		t.Fatal(err)
	}
	// The marker inserts two rows (its student, its application): two bumps, and nothing else.
	if v1 != v0+2 {
		t.Errorf("version %d after the redelivery and one new application (was %d): want %d", v1, v0, v0+2)
	}
	// (After the redelivery is consumed: a proposal and an event of the same student at once
	// may deadlock on their row locks, which is not what this test is about.)
	if _, err := r.clients[0].CreateMatch(r.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId()}); err != nil {
		t.Fatal(err)
	}
	if v2, err := r.store.PoolVersion(ctx, lyon); err != nil || v2 != v1 {
		t.Errorf("version %d after a proposal (was %d): %v", v2, v1, err)
	}
}
