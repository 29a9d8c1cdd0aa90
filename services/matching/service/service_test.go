package service_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/grpcapi"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/matching/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

type env struct {
	client matchingv1.MatchingServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
	// shift moves the service's clock forward.
	shift atomic.Int64
	coord context.Context
}

const lyon = "lyon"

func start(t testing.TB) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "matching", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	e := &env{issuer: issuer}
	e.js = svctest.JetStream(t, ns.URL())
	// The hosts, students and contracts services own these streams; here the test plays their
	// part.
	for _, s := range []natsx.Stream{{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()}, {Name: studentsevents.Stream.Name, Subjects: studentsevents.Stream.Subjects()},
		{Name: contractsevents.Stream.Name, Subjects: contractsevents.Stream.Subjects()}} {
		if err := natsx.EnsureStream(context.Background(), e.js, s); err != nil {
			t.Fatal(err)
		}
	}
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:         boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			ExpiryInterval: 100 * time.Millisecond,
			Now:            func() time.Time { return time.Now().Add(time.Duration(e.shift.Load())) },
		}, logging.Discard())
	})
	e.client = matchingv1.NewMatchingServiceClient(cc)
	e.coord, _ = e.as(t, auth.RoleCoordinator, lyon)
	return e
}

func (e *env) as(t testing.TB, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	return svctest.As(t, e.issuer, role, programme)
}

// --- fixtures: what the hosts and students services would publish.

func hostProfile(owner string) *hostseventsv1.HostProfile {
	return &hostseventsv1.HostProfile{
		HostId: uuid.NewString(), ProgrammeId: lyon, Status: "VERIFIED", DisplayName: "Jeanne", Age: 78, City: "Lyon",
		Lat: 45.76, Lng: 4.85, Languages: []string{"fr"},
		ServicesWanted:     []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS},
		HoursWantedPerWeek: 5, NightsWantedPerWeek: 4, Rhythm: typev1.Rhythm_RHYTHM_EARLY, Assisted: owner == "",
		OwnerAccountId: owner,
	}
}

func roomProfile(h *hostseventsv1.HostProfile) *hostseventsv1.RoomProfile {
	return &hostseventsv1.RoomProfile{
		RoomId: uuid.NewString(), HostId: h.GetHostId(), ProgrammeId: h.GetProgrammeId(), Status: "PUBLISHED",
		Title: "Chambre sur jardin", AreaM2: 12, MonthlyContributionCents: 15000, FormulaId: "solidaire",
		AvailableFrom: "2027-01-01", City: "Lyon", SharedSpaces: []string{"cuisine", "jardin"},
	}
}

func studentProfile(owner string) *studentseventsv1.StudentProfile {
	return &studentseventsv1.StudentProfile{
		StudentId: uuid.NewString(), ProgrammeId: lyon, Status: "VERIFIED", DisplayName: "Léa", Age: 20,
		StudyCity: "Lyon", StudyLat: 45.76, StudyLng: 4.85, MaxCommuteKm: 10, Languages: []string{"fr", "en"},
		ServicesOffered:     []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS, typev1.Service_SERVICE_SHOPPING},
		HoursOfferedPerWeek: 4, NightsPresentPerWeek: 5, Rhythm: typev1.Rhythm_RHYTHM_EARLY, OwnerAccountId: owner,
	}
}

func applicationProfile(s *studentseventsv1.StudentProfile) *studentseventsv1.ApplicationProfile {
	return &studentseventsv1.ApplicationProfile{
		ApplicationId: uuid.NewString(), StudentId: s.GetStudentId(), ProgrammeId: s.GetProgrammeId(), Status: "SUBMITTED",
		BudgetCents: 20000, MoveInDate: "2027-02-01", MoveOutDate: "2027-07-31",
	}
}

func (e *env) publishRoom(t testing.TB, h *hostseventsv1.HostProfile, r *hostseventsv1.RoomProfile) {
	t.Helper()
	svctest.Publish(t, e.js, hostsevents.RoomPublished.Subject, r.GetProgrammeId(), &hostseventsv1.RoomPublished{Room: r, Host: h})
}

func (e *env) submit(t testing.TB, s *studentseventsv1.StudentProfile, a *studentseventsv1.ApplicationProfile) *eventsv1.Envelope {
	t.Helper()
	return svctest.Publish(t, e.js, studentsevents.ApplicationSubmitted.Subject, a.GetProgrammeId(), &studentseventsv1.ApplicationSubmitted{Application: a, Student: s})
}

// eventually retries check until it returns nil, for what the consumers apply asynchronously.
func eventually(t testing.TB, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// candidates waits until the room's candidates are exactly want (student ids, in order).
// consumed is what the durable consumer of stream has been delivered and acknowledged.
func (e *env) consumed(stream, durable string) (*jetstream.ConsumerInfo, error) {
	c, err := e.js.Consumer(context.Background(), stream, durable)
	if err != nil {
		return nil, err
	}
	return c.Info(context.Background())
}

func (e *env) waitCandidates(t *testing.T, roomID string, want ...string) []*matchingv1.Candidate {
	t.Helper()
	var got []*matchingv1.Candidate
	eventually(t, "candidates", func() error {
		res, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: roomID})
		if err != nil {
			return err
		}
		got = res.GetCandidates()
		ids := make([]string, len(got))
		for i, c := range got {
			ids[i] = c.GetStudentId()
		}
		if !slices.Equal(ids, want) {
			return fmt.Errorf("candidates %v, want %v", ids, want)
		}
		return nil
	})
	return got
}

