package webapptest

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// UpdateProgramme refuses a phone that is not one, as identity does; otherwise it answers the
// programme as sent.
func (f *fakeIdentity) UpdateProgramme(ctx context.Context, req *identityv1.UpdateProgrammeRequest) (*identityv1.Programme, error) {
	f.record(ctx, "UpdateProgramme", req)
	if req.GetProgramme().GetSettings().GetAssociation().GetPhone() == "call me" {
		var v errs.Violations
		v.Add("settings.association.phone", "is not a phone number")
		e, _ := errs.As(v.Err())
		return nil, grpcErr(e)
	}
	return req.GetProgramme(), nil
}

// The fakes answer like the services do, from fixed data, and record what they were sent:
// the method, the bearer token it carried and the request.

type call struct {
	method string
	Auth   string
	Req    proto.Message
}

type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) record(ctx context.Context, method string, req proto.Message) string {
	md, _ := metadata.FromIncomingContext(ctx)
	auth := ""
	if v := md.Get("authorization"); len(v) > 0 {
		auth = v[0]
	}
	r.mu.Lock()
	r.calls = append(r.calls, call{method, auth, proto.Clone(req)})
	r.mu.Unlock()
	return auth
}

// called returns the calls of method.
func (r *recorder) Called(method string) []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []call
	for _, c := range r.calls {
		if c.method == method {
			out = append(out, c)
		}
	}
	return out
}

func grpcErr(e *errs.Error) error { return grpcx.StatusOf(e).Err() }

var unauthenticated = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

// Accounts of the fakes, by bearer token.
var accounts = map[string]*identityv1.Account{
	"Bearer tok-coord":   {Id: "acc-c", Email: "coordinator@example.org", Role: typev1.Role_ROLE_COORDINATOR, ProgrammeId: "demo"},
	"Bearer tok-host":    {Id: "acc-h", Email: "jeanne@example.org", Role: typev1.Role_ROLE_HOST, ProgrammeId: "demo", HostId: "h-1"},
	"Bearer tok-student": {Id: "acc-s", Email: "lea@example.org", Role: typev1.Role_ROLE_STUDENT, ProgrammeId: "demo", StudentId: "s-1"},
	"Bearer tok-admin":   {Id: "acc-a", Email: "admin@example.org", Role: typev1.Role_ROLE_ADMIN},
	// A host and a student who have just signed up: no record yet.
	"Bearer tok-newhost":    {Id: "acc-nh", Email: "new-host@example.org", Role: typev1.Role_ROLE_HOST, ProgrammeId: "demo"},
	"Bearer tok-newstudent": {Id: "acc-ns", Email: "new-student@example.org", Role: typev1.Role_ROLE_STUDENT, ProgrammeId: "demo"},
}

// passwords: email → token; every password is "secret-password".
var Logins = map[string]string{
	"coordinator@example.org": "tok-coord", "jeanne@example.org": "tok-host", "lea@example.org": "tok-student",
	"admin@example.org": "tok-admin", "new-host@example.org": "tok-newhost", "new-student@example.org": "tok-newstudent",
}

type fakeIdentity struct {
	identityv1.UnimplementedIdentityServiceServer
	*recorder
}

func (f *fakeIdentity) Login(ctx context.Context, req *identityv1.LoginRequest) (*identityv1.LoginResponse, error) {
	f.record(ctx, "Login", req)
	if req.GetEmail() == "locked@example.org" {
		return nil, grpcErr(errs.ResourceExhausted("TOO_MANY_ATTEMPTS", "too many attempts: try again in 5m0s"))
	}
	tok, ok := Logins[req.GetEmail()]
	if !ok || req.GetPassword() != "secret-password" {
		return nil, grpcErr(errs.Unauthenticated("BAD_CREDENTIALS", "wrong email or password"))
	}
	return &identityv1.LoginResponse{
		AccessToken: tok, ExpiresAt: timestamppb.New(time.Now().Add(time.Hour)), Account: accounts["Bearer "+tok],
	}, nil
}

// RefreshToken answers like Login: the same fixed token, a new expiry.
func (f *fakeIdentity) RefreshToken(ctx context.Context, req *identityv1.RefreshTokenRequest) (*identityv1.LoginResponse, error) {
	auth := f.record(ctx, "RefreshToken", req)
	a, ok := accounts[auth]
	if !ok {
		return nil, grpcErr(unauthenticated)
	}
	return &identityv1.LoginResponse{AccessToken: strings.TrimPrefix(auth, "Bearer "), ExpiresAt: timestamppb.New(time.Now().Add(time.Hour)), Account: a}, nil
}

func (f *fakeIdentity) InviteHost(ctx context.Context, req *identityv1.InviteHostRequest) (*identityv1.Invitation, error) {
	f.record(ctx, "InviteHost", req)
	return &identityv1.Invitation{Id: "inv-1", RecordKind: identityv1.RecordKind_RECORD_KIND_HOST, RecordId: req.GetId()}, nil
}

func (f *fakeIdentity) InviteStudent(ctx context.Context, req *identityv1.InviteStudentRequest) (*identityv1.Invitation, error) {
	f.record(ctx, "InviteStudent", req)
	return &identityv1.Invitation{Id: "inv-2", RecordKind: identityv1.RecordKind_RECORD_KIND_STUDENT, RecordId: req.GetId()}, nil
}

func (f *fakeIdentity) GetMe(ctx context.Context, req *identityv1.GetMeRequest) (*identityv1.Account, error) {
	auth := f.record(ctx, "GetMe", req)
	if a, ok := accounts[auth]; ok {
		return a, nil
	}
	return nil, grpcErr(unauthenticated)
}

var demoProgramme = &identityv1.Programme{
	Id: "demo", Name: "Cohabit Démo — Lyon", Territory: "Lyon et Métropole de Lyon", Phone: "+33 4 00 00 00 00",
	Email: "contact@demo.cohabit.test",
	Settings: &identityv1.ProgrammeSettings{ContributionCapCents: 35000, Formulas: []*identityv1.Formula{
		{Id: "solidaire", Name: "Solidaire", MinContributionCents: 0, MaxContributionCents: 10000},
	}},
}

func (f *fakeIdentity) GetProgramme(ctx context.Context, req *identityv1.GetProgrammeRequest) (*identityv1.Programme, error) {
	f.record(ctx, "GetProgramme", req)
	if req.GetId() != "demo" {
		return nil, grpcErr(errs.NotFound("PROGRAMME_NOT_FOUND", "no such programme"))
	}
	return demoProgramme, nil
}

