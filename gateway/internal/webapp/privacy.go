package webapp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/export"

	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
)

// SendExport answers the export of what every service holds on person id, as a ZIP file.
func (a *App) SendExport(w http.ResponseWriter, r *http.Request, id string, kind privacyv1.PersonKind) {
	if a.Conns == nil {
		a.Fail(w, r, status.Error(codes.Unavailable, "the export is not served here"))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	ctx, cancelExport := context.WithTimeout(ctx, export.Timeout)
	defer cancelExport()
	parts, err := export.Gather(ctx, a.Conns, &privacyv1.ExportPersonalDataRequest{PersonId: id, Kind: kind})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, id, kind, parts); err != nil {
		a.Fail(w, r, fmt.Errorf("export %s: %w", id, err))
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", export.FileName(kind, id)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}
