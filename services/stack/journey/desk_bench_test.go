package journey

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	gateway "github.com/cohabit/cohabit/gateway/service"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	desk "github.com/cohabit/cohabit/services/desk/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	platformboot "github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pgtest"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// BenchmarkDocumentThroughTheGateway: a 5 MiB PDF uploaded as base64 JSON
// (POST /v1/documents/{id}:upload) and downloaded (GET /v1/documents/{id}/file) through the
// gateway, the desk and its PostgreSQL, as the host herself: upload and download as
// sub-benchmarks; B/op counts every allocation of the process (client, gateway and desk).
func BenchmarkDocumentThroughTheGateway(b *testing.B) {
	ns := natstest.New(b)
	pub, issuer := svctest.Keys(b)
	ctx, cancel := context.WithCancel(context.Background())
	deskReady, gwReady := make(chan net.Addr, 1), make(chan net.Addr, 1)
	done := make(chan error, 2)
	log := logging.Discard()
	go func() {
		done <- desk.Run(ctx, desk.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(b, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Ready: func(a net.Addr) { deskReady <- a },
			},
			ExpiryInterval: -1,
		}, log)
	}()
	var deskAddr string
	select {
	case a := <-deskReady:
		deskAddr = a.String()
	case err := <-done:
		b.Fatal(err)
	}
	// The other backends are never called: the gateway dials lazily.
	go func() {
		done <- gateway.Run(ctx, gateway.Config{HTTPAddr: "127.0.0.1:0", Backends: map[string]string{
			"identity": "127.0.0.1:1", "hosts": "127.0.0.1:1", "students": "127.0.0.1:1", "matching": "127.0.0.1:1",
			"contracts": "127.0.0.1:1", "desk": deskAddr}, Ready: func(a net.Addr) { gwReady <- a }}, log)
	}()
	var base string
	select {
	case a := <-gwReady:
		base = "http://" + a.String()
	case err := <-done:
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cancel()
		for range 2 {
			<-done
		}
	})

	// A host with an account, registered as hosts would announce her.
	account := ids.New()
	token, _, err := issuer.Issue(auth.Principal{AccountID: account, Role: auth.RoleHost, ProgrammeID: "lyon"})
	if err != nil {
		b.Fatal(err)
	}
	_, js, err := natsx.Connect(ns.URL(), "bench", log)
	if err != nil {
		b.Fatal(err)
	}
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()}); err != nil {
		b.Fatal(err)
	}
	hostID := ids.New()
	svctest.Publish(b, js, hostsevents.HostRegistered.Subject, "lyon", &hostseventsv1.HostRegistered{Host: &hostseventsv1.HostProfile{
		HostId: hostID, ProgrammeId: "lyon", OwnerAccountId: account}})
	bearer := "Bearer " + token

	var docID string
	deadline := time.Now().Add(15 * time.Second)
	for docID == "" {
		var list struct {
			Documents []struct {
				ID string `json:"id"`
			} `json:"documents"`
		}
		code, body := call(b, http.MethodGet, base+"/v1/documents", bearer, nil)
		if code == 200 {
			_ = json.Unmarshal(body, &list)
		}
		if len(list.Documents) > 0 {
			docID = list.Documents[0].ID
		} else if time.Now().After(deadline) {
			b.Fatalf("no document: %d %s", code, body)
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}

	// A scan is compressed already: random bytes behind a PDF header, 5 MiB.
	file := make([]byte, 5<<20)
	if _, err := rand.Read(file); err != nil {
		b.Fatal(err)
	}
	copy(file, "%PDF-1.4\n")
	upload, err := json.Marshal(map[string]any{"fileName": "assurance.pdf", "contentType": "application/pdf",
		"content": base64.StdEncoding.EncodeToString(file)})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("upload", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		b.ReportAllocs()
		for b.Loop() {
			if code, body := call(b, http.MethodPost, base+"/v1/documents/"+docID+":upload", bearer, upload); code != 200 {
				b.Fatalf("upload: %d %s", code, body)
			}
		}
	})
	b.Run("download", func(b *testing.B) {
		b.SetBytes(int64(len(file)))
		b.ReportAllocs()
		for b.Loop() {
			code, body := call(b, http.MethodGet, base+"/v1/documents/"+docID+"/file", bearer, nil)
			if code != 200 || len(body) != len(file) {
				b.Fatalf("download: %d, %d bytes", code, len(body))
			}
		}
	})
}

func call(b *testing.B, method, url, bearer string, body []byte) (int, []byte) {
	b.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", bearer)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(fmt.Errorf("%s %s: %w", method, url, err))
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return resp.StatusCode, out
}