func (f *fakeIdentity) ListProgrammes(ctx context.Context, req *identityv1.ListProgrammesRequest) (*identityv1.ListProgrammesResponse, error) {
	f.record(ctx, "ListProgrammes", req)
	return &identityv1.ListProgrammesResponse{Programmes: []*identityv1.Programme{demoProgramme}}, nil
}

func (f *fakeIdentity) Signup(ctx context.Context, req *identityv1.SignupRequest) (*identityv1.Account, error) {
	f.record(ctx, "Signup", req)
	var v errs.Violations
	v.Check(req.GetInviteCode() != "used-code", "inviteCode", "is not a valid invitation code (used, replaced or expired)")
	v.Check(len(req.GetPassword()) >= 10, "password", "must be at least 10 characters")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return &identityv1.Account{Id: "acc-x", Email: req.GetEmail(), Role: req.GetRole(), ProgrammeId: req.GetProgrammeId()}, nil
}

func Ts(s string) *timestamppb.Timestamp {
	t, _ := time.Parse(time.RFC3339, s)
	return timestamppb.New(t)
}

var (
	HostJeanne = &hostsv1.Host{
		Id: "h-1", ProgrammeId: "demo", Status: hostsv1.HostStatus_HOST_STATUS_VERIFIED, DisplayName: "Jeanne Martin",
		BirthDate: "1948-03-12", Phone: "+33 6 12 34 56 78",
		Address:   &hostsv1.Address{Line1: "12 rue Victor Hugo", Postcode: "69002", City: "Lyon", Lat: 45.7578, Lng: 4.832},
		Languages: []string{"fr", "it"}, ServicesWanted: []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS},
		HoursWantedPerWeek: 4, NightsWantedPerWeek: 3, Rhythm: typev1.Rhythm_RHYTHM_EARLY, Assisted: true, ConsentRecorded: true,
		CreateTime: Ts("2026-11-02T09:00:00Z"), Etag: "7",
	}
	hostPending1 = &hostsv1.Host{Id: "h-2", ProgrammeId: "demo", Status: hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION, DisplayName: "Paul Girard",
		Address: &hostsv1.Address{City: "Villeurbanne"}, CreateTime: Ts("2026-11-20T10:00:00Z")}
	hostPending2 = &hostsv1.Host{Id: "h-3", ProgrammeId: "demo", Status: hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION, DisplayName: "Odette Roux",
		Address: &hostsv1.Address{City: "Lyon"}, Assisted: true, CreateTime: Ts("2026-11-21T10:00:00Z")}
	RoomJeanne = &hostsv1.Room{Id: "r-1", ProgrammeId: "demo", HostId: "h-1", Status: hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED,
		Title: "Chambre calme près des quais", AreaM2: 12, MonthlyContributionCents: 15000, AvailableFrom: "2027-01-01", City: "Lyon",
		Furnished: true, Etag: "4"}
)

type fakeHosts struct {
	hostsv1.UnimplementedHostServiceServer
	*recorder
}

func (f *fakeHosts) ListHosts(ctx context.Context, req *hostsv1.ListHostsRequest) (*hostsv1.ListHostsResponse, error) {
	auth := f.record(ctx, "ListHosts", req)
	all := []*hostsv1.Host{HostJeanne, hostPending1, hostPending2}
	switch auth { // a host sees only her own record
	case "Bearer tok-newhost":
		all = nil
	case "Bearer tok-host":
		all = all[:1]
	}
	var out []*hostsv1.Host
	for _, h := range all {
		if req.GetStatus() == hostsv1.HostStatus_HOST_STATUS_UNSPECIFIED || h.GetStatus() == req.GetStatus() {
			out = append(out, h)
		}
	}
	return &hostsv1.ListHostsResponse{Hosts: out}, nil
}

func (f *fakeHosts) GetHost(ctx context.Context, req *hostsv1.GetHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "GetHost", req)
	for _, h := range []*hostsv1.Host{HostJeanne, hostPending1, hostPending2} {
		if h.GetId() == req.GetId() {
			return h, nil
		}
	}
	return nil, grpcErr(errs.NotFound("HOST_NOT_FOUND", "host %s not found", req.GetId()))
}

// SuspendHost, ReinstateHost and ArchiveHost answer like the service: h-1 may be suspended
// (with a reason) or archived; only a suspended host is reinstated.
func (f *fakeHosts) SuspendHost(ctx context.Context, req *hostsv1.SuspendHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "SuspendHost", req)
	if strings.TrimSpace(req.GetReason()) == "" {
		var v errs.Violations
		v.Check(false, "reason", "say why the host is suspended")
		e, _ := errs.As(v.Err())
		return nil, grpcErr(e)
	}
	return &hostsv1.Host{Id: req.GetId(), Status: hostsv1.HostStatus_HOST_STATUS_SUSPENDED}, nil
}

func (f *fakeHosts) ReinstateHost(ctx context.Context, req *hostsv1.ReinstateHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "ReinstateHost", req)
	return nil, grpcErr(errs.FailedPrecondition("INVALID_TRANSITION", "only a suspended host can be reinstated (this host is VERIFIED)"))
}

func (f *fakeHosts) ArchiveHost(ctx context.Context, req *hostsv1.ArchiveHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "ArchiveHost", req)
	return &hostsv1.Host{Id: req.GetId(), Status: hostsv1.HostStatus_HOST_STATUS_ARCHIVED}, nil
}

// UpdateHost checks the etag against Jeanne's, as the service does, then the postcode.
func (f *fakeHosts) UpdateHost(ctx context.Context, req *hostsv1.UpdateHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "UpdateHost", req)
	if req.GetHost().GetId() != "h-1" {
		return nil, grpcErr(errs.NotFound("HOST_NOT_FOUND", "host %s not found", req.GetHost().GetId()))
	}
	if req.GetHost().GetEtag() != HostJeanne.GetEtag() {
		return nil, grpcErr(errs.Aborted("STALE_ETAG", "the host was changed meanwhile"))
	}
	var v errs.Violations
	v.Check(len(req.GetHost().GetAddress().GetPostcode()) == 5, "address.postcode", "is not a postcode")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return req.GetHost(), nil
}

