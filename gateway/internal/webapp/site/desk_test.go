package site

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// fakeDesk answers like the desk service: Jeanne's (h-1) and Léa's (s-1) documents — one
// missing, one received with its file, one rejected —, a corrected note and a timeline for
// any record, and an agenda. Like the desk, it lets a host or a student see only their own
// documents and never the notes, and serves a file to the coordinator and its owner only.
type fakeDesk struct {
	deskv1.UnimplementedDeskServiceServer
	*recorder
}

var deskOwners = map[string]string{"Bearer tok-host": "h-1", "Bearer tok-student": "s-1"}

func fakeDocuments(owner string) []*deskv1.Document {
	party, insurance := deskv1.Party_PARTY_HOST, typev1.DocumentKind_DOCUMENT_KIND_HOME_INSURANCE
	if strings.HasPrefix(owner, "s-") {
		party, insurance = deskv1.Party_PARTY_STUDENT, typev1.DocumentKind_DOCUMENT_KIND_LIABILITY_INSURANCE
	}
	return []*deskv1.Document{
		{Id: owner + "-id", OwnerId: owner, Party: party, Kind: typev1.DocumentKind_DOCUMENT_KIND_IDENTITY, Status: deskv1.DocumentStatus_DOCUMENT_STATUS_MISSING},
		{Id: owner + "-ins", OwnerId: owner, Party: party, Kind: insurance, Status: deskv1.DocumentStatus_DOCUMENT_STATUS_RECEIVED,
			FileName: "assurance.pdf", ContentType: "application/pdf", SizeBytes: 48213, HasFile: true},
		{Id: owner + "-other", OwnerId: owner, Party: party, Kind: typev1.DocumentKind_DOCUMENT_KIND_OTHER, Status: deskv1.DocumentStatus_DOCUMENT_STATUS_REJECTED,
			RejectionReason: "La page 2 manque"},
	}
}

func (f *fakeDesk) coordinator(auth string) bool { return auth == "Bearer tok-coord" }

func (f *fakeDesk) ListDocuments(ctx context.Context, in *deskv1.ListDocumentsRequest) (*deskv1.ListDocumentsResponse, error) {
	auth := f.record(ctx, "ListDocuments", in)
	if !f.coordinator(auth) && deskOwners[auth] != in.GetOwnerId() {
		return nil, status.Error(codes.PermissionDenied, "not yours")
	}
	return &deskv1.ListDocumentsResponse{Documents: fakeDocuments(in.GetOwnerId())}, nil
}

// ownerOf is the owner named in a fake document's id ("h-1-ins").
func ownerOf(id string) string {
	i := strings.LastIndex(id, "-")
	if i < 0 {
		return ""
	}
	return id[:i]
}

func (f *fakeDesk) UploadDocument(ctx context.Context, in *deskv1.UploadDocumentRequest) (*deskv1.Document, error) {
	auth := f.record(ctx, "UploadDocument", in)
	if !f.coordinator(auth) && deskOwners[auth] != ownerOf(in.GetId()) {
		return nil, status.Error(codes.PermissionDenied, "not yours")
	}
	return &deskv1.Document{Id: in.GetId(), Status: deskv1.DocumentStatus_DOCUMENT_STATUS_RECEIVED}, nil
}

func (f *fakeDesk) GetDocumentFile(ctx context.Context, in *deskv1.GetDocumentFileRequest) (*deskv1.DocumentFile, error) {
	auth := f.record(ctx, "GetDocumentFile", in)
	if !f.coordinator(auth) && deskOwners[auth] != ownerOf(in.GetId()) {
		return nil, status.Error(codes.PermissionDenied, "not yours")
	}
	return &deskv1.DocumentFile{FileName: "assurance.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4 fake")}, nil
}

