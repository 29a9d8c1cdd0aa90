package figures

import (
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
)

func d(s string) date.Date {
	v, err := date.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func verified(on string) Change {
	return Change{On: d(on), At: d(on).Time(), Status: StatusVerified}
}

// TestEarlyTermination: a stay ended with notice before its end date counts as an early
// termination in the period holding its effective date (its last day), by coded reason; a stay
// that reached its end date does not, nor one that was given notice effective after the period.
func TestEarlyTermination(t *testing.T) {
	h := History{Stays: []Stay{
		{Start: d("2026-01-10"), End: d("2026-03-20"), Early: true, Reason: "REQUESTED_BY_STUDENT"},
		{Start: d("2026-01-10"), End: d("2026-03-31")},
		{Start: d("2026-02-01"), End: d("2026-04-15"), Early: true, Reason: "REQUESTED_BY_HOST"},
		{Start: d("2026-02-01"), End: d("2026-03-02"), Early: true, Reason: "REQUESTED_BY_STUDENT"},
	}}
	f := Compute(h, d("2026-03-01"), d("2026-03-31"))
	if f.EarlyTerminations != 2 || f.StaysEnded != 3 {
		t.Fatalf("early %d of %d ended, want 2 of 3", f.EarlyTerminations, f.StaysEnded)
	}
	if len(f.EarlyTerminationReasons) != 1 || f.EarlyTerminationReasons[0] != (ReasonCount{"REQUESTED_BY_STUDENT", 2}) {
		t.Fatalf("reasons %+v", f.EarlyTerminationReasons)
	}
}

// TestStayOver6Months: over six calendar months means its end falls after the day six months
// from its start; exactly six months is not over. Counted among the stays ended in the period.
func TestStayOver6Months(t *testing.T) {
	h := History{Stays: []Stay{
		{Start: d("2025-01-15"), End: d("2025-07-15")}, // exactly 6 months: not over
		{Start: d("2025-01-15"), End: d("2025-07-16")}, // one day more: over
		{Start: d("2024-08-31"), End: d("2025-03-01")}, // 31 Aug + 6 months = 28 Feb: over
		{Start: d("2025-01-01"), End: d("2026-06-01")}, // under way at the end of 2025: not counted
	}}
	f := Compute(h, d("2025-01-01"), d("2025-12-31"))
	if f.StaysOver6Months != 2 || f.StaysEnded != 3 || f.StaysUnderWay != 1 {
		t.Fatalf("over 6 months %d, ended %d, under way %d; want 2, 3, 1", f.StaysOver6Months, f.StaysEnded, f.StaysUnderWay)
	}
	// Average stay length: (181 + 182 + 182) / 3 days.
	if f.AverageStayDays != 181.7 {
		t.Fatalf("average %v, want 181.7", f.AverageStayDays)
	}
}

// TestStaysStartedEndedUnderWay: started counts start dates in the period, ended end dates,
// under way the stays started on or before the period's last day and not ended by it — what
// is scheduled counts as known today (a future start date is a stay started then).
func TestStaysStartedEndedUnderWay(t *testing.T) {
	h := History{Stays: []Stay{
		{Start: d("2026-01-05"), End: d("2026-01-31")},
		{Start: d("2026-01-20"), End: d("2026-02-01")}, // ends the day after the period
		{Start: d("2025-12-01"), End: d("2026-06-30")},
		{Start: d("2026-02-01"), End: d("2026-05-01")}, // starts after
	}}
	f := Compute(h, d("2026-01-01"), d("2026-01-31"))
	if f.StaysStarted != 2 || f.StaysEnded != 1 || f.StaysUnderWay != 2 {
		t.Fatalf("started %d ended %d under way %d, want 2 1 2", f.StaysStarted, f.StaysEnded, f.StaysUnderWay)
	}
}

// TestWaiting: waiting at the period's end means VERIFIED then (not pending, suspended or
// archived) and not placed: a student is placed from the day her contract became ACTIVE until
// her stay ends; a host while a stay in one of their rooms is.
func TestWaiting(t *testing.T) {
	h := History{
		Students: []Person{
			{ID: "s1", Changes: []Change{verified("2026-01-02")}}, // waiting
			{ID: "s2", Changes: []Change{verified("2026-01-02")}}, // placed on 2026-01-20
			{ID: "s3"}, // never verified
			{ID: "s4", Changes: []Change{verified("2026-01-02"), {On: d("2026-01-10"), At: d("2026-01-10").Time(), Status: StatusArchived}}},
			{ID: "s5", Changes: []Change{verified("2026-02-10")}}, // verified after
			{ID: "s6", Changes: []Change{verified("2025-01-02")}}, // her stay ended: waiting again
			{ID: "s7", Changes: []Change{verified("2026-01-02")}}, // signed, stay starts later: placed
		},
		Hosts: []Person{
			{ID: "h1", Changes: []Change{verified("2026-01-02")}},
			{ID: "h2", Changes: []Change{verified("2026-01-02"), {On: d("2026-01-15"), At: d("2026-01-15").Time(), Status: StatusSuspended}}},
			{ID: "h3", Changes: []Change{verified("2026-01-02")}},
		},
		Stays: []Stay{
			{HostID: "h3", StudentID: "s2", Activated: d("2026-01-20"), Start: d("2026-01-25"), End: d("2026-12-31")},
			{HostID: "h9", StudentID: "s6", Activated: d("2025-02-01"), Start: d("2025-02-01"), End: d("2025-12-31")},
			{HostID: "h9", StudentID: "s7", Activated: d("2026-01-30"), Start: d("2026-03-01"), End: d("2026-12-31")},
		},
	}
	f := Compute(h, d("2026-01-01"), d("2026-01-31"))
	if f.StudentsWaiting != 2 || f.HostsWaiting != 1 {
		t.Fatalf("waiting: %d students, %d hosts; want 2 and 1", f.StudentsWaiting, f.HostsWaiting)
	}
	// A month earlier, s2 and s7 were not placed yet.
	if m := Compute(h, d("2026-01-01"), d("2026-01-19")); m.StudentsWaiting != 4 || m.HostsWaiting != 2 {
		t.Fatalf("on 19 January: %d students, %d hosts; want 4 and 2", m.StudentsWaiting, m.HostsWaiting)
	}
}

// TestDaysToMatch: from the day the application was submitted to the day its match was
// approved, for matches approved in the period; the median, and the share approved within four
// calendar months of applying.
func TestDaysToMatch(t *testing.T) {
	h := History{Matches: []Match{
		{Proposed: d("2026-03-01"), Approved: d("2026-03-10"), Applied: d("2026-03-01")}, // 9 days
		{Proposed: d("2026-03-01"), Approved: d("2026-03-20"), Applied: d("2026-01-01")}, // 78
		{Proposed: d("2026-03-01"), Approved: d("2026-03-31"), Applied: d("2025-11-30")}, // 121, over 4 months (30 March)
		{Proposed: d("2026-03-05"), Approved: d("2026-03-30"), Applied: d("2025-11-30")}, // 120, exactly 4 months: within
		{Proposed: d("2026-03-05")}, // proposed only
		{Proposed: d("2026-02-05"), Approved: d("2026-04-02"), Applied: d("2026-01-01")}, // approved after
	}}
	f := Compute(h, d("2026-03-01"), d("2026-03-31"))
	if f.MatchesProposed != 5 || f.MatchesApproved != 4 {
		t.Fatalf("proposed %d approved %d", f.MatchesProposed, f.MatchesApproved)
	}
	if f.MedianDaysToMatch != 99 || f.MatchedWithin4MonthsPercent != 75 {
		t.Fatalf("median %v (want (78+120)/2 = 99), within 4 months %v%% (want 75)", f.MedianDaysToMatch, f.MatchedWithin4MonthsPercent)
	}
}

// TestOnTimeCheckin: a check-in counts as done in the period it was recorded; on time unless
// it was recorded after being MISSED (its grace period over).
func TestOnTimeCheckin(t *testing.T) {
	h := History{Checkins: []Checkin{{Done: d("2026-03-02")}, {Done: d("2026-03-03"), Late: true}, {Done: d("2026-04-01")}}}
	f := Compute(h, d("2026-03-01"), d("2026-03-31"))
	if f.CheckinsDone != 2 || f.CheckinsOnTime != 1 {
		t.Fatalf("done %d on time %d", f.CheckinsDone, f.CheckinsOnTime)
	}
}

// TestMonths: the months a period touches, each clipped to the period; registrations by day.
func TestMonths(t *testing.T) {
	h := History{Hosts: []Person{{ID: "h", Registered: d("2026-01-20")}, {ID: "i", Registered: d("2026-03-05")}, {ID: "j", Registered: d("2026-01-10")}}}
	f := Compute(h, d("2026-01-15"), d("2026-03-04"))
	if len(f.Months) != 3 || f.Months[0].Month != "2026-01" || f.Months[2].Month != "2026-03" {
		t.Fatalf("months %+v", f.Months)
	}
	if f.HostsRegistered != 1 || f.Months[0].HostsRegistered != 1 || f.Months[2].HostsRegistered != 0 {
		t.Fatalf("registered %d, by month %d %d", f.HostsRegistered, f.Months[0].HostsRegistered, f.Months[2].HostsRegistered)
	}
}

// TestStatusOrderNotArrival: the status on a day is the last change made by then, whatever
// order the changes were recorded in.
func TestStatusOrderNotArrival(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	h := History{Hosts: []Person{{ID: "h", Changes: []Change{
		{On: d("2026-01-05"), At: at.Add(time.Hour), Status: StatusVerified},
		{On: d("2026-01-05"), At: at, Status: StatusSuspended},
	}}}}
	if f := Compute(h, d("2026-01-01"), d("2026-01-05")); f.HostsWaiting != 1 {
		t.Fatalf("suspended then reinstated the same day: %d waiting, want 1", f.HostsWaiting)
	}
}
