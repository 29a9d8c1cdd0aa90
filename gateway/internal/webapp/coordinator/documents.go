package coordinator

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// documentVerify marks a document verified: with its expiry date, or seen in person.
func (a *app) documentVerify(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := webapp.LocalPath(r.PostFormValue("next"), "/coordinator")
	f := webapp.NewForm(nil, r.PostForm)
	expiry := f.Date("expiryDate")
	if !f.OK() {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "desk.verify.error.date"})
		webapp.Redirect(w, r, back+"#doc-"+url.PathEscape(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Desk.VerifyDocument(ctx, &deskv1.VerifyDocumentRequest{
		Id: id, ExpiryDate: expiry, SeenInPerson: r.PostFormValue("seenInPerson") == "on",
	})
	r.PostForm.Set("next", back+"#doc-"+url.PathEscape(id))
	a.AfterAction(w, r, err, "desk.verify.done", back)
}

// documentReject rejects a document with a reason (the person is told it).
func (a *app) documentReject(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := webapp.LocalPath(r.PostFormValue("next"), "/coordinator")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "desk.reject.error.reason"})
		webapp.Redirect(w, r, back+"#doc-"+url.PathEscape(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Desk.RejectDocument(ctx, &deskv1.RejectDocumentRequest{Id: id, Reason: reason})
	r.PostForm.Set("next", back+"#doc-"+url.PathEscape(id))
	a.AfterAction(w, r, err, "desk.reject.done", back)
}
