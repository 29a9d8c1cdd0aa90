package grpcx

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// The input hygiene rule of the whole platform, in one place. What no field of any request
// may hold, whatever its service:
//
//   - text with a NUL, a control character (C0, DEL, C1) or a bidirectional override (which
//     makes a name read differently from what it is); newlines and tabs only in the fields
//     that are multi-line (multiLine);
//   - text longer than maxText characters (maxLongText for multi-line fields), a list or
//     map of more than maxItems entries;
//   - a number that is not finite (protojson accepts "NaN" and "Infinity");
//   - an enum value the enum does not define (protojson accepts any number), and in a list
//     of enum values, …_UNSPECIFIED or the same value twice;
//   - an instant (google.protobuf.Timestamp) outside minYear..maxYear; calendar days
//     (YYYY-MM-DD text) are bounded the same by platform/date, which every service parses
//     them with.
//
// A field's own rules (a required enum, an identifier's maximum) are declared on the request
// messages and checked by the same interceptor after this one (protovalidate: declared.go
// says which place holds which rule), or by the domain; this rule is the floor under them,
// so that no field is ever unbounded.
const (
	maxText     = 1_000
	maxLongText = 10_000
	maxItems    = 1_000
	minYear     = 1900
	maxYear     = 2199
)

// multiLine are the fields (proto names) whose text may span lines: free text a person
// writes in a text area.
var multiLine = map[protoreflect.Name]bool{
	"description": true, "motivation": true, "note": true, "notes": true, "body": true,
	"message": true, "reason": true, "cancel_reason": true, "decline_reason": true,
	"rejection_reason": true, "resolution": true, "summary": true, "entry_inventory": true,
	"house_rules": true, "host_duties": true, "student_duties": true, "text": true,
	"comment": true,
}

// checkText applies the text rule to s, the value of field fd.
func checkText(v *errs.Violations, field string, fd protoreflect.FieldDescriptor, s string) {
	long := multiLine[fd.Name()]
	limit := maxText
	if long {
		limit = maxLongText
	}
	if n := utf8.RuneCountInString(s); n > limit {
		v.Add(field, "must be at most %d characters", limit)
		return
	}
	if msg := badRune(s, long); msg != "" {
		v.Add(field, "%s", msg)
	}
}

// badRune says what is wrong with the first character text may not hold, or "".
func badRune(s string, multiLine bool) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == 0:
			return "must not contain a NUL character"
		case (r == '\n' || r == '\r' || r == '\t') && multiLine:
		case r == '\n' || r == '\r':
			return "must be a single line"
		case unicode.IsControl(r):
			return fmt.Sprintf("must not contain the control character %U", r)
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("must not contain the bidirectional control %U", r)
		}
	}
	return ""
}

// checkEnumList refuses …_UNSPECIFIED and duplicates in a list of enum values.
func checkEnumList(v *errs.Violations, field string, l protoreflect.List) {
	seen := make(map[protoreflect.EnumNumber]bool, l.Len())
	for j := 0; j < l.Len(); j++ {
		n := l.Get(j).Enum()
		switch {
		case n == 0:
			v.Add(field, "must not hold an unspecified value")
			return
		case seen[n]:
			v.Add(field, "must not hold the same value twice")
			return
		}
		seen[n] = true
	}
}

// checkInstant applies the range of instants to m when it is a google.protobuf.Timestamp,
// and says whether it was one.
func checkInstant(v *errs.Violations, field string, m protoreflect.Message) bool {
	if m.Descriptor().FullName() != "google.protobuf.Timestamp" {
		return false
	}
	secs := m.Get(m.Descriptor().Fields().ByName("seconds")).Int()
	if y := time.Unix(secs, 0).UTC().Year(); y < minYear || y > maxYear {
		v.Add(field, "must be between the years %d and %d", minYear, maxYear)
	}
	return true
}
