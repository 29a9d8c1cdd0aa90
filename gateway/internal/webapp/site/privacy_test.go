package site

import (
	"archive/zip"
	"bytes"
	"context"
	"net"
	"net/url"
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
func exportConns(t *testing.T) webapp.Conns {
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

func zipFiles(t *testing.T, body string) map[string]string {
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

// The coordinator downloads a host's data from her page, and a host her own from home: the
// same ZIP as the REST API's, gathered with the signed-in person's token. Nobody else gets it.
func TestPersonalDataExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.app.Conns = exportConns(t)

	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	page := c.get(t, "/coordinator/hosts/h-1")
	if !strings.Contains(page.body, `href="/coordinator/hosts/h-1/export"`) {
		t.Fatal("the host's page has no download of her data")
	}
	r := c.get(t, "/coordinator/hosts/h-1/export")
	if r.code != 200 || r.header.Get("Content-Type") != "application/zip" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %q %q", r.code, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	files := zipFiles(t, r.body)
	for _, name := range []string{"export.json", "hosts.json", "students.json", "identity.json"} {
		if !strings.Contains(files[name], "h-1") {
			t.Errorf("%s does not hold h-1's part: %q", name, files[name])
		}
	}
	if !strings.Contains(files["hosts.json"], "Bearer tok-coord") {
		t.Errorf("the export was not asked with the coordinator's token: %s", files["hosts.json"])
	}
	if r := c.get(t, "/coordinator/hosts/h-9/export"); r.code != 404 {
		t.Errorf("export of an unknown host: %d", r.code)
	}

	jeanne := h.browser(t)
	jeanne.login(t, "jeanne@example.org")
	if home := jeanne.get(t, "/host"); !strings.Contains(home.body, `href="/me/export"`) {
		t.Error("the host's home has no download of her own data")
	}
	r = jeanne.get(t, "/me/export")
	if r.code != 200 {
		t.Fatalf("her own export: %d", r.code)
	}
	if f := zipFiles(t, r.body)["hosts.json"]; !strings.Contains(f, `"person":"h-1"`) || !strings.Contains(f, "PERSON_KIND_HOST") {
		t.Errorf("her own export is not hers: %s", f)
	}
	if r := jeanne.get(t, "/coordinator/hosts/h-1/export"); r.code != 403 {
		t.Errorf("a host reaching the coordinator's export: %d", r.code)
	}
	if r := h.browser(t).get(t, "/me/export"); r.code != 303 {
		t.Errorf("anonymous export: %d, want the sign-in redirect", r.code)
	}
}

// Erasure asks for a reason and a ticked box before any service is asked; the service's
// refusal is said on the page; once erased, the coordinator is back on the list.
func TestErasureFromThePersonsPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	if page := c.get(t, "/coordinator/students/s-1"); !strings.Contains(page.body, `action="/coordinator/students/s-1/erase"`) {
		t.Fatal("the student's page has no erasure form")
	}
	for _, form := range []url.Values{{"reason": {"À sa demande"}}, {"confirm": {"on"}}, {"reason": {" "}, "confirm": {"on"}}} {
		r := c.post(t, "/coordinator/hosts/h-2/erase", form)
		if r.code != 303 || r.header.Get("Location") != "/coordinator/hosts/h-2" {
			t.Fatalf("unconfirmed erasure: %d to %q", r.code, r.header.Get("Location"))
		}
		if page := c.get(t, "/coordinator/hosts/h-2"); !strings.Contains(page.body, "Rien n’a été effacé") {
			t.Error("the page does not say nothing was erased")
		}
	}
	if n := len(h.be.rec.called("EraseHost")); n != 0 {
		t.Fatalf("%d EraseHost calls for unconfirmed forms", n)
	}

	r := c.post(t, "/coordinator/hosts/h-1/erase", url.Values{"reason": {"À sa demande"}, "confirm": {"on"}})
	if r.code != 303 || r.header.Get("Location") != "/coordinator/hosts/h-1" {
		t.Fatalf("refused erasure: %d to %q", r.code, r.header.Get("Location"))
	}
	if page := c.get(t, "/coordinator/hosts/h-1"); !strings.Contains(page.body, "séjour est en cours") {
		t.Error("the refusal is not said on the host's page")
	}

	r = c.post(t, "/coordinator/students/s-3/erase", url.Values{"reason": {"Retrait du consentement"}, "confirm": {"on"}})
	if r.code != 303 || r.header.Get("Location") != "/coordinator/students" {
		t.Fatalf("erasure: %d to %q", r.code, r.header.Get("Location"))
	}
	if page := c.get(t, "/coordinator/students"); !strings.Contains(page.body, "Les données de la personne sont effacées.") {
		t.Error("the list does not say the person was erased")
	}
	calls := h.be.rec.called("EraseStudent")
	if len(calls) != 1 || calls[0].req.(*studentsv1.EraseStudentRequest).GetReason() != "Retrait du consentement" || calls[0].req.(*studentsv1.EraseStudentRequest).GetId() != "s-3" {
		t.Errorf("EraseStudent calls: %v", calls)
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		for _, path := range []string{"/coordinator/hosts/h-2/erase", "/coordinator/students/s-3/erase"} {
			if r := o.post(t, path, url.Values{"reason": {"x"}, "confirm": {"on"}}); r.code != 403 {
				t.Errorf("%s POST %s: %d", who, path, r.code)
			}
		}
	}
	if n := len(h.be.rec.called("EraseStudent")); n != 1 {
		t.Errorf("%d EraseStudent calls, want the coordinator's 1", n)
	}
}
