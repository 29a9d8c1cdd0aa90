package service

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

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

// exportTimeout bounds the gathering of an export from every service.
const exportTimeout = 30 * time.Second

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
		ctx, cancel := context.WithTimeout(r.Context(), exportTimeout)
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
		parts, err := gatherExport(ctx, conns, &privacyv1.ExportPersonalDataRequest{PersonId: id, Kind: kind})
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
		if err := writeExport(&buf, id, kind, parts); err != nil {
			log.ErrorContext(r.Context(), "export failed", "err", err)
			writeStatus(w, status.New(codes.Internal, "internal error"), 0)
			return
		}
		prefix := "host"
		if kind == privacyv1.PersonKind_PERSON_KIND_STUDENT {
			prefix = "student"
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cohabit-%s-%s.zip"`, prefix, id))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	})
}

// gatherExport asks every service for its part, in parallel. The owner's refusal is the
// export's; a service that serves no export (Unimplemented) holds nothing personal and is
// left out; any other failure fails the export, which is never silently partial.
func gatherExport(ctx context.Context, conns map[string]grpc.ClientConnInterface, req *privacyv1.ExportPersonalDataRequest) ([]*privacyv1.ExportPersonalDataResponse, error) {
	owner := "hosts"
	if req.GetKind() == privacyv1.PersonKind_PERSON_KIND_STUDENT {
		owner = "students"
	}
	names := slices.Sorted(maps.Keys(conns))
	parts := make([]*privacyv1.ExportPersonalDataResponse, len(names))
	// The owner first: a caller who may not read the person learns nothing more, and no
	// other service is asked.
	ownerPart, err := privacyv1.NewPersonalDataServiceClient(conns[owner]).ExportPersonalData(ctx, req)
	if err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	for i, name := range names {
		if name == owner {
			parts[i] = ownerPart
			continue
		}
		g.Go(func() error {
			p, err := privacyv1.NewPersonalDataServiceClient(conns[name]).ExportPersonalData(gctx, req)
			if status.Code(err) == codes.Unimplemented {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			parts[i] = p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(parts, func(p *privacyv1.ExportPersonalDataResponse) bool { return p == nil }), nil
}

// writeExport writes the ZIP: export.json (whose export, when, from which services), then
// <service>.json and <service>/<file> for each part.
func writeExport(out io.Writer, id string, kind privacyv1.PersonKind, parts []*privacyv1.ExportPersonalDataResponse) error {
	z := zip.NewWriter(out)
	services := make([]string, 0, len(parts))
	for _, p := range parts {
		services = append(services, p.GetService())
	}
	manifest, err := json.MarshalIndent(map[string]any{
		"personId": id, "kind": kind.String(), "exportTime": time.Now().UTC().Format(time.RFC3339), "services": services,
	}, "", "  ")
	if err != nil {
		return err
	}
	add := func(name string, data []byte) error {
		f, err := z.Create(name)
		if err != nil {
			return fmt.Errorf("zip %s: %w", name, err)
		}
		_, err = f.Write(data)
		return err
	}
	if err := add("export.json", manifest); err != nil {
		return err
	}
	for _, p := range parts {
		svc := path.Base(p.GetService())
		if err := add(svc+".json", p.GetJson()); err != nil {
			return err
		}
		for i, f := range p.GetFiles() {
			// Names come from uploads: only their last element, numbered so that two files
			// with one name both stay.
			name := fmt.Sprintf("%s/%02d-%s", svc, i+1, path.Base(strings.ReplaceAll(f.GetName(), `\`, "/")))
			if err := add(name, f.GetContent()); err != nil {
				return err
			}
		}
	}
	return z.Close()
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
