package webapp

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
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

// maxUploadBytes is the largest file the desk takes (10 MiB); maxUploadBody the largest
// multipart body the upload routes read (the file, the form's fields and the boundaries).
const (
	MaxUploadBytes = 10 << 20
	maxUploadBody  = MaxUploadBytes + 1<<20
)

// uploadTypes are the files the desk takes; the type is read from the content.
var uploadTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

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

// deskView is what a page shows of the desk: a person's documents and, for the coordinator,
// a record's notes and timeline.
type deskView struct {
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

// documentsOf loads the checklist of ownerID for the page of r (coord: the coordinator's).
// A desk that does not answer leaves the checklist out with a word, not the page.
func (a *App) documentsOf(r *http.Request, ownerID string, coord bool, base string) *deskView {
	v := &deskView{DocsShown: true, Coord: coord, Base: base, Back: r.URL.Path}
	q := r.URL.Query()
	if k, ok := uploadErrors[q.Get("uploadError")]; ok {
		v.UploadErrID, v.UploadErr = q.Get("document"), k
	}
	if a.svc.desk == nil || ownerID == "" {
		v.Unavailable = a.svc.desk == nil
		return v
	}
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.desk.ListDocuments(ctx, &deskv1.ListDocumentsRequest{OwnerId: ownerID, PageSize: 100})
	if err != nil {
		a.log.WarnContext(r.Context(), "web: documents", "err", err, "path", r.URL.Path)
		v.Unavailable = true
		return v
	}
	v.Docs = res.GetDocuments()
	return v
}

// postFile registers a multipart form target (a file upload): the CSRF token must match,
// or 403.
func (a *App) postFile(pattern string, h http.HandlerFunc) {
	a.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		err := r.ParseMultipartForm(1 << 20)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// The token cannot be read past the file: come back with the reason.
			back := LocalPath(r.URL.Query().Get("next"), "/")
			redirect(w, r, uploadBack(back, r.PathValue("id"), "size"))
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

// documentUpload sends the chosen file to the desk (coordinator, or the person for their own).
func (a *App) documentUpload(fallback string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		// next is in the form's address: it must be known even when the body is refused.
		back := LocalPath(r.URL.Query().Get("next"), fallback)
		refuse := func(reason string) {
			setFlash(w, r, flash{Kind: "error", Key: uploadErrors[reason]})
			redirect(w, r, uploadBack(back, id, reason))
		}
		if a.svc.desk == nil {
			a.fail(w, r, errNoDesk)
			return
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
		if !uploadTypes[ct] {
			refuse("type")
			return
		}
		ctx, cancel := a.call(r)
		defer cancel()
		_, err = a.svc.desk.UploadDocument(ctx, &deskv1.UploadDocumentRequest{
			Id: id, FileName: hdr.Filename, ContentType: ct, Content: content,
		})
		if s, _ := status.FromError(err); err != nil && s.Code() == codes.InvalidArgument {
			refuse("other")
			return
		}
		r.PostForm.Del("next")
		a.afterAction(w, r, err, "desk.upload.done", back+"#doc-"+url.PathEscape(id))
	}
}

// documentVerify marks a document verified: with its expiry date, or seen in person.
func (a *App) documentVerify(w http.ResponseWriter, r *http.Request) {
	if a.svc.desk == nil {
		a.fail(w, r, errNoDesk)
		return
	}
	id := r.PathValue("id")
	back := LocalPath(r.PostFormValue("next"), "/coordinator")
	f := newForm(nil, r.PostForm)
	expiry := f.date("expiryDate")
	if !f.ok() {
		setFlash(w, r, flash{Kind: "error", Key: "desk.verify.error.date"})
		redirect(w, r, back+"#doc-"+url.PathEscape(id))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.desk.VerifyDocument(ctx, &deskv1.VerifyDocumentRequest{
		Id: id, ExpiryDate: expiry, SeenInPerson: r.PostFormValue("seenInPerson") == "on",
	})
	r.PostForm.Set("next", back+"#doc-"+url.PathEscape(id))
	a.afterAction(w, r, err, "desk.verify.done", back)
}

// documentReject rejects a document with a reason (the person is told it).
func (a *App) documentReject(w http.ResponseWriter, r *http.Request) {
	if a.svc.desk == nil {
		a.fail(w, r, errNoDesk)
		return
	}
	id := r.PathValue("id")
	back := LocalPath(r.PostFormValue("next"), "/coordinator")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		setFlash(w, r, flash{Kind: "error", Key: "desk.reject.error.reason"})
		redirect(w, r, back+"#doc-"+url.PathEscape(id))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.desk.RejectDocument(ctx, &deskv1.RejectDocumentRequest{Id: id, Reason: reason})
	r.PostForm.Set("next", back+"#doc-"+url.PathEscape(id))
	a.afterAction(w, r, err, "desk.reject.done", back)
}

// documentFile serves a document's file to whom the desk lets read it (the programme's
// coordinators and the person).
func (a *App) documentFile(w http.ResponseWriter, r *http.Request) {
	if a.svc.desk == nil {
		a.fail(w, r, errNoDesk)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	f, err := a.svc.desk.GetDocumentFile(ctx, &deskv1.GetDocumentFileRequest{Id: r.PathValue("id")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ct := f.GetContentType()
	if !uploadTypes[ct] {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.GetFileName()}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.GetContent())))
	_, _ = w.Write(f.GetContent())
}

// FileSize is a file's size for people: "1.2 MB", "34 kB".
func (l *Loc) FileSize(n int32) string {
	if n >= 1<<20 {
		return l.T("desk.size.mb", "n", l.Num(float64(n)/(1<<20), 1))
	}
	return l.T("desk.size.kb", "n", l.Int(int((n+1023)/1024)))
}