// CreateHost validates like the hosts service: the violations name request fields.
func (f *fakeHosts) CreateHost(ctx context.Context, req *hostsv1.CreateHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "CreateHost", req)
	h := req.GetHost()
	var v errs.Violations
	v.Check(h.GetDisplayName() != "", "displayName", "is required")
	v.Check(len(h.GetAddress().GetPostcode()) == 5, "address.postcode", "is not a postcode")
	if h.GetAssisted() {
		v.Check(h.GetConsentRecorded(), "consentRecorded", "a host registered on their behalf must have given their consent")
	}
	for i, l := range h.GetLanguages() { // protovalidate's wording, item index and all
		v.Check(len(l) == 2, fmt.Sprintf("languages[%d]", i), "item %d: %q is not a two-letter language code", i, l)
	}
	if g := h.GetGuardianship(); g == hostsv1.Guardianship_GUARDIANSHIP_TUTELLE || g == hostsv1.Guardianship_GUARDIANSHIP_CURATELLE {
		v.Check(h.GetLegalRepresentative().GetName() != "", "legalRepresentative.name", "a host under guardianship has a legal representative: give their name")
	}
	// A field no form shows: said over the form, still in the page's language.
	v.Check(h.GetDisplayName() != "Zoé Cachée", "internalNote", "must be at most 0 characters")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	out := proto.Clone(h).(*hostsv1.Host)
	out.Id = "h-new"
	out.Status = hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION
	return out, nil
}

func (f *fakeHosts) VerifyHost(ctx context.Context, req *hostsv1.VerifyHostRequest) (*hostsv1.Host, error) {
	f.record(ctx, "VerifyHost", req)
	if req.GetId() == "h-3" {
		return nil, grpcErr(errs.FailedPrecondition("HOST_TOO_YOUNG", "the host must be at least 60 on the day of verification"))
	}
	return &hostsv1.Host{Id: req.GetId(), Status: hostsv1.HostStatus_HOST_STATUS_VERIFIED}, nil
}

func (f *fakeHosts) ListRooms(ctx context.Context, req *hostsv1.ListRoomsRequest) (*hostsv1.ListRoomsResponse, error) {
	f.record(ctx, "ListRooms", req)
	draft := &hostsv1.Room{Id: "r-2", HostId: "h-1", Status: hostsv1.RoomStatus_ROOM_STATUS_DRAFT, Title: "Petite chambre sur cour", AreaM2: 9.5, MonthlyContributionCents: 9000, AvailableFrom: "2027-02-01", City: "Lyon"}
	if req.GetHostId() == "h-1" {
		return &hostsv1.ListRoomsResponse{Rooms: []*hostsv1.Room{RoomJeanne, draft}}, nil
	}
	if req.GetHostId() != "" {
		return &hostsv1.ListRoomsResponse{}, nil
	}
	// The programme's rooms, filtered like the hosts service does.
	paul := &hostsv1.Room{Id: "r-3", HostId: "h-2", Status: hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED, Title: "Chambre lumineuse avec balcon", AreaM2: 14, MonthlyContributionCents: 18000, AvailableFrom: "2027-03-01", City: "Villeurbanne"}
	var out []*hostsv1.Room
	for _, r := range []*hostsv1.Room{RoomJeanne, draft, paul} {
		if (req.GetCity() == "" || strings.EqualFold(req.GetCity(), r.GetCity())) &&
			(req.GetStatus() == hostsv1.RoomStatus_ROOM_STATUS_UNSPECIFIED || req.GetStatus() == r.GetStatus()) &&
			(req.GetMaxContributionCents() == 0 || r.GetMonthlyContributionCents() <= req.GetMaxContributionCents()) &&
			(req.GetAvailableFrom() == "" || r.GetAvailableFrom() <= req.GetAvailableFrom()) {
			out = append(out, r)
		}
	}
	return &hostsv1.ListRoomsResponse{Rooms: out}, nil
}

func (f *fakeHosts) GetRoom(ctx context.Context, req *hostsv1.GetRoomRequest) (*hostsv1.Room, error) {
	f.record(ctx, "GetRoom", req)
	if req.GetId() != "r-1" {
		return nil, grpcErr(errs.NotFound("ROOM_NOT_FOUND", "room not found"))
	}
	return RoomJeanne, nil
}

// UpdateRoom checks the etag against the room's, as the service does, then its area.
func (f *fakeHosts) UpdateRoom(ctx context.Context, req *hostsv1.UpdateRoomRequest) (*hostsv1.Room, error) {
	f.record(ctx, "UpdateRoom", req)
	if req.GetRoom().GetId() != "r-1" {
		return nil, grpcErr(errs.NotFound("ROOM_NOT_FOUND", "room not found"))
	}
	if req.GetRoom().GetTitle() == "locked" {
		return nil, grpcErr(errs.FailedPrecondition("ROOM_IN_USE", "a reserved or occupied room cannot be changed"))
	}
	if req.GetRoom().GetEtag() != RoomJeanne.GetEtag() {
		return nil, grpcErr(errs.Aborted("STALE_ETAG", "the room was changed meanwhile"))
	}
	var v errs.Violations
	v.Check(req.GetRoom().GetAreaM2() >= 9, "areaM2", "a room must be at least 9 m² (it is %g m²)", req.GetRoom().GetAreaM2())
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	out := proto.Clone(req.GetRoom()).(*hostsv1.Room)
	out.HostId = RoomJeanne.GetHostId()
	return out, nil
}

func (f *fakeHosts) CreateRoom(ctx context.Context, req *hostsv1.CreateRoomRequest) (*hostsv1.Room, error) {
	f.record(ctx, "CreateRoom", req)
	var v errs.Violations
	v.Check(req.GetRoom().GetAreaM2() >= 9, "areaM2", "a room must be at least 9 m² (it is %g m²)", req.GetRoom().GetAreaM2())
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return &hostsv1.Room{Id: "r-new", HostId: req.GetHostId(), Status: hostsv1.RoomStatus_ROOM_STATUS_DRAFT}, nil
}

func (f *fakeHosts) PublishRoom(ctx context.Context, req *hostsv1.PublishRoomRequest) (*hostsv1.Room, error) {
	f.record(ctx, "PublishRoom", req)
	return &hostsv1.Room{Id: req.GetId(), Status: hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED}, nil
}

// WithdrawRoom refuses r-occupied as the service does a room in a stay.
func (f *fakeHosts) WithdrawRoom(ctx context.Context, req *hostsv1.WithdrawRoomRequest) (*hostsv1.Room, error) {
	f.record(ctx, "WithdrawRoom", req)
	if req.GetId() == "r-occupied" {
		return nil, grpcErr(errs.FailedPrecondition("INVALID_TRANSITION", "an OCCUPIED room cannot be withdrawn"))
	}
	return &hostsv1.Room{Id: req.GetId(), Status: hostsv1.RoomStatus_ROOM_STATUS_WITHDRAWN}, nil
}

var StudentLea = &studentsv1.Student{
	Id: "s-1", ProgrammeId: "demo", Status: studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED, DisplayName: "Léa Bernard",
	BirthDate: "2004-05-02", Email: "lea@example.org", Institution: "Université Lyon 2",
	StudyPlace: &studentsv1.StudyPlace{City: "Lyon", Lat: 45.75, Lng: 4.84}, MaxCommuteKm: 10, Languages: []string{"fr", "en"},
	ServicesOffered: []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_DIGITAL_HELP},
}