func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range matchingv1.MatchingService_ServiceDesc.Methods {
		if _, ok := grpcapi.Policy["/"+matchingv1.MatchingService_ServiceDesc.ServiceName+"/"+m.MethodName]; !ok {
			t.Errorf("%s has no authorization rule", m.MethodName)
		}
	}
}

func TestCandidatesSuggestionsAndCompatibility(t *testing.T) {
	t.Parallel()
	e := start(t)
	h := hostProfile("")
	room := roomProfile(h)
	e.publishRoom(t, h, room)

	bestCtx, bestAccount := e.as(t, auth.RoleStudent, lyon)
	best := studentProfile(bestAccount)
	e.submit(t, best, applicationProfile(best))
	// Fewer services, fewer evenings, another rhythm, a few km away: a lower score.
	fair := studentProfile("")
	fair.StudyLat, fair.ServicesOffered, fair.NightsPresentPerWeek, fair.Rhythm = 45.80, []typev1.Service{typev1.Service_SERVICE_SHOPPING}, 1, typev1.Rhythm_RHYTHM_LATE
	e.submit(t, fair, applicationProfile(fair))
	// Smokes, has a cat, studies in Grenoble: breaks three hard constraints.
	bad := studentProfile("")
	bad.Smokes, bad.HasPets, bad.StudyLat, bad.StudyLng, bad.StudyCity = true, true, 45.19, 5.72, "Grenoble"
	e.submit(t, bad, applicationProfile(bad))

	cands := e.waitCandidates(t, room.GetRoomId(), best.GetStudentId(), fair.GetStudentId())
	if !(cands[0].GetScore() > cands[1].GetScore()) {
		t.Fatalf("candidates not in score order: %v, %v", cands[0].GetScore(), cands[1].GetScore())
	}
	for _, c := range cands {
		if len(c.GetBreakdown()) != 7 || c.GetStudent().GetDisplayName() == "" {
			t.Fatalf("candidate without breakdown or summary: %v", c)
		}
		sum := 0.0
		for _, it := range c.GetBreakdown() {
			if it.GetReasonFr() == "" || it.GetReasonEn() == "" {
				t.Fatalf("breakdown item without reasons: %v", it)
			}
			sum += it.GetContribution()
		}
		if d := sum - c.GetScore(); d > 0.01 || d < -0.01 {
			t.Fatalf("breakdown sums to %v, score %v", sum, c.GetScore())
		}
	}
	// The bad pair explains itself.
	comp, err := e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: room.GetRoomId(), StudentId: bad.GetStudentId()})
	if err != nil {
		t.Fatal(err)
	}
	var codesGot []string
	for _, b := range comp.GetBrokenConstraints() {
		codesGot = append(codesGot, b.GetCode())
		if b.GetReasonFr() == "" || b.GetReasonEn() == "" {
			t.Fatalf("broken constraint without reasons: %v", b)
		}
	}
	if !slices.Equal(codesGot, []string{"SMOKING", "PETS", "TOO_FAR"}) || comp.GetScore() != 0 || len(comp.GetBreakdown()) != 7 {
		t.Fatalf("compatibility of the bad pair: %v", comp)
	}
	comp, err = e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: room.GetRoomId(), StudentId: best.GetStudentId()})
	if err != nil || len(comp.GetBrokenConstraints()) != 0 || comp.GetScore() != cands[0].GetScore() {
		t.Fatalf("compatibility of the best pair: %v %v", comp, err)
	}
	// Unknown, or another programme's: 404.
	paris, _ := e.as(t, auth.RoleCoordinator, "paris")
	_, err = e.client.GetCompatibility(paris, &matchingv1.GetCompatibilityRequest{RoomId: room.GetRoomId(), StudentId: best.GetStudentId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: uuid.NewString(), StudentId: best.GetStudentId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.ListCandidates(paris, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.ListCandidates(bestCtx, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	// page_size bounds the ranking; the tokens walk it to its end, each candidate once.
	var walked []string
	token := ""
	for pages := 0; ; pages++ {
		one, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId(), PageSize: 1, PageToken: token})
		if err != nil || len(one.GetCandidates()) != 1 || pages > len(cands) {
			t.Fatalf("page %d of one: %v %v", pages, one, err)
		}
		walked = append(walked, one.GetCandidates()[0].GetStudentId())
		if token = one.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(walked) != len(cands) {
		t.Fatalf("pages of one walked %d candidates, the ranking has %d", len(walked), len(cands))
	}
	for i, c := range cands {
		if walked[i] != c.GetStudentId() {
			t.Fatalf("page %d is %s, the ranking has %s there", i, walked[i], c.GetStudentId())
		}
	}
	_, err = e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId(), PageToken: "not-a-token"})
	svctest.WantCode(t, err, codes.InvalidArgument)

	// Suggestions: the student themself (by the profile's owner account) or a coordinator.
	sug, err := e.client.ListSuggestions(bestCtx, &matchingv1.ListSuggestionsRequest{StudentId: best.GetStudentId()})
	if err != nil || len(sug.GetSuggestions()) != 1 || sug.GetSuggestions()[0].GetRoomId() != room.GetRoomId() ||
		sug.GetSuggestions()[0].GetHost().GetDisplayName() != "Jeanne" || sug.GetSuggestions()[0].GetMonthlyContributionCents() != 15000 {
		t.Fatalf("suggestions: %v %v", sug, err)
	}
	other, _ := e.as(t, auth.RoleStudent, lyon)
	_, err = e.client.ListSuggestions(other, &matchingv1.ListSuggestionsRequest{StudentId: best.GetStudentId()})
	svctest.WantCode(t, err, codes.NotFound)
	sug, err = e.client.ListSuggestions(e.coord, &matchingv1.ListSuggestionsRequest{StudentId: bad.GetStudentId()})
	if err != nil || len(sug.GetSuggestions()) != 0 {
		t.Fatalf("suggestions of a student who fits no room: %v %v", sug, err)
	}
}

