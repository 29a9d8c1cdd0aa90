package grpcx

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// FuzzInputRule feeds the input rule any text, in a single-line field, a multi-line one and
// a list: it never panics, and it lets through only what the rule allows — so a change of
// badRune that let a control character or an unbounded text slip fails here. make test runs
// it for a few seconds, make fuzz for longer (scripts/fuzz.sh).
func FuzzInputRule(f *testing.F) {
	for _, s := range []string{"Jeanne", "Zoé d'Almeida 🌳", "a\x00b", "a\nb", "a\tb", "\x1b[31m", "\u202e", "\u0085", "\xff\xfe", strings.Repeat("é", maxText+1), ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		req := &hostsv1.CreateRoomRequest{Room: &hostsv1.Room{Title: s, Description: s, SharedSpaces: []string{s}}}
		var v errs.Violations
		walkInput(req.ProtoReflect(), "room", &v)
		got := map[string]bool{}
		for _, x := range v {
			got[x.Field] = true
		}
		if got["title"] != got["sharedSpaces"] {
			t.Fatalf("a single-line field and a list item disagree on %q: %v", s, v)
		}
		n := utf8.RuneCountInString(s)
		control := strings.ContainsFunc(s, unicode.IsControl)
		lines := strings.ContainsAny(s, "\r\n")
		bidi := strings.ContainsFunc(s, func(r rune) bool { return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 })
		single := n > maxText || control || lines || bidi || !utf8.ValidString(s)
		if got["title"] != single {
			t.Fatalf("title %q (%d characters): refused %v, want %v (%v)", s, n, got["title"], single, v)
		}
		otherControl := strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
		multi := n > maxLongText || otherControl || bidi || !utf8.ValidString(s)
		if got["description"] != multi {
			t.Fatalf("description %q: refused %v, want %v (%v)", s, got["description"], multi, v)
		}
	})
}