type fakeStudents struct {
	sc *scenario
	studentsv1.UnimplementedStudentServiceServer
	*recorder
}

func (f *fakeStudents) ListStudents(ctx context.Context, req *studentsv1.ListStudentsRequest) (*studentsv1.ListStudentsResponse, error) {
	auth := f.record(ctx, "ListStudents", req)
	if auth == "Bearer tok-newstudent" {
		return &studentsv1.ListStudentsResponse{}, nil
	}
	pending := &studentsv1.Student{Id: "s-2", Status: studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION, DisplayName: "Hugo Petit",
		Institution: "INSA Lyon", StudyPlace: &studentsv1.StudyPlace{City: "Villeurbanne"}, CreateTime: Ts("2026-11-22T08:00:00Z")}
	var out []*studentsv1.Student
	for _, s := range []*studentsv1.Student{StudentLea, pending} {
		if req.GetStatus() == studentsv1.StudentStatus_STUDENT_STATUS_UNSPECIFIED || s.GetStatus() == req.GetStatus() {
			out = append(out, s)
		}
	}
	return &studentsv1.ListStudentsResponse{Students: out}, nil
}

// studentCamille was registered by the coordinator: no account, verified, no application yet.
var studentCamille = &studentsv1.Student{
	Id: "s-3", ProgrammeId: "demo", Status: studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED, DisplayName: "Camille Durand",
	BirthDate: "2004-02-17", Phone: "07 61 22 33 44", Institution: "Université Jean Moulin Lyon 3",
	StudyPlace: &studentsv1.StudyPlace{City: "Lyon", Lat: 45.75, Lng: 4.84}, MaxCommuteKm: 8, Languages: []string{"fr"},
	Motivation: "Elle aime la compagnie.", Etag: "3",
}

func (f *fakeStudents) GetStudent(ctx context.Context, req *studentsv1.GetStudentRequest) (*studentsv1.Student, error) {
	f.record(ctx, "GetStudent", req)
	if ok, _, _, st, _ := f.sc.get(); ok && st != nil && req.GetId() == "s-1" {
		return st, nil
	}
	switch req.GetId() {
	case "s-1":
		return StudentLea, nil
	case "s-3":
		return studentCamille, nil
	}
	return nil, grpcErr(errs.NotFound("STUDENT_NOT_FOUND", "student not found"))
}

// UpdateStudent checks the etag against the record's, as the service does, then the name.
func (f *fakeStudents) UpdateStudent(ctx context.Context, req *studentsv1.UpdateStudentRequest) (*studentsv1.Student, error) {
	f.record(ctx, "UpdateStudent", req)
	var current *studentsv1.Student
	for _, s := range []*studentsv1.Student{StudentLea, studentCamille} {
		if s.GetId() == req.GetStudent().GetId() {
			current = s
		}
	}
	if current == nil {
		return nil, grpcErr(errs.NotFound("STUDENT_NOT_FOUND", "student not found"))
	}
	if req.GetStudent().GetEtag() != current.GetEtag() {
		return nil, grpcErr(errs.Aborted("STALE_ETAG", "the student was changed meanwhile"))
	}
	var v errs.Violations
	v.Check(req.GetStudent().GetDisplayName() != "", "displayName", "is required")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return req.GetStudent(), nil
}

// ArchiveStudent refuses a student with an open application, as the service does.
func (f *fakeStudents) ArchiveStudent(ctx context.Context, req *studentsv1.ArchiveStudentRequest) (*studentsv1.Student, error) {
	f.record(ctx, "ArchiveStudent", req)
	if req.GetId() == "s-1" {
		return nil, grpcErr(errs.FailedPrecondition("APPLICATION_OPEN", "the student has an open application: withdraw it first"))
	}
	return &studentsv1.Student{Id: req.GetId(), Status: studentsv1.StudentStatus_STUDENT_STATUS_ARCHIVED}, nil
}

// WithdrawApplication refuses a-closed as the service does an application no longer open.
func (f *fakeStudents) WithdrawApplication(ctx context.Context, req *studentsv1.WithdrawApplicationRequest) (*studentsv1.Application, error) {
	f.record(ctx, "WithdrawApplication", req)
	if req.GetId() == "a-closed" {
		return nil, grpcErr(errs.FailedPrecondition("APPLICATION_NOT_OPEN", "the application is PLACED: only an open application can be withdrawn"))
	}
	return &studentsv1.Application{Id: req.GetId(), Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_WITHDRAWN}, nil
}

func (f *fakeStudents) CreateStudent(ctx context.Context, req *studentsv1.CreateStudentRequest) (*studentsv1.Student, error) {
	f.record(ctx, "CreateStudent", req)
	var v errs.Violations
	v.Check(req.GetStudent().GetDisplayName() != "", "displayName", "is required")
	v.Check(req.GetStudent().GetStudyPlace().GetCity() != "", "studyPlace.city", "is required")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return &studentsv1.Student{Id: "s-new", Status: studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION}, nil
}

func (f *fakeStudents) VerifyStudent(ctx context.Context, req *studentsv1.VerifyStudentRequest) (*studentsv1.Student, error) {
	f.record(ctx, "VerifyStudent", req)
	return &studentsv1.Student{Id: req.GetId(), Status: studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED}, nil
}

func (f *fakeStudents) ListApplications(ctx context.Context, req *studentsv1.ListApplicationsRequest) (*studentsv1.ListApplicationsResponse, error) {
	f.record(ctx, "ListApplications", req)
	if ok, _, _, _, apps := f.sc.get(); ok && req.GetStudentId() == "s-1" {
		return &studentsv1.ListApplicationsResponse{Applications: apps}, nil
	}
	if req.GetStudentId() == "s-3" {
		return &studentsv1.ListApplicationsResponse{}, nil
	}
	return &studentsv1.ListApplicationsResponse{Applications: []*studentsv1.Application{{
		Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED,
		BudgetCents: 20000, MoveInDate: "2027-01-15", MoveOutDate: "2027-06-30",
	}}}, nil
}

func (f *fakeStudents) CreateApplication(ctx context.Context, req *studentsv1.CreateApplicationRequest) (*studentsv1.Application, error) {
	f.record(ctx, "CreateApplication", req)
	var v errs.Violations
	v.Check(req.GetApplication().GetMoveInDate() != "", "moveInDate", "is required (YYYY-MM-DD)")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcErr(e)
	}
	return &studentsv1.Application{Id: "a-new", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED}, nil
}

