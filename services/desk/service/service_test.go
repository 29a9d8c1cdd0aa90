package service_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/desk/internal/grpcapi"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range deskv1.DeskService_ServiceDesc.Methods {
		if _, ok := grpcapi.Policy["/"+deskv1.DeskService_ServiceDesc.ServiceName+"/"+m.MethodName]; !ok {
			t.Errorf("%s has no authorization rule", m.MethodName)
		}
	}
}

func kinds(docs []*deskv1.Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, strings.TrimPrefix(d.GetKind().String(), "DOCUMENT_KIND_"))
		if d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_MISSING {
			panic("a new document is MISSING")
		}
	}
	slices.Sort(out)
	return out
}

// Registering a host or a student creates the documents required of them, MISSING; a tenant
// host also owes the notice to the landlord; a change of settings adds what is now required,
// to people registered earlier too; each new document is announced.
func TestDocumentsCreatedAtRegistration(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")

	tenant := e.host(t, "lyon", "", true)
	owner := e.host(t, "lyon", "", false)
	student := e.student(t, "lyon", "")
	if got := kinds(e.documents(t, coord, tenant, 3)); !slices.Equal(got, []string{"HOME_INSURANCE", "IDENTITY", "LANDLORD_NOTICE"}) {
		t.Errorf("tenant host's documents: %v", got)
	}
	if got := kinds(e.documents(t, coord, owner, 2)); !slices.Equal(got, []string{"HOME_INSURANCE", "IDENTITY"}) {
		t.Errorf("owner host's documents: %v", got)
	}
	if got := kinds(e.documents(t, coord, student, 3)); !slices.Equal(got, []string{"IDENTITY", "LIABILITY_INSURANCE", "PROOF_OF_SITUATION"}) {
		t.Errorf("student's documents: %v", got)
	}
	msgs := svctest.NextEvents(t, e.js, deskevents.Stream.Name, deskevents.DocumentRequested.Subject, 8)
	for _, m := range msgs {
		env, err := event.Decode(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		p, err := event.Payload(env, &deskeventsv1.DocumentChanged{})
		if err != nil || p.GetStatus() != "MISSING" || p.GetOwnerId() == "" || env.GetProgrammeId() != "lyon" {
			t.Errorf("requested event: %v %v", p, err)
		}
	}

	// The programme now asks hosts for a reference too: everyone registered gets it.
	svctest.Publish(t, e.js, identityevents.ProgrammeUpdated.Subject, "lyon", &identityeventsv1.ProgrammeUpdated{Programme: &identityv1.Programme{
		Id: "lyon", Settings: &identityv1.ProgrammeSettings{HostRequiredDocuments: []typev1.DocumentKind{
			typev1.DocumentKind_DOCUMENT_KIND_IDENTITY, typev1.DocumentKind_DOCUMENT_KIND_HOME_INSURANCE, typev1.DocumentKind_DOCUMENT_KIND_REFERENCE}},
	}})
	e.documents(t, coord, owner, 3)
	e.documents(t, coord, tenant, 4)
	e.documents(t, coord, student, 3)
}

func TestUploadVerifyRejectExpire(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	me, account := e.as(t, auth.RoleHost, "lyon")
	host := e.host(t, "lyon", account, false)
	docs := byKind(e.documents(t, coord, host, 2))
	insurance, identity := docs["DOCUMENT_KIND_HOME_INSURANCE"], docs["DOCUMENT_KIND_IDENTITY"]

	// A text file named .pdf is refused, naming the field.
	_, err := e.client.UploadDocument(me, &deskv1.UploadDocumentRequest{Id: insurance.GetId(), FileName: "assurance.pdf",
		ContentType: "application/pdf", Content: []byte("not a pdf at all, just text")})
	if s := svctest.WantCode(t, err, codes.InvalidArgument); grpcx.FieldViolations(s.Err())["content"] == "" {
		t.Errorf("a wrong type names content: %v", grpcx.FieldViolations(s.Err()))
	}
	_, err = e.client.UploadDocument(me, &deskv1.UploadDocumentRequest{Id: insurance.GetId(), Content: make([]byte, 10<<20+1)})
	svctest.WantCode(t, err, codes.InvalidArgument)

	// The host uploads her insurance: RECEIVED, with its SHA-256 and the type read from it.
	d, err := e.client.UploadDocument(me, &deskv1.UploadDocumentRequest{Id: insurance.GetId(), FileName: "../assurance.pdf", ContentType: "image/png", Content: pdfFile})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdfFile)
	if d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_RECEIVED || d.GetContentType() != "application/pdf" ||
		d.GetSha256() != hex.EncodeToString(sum[:]) || d.GetSizeBytes() != int32(len(pdfFile)) || d.GetFileName() != "assurance.pdf" {
		t.Fatalf("uploaded: %v", d)
	}
	// Only a coordinator verifies.
	_, err = e.client.VerifyDocument(me, &deskv1.VerifyDocumentRequest{Id: d.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	// A date that is no date is refused, naming the field.
	_, err = e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: d.GetId(), ExpiryDate: "2027-02-31"})
	if s := svctest.WantCode(t, err, codes.InvalidArgument); grpcx.FieldViolations(s.Err())["expiryDate"] == "" {
		t.Errorf("violations: %v", grpcx.FieldViolations(s.Err()))
	}
	d, err = e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: d.GetId(), ExpiryDate: "2027-03-15", Etag: d.GetEtag()})
	if err != nil || d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_VERIFIED || d.GetExpiryDate() != "2027-03-15" || d.GetVerifiedTime() == nil {
		t.Fatalf("verified: %v %v", d, err)
	}
	f, err := e.client.GetDocumentFile(me, &deskv1.GetDocumentFileRequest{Id: d.GetId()})
	if err != nil || !bytes.Equal(f.GetContent(), pdfFile) || f.GetContentType() != "application/pdf" {
		t.Fatalf("the owner reads her file back: %v", err)
	}

	// Past its expiry date, the job marks it EXPIRED and says so.
	e.clock.set(time.Date(2027, 3, 16, 2, 0, 0, 0, time.UTC))
	if n, err := e.app.ExpireDue(t.Context()); err != nil || n != 1 {
		t.Fatalf("expired %d: %v", n, err)
	}
	if n, _ := e.app.ExpireDue(t.Context()); n != 0 {
		t.Errorf("expired again: %d", n)
	}
	d, _ = e.client.GetDocument(coord, &deskv1.GetDocumentRequest{Id: d.GetId()})
	if d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_EXPIRED {
		t.Fatalf("after its expiry: %v", d.GetStatus())
	}
	expired := svctest.NextEvents(t, e.js, deskevents.Stream.Name, deskevents.DocumentExpired.Subject, 1)
	env, _ := event.Decode(expired[0].Data())
	if p, _ := event.Payload(env, &deskeventsv1.DocumentChanged{}); p.GetDocumentId() != d.GetId() || p.GetExpiryDate() != "2027-03-15" ||
		p.GetKind() != typev1.DocumentKind_DOCUMENT_KIND_HOME_INSURANCE {
		t.Errorf("expired event: %v", p)
	}

	// A renewed insurance is RECEIVED again; the coordinator rejects it, with a reason.
	d, err = e.client.UploadDocument(coord, &deskv1.UploadDocumentRequest{Id: d.GetId(), FileName: "scan.png", Content: pngFile})
	if err != nil || d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_RECEIVED || d.GetExpiryDate() != "" || d.GetContentType() != "image/png" {
		t.Fatalf("renewed: %v %v", d, err)
	}
	_, err = e.client.RejectDocument(coord, &deskv1.RejectDocumentRequest{Id: d.GetId()})
	if s := svctest.WantCode(t, err, codes.InvalidArgument); grpcx.FieldViolations(s.Err())["reason"] == "" {
		t.Errorf("a rejection without a reason: %v", grpcx.FieldViolations(s.Err()))
	}
	d, err = e.client.RejectDocument(coord, &deskv1.RejectDocumentRequest{Id: d.GetId(), Reason: "illisible"})
	if err != nil || d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_REJECTED || d.GetRejectionReason() != "illisible" {
		t.Fatalf("rejected: %v %v", d, err)
	}
	svctest.NextEvents(t, e.js, deskevents.Stream.Name, deskevents.DocumentRejected.Subject, 1)

	// An identity paper: uploaded, verified, and its copy deleted; the record keeps that it was seen.
	id, err := e.client.UploadDocument(me, &deskv1.UploadDocumentRequest{Id: identity.GetId(), FileName: "cni.jpg",
		Content: append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...)})
	if err != nil || id.GetContentType() != "image/jpeg" {
		t.Fatalf("identity uploaded: %v %v", id, err)
	}
	id, err = e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: id.GetId(), ExpiryDate: "2035-01-01"})
	if err != nil || id.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_VERIFIED || id.GetHasFile() || id.GetSha256() != "" {
		t.Fatalf("identity verified: %v %v", id, err)
	}
	_, err = e.client.GetDocumentFile(coord, &deskv1.GetDocumentFileRequest{Id: id.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
}

// A paper seen in person is VERIFIED with no file; a missing one cannot be verified otherwise.
func TestSeenInPerson(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	student := e.student(t, "lyon", "")
	identity := byKind(e.documents(t, coord, student, 3))["DOCUMENT_KIND_IDENTITY"]
	_, err := e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: identity.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	d, err := e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: identity.GetId(), SeenInPerson: true})
	if err != nil || d.GetStatus() != deskv1.DocumentStatus_DOCUMENT_STATUS_VERIFIED || !d.GetSeenInPerson() || d.GetHasFile() {
		t.Fatalf("seen in person: %v %v", d, err)
	}
}

