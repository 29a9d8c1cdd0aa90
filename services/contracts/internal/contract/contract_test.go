package contract

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

func completeTerms() Terms {
	return Terms{
		RoomTitle: "Chambre sur jardin", RoomAreaM2: 12, SharedSpaces: []string{"cuisine", " cuisine ", "salon"},
		StartDate: date.New(2027, 2, 1), EndDate: date.New(2028, 1, 31), FormulaID: "solidaire",
		MonthlyContributionCents: 15000, EveningsPerWeek: 3, HoursPerWeek: 4, Services: []string{"COMPANY", "MEALS"},
		HouseRules: DefaultHouseRules, NoticeDays: 30, TrialDays: 30, TrialNoticeDays: 15,
		HostDuties: DefaultHostDuties, StudentDuties: DefaultStudentDuties,
	}
}

func draft(t Terms) *Contract {
	return Draft("c1", Match{MatchID: "m1", ProgrammeID: "p1", HostID: "h1", StudentID: "s1"}, t, now)
}

func violationOn(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid().Code {
		t.Fatalf("want InvalidArgument on %s, got %v", field, err)
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("want a violation on %s, got %+v", field, e.Violations)
}

func TestDraftNormalizes(t *testing.T) {
	t.Parallel()
	c := draft(completeTerms())
	if c.Status() != StatusDraft || c.Version() != 1 || c.Etag() != `W/"1"` {
		t.Fatalf("draft: %+v", c.Record())
	}
	if got := c.Terms().SharedSpaces; len(got) != 2 {
		t.Fatalf("shared spaces not deduplicated: %q", got)
	}
}

func TestUpdateTermsValidates(t *testing.T) {
	t.Parallel()
	room := Availability{From: date.New(2027, 1, 15), Until: date.New(2028, 3, 31)}
	formulas := []Formula{{ID: "solidaire", MinContributionCents: 10000, MaxContributionCents: 20000}, {ID: "gratuite"}}
	cases := []struct {
		name   string
		change func(*Terms)
		rules  Rules
		field  string
	}{
		{"negative contribution", func(t *Terms) { t.MonthlyContributionCents = -1 }, Rules{}, "terms.monthlyContributionCents"},
		{"above the default cap", func(t *Terms) { t.MonthlyContributionCents = DefaultContributionCap + 1 }, Rules{}, "terms.monthlyContributionCents"},
		{"above the programme cap", func(t *Terms) { t.MonthlyContributionCents = 20001 }, Rules{ContributionCapCents: 20000}, "terms.monthlyContributionCents"},
		{"trial notice above notice", func(t *Terms) { t.NoticeDays, t.TrialNoticeDays = 30, 31 }, Rules{}, "terms.trialNoticeDays"},
		{"trial notice as long as a short month", func(t *Terms) { t.TrialNoticeDays = MinMonthDays + 1 }, Rules{}, "terms.trialNoticeDays"},
		{"start before the room is available", func(t *Terms) { t.StartDate = date.New(2027, 1, 14) }, Rules{}, "terms.startDate"},
		{"end after the room's availability", func(t *Terms) { t.EndDate = date.New(2028, 4, 1) }, Rules{}, "terms.endDate"},
		{"formula not of the programme", func(t *Terms) { t.FormulaID = "autre" }, Rules{Formulas: formulas}, "terms.formulaId"},
		{"below the formula's range", func(t *Terms) { t.MonthlyContributionCents = 9999 }, Rules{Formulas: formulas}, "terms.monthlyContributionCents"},
		{"above the formula's range", func(t *Terms) { t.MonthlyContributionCents = 20001 }, Rules{Formulas: formulas}, "terms.monthlyContributionCents"},
		{"a free formula's contribution above the cap", func(t *Terms) { t.FormulaID, t.MonthlyContributionCents = "gratuite", 35001 }, Rules{Formulas: formulas}, "terms.monthlyContributionCents"},
		{"negative trial", func(t *Terms) { t.TrialDays = -1 }, Rules{}, "terms.trialDays"},
		{"end before start", func(t *Terms) { t.EndDate = t.StartDate.AddDays(-1) }, Rules{}, "terms.endDate"},
		{"end on start", func(t *Terms) { t.EndDate = t.StartDate }, Rules{}, "terms.endDate"},
		{"eight evenings", func(t *Terms) { t.EveningsPerWeek = 8 }, Rules{}, "terms.eveningsPerWeek"},
		{"negative evenings", func(t *Terms) { t.EveningsPerWeek = -1 }, Rules{}, "terms.eveningsPerWeek"},
		{"21 hours", func(t *Terms) { t.HoursPerWeek = 21 }, Rules{}, "terms.hoursPerWeek"},
		{"room below 9 m²", func(t *Terms) { t.RoomAreaM2 = 8.5 }, Rules{}, "terms.roomAreaM2"},
		{"house rules too long", func(t *Terms) { t.HouseRules = strings.Repeat("é", MaxText+1) }, Rules{}, "terms.houseRules"},
		{"inventory too long", func(t *Terms) { t.EntryInventory = strings.Repeat("a", MaxInventory+1) }, Rules{}, "terms.entryInventory"},
		{"title too long", func(t *Terms) { t.RoomTitle = strings.Repeat("a", MaxTitle+1) }, Rules{}, "terms.roomTitle"},
		{"unknown service", func(t *Terms) { t.Services = []string{"UNKNOWN"} }, Rules{}, "terms.services"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := Draft("c1", Match{MatchID: "m1", ProgrammeID: "p1", HostID: "h1", StudentID: "s1", Room: room}, completeTerms(), now)
			terms := completeTerms()
			tc.change(&terms)
			err := c.UpdateTerms(terms, tc.rules, now)
			violationOn(t, err, tc.field)
			if c.Version() != 1 {
				t.Fatal("a refused change moved the version")
			}
		})
	}
	c := draft(completeTerms())
	terms := completeTerms()
	terms.MonthlyContributionCents = DefaultContributionCap
	if err := c.UpdateTerms(terms, Rules{}, now); err != nil || c.Version() != 2 {
		t.Fatalf("contribution at the cap: %v (version %d)", err, c.Version())
	}
}

