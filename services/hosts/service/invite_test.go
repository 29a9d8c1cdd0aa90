package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// violationFields ends the test unless err is InvalidArgument, and returns the fields named.
func violationFields(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, d := range svctest.WantCode(t, err, codes.InvalidArgument).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField())
			}
		}
	}
	return out
}

func TestGuardianshipNeedsALegalRepresentative(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	other, _ := e.as(t, auth.RoleCoordinator, "grenoble")

	in := hostInput("1940-05-01")
	in.Guardianship = hostsv1.Guardianship_GUARDIANSHIP_TUTELLE
	_, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if got := violationFields(t, err); !slices.Equal(got, []string{"legalRepresentative.name", "legalRepresentative.relationship", "legalRepresentative.phone"}) {
		t.Fatalf("violations %v", got)
	}

	in.LegalRepresentative = &hostsv1.LegalRepresentative{Name: "Claire Martin", Phone: "+33 6 11 22 33 44", Relationship: "fille"}
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if err != nil {
		t.Fatal(err)
	}
	if h.GetGuardianship() != hostsv1.Guardianship_GUARDIANSHIP_TUTELLE || h.GetLegalRepresentative().GetName() != "Claire Martin" {
		t.Fatalf("created %v", h)
	}
	got, err := e.client.GetHost(coord, &hostsv1.GetHostRequest{Id: h.GetId()})
	if err != nil || got.GetLegalRepresentative().GetPhone() != "+33 6 11 22 33 44" || got.GetLegalRepresentative().GetRelationship() != "fille" {
		t.Fatalf("read back %v %v", got, err)
	}
	// Another programme's coordinator does not see her at all.
	_, err = e.client.GetHost(other, &hostsv1.GetHostRequest{Id: h.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	// The representative's details never travel in events.
	for _, m := range nextEvents(t, e.js, hostsevents.HostRegistered.Subject, 1) {
		if b := string(m.Data()); strings.Contains(b, "Claire") || strings.Contains(b, "11 22 33") || strings.Contains(b, "fille") {
			t.Fatal("host.registered carries the legal representative")
		}
	}

	// A representative changes her phone only; an unknown measure is refused, naming it.
	patched, err := e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
		Host:       &hostsv1.Host{Id: h.GetId(), LegalRepresentative: &hostsv1.LegalRepresentative{Phone: "+33 6 99 88 77 66"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"legal_representative.phone"}},
	})
	if err != nil || patched.GetLegalRepresentative().GetPhone() != "+33 6 99 88 77 66" || patched.GetLegalRepresentative().GetName() != "Claire Martin" {
		t.Fatalf("patch phone: %v %v", patched, err)
	}
	_, err = e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
		Host:       &hostsv1.Host{Id: h.GetId(), Guardianship: hostsv1.Guardianship(42)},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"guardianship"}},
	})
	if got := violationFields(t, err); !slices.Equal(got, []string{"guardianship"}) {
		t.Fatalf("unknown measure: %v", got)
	}
	// Curatelle without any way to reach the representative is refused on its phone.
	_, err = e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
		Host: &hostsv1.Host{Id: h.GetId(), Guardianship: hostsv1.Guardianship_GUARDIANSHIP_CURATELLE,
			LegalRepresentative: &hostsv1.LegalRepresentative{Name: "UDAF 69", Relationship: "mandataire judiciaire"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"guardianship", "legal_representative"}},
	})
	if got := violationFields(t, err); !slices.Equal(got, []string{"legalRepresentative.phone"}) {
		t.Fatalf("curatelle without contact: %v", got)
	}
	// The measure lifted: no representative kept.
	lifted, err := e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
		Host:       &hostsv1.Host{Id: h.GetId(), Guardianship: hostsv1.Guardianship_GUARDIANSHIP_NONE},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"guardianship"}},
	})
	if err != nil || lifted.GetGuardianship() != hostsv1.Guardianship_GUARDIANSHIP_NONE || lifted.GetLegalRepresentative() != nil {
		t.Fatalf("lifted: %v %v", lifted, err)
	}
}

