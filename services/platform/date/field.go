package date

import "github.com/cohabit/cohabit/services/platform/errs"

// Field reads an optional date field of a request: "" is the unset Date, and malformed text
// records a violation of field in v (and returns the unset Date), so that every bad field of
// a request is reported at once.
func Field(v *errs.Violations, field, s string) Date {
	if s == "" {
		return Date{}
	}
	d, err := Parse(s)
	if err != nil {
		v.Add(field, "%v", err)
	}
	return d
}
