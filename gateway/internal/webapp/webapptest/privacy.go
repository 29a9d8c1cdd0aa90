package webapptest

import (
	"archive/zip"
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// EraseHost and EraseStudent answer like the services: h-1 (a host with a stay under way in
// the fakes' story) is refused; anyone else is erased.
func (f *fakeHosts) EraseHost(ctx context.Context, req *hostsv1.EraseHostRequest) (*hostsv1.EraseHostResponse, error) {
	f.record(ctx, "EraseHost", req)
	if req.GetId() == "h-1" {
		return nil, grpcErr(errs.FailedPrecondition("STAY_AGREED_OR_UNDER_WAY", "a stay is under way"))
	}
	return &hostsv1.EraseHostResponse{}, nil
}

func (f *fakeStudents) EraseStudent(ctx context.Context, req *studentsv1.EraseStudentRequest) (*studentsv1.EraseStudentResponse, error) {
	f.record(ctx, "EraseStudent", req)
	return &studentsv1.EraseStudentResponse{}, nil
}

// fakePersonalData gives each service's part of an export: the person asked for, and which
// token asked (the web application must send the signed-in person's).
type fakePersonalData struct {
	privacyv1.UnimplementedPersonalDataServiceServer
	name string
}

func (f fakePersonalData) ExportPersonalData(ctx context.Context, req *privacyv1.ExportPersonalDataRequest) (*privacyv1.ExportPersonalDataResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	auth := strings.Join(md.Get("authorization"), "")
	if auth == "" {
		return nil, status.Error(codes.Unauthenticated, "no token")
	}
	if f.name == "hosts" && req.GetPersonId() != "h-1" && req.GetPersonId() != "h-2" {
		return nil, status.Error(codes.NotFound, "no such host")
	}
	body := `{"person":"` + req.GetPersonId() + `","kind":"` + req.GetKind().String() + `","token":"` + auth + `"}`
	return &privacyv1.ExportPersonalDataResponse{Service: f.name, Json: []byte(body)}, nil
}

// exportConns serves a fake export part per service, each on a server of its own.
func ExportConns(t *testing.T) webapp.Conns {
	t.Helper()
	conns := webapp.Conns{}
	for _, name := range []string{"hosts", "students", "identity"} {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s := grpc.NewServer()
		privacyv1.RegisterPersonalDataServiceServer(s, fakePersonalData{name: name})
		go func() { _ = s.Serve(lis) }()
		t.Cleanup(s.Stop)
		cc, err := grpcx.Dial(lis.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cc.Close() })
		conns[name] = cc
	}
	return conns
}

func ZipFiles(t *testing.T, body string) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		out[f.Name] = b.String()
	}
	return out
}
