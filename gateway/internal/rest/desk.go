package rest

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The desk's routes that answer with bytes, not JSON: a document's file, and the agenda's
// iCalendar feed (no token: the secret in its address is the credential).
const (
	documentFilePath = "/v1/documents/{id}/file"
	agendaFeedPath   = "/v1/agenda/feeds/{file}"
)

// MaxDocumentBody is the largest body of POST /v1/documents/{id}:upload: a 10 MiB file is
// 14 MiB in base64; up to 18 MiB of file reaches the desk, which answers a 400 naming
// content; only a larger body is refused here (413).
const MaxDocumentBody = 24 << 20

// maxFileMessage is the largest answer the gateway takes from the desk: a 10 MiB file.
const maxFileMessage = 12 << 20

// IsDocumentUpload reports whether r uploads a document (which may exceed the usual body
// limit; see MaxDocumentBody).
func IsDocumentUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v1/documents/") && strings.HasSuffix(r.URL.Path, ":upload")
}

// Desk registers the desk service's REST routes, its file route and its feed route.
func Desk(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
	client := deskv1.NewDeskServiceClient(cc)
	if err := deskv1.RegisterDeskServiceHandlerClient(ctx, mux, client); err != nil {
		return fmt.Errorf("register desk: %w", err)
	}
	if err := mux.HandlePath(http.MethodGet, documentFilePath, documentFile(mux, client)); err != nil {
		return fmt.Errorf("register %s: %w", documentFilePath, err)
	}
	if err := mux.HandlePath(http.MethodGet, agendaFeedPath, agendaFeed(mux, client)); err != nil {
		return fmt.Errorf("register %s: %w", agendaFeedPath, err)
	}
	return nil
}

func documentFile(mux *runtime.ServeMux, client deskv1.DeskServiceClient) runtime.HandlerFunc {
	const method = "/cohabit.desk.v1.DeskService/GetDocumentFile"
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		_, out := runtime.MarshalerForRequest(mux, r)
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, method, runtime.WithHTTPPathPattern(documentFilePath))
		if err != nil {
			runtime.HTTPError(r.Context(), mux, out, w, r, err)
			return
		}
		f, err := client.GetDocumentFile(ctx, &deskv1.GetDocumentFileRequest{Id: params["id"]}, grpc.MaxCallRecvMsgSize(maxFileMessage))
		if err != nil {
			runtime.HTTPError(ctx, mux, out, w, r, err)
			return
		}
		w.Header().Set("Content-Type", f.GetContentType())
		// attachment: a file a person uploaded is never rendered in the platform's origin.
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.GetFileName()}))
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("Content-Security-Policy", "sandbox")
		if f.GetSha256() != "" {
			w.Header().Set("ETag", `"`+f.GetSha256()+`"`)
		}
		_, _ = w.Write(f.GetContent())
	}
}

func agendaFeed(mux *runtime.ServeMux, client deskv1.DeskServiceClient) runtime.HandlerFunc {
	const method = "/cohabit.desk.v1.DeskService/GetAgendaFeedCalendar"
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		_, out := runtime.MarshalerForRequest(mux, r)
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, method, runtime.WithHTTPPathPattern(agendaFeedPath))
		if err != nil {
			runtime.HTTPError(r.Context(), mux, out, w, r, err)
			return
		}
		cal, err := client.GetAgendaFeedCalendar(ctx, &deskv1.GetAgendaFeedCalendarRequest{Secret: strings.TrimSuffix(params["file"], ".ics")})
		if err != nil {
			runtime.HTTPError(ctx, mux, out, w, r, err)
			return
		}
		w.Header().Set("Content-Type", cal.GetContentType())
		w.Header().Set("Cache-Control", "private, no-store")
		_, _ = w.Write(cal.GetContent())
	}
}
