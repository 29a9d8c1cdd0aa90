package match

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/services/platform/errs"
)

var t0 = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)

func at(s Status, hostAccepted bool) *Match {
	m := New("m1", "lyon", Pair{RoomID: "r", StudentID: "s"}, 80, "coord", t0.AddDate(0, 0, 14), t0)
	r := m.Record()
	r.Status, r.HostAccepted = s, hostAccepted
	return FromRecord(r)
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	type step func(m *Match) error
	schedule := func(m *Match) error { return m.ScheduleMeeting(t0.Add(48*time.Hour), later) }
	acceptHost := func(m *Match) error { return m.Accept(PartyHost, "h", later) }
	acceptStudent := func(m *Match) error { return m.Accept(PartyStudent, "s", later) }
	decline := func(m *Match) error { return m.Decline(PartyStudent, "s", "too far", later) }
	approve := func(m *Match) error { return m.Approve("coord", later) }
	cancel := func(m *Match) error { return m.Cancel("host in hospital", later) }
	expire := func(m *Match) error { return m.Expire(t0.AddDate(0, 0, 15)) }
	complete := func(m *Match) error { return m.Complete(later) }

	all := []Status{StatusProposed, StatusMeetingScheduled, StatusAccepted, StatusApproved, StatusCompleted, StatusDeclined, StatusCancelled, StatusExpired}
	cases := []struct {
		name   string
		do     step
		legal  map[Status]Status // from → to; every other status is refused
		reason string
	}{
		{"schedule", schedule, map[Status]Status{StatusProposed: StatusMeetingScheduled, StatusMeetingScheduled: StatusMeetingScheduled}, "MATCH_STATUS"},
		{"accept (host first)", acceptHost, map[Status]Status{StatusMeetingScheduled: StatusMeetingScheduled}, "MATCH_STATUS"},
		{"decline", decline, map[Status]Status{StatusProposed: StatusDeclined, StatusMeetingScheduled: StatusDeclined, StatusAccepted: StatusDeclined}, "MATCH_STATUS"},
		{"approve", approve, map[Status]Status{StatusAccepted: StatusApproved}, "MATCH_STATUS"},
		{"cancel", cancel, map[Status]Status{StatusProposed: StatusCancelled, StatusMeetingScheduled: StatusCancelled, StatusAccepted: StatusCancelled, StatusApproved: StatusCancelled}, "MATCH_STATUS"},
		{"expire", expire, map[Status]Status{StatusProposed: StatusExpired, StatusMeetingScheduled: StatusExpired, StatusAccepted: StatusExpired}, "MATCH_STATUS"},
		{"complete", complete, map[Status]Status{StatusApproved: StatusCompleted}, "MATCH_STATUS"},
	}
	for _, c := range cases {
		for _, from := range all {
			t.Run(c.name+" from "+string(from), func(t *testing.T) {
				m := at(from, false)
				v := m.Version()
				err := c.do(m)
				to, legal := c.legal[from]
				if !legal {
					if err == nil {
						t.Fatalf("%s from %s succeeded; it must be refused", c.name, from)
					}
					e, _ := errs.As(err)
					if e == nil || e.Code != codes.FailedPrecondition {
						t.Fatalf("want FailedPrecondition, got %v", err)
					}
					if m.Status() != from || m.Version() != v {
						t.Fatal("a refused transition changed the match")
					}
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", c.name, from, err)
				}
				if m.Status() != to || m.Version() != v+1 {
					t.Fatalf("%s from %s: status %s version %d", c.name, from, m.Status(), m.Version())
				}
			})
		}
	}
	// Both parties accept: ACCEPTED, whoever answers second.
	m := at(StatusMeetingScheduled, false)
	if err := acceptStudent(m); err != nil || m.Status() != StatusMeetingScheduled {
		t.Fatalf("first yes: %v %s", err, m.Status())
	}
	if err := acceptStudent(m); errs.CodeOf(err) != codes.FailedPrecondition {
		t.Fatalf("a second yes of the same party: %v", err)
	}
	if err := acceptHost(m); err != nil || m.Status() != StatusAccepted || !m.Record().HostAccepted || m.Record().HostAnsweredBy != "h" {
		t.Fatalf("second yes: %v %+v", err, m.Record())
	}
}

func TestTransitionDetails(t *testing.T) {
	t.Parallel()
	// Accepting before the meeting says why.
	if err := at(StatusProposed, false).Accept(PartyHost, "h", t0); !errsIs(err, ErrNoMeeting) {
		t.Fatalf("accept while PROPOSED: %v", err)
	}
	// A meeting in the past is bad input.
	if err := at(StatusProposed, false).ScheduleMeeting(t0.Add(-time.Minute), t0); errs.CodeOf(err) != codes.InvalidArgument {
		t.Fatalf("meeting in the past: %v", err)
	}
	// Decline and cancel need a reason.
	if err := at(StatusProposed, false).Decline(PartyHost, "h", " ", t0); errs.CodeOf(err) != codes.InvalidArgument {
		t.Fatalf("decline without reason: %v", err)
	}
	if err := at(StatusProposed, false).Cancel("", t0); errs.CodeOf(err) != codes.InvalidArgument {
		t.Fatalf("cancel without reason: %v", err)
	}
	// Not due yet.
	if err := at(StatusProposed, false).Expire(t0.AddDate(0, 0, 13)); !errsIs(err, ErrNotDue) {
		t.Fatalf("early expiry: %v", err)
	}
	// Cancelling an approved match says so, for the consumers that put room and application back.
	m := at(StatusApproved, false)
	if err := m.Cancel("contract cancelled", t0); err != nil || !m.Record().WasApproved {
		t.Fatalf("cancel approved: %v %+v", err, m.Record())
	}
	m = at(StatusAccepted, false)
	if err := m.Cancel("changed mind", t0); err != nil || m.Record().WasApproved {
		t.Fatalf("cancel accepted: %v %+v", err, m.Record())
	}
	// The refusal message names the statuses.
	err := at(StatusDeclined, false).Approve("c", t0)
	if e, _ := errs.As(err); e == nil || e.Message != "cannot approve a match that is DECLINED: it must be ACCEPTED" {
		t.Fatalf("message: %v", err)
	}
	if m.Etag() != `W/"2"` {
		t.Fatalf("etag %s", m.Etag())
	}
}

func errsIs(err error, target *errs.Error) bool {
	e, ok := errs.As(err)
	return ok && e.Is(target)
}
