package webapptest

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
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
		Corrected: true, Etag: "e-7", CreateTime: timestamppb.New(FixedNow), UpdateTime: timestamppb.New(FixedNow)}}}, nil
}

func (f *fakeDesk) GetTimeline(ctx context.Context, in *deskv1.GetTimelineRequest) (*deskv1.Timeline, error) {
	if !f.coordinator(f.record(ctx, "GetTimeline", in)) {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	return &deskv1.Timeline{Entries: []*deskv1.TimelineEntry{
		{Time: timestamppb.New(FixedNow), Kind: deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_NOTE, Summary: "Préfère être appelée le mardi matin.", NoteId: "note-1"},
		{Time: Ts("2026-11-20T10:00:00Z"), Kind: deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_EVENT, Summary: "Registered", Event: "HOST_REGISTERED"},
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
func (b *Browser) PostFile(t *testing.T, path, name string, content []byte, csrf bool) Response {
	t.Helper()
	if b.Cookie(webapp.CookieCSRF) == "" {
		b.Get(t, "/login")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf {
		_ = mw.WriteField(webapp.CSRFField, b.Cookie(webapp.CookieCSRF))
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.h.Srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(t, req)
}

var TinyPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
