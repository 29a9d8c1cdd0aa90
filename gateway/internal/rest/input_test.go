package rest

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

func TestFieldAt(t *testing.T) {
	t.Parallel()
	body := []byte(`{"title": "x", "address": {"city": "Lyon", "lat": {}}, "languages": ["fr", 1], "n": 2}`)
	cases := []struct {
		at   string
		want string
	}{
		{`"x"`, "title"},
		{`"Lyon"`, "address.city"},
		{`{}}`, "address.lat"},
		{`1]`, "languages"},
		{`2}`, "n"},
	}
	for _, c := range cases {
		off := indexOf(body, c.at)
		if got := fieldAt(body, off); got != c.want {
			t.Errorf("at %s (%d): %q, want %q", c.at, off, got, c.want)
		}
	}
	if got := fieldAt([]byte(`[1, 2]`), 3); got != "body" {
		t.Errorf("a body that is no object: %q", got)
	}
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

// Issue 18: a body of the wrong shape was a 400 that named no field.
func TestDecodingErrorsNameTheField(t *testing.T) {
	t.Parallel()
	m := fieldJSON{&runtime.JSONPb{}}
	cases := []struct{ body, field string }{
		{`{"title": {"x": 1}}`, "title"},
		{`{"title": "ok", "areaM2": "large"}`, "areaM2"},
		{`{"sharedSpaces": "cuisine"}`, "sharedSpaces"},
		{`{"availableFrom": "x", "furnished": "yes"}`, "furnished"},
		{`{"notAField": 1}`, "notAField"},
		{`{"title": `, "title"},
		{`[]`, "body"},
	}
	for _, c := range cases {
		var room hostsv1.Room
		err := m.NewDecoder(stringsReader(c.body)).Decode(&room)
		if err == nil {
			t.Errorf("%s: decoded", c.body)
			continue
		}
		s := nameField(status.New(codes.InvalidArgument, err.Error()))
		if got := violated(s); got != c.field {
			t.Errorf("%s: field %q, want %q (%v)", c.body, got, c.field, err)
		}
	}
	// A service's refusal keeps its own details.
	own := invalid("is required", "title")
	if nameField(own) != own {
		t.Error("a status with details was renamed")
	}
	var anyBody structpb.Struct
	if err := m.NewDecoder(stringsReader("")).Decode(&anyBody); !errors.Is(err, errEOF) {
		t.Errorf("an empty body: %v, want io.EOF (grpc-gateway reads it as no body)", err)
	}
}

func violated(s *status.Status) string {
	for _, d := range s.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
			return br.GetFieldViolations()[0].GetField()
		}
	}
	return ""
}

var errEOF = io.EOF

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
