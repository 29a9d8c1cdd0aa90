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
	cases := []struct {
		name   string
		change func(*Terms)
		rules  Rules
		field  string
	}{
		{"negative contribution", func(t *Terms) { t.MonthlyContributionCents = -1 }, Rules{}, "terms.monthlyContributionCents"},
		{"above the default cap", func(t *Terms) { t.MonthlyContributionCents = DefaultContributionCap + 1 }, Rules{}, "terms.monthlyContributionCents"},
		{"above the programme cap", func(t *Terms) { t.MonthlyContributionCents = 20001 }, Rules{ContributionCapCents: 20000}, "terms.monthlyContributionCents"},
		{"notice below the legal month", func(t *Terms) { t.NoticeDays = 29 }, Rules{}, "terms.noticeDays"},
		{"trial notice above notice", func(t *Terms) { t.NoticeDays, t.TrialNoticeDays = 30, 31 }, Rules{}, "terms.trialNoticeDays"},
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
			c := draft(completeTerms())
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
	// Stay from 2027-02-01 to 2028-01-31; 30 days' notice; trial of 30 days with 15 days' notice.
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
		{"first day after trial: 30 days", date.New(2027, 3, 3), date.New(2027, 3, 18), false, "2027-04-02"},
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
	cancel := func(c *Contract) error { return c.Cancel("Annulé", "CODE", now) }
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
		"cancel":    {cancel, map[Status]Status{StatusDraft: StatusCancelled, StatusAwaitingSignatures: StatusCancelled}},
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
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                         Settings
		notice, trial, trialNotice int
	}{
		{Settings{}, 30, 30, 15},
		{Settings{NoticeDays: 20, TrialDays: 10, TrialNoticeDays: 40}, 30, 10, 30},
		{Settings{NoticeDays: 60, TrialDays: 45, TrialNoticeDays: 20}, 60, 45, 20},
	}
	for _, c := range cases {
		n, tr, tn := c.in.Periods()
		if n != c.notice || tr != c.trial || tn != c.trialNotice {
			t.Errorf("%+v: got %d/%d/%d, want %d/%d/%d", c.in, n, tr, tn, c.notice, c.trial, c.trialNotice)
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
