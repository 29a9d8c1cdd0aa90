package contract

import (
	"errors"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/services/platform/date"
)

func TestCheckAges(t *testing.T) {
	t.Parallel()
	d := date.New
	start := d(2027, 2, 1)
	cases := []struct {
		name           string
		host, student  date.Date
		bounds         AgeBounds
		want           error
		messageMention string
	}{
		{"both within the law", d(1950, 5, 1), d(2005, 5, 1), AgeBounds{}, nil, ""},
		{"host turns 60 on the start date", d(1967, 2, 1), d(2005, 5, 1), AgeBounds{}, nil, ""},
		{"host turns 60 the day after", d(1967, 2, 2), d(2005, 5, 1), AgeBounds{}, ErrHostTooYoung, "59"},
		{"programme's minimum of 65", d(1963, 1, 1), d(2005, 5, 1), AgeBounds{HostMinAge: 65}, ErrHostTooYoung, "65"},
		{"student turns 30 on the start date", d(1950, 5, 1), d(1997, 2, 1), AgeBounds{}, ErrStudentTooOld, "30"},
		{"student turns 30 the day after", d(1950, 5, 1), d(1997, 2, 2), AgeBounds{}, nil, ""},
		{"programme's maximum of 26", d(1950, 5, 1), d(2000, 1, 1), AgeBounds{StudentMaxAge: 26}, ErrStudentTooOld, "26"},
		{"student not yet 18", d(1950, 5, 1), d(2009, 2, 2), AgeBounds{}, ErrStudentTooYoung, "17"},
		{"birth dates unknown", date.Date{}, date.Date{}, AgeBounds{}, nil, ""},
	}
	for _, tc := range cases {
		err := CheckAges(start, tc.host, tc.student, tc.bounds)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != nil && !errors.Is(err, tc.want):
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		case tc.want != nil && !strings.Contains(err.Error(), tc.messageMention):
			t.Errorf("%s: %q does not say %s", tc.name, err, tc.messageMention)
		}
	}
}