// Every term of a draft changes, within the room's availability, the formula's range and
// the cap; the notice stays the law's whatever is sent.
func TestUpdateEveryTerm(t *testing.T) {
	t.Parallel()
	room := Availability{From: date.New(2027, 1, 15), Until: date.New(2027, 6, 30)}
	c := Draft("c1", Match{MatchID: "m1", ProgrammeID: "p1", HostID: "h1", StudentID: "s1", Room: room}, completeTerms(), now)
	terms := completeTerms()
	terms.StartDate, terms.EndDate = date.New(2027, 1, 15), date.New(2027, 6, 30)
	terms.FormulaID, terms.MonthlyContributionCents = "gratuite", 0
	terms.EveningsPerWeek, terms.HoursPerWeek = 5, 2
	terms.Services, terms.SharedSpaces = []string{"SHOPPING"}, []string{"jardin"}
	terms.HouseRules, terms.TrialDays = "Calme après 22 h", 15
	rules := Rules{Formulas: []Formula{{ID: "gratuite"}, {ID: "solidaire", MinContributionCents: 10000, MaxContributionCents: 20000}}}
	terms.NoticeDays = 10
	violationOn(t, c.UpdateTerms(terms, rules, now), "terms.noticeDays")
	terms.NoticeDays = LegalNoticeDays
	if err := c.UpdateTerms(terms, rules, now); err != nil {
		t.Fatal(err)
	}
	got := c.Terms()
	if got.StartDate != terms.StartDate || got.EndDate != terms.EndDate || got.FormulaID != "gratuite" || got.EveningsPerWeek != 5 ||
		got.HoursPerWeek != 2 || got.Services[0] != "SHOPPING" || got.SharedSpaces[0] != "jardin" || got.TrialDays != 15 || got.HouseRules != terms.HouseRules {
		t.Fatalf("terms not all changed: %+v", got)
	}
	if got.NoticeDays != LegalNoticeDays {
		t.Fatalf("the notice moved: %d days", got.NoticeDays)
	}
}

