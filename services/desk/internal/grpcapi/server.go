// Package grpcapi holds the desk's gRPC handlers (proto ↔ use cases) and its Policy: which
// roles may call each method at all. The use cases then check the record: a coordinator in her
// programme, a host or student their own documents.
package grpcapi

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
)

const svc = "/cohabit.desk.v1.DeskService/"

// Policy is who may call each method. The admin reaches none of them: documents, notes and
// agendas are personal data (SPEC §1). The feed is public: its secret address is the
// credential, checked by the use case.
var Policy = grpcx.Policy{
	svc + "ListDocuments":         grpcx.Roles(auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "GetDocument":           grpcx.Roles(auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "CreateDocument":        grpcx.Roles(auth.RoleCoordinator),
	svc + "UploadDocument":        grpcx.Roles(auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "GetDocumentFile":       grpcx.Roles(auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "VerifyDocument":        grpcx.Roles(auth.RoleCoordinator),
	svc + "RejectDocument":        grpcx.Roles(auth.RoleCoordinator),
	svc + "CreateNote":            grpcx.Roles(auth.RoleCoordinator),
	svc + "UpdateNote":            grpcx.Roles(auth.RoleCoordinator),
	svc + "ListNotes":             grpcx.Roles(auth.RoleCoordinator),
	svc + "GetTimeline":           grpcx.Roles(auth.RoleCoordinator),
	svc + "GetAgenda":             grpcx.Roles(auth.RoleCoordinator),
	svc + "CreateAgendaFeed":      grpcx.Roles(auth.RoleCoordinator),
	svc + "GetAgendaFeedCalendar": grpcx.Public,
}

// Server implements deskv1.DeskServiceServer.
type Server struct {
	deskv1.UnimplementedDeskServiceServer
	app *app.App
}

// New returns the handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

func documentToProto(d *document.Document) *deskv1.Document {
	out := &deskv1.Document{
		Id:              d.ID,
		ProgrammeId:     d.ProgrammeID,
		OwnerId:         d.OwnerID,
		Party:           deskv1.Party(deskv1.Party_value["PARTY_"+string(d.Party)]),
		Kind:            app.KindEnum(d.Kind),
		Status:          deskv1.DocumentStatus(deskv1.DocumentStatus_value["DOCUMENT_STATUS_"+string(d.Status)]),
		FileName:        d.File.Name,
		ContentType:     d.File.ContentType,
		SizeBytes:       int32(d.File.SizeBytes),
		Sha256:          d.File.SHA256,
		SeenInPerson:    d.SeenInPerson,
		RejectionReason: d.RejectionReason,
		Etag:            etag.Of(d.Version),
		CreateTime:      timestamppb.New(d.CreatedAt),
		UpdateTime:      timestamppb.New(d.UpdatedAt),
		HasFile:         d.HasFile,
	}
	if !d.ExpiryDate.IsZero() {
		out.ExpiryDate = d.ExpiryDate.String()
	}
	if d.VerifiedAt != nil {
		out.VerifiedTime = timestamppb.New(*d.VerifiedAt)
	}
	return out
}

func statusOf(s deskv1.DocumentStatus) document.Status {
	if s == deskv1.DocumentStatus_DOCUMENT_STATUS_UNSPECIFIED {
		return ""
	}
	return document.Status(strings.TrimPrefix(s.String(), "DOCUMENT_STATUS_"))
}

// ListDocuments lists documents.
func (s *Server) ListDocuments(ctx context.Context, in *deskv1.ListDocumentsRequest) (*deskv1.ListDocumentsResponse, error) {
	docs, next, err := s.app.ListDocuments(ctx, in.GetOwnerId(), statusOf(in.GetStatus()), in.GetExpiresBefore(),
		page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &deskv1.ListDocumentsResponse{NextPageToken: next, Documents: make([]*deskv1.Document, 0, len(docs))}
	for _, d := range docs {
		out.Documents = append(out.Documents, documentToProto(d))
	}
	return out, nil
}

// GetDocument returns one document.
func (s *Server) GetDocument(ctx context.Context, in *deskv1.GetDocumentRequest) (*deskv1.Document, error) {
	d, err := s.app.GetDocument(ctx, in.GetId())
	if err != nil {
		return nil, err
	}
	return documentToProto(d), nil
}

// CreateDocument asks for one more document.
func (s *Server) CreateDocument(ctx context.Context, in *deskv1.CreateDocumentRequest) (*deskv1.Document, error) {
	d, err := s.app.CreateDocument(ctx, in.GetOwnerId(), app.KindOf(in.GetKind()), in.GetRequestId())
	if err != nil {
		return nil, err
	}
	return documentToProto(d), nil
}

// UploadDocument stores a file.
func (s *Server) UploadDocument(ctx context.Context, in *deskv1.UploadDocumentRequest) (*deskv1.Document, error) {
	d, err := s.app.Upload(ctx, in.GetId(), in.GetFileName(), in.GetEtag(), in.GetContent())
	if err != nil {
		return nil, err
	}
	return documentToProto(d), nil
}

// GetDocumentFile returns a stored file.
func (s *Server) GetDocumentFile(ctx context.Context, in *deskv1.GetDocumentFileRequest) (*deskv1.DocumentFile, error) {
	d, b, err := s.app.File(ctx, in.GetId())
	if err != nil {
		return nil, err
	}
	return &deskv1.DocumentFile{FileName: d.File.Name, ContentType: d.File.ContentType, Content: b, Sha256: d.File.SHA256}, nil
}

// VerifyDocument verifies a document.
func (s *Server) VerifyDocument(ctx context.Context, in *deskv1.VerifyDocumentRequest) (*deskv1.Document, error) {
	d, err := s.app.Verify(ctx, in.GetId(), in.GetExpiryDate(), in.GetSeenInPerson(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return documentToProto(d), nil
}

// RejectDocument rejects a document.
func (s *Server) RejectDocument(ctx context.Context, in *deskv1.RejectDocumentRequest) (*deskv1.Document, error) {
	d, err := s.app.Reject(ctx, in.GetId(), in.GetReason(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return documentToProto(d), nil
}

func subjectType(s string) deskv1.SubjectType {
	return deskv1.SubjectType(deskv1.SubjectType_value["SUBJECT_TYPE_"+s])
}

func noteToProto(n *postgres.Note) *deskv1.Note {
	out := &deskv1.Note{
		Id: n.ID, ProgrammeId: n.ProgrammeID, SubjectId: n.SubjectID, SubjectType: subjectType(n.SubjectType),
		Body: n.Body, AuthorId: n.AuthorID, Corrected: n.Corrected, Etag: etag.Of(n.Version),
		CreateTime: timestamppb.New(n.CreatedAt), UpdateTime: timestamppb.New(n.UpdatedAt),
	}
	for _, r := range n.History {
		out.History = append(out.History, &deskv1.NoteRevision{Body: r.Body, AuthorId: r.AuthorID, Time: timestamppb.New(r.At)})
	}
	return out
}

// CreateNote writes a note.
func (s *Server) CreateNote(ctx context.Context, in *deskv1.CreateNoteRequest) (*deskv1.Note, error) {
	st := ""
	if in.GetSubjectType() != deskv1.SubjectType_SUBJECT_TYPE_UNSPECIFIED {
		st = strings.TrimPrefix(in.GetSubjectType().String(), "SUBJECT_TYPE_")
	}
	n, err := s.app.CreateNote(ctx, in.GetSubjectId(), st, in.GetBody(), in.GetRequestId())
	if err != nil {
		return nil, err
	}
	return noteToProto(n), nil
}

// UpdateNote corrects a note.
func (s *Server) UpdateNote(ctx context.Context, in *deskv1.UpdateNoteRequest) (*deskv1.Note, error) {
	n, err := s.app.UpdateNote(ctx, in.GetId(), in.GetBody(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return noteToProto(n), nil
}

// ListNotes lists a record's notes.
func (s *Server) ListNotes(ctx context.Context, in *deskv1.ListNotesRequest) (*deskv1.ListNotesResponse, error) {
	notes, next, err := s.app.ListNotes(ctx, in.GetSubjectId(), page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &deskv1.ListNotesResponse{NextPageToken: next, Notes: make([]*deskv1.Note, 0, len(notes))}
	for _, n := range notes {
		out.Notes = append(out.Notes, noteToProto(n))
	}
	return out, nil
}

// GetTimeline returns a record's timeline.
func (s *Server) GetTimeline(ctx context.Context, in *deskv1.GetTimelineRequest) (*deskv1.Timeline, error) {
	entries, err := s.app.Timeline(ctx, in.GetSubjectId())
	if err != nil {
		return nil, err
	}
	out := &deskv1.Timeline{Entries: make([]*deskv1.TimelineEntry, 0, len(entries))}
	for _, e := range entries {
		te := &deskv1.TimelineEntry{Time: timestamppb.New(e.At), Summary: e.Summary, Event: e.Event,
			Kind: deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_EVENT}
		if e.Note != nil {
			te.Kind, te.NoteId = deskv1.TimelineEntryKind_TIMELINE_ENTRY_KIND_NOTE, e.Note.ID
		}
		out.Entries = append(out.Entries, te)
	}
	return out, nil
}

// GetAgenda returns the agenda.
func (s *Server) GetAgenda(ctx context.Context, in *deskv1.GetAgendaRequest) (*deskv1.Agenda, error) {
	items, err := s.app.Agenda(ctx, in.GetFrom(), in.GetTo(), in.GetLanguage())
	if err != nil {
		return nil, err
	}
	out := &deskv1.Agenda{Items: make([]*deskv1.AgendaItem, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, &deskv1.AgendaItem{
			Kind:        deskv1.AgendaItemKind(deskv1.AgendaItemKind_value["AGENDA_ITEM_KIND_"+it.Kind]),
			Date:        it.Date.String(),
			SubjectId:   it.SubjectID,
			SubjectType: subjectType(it.SubjectType),
			Title:       it.Title,
			Id:          it.ID,
			Overdue:     it.Overdue,
			Link:        it.Link,
		})
	}
	return out, nil
}

// CreateAgendaFeed makes a new feed address.
func (s *Server) CreateAgendaFeed(ctx context.Context, in *deskv1.CreateAgendaFeedRequest) (*deskv1.AgendaFeed, error) {
	u, err := s.app.CreateFeed(ctx, in.GetLanguage())
	if err != nil {
		return nil, err
	}
	return &deskv1.AgendaFeed{FeedUrl: u}, nil
}

// GetAgendaFeedCalendar returns a feed.
func (s *Server) GetAgendaFeedCalendar(ctx context.Context, in *deskv1.GetAgendaFeedCalendarRequest) (*deskv1.AgendaFeedCalendar, error) {
	b, err := s.app.FeedCalendar(ctx, in.GetSecret())
	if err != nil {
		return nil, err
	}
	return &deskv1.AgendaFeedCalendar{ContentType: "text/calendar; charset=utf-8", Content: b}, nil
}