// The breakdown of the fakes' one candidate; the reasons are recognisable in each language.
var breakdown = []*matchingv1.ScoreItem{
	{Criterion: "commute", Weight: 30, Value: 0.8, Contribution: 24, ReasonFr: "À 2,4 km du lieu d’études", ReasonEn: "2.4 km from the place of study"},
	{Criterion: "services", Weight: 25, Value: 0.5, Contribution: 12.5, ReasonFr: "Services en commun : compagnie", ReasonEn: "Services in common: company"},
	{Criterion: "languages", Weight: 15, Value: 1, Contribution: 15, ReasonFr: "Langue partagée : français", ReasonEn: "Shared language: French"},
}

var partyLea = &matchingv1.PartySummary{DisplayName: "Léa Bernard", Age: 22, Languages: []string{"fr", "en"},
	Services: []typev1.Service{typev1.Service_SERVICE_COMPANY}, Rhythm: typev1.Rhythm_RHYTHM_FLEXIBLE, City: "Lyon"}
var partyJeanne = &matchingv1.PartySummary{DisplayName: "Jeanne Martin", Age: 78, Languages: []string{"fr"}, City: "Lyon"}

type fakeMatching struct {
	sc *scenario
	matchingv1.UnimplementedMatchingServiceServer
	*recorder
}

func (f *fakeMatching) ListCandidates(ctx context.Context, req *matchingv1.ListCandidatesRequest) (*matchingv1.ListCandidatesResponse, error) {
	f.record(ctx, "ListCandidates", req)
	// Two pages of one: Léa, then (after her token) Hugo.
	if req.GetPageToken() == "tok-lea" {
		return &matchingv1.ListCandidatesResponse{Candidates: []*matchingv1.Candidate{
			{StudentId: "s-2", ApplicationId: "a-2", Score: 61.2, Breakdown: breakdown, DistanceKm: 4.1,
				Student: &matchingv1.PartySummary{DisplayName: "Hugo Petit", Age: 21, Languages: []string{"fr"}, City: "Villeurbanne"}},
		}}, nil
	}
	return &matchingv1.ListCandidatesResponse{Candidates: []*matchingv1.Candidate{
		{StudentId: "s-1", ApplicationId: "a-1", Score: 82.46, Breakdown: breakdown, Student: partyLea, DistanceKm: 2.35},
	}, NextPageToken: "tok-lea"}, nil
}

func (f *fakeMatching) ListSuggestions(ctx context.Context, req *matchingv1.ListSuggestionsRequest) (*matchingv1.ListSuggestionsResponse, error) {
	f.record(ctx, "ListSuggestions", req)
	return &matchingv1.ListSuggestionsResponse{Suggestions: []*matchingv1.Suggestion{
		{RoomId: "r-1", Score: 82.46, Breakdown: breakdown, Title: "Chambre calme près des quais", City: "Lyon",
			MonthlyContributionCents: 15000, AreaM2: 12, DistanceKm: 2.35, Host: partyJeanne},
	}}, nil
}

func Match(id string, st matchingv1.MatchStatus) *matchingv1.Match {
	return &matchingv1.Match{Id: id, ProgrammeId: "demo", RoomId: "r-1", HostId: "h-1", StudentId: "s-1", Status: st, Score: 82.46,
		Host: partyJeanne, Student: partyLea, CreateTime: Ts("2026-11-23T09:00:00Z"), ExpireTime: Ts("2026-12-07T09:00:00Z")}
}

func (f *fakeMatching) ListMatches(ctx context.Context, req *matchingv1.ListMatchesRequest) (*matchingv1.ListMatchesResponse, error) {
	auth := f.record(ctx, "ListMatches", req)
	if ok, m, _, _, _ := f.sc.get(); ok && party(auth) {
		return &matchingv1.ListMatchesResponse{Matches: m}, nil
	}
	switch req.GetStatus() {
	case matchingv1.MatchStatus_MATCH_STATUS_PROPOSED:
		return &matchingv1.ListMatchesResponse{Matches: []*matchingv1.Match{Match("m-1", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED)}}, nil
	case matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED:
		m := Match("m-2", matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED)
		m.MeetingTime = Ts("2026-11-28T14:30:00Z")
		m.HostAccepted = true
		return &matchingv1.ListMatchesResponse{Matches: []*matchingv1.Match{m}}, nil
	case matchingv1.MatchStatus_MATCH_STATUS_UNSPECIFIED:
		if req.GetRoomId() != "" {
			return &matchingv1.ListMatchesResponse{}, nil
		}
		met := Match("m-3", matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED)
		met.MeetingTime = Ts("2026-11-28T14:30:00Z")
		return &matchingv1.ListMatchesResponse{Matches: []*matchingv1.Match{Match("m-1", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED), met}}, nil
	}
	return &matchingv1.ListMatchesResponse{}, nil
}

func (f *fakeMatching) CreateMatch(ctx context.Context, req *matchingv1.CreateMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "CreateMatch", req)
	return Match("m-new", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED), nil
}

func (f *fakeMatching) ScheduleMeeting(ctx context.Context, req *matchingv1.ScheduleMeetingRequest) (*matchingv1.Match, error) {
	f.record(ctx, "ScheduleMeeting", req)
	m := Match(req.GetId(), matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED)
	m.MeetingTime = req.GetMeetingAt()
	return m, nil
}

func (f *fakeMatching) AcceptMatch(ctx context.Context, req *matchingv1.AcceptMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "AcceptMatch", req)
	return Match(req.GetId(), matchingv1.MatchStatus_MATCH_STATUS_PROPOSED), nil
}

func (f *fakeMatching) DeclineMatch(ctx context.Context, req *matchingv1.DeclineMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "DeclineMatch", req)
	return Match(req.GetId(), matchingv1.MatchStatus_MATCH_STATUS_DECLINED), nil
}

func (f *fakeMatching) GetMatch(ctx context.Context, req *matchingv1.GetMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "GetMatch", req)
	switch req.GetId() {
	case "m-2":
		m := Match("m-2", matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED)
		m.MeetingTime = Ts("2026-11-28T14:30:00Z")
		m.HostAccepted, m.HostAnsweredBy = true, "acc-coordinator"
		return m, nil
	case "m-4":
		m := Match("m-4", matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED)
		m.HostAccepted, m.StudentAccepted = true, true
		return m, nil
	case "m-5":
		m := Match("m-5", matchingv1.MatchStatus_MATCH_STATUS_DECLINED)
		m.DeclinedBy, m.DeclineReason = matchingv1.Party_PARTY_STUDENT, "Trop loin de l’université"
		return m, nil
	case "m-1":
		return Match("m-1", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED), nil
	}
	return nil, grpcErr(errs.NotFound("MATCH_NOT_FOUND", "no such match"))
}