func TestAddMonths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ from, want date.Date }{
		{date.New(2027, 3, 15), date.New(2027, 4, 15)},
		{date.New(2027, 1, 31), date.New(2027, 2, 28)},
		{date.New(2028, 1, 31), date.New(2028, 2, 29)},
		{date.New(2027, 8, 31), date.New(2027, 9, 30)},
		{date.New(2027, 12, 10), date.New(2028, 1, 10)},
	} {
		if got := AddMonths(tc.from, 1); got != tc.want {
			t.Errorf("%s + 1 month = %s, want %s", tc.from, got, tc.want)
		}
	}
}

func TestProposeDates(t *testing.T) {
	t.Parallel()
	d := date.New
	cases := []struct {
		name            string
		moveIn, moveOut date.Date
		room            Availability
		start, end      date.Date
	}{
		{"dates of the application", d(2027, 2, 1), d(2027, 6, 30), Availability{}, d(2027, 2, 1), d(2027, 6, 30)},
		{"open-ended stay, open room: 12 months", d(2027, 2, 1), date.Date{}, Availability{}, d(2027, 2, 1), d(2028, 1, 31)},
		{"open-ended stay ends with the room", d(2027, 2, 1), date.Date{}, Availability{Until: d(2027, 6, 30)}, d(2027, 2, 1), d(2027, 6, 30)},
		{"a stay longer than the room is cut", d(2027, 2, 1), d(2027, 7, 15), Availability{Until: d(2027, 6, 30)}, d(2027, 2, 1), d(2027, 6, 30)},
		{"a move-in before the room is available", d(2027, 1, 1), d(2027, 6, 30), Availability{From: d(2027, 2, 1)}, d(2027, 2, 1), d(2027, 6, 30)},
		{"no move-in: from the room's first day", date.Date{}, date.Date{}, Availability{From: d(2027, 2, 1)}, d(2027, 2, 1), d(2028, 1, 31)},
	}
	for _, tc := range cases {
		start, end := ProposeDates(tc.moveIn, tc.moveOut, tc.room, 0)
		if start != tc.start || end != tc.end {
			t.Errorf("%s: got %s – %s, want %s – %s", tc.name, start, end, tc.start, tc.end)
		}
	}
}

func TestReopenClearsSignatures(t *testing.T) {
	t.Parallel()
	c := draft(completeTerms())
	if err := c.Send(Rules{}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sign(Signature{Party: PartyHost, Method: MethodPaper, SignedBy: "coord", OnBehalf: true, At: now}); err != nil {
		t.Fatal(err)
	}
	if err := c.Reopen(now); err != nil || c.Status() != StatusDraft || c.SignedBy(PartyHost) || len(c.Record().Signatures) != 0 {
		t.Fatalf("reopen: %v %s %+v", err, c.Status(), c.Record().Signatures)
	}
	terms := completeTerms()
	terms.EveningsPerWeek = 2
	if err := c.UpdateTerms(terms, Rules{}, now); err != nil {
		t.Fatalf("a reopened contract's terms: %v", err)
	}
}

func TestCancelActiveBeforeStart(t *testing.T) {
	t.Parallel()
	// The stay starts on 2027-02-01.
	for _, tc := range []struct {
		day date.Date
		ok  bool
	}{
		{date.New(2027, 1, 31), true},
		{date.New(2027, 2, 1), false},
		{date.New(2027, 3, 1), false},
	} {
		c := signed(t)
		err := c.Cancel("Ils renoncent", "CODE", tc.day, now)
		switch {
		case tc.ok && (err != nil || c.Status() != StatusCancelled):
			t.Errorf("%s: cancel before the start: %v %s", tc.day, err, c.Status())
		case !tc.ok && (!errors.Is(err, ErrStayStarted) || c.Status() != StatusActive):
			t.Errorf("%s: cancel from the start: want STAY_STARTED, got %v (%s)", tc.day, err, c.Status())
		}
	}
}

func TestSendNeedsCompleteTerms(t *testing.T) {
	t.Parallel()
	terms := completeTerms()
	terms.EndDate = date.Date{}
	terms.HostDuties = " "
	c := draft(terms)
	err := c.Send(Rules{}, now)
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "endDate") || !strings.Contains(err.Error(), "hostDuties") {
		t.Fatalf("send incomplete: %v", err)
	}
	c = draft(completeTerms())
	if err := c.Send(Rules{}, now); err != nil || c.Status() != StatusAwaitingSignatures {
		t.Fatalf("send: %v %s", err, c.Status())
	}
	if err := c.UpdateTerms(completeTerms(), Rules{}, now); !errors.Is(err, ErrTransition) {
		t.Fatalf("terms changed after sending: %v", err)
	}
	// A cap lowered after drafting stops the send.
	terms = completeTerms()
	terms.MonthlyContributionCents = 30000
	c = draft(terms)
	violationOn(t, c.Send(Rules{ContributionCapCents: 20000}, now), "terms.monthlyContributionCents")
}

