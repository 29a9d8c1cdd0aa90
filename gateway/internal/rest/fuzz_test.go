package rest

import (
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// FuzzDecodeNamesTheField: whatever the body, decoding it as a request never panics, and a
// body that does not decode becomes a 400 naming one field (issue 18).
func FuzzDecodeNamesTheField(f *testing.F) {
	for _, s := range []string{
		`{"displayName": "Jeanne", "address": {"city": "Lyon", "lat": 45.7}}`,
		`{"displayName": {"x": 1}}`, `{"address": {"lat": "north"}}`, `{"languages": "fr"}`,
		`{"rhythm": "RHYTHM_NOCTURNAL"}`, `{"rhythm": 999}`, `{"hoursWantedPerWeek": Infinity}`,
		`{"birthDate": `, `[]`, `null`, `"x"`, `{"notAField": 1}`, `{"address": [1, {"a": [}]}`,
		strings.Repeat(`{"a":`, 200),
	} {
		f.Add(s)
	}
	m := fieldJSON{&runtime.JSONPb{}}
	f.Fuzz(func(t *testing.T, body string) {
		var h hostsv1.Host
		err := m.NewDecoder(strings.NewReader(body)).Decode(&h)
		if err == nil || err.Error() == "EOF" {
			return
		}
		s := nameField(status.New(codes.InvalidArgument, err.Error()))
		if s.Code() != codes.InvalidArgument || violated(s) == "" {
			t.Fatalf("%q: %v names no field (%v)", body, s, err)
		}
		_ = fieldAt([]byte(body), len(body)/2)
	})
}