// The file goes to the programme's coordinators and the person, never to another person,
// another programme's coordinator or the admin.
func TestDownloadRefusedToOthers(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	me, account := e.as(t, auth.RoleStudent, "lyon")
	student := e.student(t, "lyon", account)
	other, otherAccount := e.as(t, auth.RoleStudent, "lyon")
	e.student(t, "lyon", otherAccount)
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "grenoble")
	admin, _ := e.as(t, auth.RoleAdmin, "")

	d := byKind(e.documents(t, coord, student, 3))["DOCUMENT_KIND_LIABILITY_INSURANCE"]
	if _, err := e.client.UploadDocument(me, &deskv1.UploadDocumentRequest{Id: d.GetId(), FileName: "rc.pdf", Content: pdfFile}); err != nil {
		t.Fatal(err)
	}
	if f, err := e.client.GetDocumentFile(coord, &deskv1.GetDocumentFileRequest{Id: d.GetId()}); err != nil || !bytes.Equal(f.GetContent(), pdfFile) {
		t.Fatalf("coordinator: %v", err)
	}
	if _, err := e.client.GetDocumentFile(me, &deskv1.GetDocumentFileRequest{Id: d.GetId()}); err != nil {
		t.Fatalf("owner: %v", err)
	}
	_, err := e.client.GetDocumentFile(other, &deskv1.GetDocumentFileRequest{Id: d.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetDocumentFile(otherCoord, &deskv1.GetDocumentFileRequest{Id: d.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetDocumentFile(admin, &deskv1.GetDocumentFileRequest{Id: d.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	// Nor does another person upload over it, or list it.
	_, err = e.client.UploadDocument(other, &deskv1.UploadDocumentRequest{Id: d.GetId(), Content: pdfFile})
	svctest.WantCode(t, err, codes.NotFound)
	res, err := e.client.ListDocuments(other, &deskv1.ListDocumentsRequest{OwnerId: student})
	if err != nil || len(res.GetDocuments()) != 0 {
		t.Fatalf("another student lists %d documents: %v", len(res.GetDocuments()), err)
	}
	res, err = e.client.ListDocuments(me, &deskv1.ListDocumentsRequest{})
	if err != nil || len(res.GetDocuments()) != 3 {
		t.Fatalf("the student lists her %d documents: %v", len(res.GetDocuments()), err)
	}
}

func TestNotesAndTimeline(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "grenoble")
	host := e.host(t, "lyon", "", false)
	e.documents(t, coord, host, 2)

	e.clock.set(time.Date(2027, 3, 2, 10, 0, 0, 0, time.UTC))
	n, err := e.client.CreateNote(coord, &deskv1.CreateNoteRequest{SubjectId: host, Body: "Visite à domicile : chambre lumineuse."})
	if err != nil || n.GetSubjectType() != deskv1.SubjectType_SUBJECT_TYPE_HOST || n.GetCorrected() {
		t.Fatalf("note: %v %v", n, err)
	}
	_, err = e.client.CreateNote(coord, &deskv1.CreateNoteRequest{SubjectId: host, Body: "  "})
	if s := svctest.WantCode(t, err, codes.InvalidArgument); grpcx.FieldViolations(s.Err())["body"] == "" {
		t.Errorf("empty note: %v", grpcx.FieldViolations(s.Err()))
	}
	_, err = e.client.CreateNote(otherCoord, &deskv1.CreateNoteRequest{SubjectId: host, Body: "x"})
	svctest.WantCode(t, err, codes.NotFound)

	e.clock.set(time.Date(2027, 3, 3, 10, 0, 0, 0, time.UTC))
	c, err := e.client.UpdateNote(coord, &deskv1.UpdateNoteRequest{Id: n.GetId(), Body: "Visite à domicile : chambre lumineuse, 12 m².", Etag: n.GetEtag()})
	if err != nil || !c.GetCorrected() || len(c.GetHistory()) != 1 || c.GetHistory()[0].GetBody() != n.GetBody() {
		t.Fatalf("corrected: %v %v", c, err)
	}
	_, err = e.client.UpdateNote(coord, &deskv1.UpdateNoteRequest{Id: n.GetId(), Body: "stale", Etag: n.GetEtag()})
	svctest.WantCode(t, err, codes.Aborted)
	_, err = e.client.UpdateNote(otherCoord, &deskv1.UpdateNoteRequest{Id: n.GetId(), Body: "x"})
	svctest.WantCode(t, err, codes.NotFound)

	list, err := e.client.ListNotes(coord, &deskv1.ListNotesRequest{SubjectId: host})
	if err != nil || len(list.GetNotes()) != 1 {
		t.Fatalf("notes: %v %v", list, err)
	}
	tl, err := e.client.GetTimeline(coord, &deskv1.GetTimelineRequest{SubjectId: host})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, en := range tl.GetEntries() {
		if i > 0 && en.GetTime().AsTime().After(tl.GetEntries()[i-1].GetTime().AsTime()) {
			t.Errorf("timeline not newest first at %d", i)
		}
		if en.GetKind() == deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_NOTE {
			got = append(got, "NOTE")
		} else {
			got = append(got, en.GetEvent())
		}
	}
	if len(got) < 3 || got[0] != "NOTE" || !slices.Contains(got, "HOST_REGISTERED") || !slices.Contains(got, "DOCUMENT_REQUESTED") {
		t.Errorf("timeline: %v", got)
	}
	_, err = e.client.GetTimeline(otherCoord, &deskv1.GetTimelineRequest{SubjectId: host})
	svctest.WantCode(t, err, codes.NotFound)
	student, _ := e.as(t, auth.RoleStudent, "lyon")
	_, err = e.client.ListNotes(student, &deskv1.ListNotesRequest{SubjectId: host})
	svctest.WantCode(t, err, codes.PermissionDenied)
}

// The agenda lists every kind of item within the period, and overdue ones; the feed is the
// same agenda as iCalendar, read back by the library's parser, and its old address stops
// working once replaced.
func TestAgendaAndFeed(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	host := e.host(t, "lyon", "", false)
	student := e.student(t, "lyon", "")
	e.documents(t, coord, host, 2)

	now := e.clock.now()
	proposed, meeting, contract := ids.New(), ids.New(), ids.New()
	env1, _ := event.New(matchingevents.MatchProposed.Subject, "lyon", now.Add(-4*24*time.Hour), &matchingeventsv1.MatchChanged{
		Match: &matchingeventsv1.MatchSummary{MatchId: proposed, HostId: host, StudentId: student, Status: "PROPOSED"}})
	svctest.PublishEnvelope(t, e.js, env1)
	svctest.Publish(t, e.js, matchingevents.MatchMeetingScheduled.Subject, "lyon", &matchingeventsv1.MatchChanged{
		Match:       &matchingeventsv1.MatchSummary{MatchId: meeting, HostId: host, StudentId: student, Status: "MEETING_SCHEDULED"},
		MeetingTime: timestamppb.New(now.Add(2*24*time.Hour + 5*time.Hour))})
	svctest.Publish(t, e.js, contractsevents.ContractSent.Subject, "lyon", &contractseventsv1.ContractChanged{Contract: &contractseventsv1.ContractSummary{
		ContractId: contract, HostId: host, StudentId: student, Status: "AWAITING_SIGNATURES", StartDate: "2027-04-01", EndDate: "2028-03-31"}})
	svctest.Publish(t, e.js, contractsevents.CheckinScheduled.Subject, "lyon", &contractseventsv1.CheckinChanged{
		CheckinId: ids.New(), ContractId: contract, ProgrammeId: "lyon", Status: "DUE", DueDate: "2027-03-04"})

	call, _ := event.New(notificationsevents.CallRequested.Subject, "lyon", now.Add(-24*time.Hour), &notificationseventsv1.CallRequested{
		NotificationId: ids.New(), ProgrammeId: "lyon", RecipientId: host, RecipientKind: "HOST", Topic: "MATCH_PROPOSED"})
	svctest.PublishEnvelope(t, e.js, call)

	want := []string{"AGENDA_ITEM_KIND_CALL", "AGENDA_ITEM_KIND_CHECKIN", "AGENDA_ITEM_KIND_MEETING", "AGENDA_ITEM_KIND_PROPOSAL_WAITING",
		"AGENDA_ITEM_KIND_SIGNATURES_WAITING", "AGENDA_ITEM_KIND_DOCUMENT_MISSING"}
	var items []*deskv1.AgendaItem
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, err := e.client.GetAgenda(coord, &deskv1.GetAgendaRequest{From: "2027-03-01", To: "2027-03-08", Language: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		items = a.GetItems()
		seen := map[string]bool{}
		for _, it := range items {
			seen[it.GetKind().String()] = true
		}
		all := true
		for _, k := range want {
			all = all && seen[k]
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("agenda: %v", items)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, it := range items {
		// Items dated within the period, or before it and still to handle (overdue).
		if it.GetTitle() == "" || it.GetId() == "" || it.GetDate() > "2027-03-08" || (it.GetDate() < "2027-03-01") != it.GetOverdue() {
			t.Errorf("item: %v", it)
		}
		if it.GetKind() == deskv1.AgendaItemKind_AGENDA_ITEM_KIND_PROPOSAL_WAITING && it.GetDate() != "2027-02-28" {
			t.Errorf("a proposal of 25 February is unanswered from 28 February: dated %s", it.GetDate())
		}
	}

	feed, err := e.client.CreateAgendaFeed(coord, &deskv1.CreateAgendaFeedRequest{Language: "fr"})
	if err != nil || !strings.HasPrefix(feed.GetFeedUrl(), "/v1/agenda/feeds/") || !strings.HasSuffix(feed.GetFeedUrl(), ".ics") {
		t.Fatalf("feed: %v %v", feed, err)
	}
	secret := strings.TrimSuffix(strings.TrimPrefix(feed.GetFeedUrl(), "/v1/agenda/feeds/"), ".ics")
	// No token: the secret is the credential.
	cal, err := e.client.GetAgendaFeedCalendar(t.Context(), &deskv1.GetAgendaFeedCalendarRequest{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ics.ParseCalendar(bytes.NewReader(cal.GetContent()))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, cal.GetContent())
	}
	uids := map[string]bool{}
	for _, ev := range parsed.Events() {
		uid := ev.Id()
		if uids[uid] || uid == "" {
			t.Errorf("UID %q repeated or empty", uid)
		}
		uids[uid] = true
		summary := ev.GetProperty(ics.ComponentPropertySummary)
		if summary == nil || summary.Value == "" {
			t.Errorf("event %s has no summary", uid)
		}
		if _, err := ev.GetAllDayStartAt(); err != nil {
			if _, err := ev.GetStartAt(); err != nil {
				t.Errorf("event %s has no start: %v", uid, err)
			}
		}
	}
	if len(parsed.Events()) < len(want) {
		t.Errorf("the feed has %d events", len(parsed.Events()))
	}
	// The same items keep their UIDs: every item of the first reading is there again under
	// its UID. (An item may be added in between — the set-up's last events can still be on
	// their way — so the second reading is not asked to hold nothing more.)
	again, _ := e.client.GetAgendaFeedCalendar(t.Context(), &deskv1.GetAgendaFeedCalendarRequest{Secret: secret})
	reparsed, _ := ics.ParseCalendar(bytes.NewReader(again.GetContent()))
	second := map[string]bool{}
	for _, ev := range reparsed.Events() {
		second[ev.Id()] = true
	}
	for uid := range uids {
		if !second[uid] {
			t.Errorf("UID %s of the first reading is gone on the second", uid)
		}
	}

	if _, err := e.client.CreateAgendaFeed(coord, &deskv1.CreateAgendaFeedRequest{}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetAgendaFeedCalendar(t.Context(), &deskv1.GetAgendaFeedCalendarRequest{Secret: secret})
	svctest.WantCode(t, err, codes.NotFound)
}

// The expiry job run by two replicas at once expires each document once (FOR UPDATE SKIP
// LOCKED): as many expired events as documents.
func TestExpiryJobOnTwoReplicas(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	var docs []string
	for range 20 {
		student := e.student(t, "lyon", "")
		for _, d := range e.documents(t, coord, student, 3) {
			if _, err := e.client.VerifyDocument(coord, &deskv1.VerifyDocumentRequest{Id: d.GetId(), SeenInPerson: true, ExpiryDate: "2027-03-10"}); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d.GetId())
		}
	}
	e.clock.set(time.Date(2027, 3, 11, 0, 0, 0, 0, time.UTC))
	counts := make(chan int, 2)
	for range 2 {
		go func() {
			n, err := e.app.ExpireDue(t.Context())
			if err != nil {
				t.Error(err)
			}
			counts <- n
		}()
	}
	if total := <-counts + <-counts; total != len(docs) {
		t.Errorf("two replicas expired %d documents, want %d", total, len(docs))
	}
	svctest.NextEvents(t, e.js, deskevents.Stream.Name, deskevents.DocumentExpired.Subject, len(docs))
	res, err := e.client.ListDocuments(coord, &deskv1.ListDocumentsRequest{Status: deskv1.DocumentStatus_DOCUMENT_STATUS_EXPIRED, PageSize: 100})
	if err != nil || len(res.GetDocuments()) != len(docs) {
		t.Fatalf("expired: %d %v", len(res.GetDocuments()), err)
	}
}
