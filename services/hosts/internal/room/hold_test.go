package room

import (
	"errors"
	"testing"
)

func roomIn(s Status) *Room {
	r, _ := New("r1", "p1", "h1", "Lyon", validDetails(), Rules{}, now)
	rec := r.Record()
	rec.Status = s
	return FromRecord(rec)
}

func TestHolds(t *testing.T) {
	t.Parallel()
	type apply func(*Room, Hold) (Hold, bool, error)
	reserve := func(r *Room, h Hold) (Hold, bool, error) { return r.ReserveFor(h, now) }
	occupy := func(r *Room, h Hold) (Hold, bool, error) { return r.OccupyFor(h, now) }
	end := func(r *Room, h Hold) (Hold, bool, error) { return r.EndStayFor(h, now) }
	cancel := func(r *Room, h Hold) (Hold, bool, error) { return r.CancelFor(h, now) }
	cancelStay := func(r *Room, h Hold) (Hold, bool, error) { return r.CancelStayFor(h, now) }
	const (
		ok = iota
		noop
		notYet
		impossible
	)
	cases := []struct {
		name     string
		fn       apply
		status   Status
		hold     Hold
		want     int
		wantRoom Status
		wantHold Hold
	}{
		{"approve a published room", reserve, StatusPublished, HoldNone, ok, StatusReserved, HoldReserved},
		{"approval again", reserve, StatusReserved, HoldReserved, noop, StatusReserved, HoldReserved},
		{"approval of a late match after release", reserve, StatusPublished, HoldReleased, noop, StatusPublished, HoldReleased},
		{"approval while another match holds it", reserve, StatusOccupied, HoldNone, notYet, StatusOccupied, HoldNone},
		{"approval of a withdrawn room", reserve, StatusWithdrawn, HoldNone, impossible, StatusWithdrawn, HoldNone},
		{"activation", occupy, StatusReserved, HoldReserved, ok, StatusOccupied, HoldOccupied},
		{"activation before approval", occupy, StatusPublished, HoldNone, notYet, StatusPublished, HoldNone},
		{"activation on a withdrawn room", occupy, StatusWithdrawn, HoldNone, impossible, StatusWithdrawn, HoldNone},
		{"activation again", occupy, StatusOccupied, HoldOccupied, noop, StatusOccupied, HoldOccupied},
		{"activation after cancellation", occupy, StatusPublished, HoldReleased, impossible, StatusPublished, HoldReleased},
		{"end of stay", end, StatusOccupied, HoldOccupied, ok, StatusPublished, HoldReleased},
		{"end before activation", end, StatusReserved, HoldReserved, notYet, StatusReserved, HoldReserved},
		{"end again", end, StatusReserved, HoldReleased, noop, StatusReserved, HoldReleased},
		{"cancel before stay", cancel, StatusReserved, HoldReserved, ok, StatusPublished, HoldReleased},
		{"cancel told twice", cancel, StatusPublished, HoldReleased, noop, StatusPublished, HoldReleased},
		{"cancel before approval", cancel, StatusPublished, HoldNone, notYet, StatusPublished, HoldNone},
		{"cancel during the stay", cancel, StatusOccupied, HoldOccupied, impossible, StatusOccupied, HoldOccupied},
		{"contract cancelled before activation", cancelStay, StatusReserved, HoldReserved, ok, StatusPublished, HoldReleased},
		{"active contract cancelled before its start", cancelStay, StatusOccupied, HoldOccupied, ok, StatusPublished, HoldReleased},
		{"contract cancellation told twice", cancelStay, StatusPublished, HoldReleased, noop, StatusPublished, HoldReleased},
		{"contract cancelled before approval applied", cancelStay, StatusPublished, HoldNone, notYet, StatusPublished, HoldNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := roomIn(c.status)
			v := r.Version()
			h, changed, err := c.fn(r, c.hold)
			got := ok
			switch {
			case errors.Is(err, ErrNotYet):
				got = notYet
			case errors.Is(err, ErrImpossible):
				got = impossible
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			case !changed:
				got = noop
			}
			if got != c.want || r.Status() != c.wantRoom || h != c.wantHold {
				t.Fatalf("outcome %d, room %s, hold %q; want %d, %s, %q (err %v)", got, r.Status(), h, c.want, c.wantRoom, c.wantHold, err)
			}
			if changed != (r.Version() != v) {
				t.Fatalf("changed=%v but version %d -> %d", changed, v, r.Version())
			}
		})
	}
}