func (f *fakeMatching) ApproveMatch(ctx context.Context, req *matchingv1.ApproveMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "ApproveMatch", req)
	if req.GetId() != "m-4" {
		return nil, grpcErr(errs.FailedPrecondition("NOT_ACCEPTED", "both parties must accept first"))
	}
	return Match(req.GetId(), matchingv1.MatchStatus_MATCH_STATUS_APPROVED), nil
}

func (f *fakeMatching) CancelMatch(ctx context.Context, req *matchingv1.CancelMatchRequest) (*matchingv1.Match, error) {
	f.record(ctx, "CancelMatch", req)
	return Match(req.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED), nil
}

// The fakes' one allocation run: a pair already proposed (m-1), one not yet, two students
// left without a room.
func fakeAllocation(id string) *matchingv1.Allocation {
	return &matchingv1.Allocation{
		Id: id, ProgrammeId: "demo", Status: matchingv1.AllocationStatus_ALLOCATION_STATUS_SUCCEEDED, TotalScore: 153.21, RoomCount: 3, StudentCount: 4,
		Pairs: []*matchingv1.Pair{
			{RoomId: "r-1", StudentId: "s-1", Score: 82.46},
			{RoomId: "r-3", StudentId: "s-2", Score: 70.75, Locked: true},
		},
		Unmatched: []*matchingv1.Unmatched{
			{StudentId: "s-8", Reason: "NO_FEASIBLE_ROOM: SMOKING, PETS"},
			{StudentId: "s-9", Reason: "ROOMS_TAKEN: every room this student could take went to another student"},
		},
		CreateTime: Ts("2026-11-25T08:30:00Z"),
	}
}

func (f *fakeMatching) CreateAllocation(ctx context.Context, req *matchingv1.CreateAllocationRequest) (*matchingv1.Allocation, error) {
	f.record(ctx, "CreateAllocation", req)
	return fakeAllocation("al-new"), nil
}

func (f *fakeMatching) GetAllocation(ctx context.Context, req *matchingv1.GetAllocationRequest) (*matchingv1.Allocation, error) {
	f.record(ctx, "GetAllocation", req)
	if req.GetId() != "al-1" && req.GetId() != "al-new" {
		return nil, grpcErr(errs.NotFound("ALLOCATION_NOT_FOUND", "no such allocation"))
	}
	return fakeAllocation(req.GetId()), nil
}

func (f *fakeMatching) ListAllocations(ctx context.Context, req *matchingv1.ListAllocationsRequest) (*matchingv1.ListAllocationsResponse, error) {
	f.record(ctx, "ListAllocations", req)
	return &matchingv1.ListAllocationsResponse{Allocations: []*matchingv1.Allocation{fakeAllocation("al-1")}}, nil
}

func (f *fakeMatching) ProposeAllocationPairs(ctx context.Context, req *matchingv1.ProposeAllocationPairsRequest) (*matchingv1.ProposeAllocationPairsResponse, error) {
	f.record(ctx, "ProposeAllocationPairs", req)
	for _, p := range req.GetPairs() {
		if p.GetRoomId() == "r-9" {
			return nil, grpcErr(errs.Invalid(errs.Violation{Field: "pairs[0]", Description: "room r-9 and student s-1 are not a pair of the allocation"}))
		}
	}
	return &matchingv1.ProposeAllocationPairsResponse{Matches: []*matchingv1.Match{Match("m-new", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED)}}, nil
}

type fakeContracts struct {
	sc *scenario
	contractsv1.UnimplementedContractServiceServer
	*recorder
}

func (f *fakeContracts) ListContracts(ctx context.Context, req *contractsv1.ListContractsRequest) (*contractsv1.ListContractsResponse, error) {
	auth := f.record(ctx, "ListContracts", req)
	if ok, _, c, _, _ := f.sc.get(); ok && party(auth) {
		return &contractsv1.ListContractsResponse{Contracts: c}, nil
	}
	if req.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_UNSPECIFIED {
		return &contractsv1.ListContractsResponse{Contracts: []*contractsv1.Contract{FakeContract("c-4"), FakeContract("c-3"), FakeContract("c-2")}}, nil
	}
	if req.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES {
		return &contractsv1.ListContractsResponse{}, nil
	}
	return &contractsv1.ListContractsResponse{Contracts: []*contractsv1.Contract{{
		Id: "c-1", Status: contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES, HostDisplayName: "Jeanne Martin",
		StudentDisplayName: "Léa Bernard", HostAssisted: true,
		Terms:      &contractsv1.ContractTerms{StartDate: "2027-01-15", EndDate: "2027-06-30", MonthlyContributionCents: 15000, EveningsPerWeek: 3, HoursPerWeek: 4},
		Signatures: []*contractsv1.Signature{{Party: matchingv1.Party_PARTY_STUDENT, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC}},
	}}}, nil
}