func TestInvitationAcceptedMakesHerTheOwner(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	in := hostInput("1945-01-20")
	in.Email = "jeanne@example.org"
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if err != nil {
		t.Fatal(err)
	}

	// She signs up on her own instead, with the same email: no second record; she is told to
	// use the invitation. Another programme, or another email, is not concerned.
	self, _ := e.as(t, auth.RoleHost, "lyon")
	mine := hostInput("1945-01-20")
	mine.Assisted, mine.ConsentRecorded, mine.Email = false, false, " Jeanne@Example.org "
	_, err = e.client.CreateHost(self, &hostsv1.CreateHostRequest{Host: mine})
	if s := svctest.WantCode(t, err, codes.FailedPrecondition); !strings.Contains(s.Message(), "invit") {
		t.Fatalf("duplicate: %v", s)
	}
	elsewhere, _ := e.as(t, auth.RoleHost, "grenoble")
	if _, err := e.client.CreateHost(elsewhere, &hostsv1.CreateHostRequest{Host: mine}); err != nil {
		t.Fatalf("another programme: %v", err)
	}

	// Identity tells that an account accepted her invitation.
	accountID := uuid.NewString()
	tok, _, err := e.issuer.Issue(auth.Principal{AccountID: accountID, Role: auth.RoleHost, ProgrammeID: "lyon"})
	if err != nil {
		t.Fatal(err)
	}
	her := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
	_, err = e.client.GetHost(her, &hostsv1.GetHostRequest{Id: h.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	accepted := svctest.Publish(t, e.js, identityevents.InvitationAccepted.Subject, "lyon", &identityeventsv1.InvitationAccepted{
		InvitationId: uuid.NewString(), RecordId: h.GetId(), RecordKind: identityv1.RecordKind_RECORD_KIND_HOST, ProgrammeId: "lyon", AccountId: accountID,
	})
	// A student's invitation is not the hosts service's.
	svctest.Publish(t, e.js, identityevents.InvitationAccepted.Subject, "lyon", &identityeventsv1.InvitationAccepted{
		InvitationId: uuid.NewString(), RecordId: uuid.NewString(), RecordKind: identityv1.RecordKind_RECORD_KIND_STUDENT, ProgrammeId: "lyon", AccountId: uuid.NewString(),
	})

	var got *hostsv1.Host
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err = e.client.GetHost(her, &hostsv1.GetHostRequest{Id: h.GetId()})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("she never came to own her record: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got.GetOwnerAccountId() != accountID || !got.GetAssisted() {
		t.Fatalf("claimed host %v", got)
	}
	// Her own list and her own changes.
	list, err := e.client.ListHosts(her, &hostsv1.ListHostsRequest{})
	if err != nil || len(list.GetHosts()) != 1 || list.GetHosts()[0].GetId() != h.GetId() {
		t.Fatalf("her list %v %v", list, err)
	}
	if _, err := e.client.UpdateHost(her, &hostsv1.UpdateHostRequest{
		Host: &hostsv1.Host{Id: h.GetId(), Phone: "+33 4 78 11 11 11"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"phone"}},
	}); err != nil {
		t.Fatalf("her own change: %v", err)
	}
	// Other services learn the owner from host.updated.
	msgs := nextEvents(t, e.js, hostsevents.HostUpdated.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	upd, err := event.Payload(env, &hostseventsv1.HostUpdated{})
	if err != nil || upd.GetHost().GetOwnerAccountId() != accountID {
		t.Fatalf("host.updated %v %v", upd, err)
	}

	// The same event again changes nothing.
	svctest.PublishEnvelope(t, e.js, accepted)
	time.Sleep(300 * time.Millisecond)
	again, err := e.client.GetHost(her, &hostsv1.GetHostRequest{Id: h.GetId()})
	if err != nil || again.GetOwnerAccountId() != accountID {
		t.Fatalf("after redelivery %v %v", again, err)
	}
}