// matchEvent reads the n-th event of subject on the MATCHING stream.
func matchEvents(t *testing.T, js jetstream.JetStream, subject string, n int) []*eventsv1.Envelope {
	t.Helper()
	msgs := svctest.NextEvents(t, js, matchingevents.Stream.Name, subject, n)
	out := make([]*eventsv1.Envelope, len(msgs))
	for i, m := range msgs {
		env, err := event.Decode(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = env
	}
	return out
}

func TestMatchLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t)
	hostCtx, hostAccount := e.as(t, auth.RoleHost, lyon)
	studentCtx, studentAccount := e.as(t, auth.RoleStudent, lyon)
	strangerHost, _ := e.as(t, auth.RoleHost, lyon)
	strangerStudent, _ := e.as(t, auth.RoleStudent, lyon)
	paris, _ := e.as(t, auth.RoleCoordinator, "paris")

	h := hostProfile(hostAccount)
	room := roomProfile(h)
	e.publishRoom(t, h, room)
	s := studentProfile(studentAccount)
	app := applicationProfile(s)
	e.submit(t, s, app)
	smoker := studentProfile("")
	smoker.Smokes = true
	e.submit(t, smoker, applicationProfile(smoker))
	e.waitCandidates(t, room.GetRoomId(), s.GetStudentId())

	// A pair that breaks a hard constraint is refused, naming it.
	_, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: smoker.GetStudentId()})
	st := svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "HARD_CONSTRAINTS" || !strings.Contains(st.Message(), "SMOKING") {
		t.Fatalf("hard constraint: %v", err)
	}
	_, err = e.client.CreateMatch(paris, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId()})
	svctest.WantCode(t, err, codes.NotFound)

	m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId(), RequestId: "p-1"})
	if err != nil {
		t.Fatal(err)
	}
	if m.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_PROPOSED || m.GetHostId() != h.GetHostId() || m.GetApplicationId() != app.GetApplicationId() ||
		m.GetScore() <= 0 || m.GetHost().GetDisplayName() != "Jeanne" || m.GetStudent().GetAge() != 20 || m.GetEtag() == "" {
		t.Fatalf("proposed match: %v", m)
	}
	if d := m.GetExpireTime().AsTime().Sub(m.GetCreateTime().AsTime()); d != 14*24*time.Hour {
		t.Fatalf("expires after %v, want the default 14 days", d)
	}
	again, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId(), RequestId: "p-1"})
	if err != nil || again.GetId() != m.GetId() {
		t.Fatalf("a retried proposal returns the first match: %v %v", again.GetId(), err)
	}
	_, err = e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId()})
	svctest.WantCode(t, err, codes.AlreadyExists)

	// Who sees it: the parties and the coordinator; nobody else learns it exists.
	for _, ctx := range []context.Context{hostCtx, studentCtx, e.coord} {
		if _, err := e.client.GetMatch(ctx, &matchingv1.GetMatchRequest{Id: m.GetId()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, ctx := range []context.Context{strangerHost, strangerStudent, paris} {
		_, err := e.client.GetMatch(ctx, &matchingv1.GetMatchRequest{Id: m.GetId()})
		svctest.WantCode(t, err, codes.NotFound)
	}
	_, err = e.client.AcceptMatch(strangerHost, &matchingv1.AcceptMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	list, err := e.client.ListMatches(hostCtx, &matchingv1.ListMatchesRequest{})
	if err != nil || len(list.GetMatches()) != 1 {
		t.Fatalf("the host's matches: %v %v", list, err)
	}
	list, err = e.client.ListMatches(strangerStudent, &matchingv1.ListMatchesRequest{})
	if err != nil || len(list.GetMatches()) != 0 {
		t.Fatalf("a stranger's matches: %v %v", list, err)
	}

	// Illegal transitions: 400 with a reason that says why.
	_, err = e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: m.GetId()})
	st = svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "MATCH_STATUS" || !strings.Contains(st.Message(), "PROPOSED") {
		t.Fatalf("approve a proposed match: %v", err)
	}
	_, err = e.client.AcceptMatch(studentCtx, &matchingv1.AcceptMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "MEETING_NOT_SCHEDULED" {
		t.Fatalf("accept before the meeting: %v", err)
	}
	_, err = e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(-time.Hour))})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.ScheduleMeeting(hostCtx, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(48 * time.Hour))})
	svctest.WantCode(t, err, codes.PermissionDenied)

	m2, err := e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), Etag: m.GetEtag(), MeetingAt: timestamppb.New(time.Now().Add(48 * time.Hour))})
	if err != nil || m2.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED || m2.GetEtag() == m.GetEtag() {
		t.Fatalf("schedule: %v %v", m2, err)
	}
	// Stale etag: 409.
	_, err = e.client.AcceptMatch(studentCtx, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Etag: m.GetEtag()})
	svctest.WantCode(t, err, codes.Aborted)
	// A host or student may only answer for their own side; a coordinator must say which.
	_, err = e.client.AcceptMatch(studentCtx, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_HOST})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if _, ok := grpcx.FieldViolations(err)["party"]; !ok {
		t.Fatalf("coordinator without party: %v", err)
	}

	m3, err := e.client.AcceptMatch(studentCtx, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Etag: m2.GetEtag()})
	if err != nil || !m3.GetStudentAccepted() || m3.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED || m3.GetStudentAnsweredBy() != studentAccount {
		t.Fatalf("student accepts: %v %v", m3, err)
	}
	_, err = e.client.AcceptMatch(studentCtx, &matchingv1.AcceptMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	coordAccount := ""
	m4, err := e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_HOST, Etag: m3.GetEtag()})
	if err != nil || m4.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED || !m4.GetHostAccepted() {
		t.Fatalf("coordinator accepts for the host: %v %v", m4, err)
	}
	coordAccount = m4.GetHostAnsweredBy()
	if coordAccount == "" || coordAccount == hostAccount {
		t.Fatalf("host answered by %q: the coordinator's account must be recorded", coordAccount)
	}
	_, err = e.client.DeclineMatch(hostCtx, &matchingv1.DeclineMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.InvalidArgument)

	// The room is taken: no new proposal for it.
	other := studentProfile("")
	e.submit(t, other, applicationProfile(other))
	eventually(t, "other student in the pool", func() error {
		_, err := e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: room.GetRoomId(), StudentId: other.GetStudentId()})
		return err
	})
	_, err = e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: other.GetStudentId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "ROOM_ALREADY_MATCHED" {
		t.Fatalf("proposal for a taken room: %v", err)
	}

	approved, err := e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: m.GetId(), Etag: m4.GetEtag()})
	if err != nil || approved.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_APPROVED || approved.GetApprovedBy() != coordAccount {
		t.Fatalf("approve: %v %v", approved, err)
	}
	env := matchEvents(t, e.js, matchingevents.MatchApproved.Subject, 1)[0]
	payload, err := event.Payload(env, &matchingeventsv1.MatchApproved{})
	if err != nil {
		t.Fatal(err)
	}
	want := &matchingeventsv1.MatchApproved{
		Match: &matchingeventsv1.MatchSummary{MatchId: m.GetId(), ProgrammeId: lyon, RoomId: room.GetRoomId(), HostId: h.GetHostId(),
			StudentId: s.GetStudentId(), ApplicationId: app.GetApplicationId(), Status: "APPROVED", Score: m.GetScore()},
		MoveInDate: "2027-02-01", MoveOutDate: "2027-07-31", MonthlyContributionCents: 15000, FormulaId: "solidaire",
		// Host wants company and meals; the student offers those and shopping.
		AgreedServices:  []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS},
		EveningsPerWeek: 4, HoursPerWeek: 4, HostAssisted: false, RoomAreaM2: 12, RoomTitle: "Chambre sur jardin",
		RoomSharedSpaces: []string{"cuisine", "jardin"}, ApprovedByAccountId: coordAccount,
		// The room's availability, for the contract to stay within.
		RoomAvailableFrom: "2027-01-01",
	}
	if got, w := payload.String(), want.String(); got != w {
		t.Fatalf("MatchApproved\n got %s\nwant %s", got, w)
	}
	for _, subj := range []string{matchingevents.MatchProposed.Subject, matchingevents.MatchMeetingScheduled.Subject, matchingevents.MatchAccepted.Subject} {
		ev := matchEvents(t, e.js, subj, 1)[0]
		mc, err := event.Payload(ev, &matchingeventsv1.MatchChanged{})
		if err != nil || mc.GetMatch().GetMatchId() != m.GetId() {
			t.Fatalf("%s event: %v %v", subj, mc, err)
		}
	}
	// An approved match leaves the pool: the room has no candidates.
	_, err = e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "ROOM_NOT_IN_POOL" {
		t.Fatalf("candidates of a room with an approved match: %v", err)
	}
	sug, err := e.client.ListSuggestions(e.coord, &matchingv1.ListSuggestionsRequest{StudentId: other.GetStudentId()})
	if err != nil || len(sug.GetSuggestions()) != 0 {
		t.Fatalf("a room with an approved match is suggested: %v %v", sug, err)
	}

	// Cancelling an approved match says so.
	_, err = e.client.CancelMatch(e.coord, &matchingv1.CancelMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.InvalidArgument)
	c, err := e.client.CancelMatch(e.coord, &matchingv1.CancelMatchRequest{Id: m.GetId(), Reason: "contract cancelled"})
	if err != nil || c.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_CANCELLED || c.GetCancelReason() != "contract cancelled" {
		t.Fatalf("cancel: %v %v", c, err)
	}
	mc, _ := event.Payload(matchEvents(t, e.js, matchingevents.MatchCancelled.Subject, 1)[0], &matchingeventsv1.MatchChanged{})
	if !mc.GetWasApproved() || mc.GetMatch().GetStatus() != "CANCELLED" {
		t.Fatalf("cancelled event: %v", mc)
	}
	_, err = e.client.CancelMatch(e.coord, &matchingv1.CancelMatchRequest{Id: m.GetId(), Reason: "again"})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	// Back in the pool: the room may be proposed again.
	if _, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: other.GetStudentId()}); err != nil {
		t.Fatalf("propose after cancellation: %v", err)
	}
}