func (f *fakeContracts) ListCheckins(ctx context.Context, req *contractsv1.ListCheckinsRequest) (*contractsv1.ListCheckinsResponse, error) {
	f.record(ctx, "ListCheckins", req)
	ch := func(id, due string, st contractsv1.CheckinStatus) *contractsv1.Checkin {
		return &contractsv1.Checkin{Id: id, ContractId: "c-9", Status: st, DueDate: due, HostDisplayName: "Marcel Blanc", StudentDisplayName: "Inès Moreau"}
	}
	// ci-5 was done with a concern no incident answered; ci-6 with one an incident on c-3
	// answered since (i-1, reported after it).
	done := ch("ci-5", "2026-10-24", contractsv1.CheckinStatus_CHECKIN_STATUS_DONE)
	done.Method, done.HostWellbeing, done.StudentWellbeing, done.Notes, done.Concern, done.Late =
		contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT, 2, 4, "Marcel dort mal depuis sa chute.", true, true
	done.DoneTime = Ts("2026-11-02T15:00:00Z")
	answered := ch("ci-6", "2026-10-30", contractsv1.CheckinStatus_CHECKIN_STATUS_DONE)
	answered.ContractId, answered.Concern, answered.DoneTime, answered.HostDisplayName = "c-3", true, Ts("2026-11-03T10:00:00Z"), "Jeanne Martin"
	if req.GetContractId() == "c-3" {
		return &contractsv1.ListCheckinsResponse{Checkins: []*contractsv1.Checkin{answered}}, nil
	}
	if req.GetContractId() != "" {
		return &contractsv1.ListCheckinsResponse{Checkins: []*contractsv1.Checkin{
			ch("ci-1", "2026-11-24", contractsv1.CheckinStatus_CHECKIN_STATUS_DUE), done,
		}}, nil
	}
	switch req.GetStatus() {
	case contractsv1.CheckinStatus_CHECKIN_STATUS_DUE:
		var out []*contractsv1.Checkin
		for _, c := range []*contractsv1.Checkin{
			ch("ci-1", "2026-11-24", contractsv1.CheckinStatus_CHECKIN_STATUS_DUE), ch("ci-2", "2026-11-25", contractsv1.CheckinStatus_CHECKIN_STATUS_DUE),
			ch("ci-4", "2026-12-10", contractsv1.CheckinStatus_CHECKIN_STATUS_DUE),
		} {
			if req.GetDueBefore() == "" || c.GetDueDate() < req.GetDueBefore() {
				out = append(out, c)
			}
		}
		return &contractsv1.ListCheckinsResponse{Checkins: out}, nil
	case contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED:
		return &contractsv1.ListCheckinsResponse{Checkins: []*contractsv1.Checkin{ch("ci-3", "2026-11-10", contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED)}}, nil
	case contractsv1.CheckinStatus_CHECKIN_STATUS_DONE:
		plain := ch("ci-7", "2026-10-01", contractsv1.CheckinStatus_CHECKIN_STATUS_DONE)
		plain.DoneTime = Ts("2026-10-01T10:00:00Z")
		return &contractsv1.ListCheckinsResponse{Checkins: []*contractsv1.Checkin{plain, done, answered}}, nil
	}
	return &contractsv1.ListCheckinsResponse{}, nil
}

func (f *fakeContracts) ListIncidents(ctx context.Context, req *contractsv1.ListIncidentsRequest) (*contractsv1.ListIncidentsResponse, error) {
	f.record(ctx, "ListIncidents", req)
	if req.GetStatus() == contractsv1.IncidentStatus_INCIDENT_STATUS_UNSPECIFIED { // every state
		var all []*contractsv1.Incident
		for _, st := range []contractsv1.IncidentStatus{contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN, contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION, contractsv1.IncidentStatus_INCIDENT_STATUS_RESOLVED} {
			res, _ := f.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{Status: st})
			all = append(all, res.GetIncidents()...)
		}
		return &contractsv1.ListIncidentsResponse{Incidents: all}, nil
	}
	switch req.GetStatus() {
	case contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN:
		return &contractsv1.ListIncidentsResponse{Incidents: []*contractsv1.Incident{
			{Id: "i-1", ContractId: "c-3", Status: contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN, Severity: contractsv1.Severity_SEVERITY_CRITICAL, Description: "Chute dans l’escalier", CreateTime: Ts("2026-11-24T07:00:00Z")},
			{Id: "i-2", ContractId: "c-3", Status: contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN, Severity: contractsv1.Severity_SEVERITY_LOW, Description: "Bruit le soir", CreateTime: Ts("2026-11-20T07:00:00Z")},
		}}, nil
	case contractsv1.IncidentStatus_INCIDENT_STATUS_RESOLVED:
		return &contractsv1.ListIncidentsResponse{Incidents: []*contractsv1.Incident{
			{Id: "i-4", ContractId: "c-3", Status: contractsv1.IncidentStatus_INCIDENT_STATUS_RESOLVED, Severity: contractsv1.Severity_SEVERITY_MEDIUM, Category: "ODD_CODE", Description: "Clés perdues", Resolution: "Double fait", CreateTime: Ts("2026-11-10T07:00:00Z")},
		}}, nil
	case contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION:
		return &contractsv1.ListIncidentsResponse{Incidents: []*contractsv1.Incident{
			{Id: "i-3", ContractId: "c-3", Status: contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION, Severity: contractsv1.Severity_SEVERITY_LOW, Description: "Horaires de repas", CreateTime: Ts("2026-11-18T07:00:00Z")},
		}}, nil
	}
	return &contractsv1.ListIncidentsResponse{}, nil
}

func (f *fakeContracts) SignContract(ctx context.Context, req *contractsv1.SignContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "SignContract", req)
	return &contractsv1.Contract{Id: req.GetId(), Status: contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE}, nil
}

func FakeContract(id string) *contractsv1.Contract {
	c := &contractsv1.Contract{
		Id: id, MatchId: "m-4", HostId: "h-1", StudentId: "s-1", RoomAvailableFrom: "2027-01-01", RoomAvailableUntil: "2027-06-30", HostDisplayName: "Jeanne Martin", StudentDisplayName: "Léa Bernard", HostAssisted: true, Etag: "e-1",
		Terms: &contractsv1.ContractTerms{RoomTitle: "Chambre calme près des quais", RoomAreaM2: 12, StartDate: "2027-01-15", EndDate: "2027-06-30",
			MonthlyContributionCents: 15050, EveningsPerWeek: 3, HoursPerWeek: 4, NoticeDays: 30, TrialDays: 30, TrialNoticeDays: 8,
			SharedSpaces: []string{"cuisine", "salon"}, HouseRules: "Pas de visite après 22 h"},
	}
	switch id {
	case "c-1":
		c.Status = contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES
		c.Signatures = []*contractsv1.Signature{{Party: matchingv1.Party_PARTY_STUDENT, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC, SignTime: Ts("2026-11-24T18:00:00Z")}}
	case "c-2":
		c.Status = contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT
	case "c-4":
		c.Status = contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES
	case "c-3":
		c.Status = contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE
		c.Signatures = []*contractsv1.Signature{
			{Party: matchingv1.Party_PARTY_STUDENT, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC, SignTime: Ts("2026-11-24T18:00:00Z")},
			{Party: matchingv1.Party_PARTY_HOST, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER, OnBehalf: true, SignTime: Ts("2026-11-25T08:00:00Z")},
		}
	default:
		return nil
	}
	return c
}

func (f *fakeContracts) GetContract(ctx context.Context, req *contractsv1.GetContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "GetContract", req)
	if c := FakeContract(req.GetId()); c != nil {
		return c, nil
	}
	return nil, grpcErr(errs.NotFound("CONTRACT_NOT_FOUND", "no such contract"))
}

func (f *fakeContracts) UpdateContract(ctx context.Context, req *contractsv1.UpdateContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "UpdateContract", req)
	if req.GetContract().GetTerms().GetMonthlyContributionCents() > 20000 {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "terms.monthlyContributionCents", Description: "must not exceed the programme's cap of €200.00 a month"}))
	}
	// The room is available until 30 June 2027 (fakeContract's RoomAvailableUntil).
	if end := req.GetContract().GetTerms().GetEndDate(); end > "2027-06-30" {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "terms.endDate", Description: "must not be after the room's availability ends, on 2027-06-30"}))
	}
	return FakeContract("c-2"), nil
}

