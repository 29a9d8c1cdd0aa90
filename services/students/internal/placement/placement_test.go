package placement

import (
	"errors"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func TestChain(t *testing.T) {
	t.Parallel()
	type fn func(Status, *application.Application, *student.Student) (Outcome, error)
	match := func(p Status, a *application.Application, _ *student.Student) (Outcome, error) {
		return Match(p, a, now)
	}
	place := func(p Status, a *application.Application, s *student.Student) (Outcome, error) {
		return Place(p, a, s, now)
	}
	end := func(p Status, a *application.Application, s *student.Student) (Outcome, error) {
		return End(p, a, s, now)
	}
	cancel := func(p Status, a *application.Application, _ *student.Student) (Outcome, error) {
		return Cancel(p, a, now)
	}
	cancelStay := func(p Status, a *application.Application, s *student.Student) (Outcome, error) {
		return CancelStay(p, a, s, now)
	}
	const (
		ok = iota
		noop
		notYet
		impossible
	)
	type st = application.Status
	cases := []struct {
		name    string
		fn      fn
		p       Status
		app     application.Status
		stu     student.Status
		want    int
		wantApp application.Status
		wantStu student.Status
		next    Status
	}{
		{"approval", match, None, application.StatusSubmitted, student.StatusVerified, ok, application.StatusMatched, student.StatusVerified, Matched},
		{"approval again", match, Matched, application.StatusMatched, student.StatusVerified, noop, application.StatusMatched, student.StatusVerified, Matched},
		{"approval while matched by another", match, None, application.StatusMatched, student.StatusVerified, notYet, application.StatusMatched, student.StatusVerified, None},
		{"approval of a withdrawn application", match, None, application.StatusWithdrawn, student.StatusVerified, impossible, application.StatusWithdrawn, student.StatusVerified, None},
		{"activation", place, Matched, application.StatusMatched, student.StatusVerified, ok, application.StatusPlaced, student.StatusPlaced, Placed},
		{"activation before approval", place, None, application.StatusSubmitted, student.StatusVerified, notYet, application.StatusSubmitted, student.StatusVerified, None},
		{"activation, application withdrawn, never approved", place, None, application.StatusWithdrawn, student.StatusVerified, impossible, application.StatusWithdrawn, student.StatusVerified, None},
		{"activation while the previous stay has not ended", place, Matched, application.StatusMatched, student.StatusPlaced, notYet, application.StatusMatched, student.StatusPlaced, Matched},
		{"activation after cancellation", place, Unmatched, application.StatusSubmitted, student.StatusVerified, impossible, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"activation again", place, Placed, application.StatusPlaced, student.StatusPlaced, noop, application.StatusPlaced, student.StatusPlaced, Placed},
		{"end", end, Placed, application.StatusPlaced, student.StatusPlaced, ok, application.StatusPlaced, student.StatusVerified, Ended},
		{"end before activation", end, Matched, application.StatusMatched, student.StatusVerified, notYet, application.StatusMatched, student.StatusVerified, Matched},
		{"end again", end, Ended, application.StatusPlaced, student.StatusVerified, noop, application.StatusPlaced, student.StatusVerified, Ended},
		{"cancel", cancel, Matched, application.StatusMatched, student.StatusVerified, ok, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"cancel told twice", cancel, Unmatched, application.StatusSubmitted, student.StatusVerified, noop, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"cancel of a withdrawn application", cancel, Matched, application.StatusWithdrawn, student.StatusVerified, noop, application.StatusWithdrawn, student.StatusVerified, Unmatched},
		{"cancel before approval", cancel, None, application.StatusSubmitted, student.StatusVerified, notYet, application.StatusSubmitted, student.StatusVerified, None},
		{"cancel during the stay", cancel, Placed, application.StatusPlaced, student.StatusPlaced, impossible, application.StatusPlaced, student.StatusPlaced, Placed},
		{"contract cancelled before activation", cancelStay, Matched, application.StatusMatched, student.StatusVerified, ok, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"active contract cancelled before its start", cancelStay, Placed, application.StatusPlaced, student.StatusPlaced, ok, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"active contract cancellation told twice", cancelStay, Unmatched, application.StatusSubmitted, student.StatusVerified, noop, application.StatusSubmitted, student.StatusVerified, Unmatched},
		{"contract cancelled before approval applied", cancelStay, None, application.StatusSubmitted, student.StatusVerified, notYet, application.StatusSubmitted, student.StatusVerified, None},
		{"contract cancelled after the stay ended", cancelStay, Ended, application.StatusPlaced, student.StatusVerified, impossible, application.StatusPlaced, student.StatusVerified, Ended},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := application.FromRecord(application.Record{ID: "a", StudentID: "s", Status: st(c.app), Version: 1})
			s := student.FromRecord(student.Record{ID: "s", Status: c.stu, Version: 1})
			out, err := c.fn(c.p, a, s)
			got := ok
			switch {
			case errors.Is(err, ErrNotYet):
				got = notYet
			case errors.Is(err, ErrImpossible):
				got = impossible
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			case !out.Application && !out.Student:
				got = noop
			}
			if got != c.want || a.Status() != c.wantApp || s.Status() != c.wantStu || out.Next != c.next {
				t.Fatalf("outcome %d, application %s, student %s, next %q; want %d, %s, %s, %q (err %v)",
					got, a.Status(), s.Status(), out.Next, c.want, c.wantApp, c.wantStu, c.next, err)
			}
			if out.Application != (a.Version() != 1) || out.Student != (s.Version() != 1) {
				t.Fatalf("outcome %+v but versions %d, %d", out, a.Version(), s.Version())
			}
		})
	}
}
