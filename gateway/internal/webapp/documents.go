package webapp

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The documents of SPEC §6 on the web pages: the checklist of a host's or a student's papers
// on the coordinator's page of that person and on the person's own home, an upload form that
// works with a phone's camera (a plain file input; the multipart form becomes the desk's
// UploadDocument call), the download link, and the coordinator's verify and reject forms.

// errNoDesk is the answer of the desk's pages when the gateway runs without the desk.
var errNoDesk = status.Error(codes.Unavailable, "the desk is not served here")

// WithDesk guards a page of the desk's: without the desk, it answers errNoDesk.
func (a *App) WithDesk(h http.HandlerFunc) http.HandlerFunc {
	return a.unless(func() bool { return a.Svc.Desk == nil }, errNoDesk, h)
}

// maxUploadBytes is the largest file the desk takes (10 MiB); maxUploadBody the largest
// multipart body the upload routes read (the file, the form's fields and the boundaries).
const (
	MaxUploadBytes = 10 << 20
	maxUploadBody  = MaxUploadBytes + 1<<20
)

// UploadTypes are the files the desk takes; the type is read from the content.
var UploadTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// IsDocumentUpload reports whether r posts a document's file to a web page (the gateway lets
// it send a body of up to MaxUploadBody bytes).
func IsDocumentUpload(r *http.Request) bool {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/upload") {
		return false
	}
	for _, p := range []string{"/coordinator/documents/", "/host/documents/", "/student/documents/"} {
		if strings.HasPrefix(r.URL.Path, p) {
			return true
		}
	}
	return false
}

// MaxUploadBody is the body limit of the web application's upload routes.
const MaxUploadBody = maxUploadBody

// DeskView is what a page shows of the desk: a person's documents and, for the coordinator,
// a record's notes and timeline (webapp/coordinator's notes.go fills those).
type DeskView struct {
	// Docs is set on a host's or a student's page; DocsShown says the checklist belongs on it.
	Docs      []*deskv1.Document
	DocsShown bool
	// Coord: the coordinator's page (verify, reject, notes); else the person's own.
	Coord bool
	// Base is where the document forms post ("/coordinator/documents", "/host/documents").
	Base string
	// Back is the page the forms come back to.
	Back string
	// UploadErr is the document whose upload failed and why (a translation key).
	UploadErrID, UploadErr string
	// Unavailable: the desk did not answer; the rest of the page works.
	Unavailable bool
	// Notes and Timeline: the coordinator's page of a record.
	NotesShown  bool
	SubjectID   string
	SubjectType deskv1.SubjectType
	Notes       []*deskv1.Note
	Timeline    []*deskv1.TimelineEntry
}

// uploadErrors are the reasons an upload is refused, shown next to its file input.
var uploadErrors = map[string]string{
	"empty": "desk.upload.error.empty",
	"type":  "desk.upload.error.type",
	"size":  "desk.upload.error.size",
	"other": "desk.upload.error.other",
}

// DocumentsOf loads the checklist of ownerID for the page of r (coord: the coordinator's).
// A desk that does not answer leaves the checklist out with a word, not the page.
func (a *App) DocumentsOf(r *http.Request, ownerID string, coord bool, base string) *DeskView {
	v := &DeskView{DocsShown: true, Coord: coord, Base: base, Back: r.URL.Path}
	q := r.URL.Query()
	if k, ok := uploadErrors[q.Get("uploadError")]; ok {
		v.UploadErrID, v.UploadErr = q.Get("document"), k
	}
	if a.Svc.Desk == nil || ownerID == "" {
		v.Unavailable = a.Svc.Desk == nil
		return v
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Desk.ListDocuments(ctx, &deskv1.ListDocumentsRequest{OwnerId: ownerID, PageSize: 100})
	if err != nil {
		a.Log.WarnContext(r.Context(), "web: documents", "err", err, "path", r.URL.Path)
		v.Unavailable = true
		return v
	}
	v.Docs = res.GetDocuments()
	return v
}

// PostFile registers a multipart form target (a file upload): the CSRF token must match,
// or 403.
func (a *App) PostFile(pattern string, h http.HandlerFunc) {
	a.Handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		err := r.ParseMultipartForm(1 << 20)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// The token cannot be read past the file: come back with the reason.
			back := LocalPath(r.URL.Query().Get("next"), "/")
			Redirect(w, r, uploadBack(back, r.PathValue("id"), "size"))
			return
		}
		if err != nil || !checkCSRF(r) {
			a.forbidden(w, r)
			return
		}
		h(w, r)
	})
}

// uploadBack is the page to come back to after a refused upload, naming the document and
// the reason, at the document.
func uploadBack(back, id, reason string) string {
	path, _, _ := strings.Cut(back, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + url.Values{"uploadError": {reason}, "document": {id}}.Encode() + "#doc-" + url.PathEscape(id)
}

// DocumentUpload sends the chosen file to the desk (coordinator, or the person for their own).
func (a *App) DocumentUpload(fallback string) http.HandlerFunc {
	return a.WithDesk(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		// next is in the form's address: it must be known even when the body is refused.
		back := LocalPath(r.URL.Query().Get("next"), fallback)
		refuse := func(reason string) {
			SetFlash(w, r, Flash{Kind: "error", Key: uploadErrors[reason]})
			Redirect(w, r, uploadBack(back, id, reason))
		}
		file, hdr, err := r.FormFile("file")
		if err != nil {
			refuse("empty")
			return
		}
		defer file.Close()
		content, err := io.ReadAll(io.LimitReader(file, MaxUploadBytes+1))
		switch {
		case err != nil:
			refuse("other")
			return
		case len(content) == 0:
			refuse("empty")
			return
		case len(content) > MaxUploadBytes:
			refuse("size")
			return
		}
		ct := http.DetectContentType(content)
		if !UploadTypes[ct] {
			refuse("type")
			return
		}
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err = a.Svc.Desk.UploadDocument(ctx, &deskv1.UploadDocumentRequest{
			Id: id, FileName: hdr.Filename, ContentType: ct, Content: content,
		})
		if s, _ := status.FromError(err); err != nil && s.Code() == codes.InvalidArgument {
			refuse("other")
			return
		}
		r.PostForm.Del("next")
		a.AfterAction(w, r, err, "desk.upload.done", back+"#doc-"+url.PathEscape(id))
	})
}

// FileSize is a file's size for people: "1.2 MB", "34 kB".
func (l *Loc) FileSize(n int32) string {
	if n >= 1<<20 {
		return l.T("desk.size.mb", "n", l.Num(float64(n)/(1<<20), 1))
	}
	return l.T("desk.size.kb", "n", l.Int(int((n+1023)/1024)))
}

// Event words a timeline's life event in the page's language (the desk words them in
// English); an event this application does not know keeps the desk's words.
func (l *Loc) Event(code, summary string) string {
	return l.Optional("timeline.event."+code, summary)
}