// TestAcceptRace: two matches of one room, each with its host's yes, get their students' yes
// at the same instant: both would become ACCEPTED. The unique index lets exactly one through;
// the other is Aborted (409). Then the winner is approved from two goroutines at once: one
// success, one FailedPrecondition (the row lock makes the second see APPROVED).
func TestAcceptRace(t *testing.T) {
	t.Parallel()
	e := start(t)
	const rounds = 20
	type round struct {
		room   *hostseventsv1.RoomProfile
		s1, s2 *studentseventsv1.StudentProfile
	}
	rs := make([]round, rounds)
	for i := range rs {
		h := hostProfile("")
		rs[i].room = roomProfile(h)
		e.publishRoom(t, h, rs[i].room)
		rs[i].s1, rs[i].s2 = studentProfile(""), studentProfile("")
		e.submit(t, rs[i].s1, applicationProfile(rs[i].s1))
		e.submit(t, rs[i].s2, applicationProfile(rs[i].s2))
	}
	last := rs[rounds-1]
	eventually(t, "the last pair in the pool", func() error {
		_, err := e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: last.room.GetRoomId(), StudentId: last.s2.GetStudentId()})
		return err
	})

	for i, r := range rs {
		var ms [2]*matchingv1.Match
		for k, s := range []*studentseventsv1.StudentProfile{r.s1, r.s2} {
			m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: r.room.GetRoomId(), StudentId: s.GetStudentId()})
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			if _, err := e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(time.Hour))}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_HOST}); err != nil {
				t.Fatal(err)
			}
			ms[k] = m
		}
		var errsGot [2]error
		out := svctest.Concurrently(2, func(k int) error {
			_, err := e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: ms[k].GetId(), Party: matchingv1.Party_PARTY_STUDENT}, grpc.WaitForReady(true))
			errsGot[k] = err
			return err
		})
		if out[codes.OK] != 1 || out[codes.Aborted] != 1 {
			t.Fatalf("round %d: outcomes %v (%v); want one success and one 409", i, out, errsGot)
		}
		winner := ms[0]
		if errsGot[0] != nil {
			winner = ms[1]
			if grpcx.Reason(errsGot[0]) != "ROOM_TAKEN" {
				t.Fatalf("round %d: loser's reason %q", i, grpcx.Reason(errsGot[0]))
			}
		}
		accepted, err := e.client.ListMatches(e.coord, &matchingv1.ListMatchesRequest{RoomId: r.room.GetRoomId(), Status: matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED})
		if err != nil || len(accepted.GetMatches()) != 1 || accepted.GetMatches()[0].GetId() != winner.GetId() {
			t.Fatalf("round %d: accepted matches %v %v", i, accepted, err)
		}
		if i%4 == 0 { // the approval race, on a few rounds
			out = svctest.Concurrently(2, func(int) error {
				_, err := e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: winner.GetId()}, grpc.WaitForReady(true))
				return err
			})
			if out[codes.OK] != 1 || out[codes.FailedPrecondition] != 1 {
				t.Fatalf("round %d: approvals %v; want one success and one refusal", i, out)
			}
		}
	}
}

