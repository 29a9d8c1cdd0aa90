package service

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cohabit/cohabit/gateway/internal/export"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
)

// all registers several services' REST handlers that one backend serves (identity serves
// its own and the audit trail's).
func all(fns ...registerFunc) registerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
		for _, fn := range fns {
			if err := fn(ctx, mux, cc); err != nil {
				return err
			}
		}
		return nil
	}
}

// exportPath matches a person's export: /v1/hosts/{id}:export, /v1/students/{id}:export.
var exportPath = regexp.MustCompile(`^/v1/(hosts|students)/([^/:]+):export$`)

// withExport serves a person's export (SPEC §9: GET /v1/hosts/{id}:export,
// /v1/students/{id}:export, /v1/me:export) and hands every other request to next. The
// export is a ZIP of one JSON file per service (and the person's files), gathered here, in
// parallel, with the caller's token: each service decides what the caller may read, and the
// record's owner (hosts or students) answers for the whole — its 404 or 403 is the export's.
func withExport(conns map[string]grpc.ClientConnInterface, next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var kind privacyv1.PersonKind
		var id string
		switch m := exportPath.FindStringSubmatch(r.URL.Path); {
		case r.URL.Path == "/v1/me:export":
		case m != nil:
			id, kind = m[2], privacyv1.PersonKind_PERSON_KIND_HOST
			if m[1] == "students" {
				kind = privacyv1.PersonKind_PERSON_KIND_STUDENT
			}
		default:
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet {
			writeStatus(w, status.New(codes.Unimplemented, "method not allowed"), http.StatusMethodNotAllowed)
			return
		}
		token := r.Header.Get("Authorization")
		if token == "" {
			writeStatus(w, status.New(codes.Unauthenticated, "sign in first"), 0)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), export.Timeout)
		defer cancel()
		md := metadata.Pairs("authorization", token)
		if rid := r.Header.Get("X-Request-Id"); rid != "" {
			md.Set("x-request-id", rid)
		}
		ctx = metadata.NewOutgoingContext(ctx, md)
		if id == "" { // /v1/me:export: the caller's own record
			me, err := identityv1.NewIdentityServiceClient(conns["identity"]).GetMe(ctx, &identityv1.GetMeRequest{})
			if err != nil {
				writeStatus(w, status.Convert(err), 0)
				return
			}
			id, kind = me.GetHostId(), privacyv1.PersonKind_PERSON_KIND_HOST
			if id == "" {
				id, kind = me.GetStudentId(), privacyv1.PersonKind_PERSON_KIND_STUDENT
			}
			if id == "" {
				writeStatus(w, status.New(codes.NotFound, "this account has no host or student record to export"), 0)
				return
			}
		}
		parts, err := export.Gather(ctx, conns, &privacyv1.ExportPersonalDataRequest{PersonId: id, Kind: kind})
		if err != nil {
			st := status.Convert(err)
			if st.Code() == codes.Internal || st.Code() == codes.Unknown || st.Code() == codes.Unavailable || st.Code() == codes.DeadlineExceeded {
				log.ErrorContext(r.Context(), "export failed", "err", err)
				st = status.New(codes.Unavailable, "a service could not give its part of the export: try again")
			}
			writeStatus(w, st, 0)
			return
		}
		var buf bytes.Buffer
		if err := export.Write(&buf, id, kind, parts); err != nil {
			log.ErrorContext(r.Context(), "export failed", "err", err)
			writeStatus(w, status.New(codes.Internal, "internal error"), 0)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, export.FileName(kind, id)))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	})
}

// writeStatus writes st as the REST API's error body, with httpCode or the gateway's
// mapping of its code when httpCode is 0.
func writeStatus(w http.ResponseWriter, st *status.Status, httpCode int) {
	if httpCode == 0 {
		httpCode = runtime.HTTPStatusFromCode(st.Code())
	}
	body, err := protojson.Marshal(st.Proto())
	if err != nil {
		body = []byte(`{"code":13,"message":"internal error","details":[]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpCode)
	_, _ = w.Write(body)
}