func (f *fakeDesk) VerifyDocument(ctx context.Context, in *deskv1.VerifyDocumentRequest) (*deskv1.Document, error) {
	if !f.coordinator(f.record(ctx, "VerifyDocument", in)) {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	return &deskv1.Document{Id: in.GetId(), Status: deskv1.DocumentStatus_DOCUMENT_STATUS_VERIFIED}, nil
}

func (f *fakeDesk) RejectDocument(ctx context.Context, in *deskv1.RejectDocumentRequest) (*deskv1.Document, error) {
	if !f.coordinator(f.record(ctx, "RejectDocument", in)) {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	return &deskv1.Document{Id: in.GetId(), Status: deskv1.DocumentStatus_DOCUMENT_STATUS_REJECTED}, nil
}

func (f *fakeDesk) ListNotes(ctx context.Context, in *deskv1.ListNotesRequest) (*deskv1.ListNotesResponse, error) {
	if !f.coordinator(f.record(ctx, "ListNotes", in)) {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	return &deskv1.ListNotesResponse{Notes: []*deskv1.Note{{Id: "note-1", SubjectId: in.GetSubjectId(), Body: "Préfère être appelée le mardi matin.",
		Corrected: true, Etag: "e-7", CreateTime: timestamppb.New(fixedNow), UpdateTime: timestamppb.New(fixedNow)}}}, nil
}

func (f *fakeDesk) GetTimeline(ctx context.Context, in *deskv1.GetTimelineRequest) (*deskv1.Timeline, error) {
	if !f.coordinator(f.record(ctx, "GetTimeline", in)) {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	return &deskv1.Timeline{Entries: []*deskv1.TimelineEntry{
		{Time: timestamppb.New(fixedNow), Kind: deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_NOTE, Summary: "Préfère être appelée le mardi matin.", NoteId: "note-1"},
		{Time: ts("2026-11-20T10:00:00Z"), Kind: deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_EVENT, Summary: "Registered", Event: "HOST_REGISTERED"},
	}}, nil
}

func (f *fakeDesk) CreateNote(ctx context.Context, in *deskv1.CreateNoteRequest) (*deskv1.Note, error) {
	f.record(ctx, "CreateNote", in)
	return &deskv1.Note{Id: "note-2", SubjectId: in.GetSubjectId(), Body: in.GetBody()}, nil
}

func (f *fakeDesk) UpdateNote(ctx context.Context, in *deskv1.UpdateNoteRequest) (*deskv1.Note, error) {
	f.record(ctx, "UpdateNote", in)
	return &deskv1.Note{Id: in.GetId(), Body: in.GetBody(), Corrected: true}, nil
}

func (f *fakeDesk) GetAgenda(ctx context.Context, in *deskv1.GetAgendaRequest) (*deskv1.Agenda, error) {
	f.record(ctx, "GetAgenda", in)
	return &deskv1.Agenda{Items: []*deskv1.AgendaItem{
		{Id: "a-1", Kind: deskv1.AgendaItemKind_AGENDA_ITEM_KIND_CHECKIN, Date: "2026-11-20", Overdue: true, SubjectId: "c-1",
			SubjectType: deskv1.SubjectType_SUBJECT_TYPE_CONTRACT, Title: "Visite de suivi à faire", Link: "/coordinator/checkins/k-1"},
		{Id: "a-2", Kind: deskv1.AgendaItemKind_AGENDA_ITEM_KIND_DOCUMENT_MISSING, Date: "2026-11-25", SubjectId: "h-1",
			SubjectType: deskv1.SubjectType_SUBJECT_TYPE_HOST, Title: "Pièce manquante : pièce d’identité", Link: "/coordinator/hosts/h-1#documents"},
		// A link that is not one of this site's pages leads to the record instead.
		{Id: "a-3", Kind: deskv1.AgendaItemKind_AGENDA_ITEM_KIND_MEETING, Date: "2026-11-28", SubjectId: "m-1",
			SubjectType: deskv1.SubjectType_SUBJECT_TYPE_MATCH, Title: "Rencontre prévue", Link: "https://evil.example/x"},
	}}, nil
}

func (f *fakeDesk) CreateAgendaFeed(ctx context.Context, in *deskv1.CreateAgendaFeedRequest) (*deskv1.AgendaFeed, error) {
	f.record(ctx, "CreateAgendaFeed", in)
	return &deskv1.AgendaFeed{FeedUrl: "/v1/agenda/feeds/secret-2.ics"}, nil
}

// postFile sends a multipart form with one file, as the upload form does; csrf false leaves
// the token out.
func (b *browser) postFile(t *testing.T, path, name string, content []byte, csrf bool) response {
	t.Helper()
	if b.cookie(webapp.CookieCSRF) == "" {
		b.get(t, "/login")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf {
		_ = mw.WriteField(webapp.CSRFField, b.cookie(webapp.CookieCSRF))
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(t, req)
}

var tinyPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// The coordinator's page of a host and of a student shows the checklist — kind, status,
// rejection reason, the file to download — with, for each document, the upload form a
// phone's camera can fill, and the verify and reject forms; in French and in English.
func TestDocumentChecklistOnTheCoordinatorsPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	for _, tc := range []struct{ path, owner, insurance string }{
		{"/coordinator/hosts/h-1", "h-1", "Assurance habitation"},
		{"/coordinator/students/s-1", "s-1", "Assurance responsabilité civile"},
	} {
		r := c.get(t, tc.path)
		body := html.UnescapeString(r.body)
		if r.code != 200 {
			t.Fatalf("%s: %d\n%s", tc.path, r.code, r.body)
		}
		for _, want := range []string{
			`<h2 id="documents">Pièces</h2>`, "Pièce d’identité", tc.insurance, "Manquante", "Reçue, à vérifier", "La page 2 manque",
			`accept="application/pdf,image/jpeg,image/png"`, `enctype="multipart/form-data"`,
			`action="/coordinator/documents/` + tc.owner + `-id/upload?next=` + strings.ReplaceAll(tc.path, "/", "%2f") + `"`,
			`href="/documents/` + tc.owner + `-ins/file"`, "assurance.pdf, 48 ko",
			`action="/coordinator/documents/` + tc.owner + `-ins/verify"`, `name="seenInPerson"`, `name="expiryDate"`,
			`action="/coordinator/documents/` + tc.owner + `-ins/reject"`,
			`<label for="file-` + tc.owner + `-id">`, `<label for="reason-` + tc.owner + `-ins">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", tc.path, want)
			}
		}
		if !strings.Contains(body, `<span class="badge bad">Refusée</span>`) || !strings.Contains(body, `<span class="badge wait">Reçue, à vérifier</span>`) {
			t.Errorf("%s: the statuses' badges do not tell waiting from refused", tc.path)
		}
		// A missing document cannot be rejected: there is nothing to refuse yet.
		if strings.Contains(body, `/coordinator/documents/`+tc.owner+`-id/reject`) {
			t.Errorf("%s offers to reject a missing document", tc.path)
		}
	}
	c.setLang(t, "en")
	r := c.get(t, "/coordinator/hosts/h-1")
	for _, want := range []string{"Identity paper", "Home insurance", "Received, to verify", "Choose the file or take a photo", "Mark as verified", "Reject this document"} {
		if !strings.Contains(html.UnescapeString(r.body), want) {
			t.Errorf("English host page lacks %q", want)
		}
	}
}

// An upload sends the file's bytes and the type read from them to the desk with the
// coordinator's token; a file of another type, or none, is refused next to its field
// without a call; a form without its CSRF token is refused.
func TestDocumentUploadFromTheCoordinatorsPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	r := c.postFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "carte.pdf", tinyPDF, true)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts/h-1#doc-h-1-id" {
		t.Fatalf("upload: %d %s\n%s", r.code, r.header.Get("Location"), r.body)
	}
	calls := h.be.rec.called("UploadDocument")
	if len(calls) != 1 {
		t.Fatalf("%d uploads", len(calls))
	}
	got := calls[0].req.(*deskv1.UploadDocumentRequest)
	if got.GetId() != "h-1-id" || got.GetFileName() != "carte.pdf" || got.GetContentType() != "application/pdf" ||
		!bytes.Equal(got.GetContent(), tinyPDF) || calls[0].auth != "Bearer tok-coord" {
		t.Errorf("sent %v with %q", got, calls[0].auth)
	}
	if r := c.get(t, "/coordinator/hosts/h-1"); !strings.Contains(html.UnescapeString(r.body), "La pièce est reçue.") {
		t.Errorf("no word that it worked")
	}

	for _, tc := range []struct{ name, file, reason, msg string }{
		{"a text file", "notes.pdf", "type", "Ce fichier n’est ni un PDF, ni un JPEG, ni un PNG"},
		{"no file", "", "empty", "Choisissez d’abord un fichier ou prenez une photo."},
	} {
		var content []byte
		if tc.file != "" {
			content = []byte("just some text, whatever the name says")
		}
		r := c.postFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", tc.file, content, true)
		loc := r.header.Get("Location")
		if r.code != http.StatusSeeOther || !strings.Contains(loc, "uploadError="+tc.reason) || !strings.HasSuffix(loc, "#doc-h-1-id") {
			t.Fatalf("%s: %d %s", tc.name, r.code, loc)
		}
		page := c.get(t, loc)
		body := html.UnescapeString(page.body)
		if !strings.Contains(body, `<p class="error-message" id="file-h-1-id-error">`) || !strings.Contains(body, tc.msg) ||
			!strings.Contains(body, `aria-describedby="file-h-1-id-hint file-h-1-id-error" aria-invalid="true"`) {
			t.Errorf("%s: the error is not next to the field\n%s", tc.name, page.body)
		}
		// The other documents' fields stay as they were.
		if strings.Contains(body, `id="file-h-1-ins-error"`) {
			t.Errorf("%s: the error shows on another document", tc.name)
		}
	}
	// A file over 10 MiB is refused next to its field too, before the desk.
	big := append(append([]byte{}, tinyPDF...), make([]byte, webapp.MaxUploadBytes)...)
	r = c.postFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "scan.pdf", big, true)
	if loc := r.header.Get("Location"); r.code != http.StatusSeeOther || !strings.Contains(loc, "uploadError=size") {
		t.Errorf("a file over 10 MiB: %d %s", r.code, loc)
	}
	if n := len(h.be.rec.called("UploadDocument")); n != 1 {
		t.Errorf("refused files reached the desk: %d uploads", n)
	}
	if r := c.postFile(t, "/coordinator/documents/h-1-id/upload", "carte.pdf", tinyPDF, false); r.code != http.StatusForbidden {
		t.Errorf("upload without CSRF token: %d", r.code)
	}
	// A host cannot use the coordinator's form, even for her own paper.
	hb := h.browser(t)
	hb.login(t, "jeanne@example.org")
	if r := hb.postFile(t, "/coordinator/documents/h-1-id/upload", "carte.pdf", tinyPDF, true); r.code != http.StatusForbidden {
		t.Errorf("a host on the coordinator's upload: %d", r.code)
	}
	if n := len(h.be.rec.called("UploadDocument")); n != 1 {
		t.Errorf("%d uploads after the refusals", n)
	}
}

// Verify takes an expiry date (as a date input or typed DD/MM/YYYY) or "seen in person";
// reject needs its reason; neither is open to a host.
func TestDocumentVerifyAndReject(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	next := "/coordinator/hosts/h-1"
	r := c.post(t, "/coordinator/documents/h-1-ins/verify", url.Values{"next": {next}, "expiryDate": {"31/12/2027"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != next+"#doc-h-1-ins" {
		t.Fatalf("verify: %d %s", r.code, r.header.Get("Location"))
	}
	r = c.post(t, "/coordinator/documents/h-1-id/verify", url.Values{"next": {next}, "seenInPerson": {"on"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("seen in person: %d", r.code)
	}
	// A date that is not one is refused before the desk.
	c.post(t, "/coordinator/documents/h-1-id/verify", url.Values{"next": {next}, "expiryDate": {"bientôt"}})
	v := h.be.rec.called("VerifyDocument")
	if len(v) != 2 {
		t.Fatalf("%d verifications", len(v))
	}
	if a := v[0].req.(*deskv1.VerifyDocumentRequest); a.GetId() != "h-1-ins" || a.GetExpiryDate() != "2027-12-31" || a.GetSeenInPerson() {
		t.Errorf("verify with expiry sent %v", a)
	}
	if b := v[1].req.(*deskv1.VerifyDocumentRequest); b.GetId() != "h-1-id" || b.GetExpiryDate() != "" || !b.GetSeenInPerson() {
		t.Errorf("seen in person sent %v", b)
	}

	r = c.post(t, "/coordinator/documents/h-1-ins/reject", url.Values{"next": {next}, "reason": {"  "}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("reject without reason: %d", r.code)
	}
	if page := c.get(t, next); !strings.Contains(html.UnescapeString(page.body), "Dites pourquoi la pièce est refusée.") {
		t.Errorf("no word that the reason is needed")
	}
	c.post(t, "/coordinator/documents/h-1-ins/reject", url.Values{"next": {next}, "reason": {"Illisible"}})
	rj := h.be.rec.called("RejectDocument")
	if len(rj) != 1 || rj[0].req.(*deskv1.RejectDocumentRequest).GetReason() != "Illisible" {
		t.Fatalf("rejections: %v", rj)
	}

	hb := h.browser(t)
	hb.login(t, "jeanne@example.org")
	for _, p := range []string{"/coordinator/documents/h-1-ins/verify", "/coordinator/documents/h-1-ins/reject"} {
		if r := hb.post(t, p, url.Values{"reason": {"x"}, "seenInPerson": {"on"}}); r.code != http.StatusForbidden {
			t.Errorf("host POST %s: %d", p, r.code)
		}
	}
	if len(h.be.rec.called("VerifyDocument")) != 2 || len(h.be.rec.called("RejectDocument")) != 1 {
		t.Errorf("a host's form reached the desk")
	}
}

// The file is served to the coordinator and to its owner as an attachment, never to another
// person (the desk decides; the page says 403).
func TestDocumentDownload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		email string
		code  int
	}{{"coordinator@example.org", 200}, {"jeanne@example.org", 200}, {"lea@example.org", 403}} {
		b := h.browser(t)
		b.login(t, tc.email)
		r := b.get(t, "/documents/h-1-ins/file")
		if r.code != tc.code {
			t.Errorf("%s: %d", tc.email, r.code)
			continue
		}
		if tc.code == 200 && (r.body != "%PDF-1.4 fake" || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") || r.header.Get("Cache-Control") != "private, no-store") {
			t.Errorf("%s: %q %v", tc.email, r.body, r.header)
		}
	}
	if r := h.browser(t).get(t, "/documents/h-1-ins/file"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("signed out: %d", r.code)
	}
}

// A host's and a student's home show their own checklist with an upload form posting to their
// own route; no verify, no reject, no notes. Their upload reaches the desk with their token.
func TestOwnChecklistOnTheHomePages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct{ email, home, owner string }{
		{"jeanne@example.org", "/host", "h-1"},
		{"lea@example.org", "/student", "s-1"},
	} {
		b := h.browser(t)
		b.login(t, tc.email)
		r := b.get(t, tc.home)
		body := html.UnescapeString(r.body)
		if r.code != 200 {
			t.Fatalf("%s: %d\n%s", tc.home, r.code, r.body)
		}
		for _, want := range []string{"Pièce d’identité", "La page 2 manque", `accept="application/pdf,image/jpeg,image/png"`,
			`action="` + tc.home + `/documents/` + tc.owner + `-id/upload?next=` + strings.ReplaceAll(tc.home, "/", "%2f") + `"`, `href="/documents/` + tc.owner + `-ins/file"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", tc.home, want)
			}
		}
		for _, not := range []string{"/verify", "/reject", `id="notes"`, `id="timeline"`, "Préfère être appelée"} {
			if strings.Contains(body, not) {
				t.Errorf("%s shows %q", tc.home, not)
			}
		}
		r = b.postFile(t, tc.home+"/documents/"+tc.owner+"-id/upload?next="+tc.home, "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), true)
		if r.code != http.StatusSeeOther || r.header.Get("Location") != tc.home+"#doc-"+tc.owner+"-id" {
			t.Errorf("%s upload: %d %s", tc.home, r.code, r.header.Get("Location"))
		}
	}
	ups := h.be.rec.called("UploadDocument")
	if len(ups) != 2 || ups[0].req.(*deskv1.UploadDocumentRequest).GetContentType() != "image/png" {
		t.Fatalf("uploads: %v", ups)
	}
	// Each uses only their own route.
	b := h.browser(t)
	b.login(t, "lea@example.org")
	if r := b.postFile(t, "/host/documents/h-1-id/upload", "photo.png", []byte("\x89PNG\r\n\x1a\n"), true); r.code != http.StatusForbidden {
		t.Errorf("student on the host's upload: %d", r.code)
	}
}

// The notes box and the timeline (newest first, as the desk gives it) are on the host's,
// student's and match's pages for the coordinator; writing and correcting reach the desk.
func TestNotesAndTimeline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	for _, p := range []string{"/coordinator/hosts/h-1", "/coordinator/students/s-1", "/coordinator/matches/m-1", "/coordinator/contracts/c-1"} {
		r := c.get(t, p)
		body := html.UnescapeString(r.body)
		if r.code != 200 {
			t.Fatalf("%s: %d", p, r.code)
		}
		for _, want := range []string{`<h2 id="notes">Notes</h2>`, `<label for="note-new">Nouvelle note</label>`, "Préfère être appelée le mardi matin.",
			"corrigée", `<h2 id="timeline">Historique</h2>`, "Inscription", `name="etag" value="e-7"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
		if strings.Index(body, "Inscription") < strings.Index(body, `<ol class="timeline">`) {
			t.Errorf("%s: the timeline is out of place", p)
		}
	}
	r := c.post(t, "/coordinator/notes", url.Values{"subjectId": {"m-1"}, "subjectType": {"SUBJECT_TYPE_MATCH"}, "body": {"Rencontre chaleureuse."}, "next": {"/coordinator/matches/m-1"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/matches/m-1#notes" {
		t.Fatalf("note: %d %s", r.code, r.header.Get("Location"))
	}
	cn := h.be.rec.called("CreateNote")
	if len(cn) != 1 {
		t.Fatalf("%d notes", len(cn))
	}
	if n := cn[0].req.(*deskv1.CreateNoteRequest); n.GetSubjectId() != "m-1" || n.GetSubjectType() != deskv1.SubjectType_SUBJECT_TYPE_MATCH || n.GetBody() != "Rencontre chaleureuse." {
		t.Errorf("note sent %v", n)
	}
	c.post(t, "/coordinator/notes", url.Values{"subjectId": {"m-1"}, "body": {" "}})
	if len(h.be.rec.called("CreateNote")) != 1 {
		t.Errorf("an empty note reached the desk")
	}
	c.post(t, "/coordinator/notes/note-1", url.Values{"body": {"Préfère le mercredi."}, "etag": {"e-7"}, "next": {"/coordinator/hosts/h-1"}})
	un := h.be.rec.called("UpdateNote")
	if len(un) != 1 || un[0].req.(*deskv1.UpdateNoteRequest).GetEtag() != "e-7" || un[0].req.(*deskv1.UpdateNoteRequest).GetBody() != "Préfère le mercredi." {
		t.Fatalf("corrections: %v", un)
	}
	hb := h.browser(t)
	hb.login(t, "jeanne@example.org")
	if r := hb.post(t, "/coordinator/notes", url.Values{"subjectId": {"h-1"}, "body": {"x"}}); r.code != http.StatusForbidden {
		t.Errorf("host writes a note: %d", r.code)
	}
}

// The agenda: overdue, today and this week, each item a link to act on it (never off the
// site); a new calendar address, shown whole, saying the old one stops.
func TestAgendaPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	r := c.get(t, "/coordinator/agenda")
	body := html.UnescapeString(r.body)
	if r.code != 200 {
		t.Fatalf("agenda: %d\n%s", r.code, r.body)
	}
	overdue, today, week := strings.Index(body, `id="agenda-overdue"`), strings.Index(body, `id="agenda-today"`), strings.Index(body, `id="agenda-week"`)
	item1, item2, item3 := strings.Index(body, `href="/coordinator/checkins/k-1"`), strings.Index(body, `href="/coordinator/hosts/h-1#documents"`), strings.Index(body, `href="/coordinator/matches/m-1"`)
	if !(overdue < item1 && item1 < today && today < item2 && item2 < week && week < item3) || overdue < 0 || item1 < 0 {
		t.Errorf("items out of their sections: %d %d %d %d %d %d\n%s", overdue, item1, today, item2, week, item3, r.body)
	}
	if strings.Contains(body, "evil.example") {
		t.Errorf("an item links off the site")
	}
	if !strings.Contains(body, `href="/coordinator/agenda" aria-current="page"`) {
		t.Errorf("the navigation does not lead to the agenda")
	}
	ga := h.be.rec.called("GetAgenda")
	if a := ga[0].req.(*deskv1.GetAgendaRequest); a.GetFrom() != "2026-11-25" || a.GetTo() != "2026-12-01" || a.GetLanguage() != "fr" {
		t.Errorf("asked %v", a)
	}
	r = c.post(t, "/coordinator/agenda/feed", nil)
	body = html.UnescapeString(r.body)
	if r.code != 200 || !strings.Contains(body, `value="`+h.srv.URL+`/v1/agenda/feeds/secret-2.ics"`) || !strings.Contains(body, "L’ancienne adresse ne fonctionne plus.") {
		t.Errorf("feed: %d\n%s", r.code, r.body)
	}
	for _, email := range []string{"jeanne@example.org", "lea@example.org"} {
		b := h.browser(t)
		b.login(t, email)
		if r := b.get(t, "/coordinator/agenda"); r.code != http.StatusForbidden {
			t.Errorf("%s on the agenda: %d", email, r.code)
		}
		if r := b.post(t, "/coordinator/agenda/feed", nil); r.code != http.StatusForbidden {
			t.Errorf("%s asks a feed: %d", email, r.code)
		}
	}
	if n := len(h.be.rec.called("CreateAgendaFeed")); n != 1 {
		t.Errorf("%d feeds made", n)
	}
}