func sortedIDs(ids ...string) []string { slices.Sort(ids); return ids }

func TestExpiryJob(t *testing.T) {
	t.Parallel()
	e := start(t)
	h := hostProfile("")
	room := roomProfile(h)
	e.publishRoom(t, h, room)
	s := studentProfile("")
	e.submit(t, s, applicationProfile(s))
	e.waitCandidates(t, room.GetRoomId(), s.GetStudentId())
	m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId()})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // a few runs of the job: not due, nothing happens
	if got, _ := e.client.GetMatch(e.coord, &matchingv1.GetMatchRequest{Id: m.GetId()}); got.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_PROPOSED {
		t.Fatalf("expired too early: %v", got.GetStatus())
	}
	e.shift.Store(int64(15 * 24 * time.Hour))
	eventually(t, "expiry", func() error {
		got, err := e.client.GetMatch(e.coord, &matchingv1.GetMatchRequest{Id: m.GetId()})
		if err != nil {
			return err
		}
		if got.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_EXPIRED {
			return fmt.Errorf("status %v", got.GetStatus())
		}
		return nil
	})
	mc, _ := event.Payload(matchEvents(t, e.js, matchingevents.MatchExpired.Subject, 1)[0], &matchingeventsv1.MatchChanged{})
	if mc.GetMatch().GetMatchId() != m.GetId() {
		t.Fatalf("expired event: %v", mc)
	}
	_, err = e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(30 * 24 * time.Hour))})
	svctest.WantCode(t, err, codes.FailedPrecondition)
}

