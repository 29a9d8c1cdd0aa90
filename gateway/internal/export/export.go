// Package export gathers a person's data from every service and packs it as one ZIP
// (SPEC §9: access and portability). The REST API and the web application both serve it,
// so the gathering and the packing exist once, here.
package export

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
)

// Timeout bounds the gathering of an export from every service.
const Timeout = 30 * time.Second

// FileName is the name the ZIP is downloaded under.
func FileName(kind privacyv1.PersonKind, id string) string {
	prefix := "host"
	if kind == privacyv1.PersonKind_PERSON_KIND_STUDENT {
		prefix = "student"
	}
	return fmt.Sprintf("cohabit-%s-%s.zip", prefix, id)
}

// Gather asks every service for its part, in parallel. The owner's refusal is the
// export's; a service that serves no export (Unimplemented) holds nothing personal and is
// left out; any other failure fails the export, which is never silently partial.
func Gather(ctx context.Context, conns map[string]grpc.ClientConnInterface, req *privacyv1.ExportPersonalDataRequest) ([]*privacyv1.ExportPersonalDataResponse, error) {
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

// Write writes the ZIP: export.json (whose export, when, from which services), then
// <service>.json and <service>/<file> for each part.
func Write(out io.Writer, id string, kind privacyv1.PersonKind, parts []*privacyv1.ExportPersonalDataResponse) error {
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
