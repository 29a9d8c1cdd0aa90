package account

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// documentFile serves a document's file to whom the desk lets read it (the programme's
// coordinators and the person).
func (a *app) documentFile(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	f, err := a.Svc.Desk.GetDocumentFile(ctx, &deskv1.GetDocumentFileRequest{Id: r.PathValue("id")})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	ct := f.GetContentType()
	if !webapp.UploadTypes[ct] {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.GetFileName()}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.GetContent())))
	_, _ = w.Write(f.GetContent())
}

// contractDocument hands the contract's PDF to whoever may read the contract.
func (a *app) contractDocument(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	// In the language the person reads the application in (French is the signed original).
	doc, err := a.Svc.Contracts.GetContractDocument(ctx, &contractsv1.GetContractDocumentRequest{Id: r.PathValue("id"), Language: webapp.StateOf(r.Context()).Lang})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", doc.GetContentType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.GetFilename()}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc.GetContent())))
	_, _ = w.Write(doc.GetContent())
}