func TestPoolFollowsEvents(t *testing.T) {
	t.Parallel()
	e := start(t)
	h := hostProfile("")
	room := roomProfile(h)
	// A host.updated before the room's publication is kept, not lost: the newer profile wins.
	newer := hostProfile("")
	newer.HostId, newer.DisplayName = h.GetHostId(), "Jeanne M."
	// host.updated (30 s ago) arrives before room.published (a minute ago), which carries the
	// older profile.
	for _, ev := range []struct {
		subject string
		at      time.Duration
		payload gproto.Message
	}{
		{hostsevents.HostUpdated.Subject, -30 * time.Second, &hostseventsv1.HostUpdated{Host: newer}},
		{hostsevents.RoomPublished.Subject, -time.Minute, &hostseventsv1.RoomPublished{Room: room, Host: h}},
	} {
		env, err := event.New(ev.subject, lyon, time.Now().Add(ev.at), ev.payload)
		if err != nil {
			t.Fatal(err)
		}
		svctest.PublishEnvelope(t, e.js, env)
	}
	s1, s2 := studentProfile(""), studentProfile("")
	a1 := applicationProfile(s1)
	submitted := e.submit(t, s1, a1)
	e.submit(t, s2, applicationProfile(s2))
	e.waitCandidates(t, room.GetRoomId(), sortedIDs(s1.GetStudentId(), s2.GetStudentId())...)
	sug, err := e.client.ListSuggestions(e.coord, &matchingv1.ListSuggestionsRequest{StudentId: s1.GetStudentId()})
	if err != nil || len(sug.GetSuggestions()) != 1 || sug.GetSuggestions()[0].GetHost().GetDisplayName() != "Jeanne M." {
		t.Fatalf("the host's newer profile must win: %v %v", sug, err)
	}

	// A withdrawn application leaves the pool.
	w := clone(a1)
	w.Status = "WITHDRAWN"
	svctest.Publish(t, e.js, studentsevents.ApplicationWithdrawn.Subject, lyon, &studentseventsv1.ApplicationWithdrawn{Application: w})
	e.waitCandidates(t, room.GetRoomId(), s2.GetStudentId())
	// Its submission delivered again changes nothing: the inbox has it (and it is older).
	svctest.PublishEnvelope(t, e.js, submitted)
	// A marker on the same stream, consumed after the redelivery, tells when it was handled.
	s3 := studentProfile("")
	e.submit(t, s3, applicationProfile(s3))
	e.waitCandidates(t, room.GetRoomId(), sortedIDs(s2.GetStudentId(), s3.GetStudentId())...)

	// A suspended host's rooms leave the pool; reinstated, they return.
	susp := clone(h)
	susp.Status = "SUSPENDED"
	svctest.Publish(t, e.js, hostsevents.HostSuspended.Subject, lyon, &hostseventsv1.HostStatusChanged{Host: susp})
	eventually(t, "suspension", func() error {
		_, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId()})
		if grpcx.Reason(err) != "ROOM_NOT_IN_POOL" {
			return fmt.Errorf("candidates of a suspended host's room: %v", err)
		}
		return nil
	})
	back := clone(h)
	svctest.Publish(t, e.js, hostsevents.HostReinstated.Subject, lyon, &hostseventsv1.HostStatusChanged{Host: back})
	e.waitCandidates(t, room.GetRoomId(), sortedIDs(s2.GetStudentId(), s3.GetStudentId())...)
	// A room updated beyond every budget has no candidates left; withdrawn, it is gone.
	upd := clone(room)
	upd.MonthlyContributionCents = 30000
	svctest.Publish(t, e.js, hostsevents.RoomUpdated.Subject, lyon, &hostseventsv1.RoomUpdated{Room: upd})
	e.waitCandidates(t, room.GetRoomId())
	wd := clone(room)
	wd.Status = "WITHDRAWN"
	svctest.Publish(t, e.js, hostsevents.RoomWithdrawn.Subject, lyon, &hostseventsv1.RoomWithdrawn{Room: wd})
	eventually(t, "withdrawal", func() error {
		_, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId()})
		if grpcx.Reason(err) != "ROOM_NOT_IN_POOL" {
			return fmt.Errorf("candidates of a withdrawn room: %v", err)
		}
		return nil
	})
}

func clone[T gproto.Message](m T) T { return gproto.Clone(m).(T) }