func signed(t *testing.T) *Contract {
	t.Helper()
	c := draft(completeTerms())
	if err := c.Send(Rules{}, now); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Party{PartyHost, PartyStudent} {
		if _, err := c.Sign(Signature{Party: p, Method: MethodElectronic, SignedBy: "a", At: now}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestSign(t *testing.T) {
	t.Parallel()
	c := draft(completeTerms())
	if _, err := c.Sign(Signature{Party: PartyHost, Method: MethodElectronic, At: now}); !errors.Is(err, ErrTransition) {
		t.Fatalf("signing a draft: %v", err)
	}
	if err := c.Send(Rules{}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sign(Signature{Party: "", Method: MethodElectronic, At: now}); err == nil {
		t.Fatal("a signature without party was taken")
	}
	if _, err := c.Sign(Signature{Party: PartyHost, Method: "", At: now}); err == nil {
		t.Fatal("a signature without method was taken")
	}
	activated, err := c.Sign(Signature{Party: PartyHost, Method: MethodPaper, SignedBy: "coord", OnBehalf: true, At: now})
	if err != nil || activated || c.Status() != StatusAwaitingSignatures || !c.SignedBy(PartyHost) {
		t.Fatalf("host signs: %v %v %s", err, activated, c.Status())
	}
	if _, err := c.Sign(Signature{Party: PartyHost, Method: MethodElectronic, At: now}); !errors.Is(err, ErrAlreadySigned) {
		t.Fatalf("signing twice: %v", err)
	}
	activated, err = c.Sign(Signature{Party: PartyStudent, Method: MethodElectronic, At: now})
	if err != nil || !activated || c.Status() != StatusActive {
		t.Fatalf("student signs: %v %v %s", err, activated, c.Status())
	}
	if _, err := c.Sign(Signature{Party: PartyStudent, Method: MethodElectronic, At: now}); !errors.Is(err, ErrTransition) {
		t.Fatalf("signing an active contract: %v", err)
	}
}

func TestTerminationNotice(t *testing.T) {
	t.Parallel()
	// Stay from 2027-02-01 to 2028-01-31; a calendar month's notice; trial of 30 days with
	// 15 days' notice.
	cases := []struct {
		name      string
		today     date.Date
		effective date.Date
		ok        bool
		earliest  string
	}{
		{"before the start, in trial: 15 days", date.New(2027, 1, 20), date.New(2027, 2, 4), true, ""},
		{"in trial, 14 days is too short", date.New(2027, 2, 10), date.New(2027, 2, 24), false, "2027-02-25"},
		{"in trial, exactly 15 days", date.New(2027, 2, 10), date.New(2027, 2, 25), true, ""},
		{"last day of trial", date.New(2027, 3, 2), date.New(2027, 3, 17), true, ""},
		{"first day after trial: a calendar month", date.New(2027, 3, 3), date.New(2027, 3, 18), false, "2027-04-03"},
		{"30 days fall short of a 31-day month", date.New(2027, 7, 1), date.New(2027, 7, 31), false, "2027-08-01"},
		{"a calendar month from 31 August", date.New(2027, 8, 31), date.New(2027, 9, 30), true, ""},
		{"a calendar month in February is 28 days", date.New(2027, 3, 31), date.New(2027, 4, 30), true, ""},
		{"after trial, 29 days", date.New(2027, 6, 1), date.New(2027, 6, 30), false, "2027-07-01"},
		{"after trial, exactly 30 days", date.New(2027, 6, 1), date.New(2027, 7, 1), true, ""},
		{"on the end date", date.New(2027, 12, 1), date.New(2028, 1, 31), true, ""},
		{"after the end date", date.New(2027, 12, 1), date.New(2028, 2, 1), false, "end date 2028-01-31"},
		{"no effective date", date.New(2027, 6, 1), date.Date{}, false, "2027-07-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := signed(t)
			err := c.Terminate(Termination{Party: PartyStudent, AccountID: "a", Reason: "Fin d'études", EffectiveDate: tc.effective, NoticeAt: now}, tc.today)
			if tc.ok {
				if err != nil || c.Status() != StatusNoticeGiven || c.LastDay() != tc.effective {
					t.Fatalf("terminate: %v %s", err, c.Status())
				}
				return
			}
			violationOn(t, err, "effectiveDate")
			if !strings.Contains(err.Error(), tc.earliest) {
				t.Fatalf("the error %q does not name %s", err, tc.earliest)
			}
			if c.Status() != StatusActive {
				t.Fatal("a refused notice changed the status")
			}
		})
	}
}

func TestTerminateNeedsReasonAndActive(t *testing.T) {
	t.Parallel()
	c := signed(t)
	violationOn(t, c.Terminate(Termination{EffectiveDate: date.New(2027, 8, 1), NoticeAt: now}, date.New(2027, 6, 1)), "reason")
	c = draft(completeTerms())
	if err := c.Terminate(Termination{Reason: "x", EffectiveDate: date.New(2027, 8, 1)}, date.New(2027, 6, 1)); !errors.Is(err, ErrTransition) {
		t.Fatalf("terminating a draft: %v", err)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	type step func(*Contract) error
	cancel := func(c *Contract) error { return c.Cancel("Annulé", "CODE", date.Of(now), now) }
	reopen := func(c *Contract) error { return c.Reopen(now) }
	send := func(c *Contract) error { return c.Send(Rules{}, now) }
	renew := func(c *Contract) error { return c.Renew(date.New(2028, 6, 30), now) }
	terminate := func(c *Contract) error {
		return c.Terminate(Termination{Reason: "x", EffectiveDate: date.New(2027, 8, 1), NoticeAt: now}, date.New(2027, 6, 1))
	}
	expire := func(c *Contract) error { _, err := c.Expire(date.New(2030, 1, 1), now); return err }
	states := map[Status]func(*testing.T) *Contract{
		StatusDraft: func(*testing.T) *Contract { return draft(completeTerms()) },
		StatusAwaitingSignatures: func(t *testing.T) *Contract {
			c := draft(completeTerms())
			if err := send(c); err != nil {
				t.Fatal(err)
			}
			return c
		},
		StatusActive: signed,
		StatusNoticeGiven: func(t *testing.T) *Contract {
			c := signed(t)
			if err := terminate(c); err != nil {
				t.Fatal(err)
			}
			return c
		},
		StatusCancelled: func(t *testing.T) *Contract {
			c := draft(completeTerms())
			if err := cancel(c); err != nil {
				t.Fatal(err)
			}
			return c
		},
		StatusEnded: func(t *testing.T) *Contract {
			c := signed(t)
			if err := expire(c); err != nil {
				t.Fatal(err)
			}
			return c
		},
		StatusTerminated: func(t *testing.T) *Contract {
			c := signed(t)
			if err := terminate(c); err != nil {
				t.Fatal(err)
			}
			if err := expire(c); err != nil {
				t.Fatal(err)
			}
			return c
		},
	}
	steps := map[string]struct {
		do    step
		legal map[Status]Status
	}{
		"send":      {send, map[Status]Status{StatusDraft: StatusAwaitingSignatures}},
		"cancel":    {cancel, map[Status]Status{StatusDraft: StatusCancelled, StatusAwaitingSignatures: StatusCancelled, StatusActive: StatusCancelled}},
		"reopen":    {reopen, map[Status]Status{StatusAwaitingSignatures: StatusDraft}},
		"renew":     {renew, map[Status]Status{StatusActive: StatusActive}},
		"terminate": {terminate, map[Status]Status{StatusActive: StatusNoticeGiven}},
		"expire":    {expire, map[Status]Status{StatusActive: StatusEnded, StatusNoticeGiven: StatusTerminated}},
	}
	for name, st := range steps {
		for from, make := range states {
			t.Run(name+" from "+string(from), func(t *testing.T) {
				t.Parallel()
				c := make(t)
				if c.Status() != from {
					t.Fatalf("setup reached %s, want %s", c.Status(), from)
				}
				err := st.do(c)
				to, legal := st.legal[from]
				switch {
				case legal && err != nil:
					t.Fatalf("legal transition refused: %v", err)
				case legal && c.Status() != to:
					t.Fatalf("reached %s, want %s", c.Status(), to)
				case !legal && !errors.Is(err, ErrTransition):
					t.Fatalf("illegal transition: want ErrTransition, got %v", err)
				case !legal && c.Status() != from:
					t.Fatalf("an illegal transition moved the status to %s", c.Status())
				}
			})
		}
	}
}

func TestDue(t *testing.T) {
	t.Parallel()
	c := signed(t)
	if s := c.Due(date.New(2028, 1, 30)); s != "" {
		t.Fatalf("due the day before the end: %s", s)
	}
	if s := c.Due(date.New(2028, 1, 31)); s != StatusEnded {
		t.Fatalf("on the end date: %q", s)
	}
	if err := c.Terminate(Termination{Reason: "x", EffectiveDate: date.New(2027, 8, 1), NoticeAt: now}, date.New(2027, 6, 1)); err != nil {
		t.Fatal(err)
	}
	if s := c.Due(date.New(2027, 7, 31)); s != "" {
		t.Fatalf("due before the effective date: %s", s)
	}
	if s, err := c.Expire(date.New(2027, 8, 1), now); err != nil || s != StatusTerminated || c.Record().EndReason != "REQUESTED_BY_COORDINATOR" {
		t.Fatalf("expire on the effective date: %v %s %s", err, s, c.Record().EndReason)
	}
}

func TestRenew(t *testing.T) {
	t.Parallel()
	c := signed(t)
	violationOn(t, c.Renew(date.New(2028, 1, 31), now), "endDate")
	violationOn(t, c.Renew(date.Date{}, now), "endDate")
	if err := c.Renew(date.New(2028, 6, 30), now); err != nil || c.Terms().EndDate != date.New(2028, 6, 30) {
		t.Fatalf("renew: %v %s", err, c.Terms().EndDate)
	}
	// Never past the room's availability.
	c.SetRoom(Availability{Until: date.New(2028, 9, 30)})
	violationOn(t, c.Renew(date.New(2028, 10, 1), now), "endDate")
	if err := c.Renew(date.New(2028, 9, 30), now); err != nil {
		t.Fatalf("renew to the room's last day: %v", err)
	}
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                 Settings
		trial, trialNotice int
	}{
		{Settings{}, 30, 15},
		{Settings{TrialDays: 10, TrialNoticeDays: 40}, 10, MinMonthDays},
		{Settings{TrialDays: 45, TrialNoticeDays: 20}, 45, 20},
	}
	for _, c := range cases {
		tr, tn := c.in.Periods()
		if tr != c.trial || tn != c.trialNotice {
			t.Errorf("%+v: got %d/%d, want %d/%d", c.in, tr, tn, c.trial, c.trialNotice)
		}
	}
}

func TestEuros(t *testing.T) {
	t.Parallel()
	for cents, want := range map[int]string{
		0: "0,00\u00a0€", 15000: "150,00\u00a0€", 15005: "150,05\u00a0€", 123450: "1\u00a0234,50\u00a0€", 35000: "350,00\u00a0€",
	} {
		if got := Euros(cents); got != want {
			t.Errorf("Euros(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestPartiesOf(t *testing.T) {
	t.Parallel()
	p := Parties{HostAccountID: "h", StudentAccountID: "s"}
	if p.Of("h") != PartyHost || p.Of("s") != PartyStudent || p.Of("x") != "" || p.Of("") != "" {
		t.Fatal("Parties.Of")
	}
	if (Parties{}).Of("") != "" {
		t.Fatal("an empty account id is nobody, even on a contract whose parties are unknown")
	}
}