func (f *fakeContracts) ReopenContract(ctx context.Context, req *contractsv1.ReopenContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "ReopenContract", req)
	c := FakeContract("c-1")
	c.Status, c.Signatures = contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT, nil
	return c, nil
}

func (f *fakeContracts) SendContract(ctx context.Context, req *contractsv1.SendContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "SendContract", req)
	return FakeContract("c-1"), nil
}

func (f *fakeContracts) TerminateContract(ctx context.Context, req *contractsv1.TerminateContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "TerminateContract", req)
	if req.GetEffectiveDate() < "2026-12-25" {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "effectiveDate", Description: "must respect the notice period of 30 days: the earliest allowed date is 2026-12-25"}))
	}
	return FakeContract("c-3"), nil
}

func (f *fakeContracts) CancelContract(ctx context.Context, req *contractsv1.CancelContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "CancelContract", req)
	if req.GetId() == "c-3" {
		return nil, grpcErr(errs.FailedPrecondition("NOT_CANCELLABLE", "only a contract before the stay may be cancelled"))
	}
	if len(req.GetReason()) > 200 {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "reason", Description: "must be at most 200 characters"}))
	}
	c := FakeContract(req.GetId())
	c.Status = contractsv1.ContractStatus_CONTRACT_STATUS_CANCELLED
	return c, nil
}

func (f *fakeContracts) RenewContract(ctx context.Context, req *contractsv1.RenewContractRequest) (*contractsv1.Contract, error) {
	f.record(ctx, "RenewContract", req)
	if req.GetEndDate() <= "2027-06-30" {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "endDate", Description: "must be after the current end date 2027-06-30"}))
	}
	return FakeContract("c-3"), nil
}

func (f *fakeContracts) CreateIncident(ctx context.Context, req *contractsv1.CreateIncidentRequest) (*contractsv1.Incident, error) {
	f.record(ctx, "CreateIncident", req)
	if req.GetCategory() == "WHATEVER" {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "category", Description: "must be a short code in capitals, such as NOISE, PAYMENT, BEHAVIOUR, HEALTH or OTHER"}))
	}
	return &contractsv1.Incident{Id: "i-new", ContractId: req.GetContractId(), Status: contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN, Severity: req.GetSeverity()}, nil
}

func (f *fakeContracts) CompleteCheckin(ctx context.Context, req *contractsv1.CompleteCheckinRequest) (*contractsv1.Checkin, error) {
	f.record(ctx, "CompleteCheckin", req)
	if len(req.GetNotes()) > 50 {
		return nil, grpcErr(errs.Invalid(errs.Violation{Field: "notes", Description: "must be at most 50 characters"}))
	}
	return &contractsv1.Checkin{Id: req.GetId(), Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DONE}, nil
}

func (f *fakeContracts) MediateIncident(ctx context.Context, req *contractsv1.MediateIncidentRequest) (*contractsv1.Incident, error) {
	f.record(ctx, "MediateIncident", req)
	return &contractsv1.Incident{Id: req.GetId(), Status: contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION}, nil
}

func (f *fakeContracts) ResolveIncident(ctx context.Context, req *contractsv1.ResolveIncidentRequest) (*contractsv1.Incident, error) {
	f.record(ctx, "ResolveIncident", req)
	return &contractsv1.Incident{Id: req.GetId(), Status: contractsv1.IncidentStatus_INCIDENT_STATUS_RESOLVED, Resolution: req.GetResolution()}, nil
}

func (f *fakeContracts) GetContractDocument(ctx context.Context, req *contractsv1.GetContractDocumentRequest) (*contractsv1.ContractDocument, error) {
	f.record(ctx, "GetContractDocument", req)
	return &contractsv1.ContractDocument{ContentType: "application/pdf", Filename: "convention-" + req.GetId() + ".pdf", Content: []byte("%PDF-1.7 fake")}, nil
}

// backends is the five fake services on one real gRPC server on a random local port.
type backends struct {
	Rec  *recorder
	conn *grpc.ClientConn
	// sc is what a test sets for the host's and the student's own lists (their step of a
	// stay); unset, the fakes answer with their fixed data.
	Sc *scenario
}

// scenario is a test's own answers for what Jeanne (host) and Léa (student) see of their
// stay: the matches and contracts they list, Léa's record and her applications.
type scenario struct {
	mu        sync.Mutex
	set       bool
	matches   []*matchingv1.Match
	contracts []*contractsv1.Contract
	student   *studentsv1.Student
	apps      []*studentsv1.Application
}

// stage sets the scenario: the matches and contracts the host and the student list, Léa's
// record (nil: as she is) and her applications.
func (sc *scenario) Stage(matches []*matchingv1.Match, contracts []*contractsv1.Contract, student *studentsv1.Student, apps []*studentsv1.Application) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.set, sc.matches, sc.contracts, sc.student, sc.apps = true, matches, contracts, student, apps
}

func (sc *scenario) get() (ok bool, m []*matchingv1.Match, c []*contractsv1.Contract, s *studentsv1.Student, a []*studentsv1.Application) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.set, sc.matches, sc.contracts, sc.student, sc.apps
}

// party reports a host's or a student's token: their lists follow the scenario.
func party(auth string) bool { return auth == "Bearer tok-host" || auth == "Bearer tok-student" }

func startBackends(t *testing.T) *backends {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	rec := &recorder{}
	sc := &scenario{}
	s := grpc.NewServer()
	identityv1.RegisterIdentityServiceServer(s, &fakeIdentity{recorder: rec})
	hostsv1.RegisterHostServiceServer(s, &fakeHosts{recorder: rec})
	studentsv1.RegisterStudentServiceServer(s, &fakeStudents{recorder: rec, sc: sc})
	matchingv1.RegisterMatchingServiceServer(s, &fakeMatching{recorder: rec, sc: sc})
	contractsv1.RegisterContractServiceServer(s, &fakeContracts{recorder: rec, sc: sc})
	notificationsv1.RegisterNotificationServiceServer(s, &fakeNotifications{recorder: rec})
	figuresv1.RegisterFiguresServiceServer(s, fakeFigures{})
	deskv1.RegisterDeskServiceServer(s, &fakeDesk{recorder: rec})
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	cc, err := grpcx.Dial(lis.Addr().String())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return &backends{Rec: rec, conn: cc, Sc: sc}
}