// bestTotal is the brute-force optimum: the largest sum of points over every way to give
// rooms to students (each at most one, feasible pairs only), keeping the locked pair.
func bestTotal(points map[[2]int]int, nStudents, nRooms int, locked *[2]int) int {
	used := make([]bool, nRooms)
	var rec func(i int) int
	rec = func(i int) int {
		if i == nStudents {
			return 0
		}
		if locked != nil && locked[0] == i {
			return points[*locked] + rec(i+1)
		}
		best := rec(i + 1) // unmatched
		for j := range nRooms {
			p, ok := points[[2]int{i, j}]
			if !ok || used[j] || (locked != nil && locked[1] == j) {
				continue
			}
			used[j] = true
			best = max(best, p+rec(i+1))
			used[j] = false
		}
		return best
	}
	return rec(0)
}

func TestAllocation(t *testing.T) {
	t.Parallel()
	e := start(t)
	var rooms []*hostseventsv1.RoomProfile
	for j, place := range [][2]float64{{45.76, 4.85}, {45.74, 4.88}, {45.78, 4.80}} {
		h := hostProfile("")
		h.Lat, h.Lng = place[0], place[1]
		if j == 2 {
			h.ServicesWanted, h.NightsWantedPerWeek, h.Rhythm = []typev1.Service{typev1.Service_SERVICE_GARDENING}, 2, typev1.Rhythm_RHYTHM_LATE
		}
		r := roomProfile(h)
		r.MonthlyContributionCents = int32(10000 + 3000*j)
		e.publishRoom(t, h, r)
		rooms = append(rooms, r)
	}
	var students []*studentseventsv1.StudentProfile
	for i := range 6 {
		s := studentProfile("")
		s.StudyLat += 0.01 * float64(i)
		s.StudyLng -= 0.007 * float64(i%3)
		s.NightsPresentPerWeek = int32(1 + i%5)
		a := applicationProfile(s)
		switch i {
		case 1:
			s.ServicesOffered = []typev1.Service{typev1.Service_SERVICE_GARDENING}
			s.Rhythm = typev1.Rhythm_RHYTHM_LATE
		case 2:
			a.RoomId = rooms[0].GetRoomId() // targets one room: pairs only with it
		case 3:
			a.BudgetCents = 12000 // too poor for the third room
		case 5:
			s.Smokes, s.HasPets = true, true // fits no room
		}
		e.submit(t, s, a)
		students = append(students, s)
	}
	eventually(t, "the intake in the pool", func() error {
		_, err := e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: rooms[2].GetRoomId(), StudentId: students[5].GetStudentId()})
		return err
	})
	points := map[[2]int]int{}
	for i, s := range students {
		for j, r := range rooms {
			c, err := e.client.GetCompatibility(e.coord, &matchingv1.GetCompatibilityRequest{RoomId: r.GetRoomId(), StudentId: s.GetStudentId()})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.GetBrokenConstraints()) == 0 {
				points[[2]int{i, j}] = int(c.GetScore()*100 + 0.5)
			}
		}
	}
	if _, ok := points[[2]int{2, 1}]; ok {
		t.Fatal("an application that targets a room pairs with another")
	}
	total := func(a *matchingv1.Allocation) int {
		sum := 0
		for _, p := range a.GetPairs() {
			sum += int(p.GetScore()*100 + 0.5)
		}
		return sum
	}
	run, err := e.client.CreateAllocation(e.coord, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon, RequestId: "run-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := bestTotal(points, len(students), len(rooms), nil)
	if run.GetStatus() != matchingv1.AllocationStatus_ALLOCATION_STATUS_SUCCEEDED || total(run) != want ||
		int(run.GetTotalScore()*100+0.5) != want || len(run.GetPairs()) != 3 || run.GetRoomCount() != 3 || run.GetStudentCount() != 6 {
		t.Fatalf("run: total %d, brute force %d: %v", total(run), want, run)
	}
	if len(run.GetUnmatched()) != 3 {
		t.Fatalf("unmatched %v", run.GetUnmatched())
	}
	for _, u := range run.GetUnmatched() {
		switch {
		case u.GetStudentId() == students[5].GetStudentId():
			if !strings.HasPrefix(u.GetReason(), "NO_FEASIBLE_ROOM") || !strings.Contains(u.GetReason(), "SMOKING") {
				t.Fatalf("the smoker's reason: %q", u.GetReason())
			}
		case !strings.HasPrefix(u.GetReason(), "ROOMS_TAKEN"):
			t.Fatalf("reason %q", u.GetReason())
		}
	}
	again, err := e.client.CreateAllocation(e.coord, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon, RequestId: "run-1"})
	if err != nil || again.GetId() != run.GetId() {
		t.Fatalf("a retried run returns the first: %v %v", again.GetId(), err)
	}

	// Lock a feasible pair the optimum did not choose: it is kept, the rest re-optimized.
	var lock [2]int
	found := false
	for k := range points {
		inRun := false
		for _, p := range run.GetPairs() {
			if p.GetRoomId() == rooms[k[1]].GetRoomId() && p.GetStudentId() == students[k[0]].GetStudentId() {
				inRun = true
			}
		}
		if !inRun && (!found || k[0] < lock[0] || (k[0] == lock[0] && k[1] < lock[1])) {
			lock, found = k, true
		}
	}
	if !found {
		t.Fatal("no feasible pair outside the optimum to lock")
	}
	locked, err := e.client.CreateAllocation(e.coord, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon,
		LockedPairs: []*matchingv1.LockedPair{{RoomId: rooms[lock[1]].GetRoomId(), StudentId: students[lock[0]].GetStudentId()}}})
	if err != nil {
		t.Fatal(err)
	}
	want = bestTotal(points, len(students), len(rooms), &lock)
	keptLock := false
	for _, p := range locked.GetPairs() {
		if p.GetRoomId() == rooms[lock[1]].GetRoomId() && p.GetStudentId() == students[lock[0]].GetStudentId() && p.GetLocked() {
			keptLock = true
		}
	}
	t.Logf("feasible pairs %v; optimum %d points (%d pairs); with %v locked %d points", points, total(run), len(run.GetPairs()), lock, want)
	if !keptLock || total(locked) != want {
		t.Fatalf("locked run: kept %v, total %d, brute force %d: %v", keptLock, total(locked), want, locked)
	}

	// Bad locked pairs: InvalidArgument on lockedPairs.
	_, err = e.client.CreateAllocation(e.coord, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon,
		LockedPairs: []*matchingv1.LockedPair{{RoomId: rooms[0].GetRoomId(), StudentId: students[5].GetStudentId()}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if v := grpcx.FieldViolations(err)["lockedPairs[0]"]; !strings.Contains(v, "SMOKING") {
		t.Fatalf("violations %v", grpcx.FieldViolations(err))
	}
	_, err = e.client.CreateAllocation(e.coord, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon,
		LockedPairs: []*matchingv1.LockedPair{{RoomId: uuid.NewString(), StudentId: students[0].GetStudentId()}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if _, ok := grpcx.FieldViolations(err)["lockedPairs[0].roomId"]; !ok {
		t.Fatalf("violations %v", grpcx.FieldViolations(err))
	}
	paris, _ := e.as(t, auth.RoleCoordinator, "paris")
	_, err = e.client.CreateAllocation(paris, &matchingv1.CreateAllocationRequest{ProgrammeId: lyon})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetAllocation(paris, &matchingv1.GetAllocationRequest{Id: run.GetId()})
	svctest.WantCode(t, err, codes.NotFound)

	list, err := e.client.ListAllocations(e.coord, &matchingv1.ListAllocationsRequest{})
	if err != nil || len(list.GetAllocations()) != 2 || list.GetAllocations()[0].GetId() != locked.GetId() {
		t.Fatalf("runs, newest first: %v %v", list, err)
	}
	env := matchEvents(t, e.js, matchingevents.AllocationSucceeded.Subject, 1)[0]
	fin, _ := event.Payload(env, &matchingeventsv1.AllocationFinished{})
	if fin.GetAllocationId() != run.GetId() || fin.GetPairCount() != 3 || fin.GetUnmatchedCount() != 3 {
		t.Fatalf("allocation.succeeded: %v", fin)
	}

	// Proposing the run's pairs: PROPOSED matches, in one transaction; a retry proposes nothing twice.
	var pairs []*matchingv1.LockedPair
	for _, p := range run.GetPairs() {
		pairs = append(pairs, &matchingv1.LockedPair{RoomId: p.GetRoomId(), StudentId: p.GetStudentId()})
	}
	_, err = e.client.ProposeAllocationPairs(e.coord, &matchingv1.ProposeAllocationPairsRequest{Id: run.GetId(),
		Pairs: append(slices.Clone(pairs), &matchingv1.LockedPair{RoomId: rooms[0].GetRoomId(), StudentId: students[5].GetStudentId()})})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if l, _ := e.client.ListMatches(e.coord, &matchingv1.ListMatchesRequest{}); len(l.GetMatches()) != 0 {
		t.Fatalf("a refused batch proposed %d matches", len(l.GetMatches()))
	}
	proposed, err := e.client.ProposeAllocationPairs(e.coord, &matchingv1.ProposeAllocationPairsRequest{Id: run.GetId(), Pairs: pairs})
	if err != nil || len(proposed.GetMatches()) != 3 {
		t.Fatalf("propose: %v %v", proposed, err)
	}
	for k, m := range proposed.GetMatches() {
		if m.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_PROPOSED || m.GetRoomId() != pairs[k].GetRoomId() || m.GetStudentId() != pairs[k].GetStudentId() {
			t.Fatalf("proposed match %v", m)
		}
	}
	retried, err := e.client.ProposeAllocationPairs(e.coord, &matchingv1.ProposeAllocationPairsRequest{Id: run.GetId(), Pairs: pairs})
	if err != nil || len(retried.GetMatches()) != 3 || retried.GetMatches()[0].GetId() != proposed.GetMatches()[0].GetId() {
		t.Fatalf("retried proposal: %v %v", retried, err)
	}
	if l, _ := e.client.ListMatches(e.coord, &matchingv1.ListMatchesRequest{}); len(l.GetMatches()) != 3 {
		t.Fatalf("%d matches after a retried proposal", len(l.GetMatches()))
	}
}
