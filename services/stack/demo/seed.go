// Package demo fills the development platform's demo programme with a programme worth
// exploring, around Lyon: a dozen hosts and a dozen students, rooms (published, one draft,
// one host still to verify), applications, a proposal waiting, a meeting scheduled with one
// side's yes, and a stay under way (contract signed and active, its check-ins scheduled, the
// first one done, an incident reported).
//
// It drives the platform only through its public REST API, as the coordinator and as the
// people themselves, the way scripts/walk.sh does: every state change goes through the
// services' own rules and events, never into a database. It signs in with the development
// accounts identity seeds (DevSeed), so it can do nothing on a platform without them.
//
// Seeding twice creates nothing twice: every create carries a request id derived from the
// person, which makes the service answer with the record made the first time, and every step
// looks at the record's state before moving it. A finished seed is recognised at once (its
// incident exists) and left alone, whatever was done with the data since.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// The development accounts identity seeds with DevSeed (SPEC §5).
const (
	ProgrammeID         = "demo"
	CoordinatorEmail    = "coordinator@demo.cohabit.test"
	CoordinatorPassword = "coordinator-demo-password"
)

// ErrNoDemoAccounts: the coordinator's development account does not sign in, so this
// platform is not a development one (or identity's DevSeed is off): nothing is seeded.
var ErrNoDemoAccounts = errors.New("demo: the development coordinator account does not sign in (identity's DevSeed is off)")

// Summary says what the demo programme holds.
type Summary struct {
	// Already is true when an earlier run seeded it: nothing was created this time.
	Already bool
	// The stay under way: its contract's id and its incident's.
	ContractID, IncidentID string
}

// Options tune a seed; the zero value is what `make run` uses.
type Options struct {
	// Wait bounds each wait for events to travel between services (default 60 s).
	Wait time.Duration
	// Now is today's clock (default time.Now).
	Now func() time.Time
	// HTTP is the client (default: a 30 s timeout).
	HTTP *http.Client
}

// incidentText is the stay's incident: its presence says the seed went to the end.
const incidentText = "Le radiateur de ma chambre ne chauffe plus depuis trois jours. " + Tag

// Seed fills the demo programme of the platform at base (the gateway's URL) unless an earlier
// run did. Errors: ErrNoDemoAccounts, or the first API call that failed.
func Seed(ctx context.Context, base string, log *slog.Logger, o Options) (Summary, error) {
	if o.Wait <= 0 {
		o.Wait = 60 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	anon := &client{base: strings.TrimRight(base, "/"), http: o.HTTP}
	token, err := anon.login(ctx, CoordinatorEmail, CoordinatorPassword)
	if err != nil {
		if s := statusOf(err); s == http.StatusUnauthorized || s == http.StatusNotFound || s == http.StatusForbidden {
			return Summary{}, ErrNoDemoAccounts
		}
		return Summary{}, fmt.Errorf("demo: coordinator sign-in: %w", err)
	}
	// Dates are counted on the local calendar, as the services count "today" (date.Of of
	// their clock): a move-in "today" in UTC could be yesterday for them near midnight.
	s := &seeder{anon: anon, coord: anon.as(token), log: log, o: o, now: o.Now(),
		hostIDs: map[string]string{}, roomIDs: map[string]string{}, studentIDs: map[string]string{}, tokens: map[string]string{}}
	// The development coordinator belongs to the demo programme; anything else is not the
	// platform this seed is for.
	var me struct {
		ProgrammeID string `json:"programmeId"`
	}
	if err := s.coord.get(ctx, "/v1/me", &me); err != nil {
		return Summary{}, fmt.Errorf("demo: who is the coordinator: %w", err)
	}
	if me.ProgrammeID != ProgrammeID {
		return Summary{}, fmt.Errorf("demo: %s coordinates programme %q, not %q: nothing seeded", CoordinatorEmail, me.ProgrammeID, ProgrammeID)
	}
	if sum, done, err := s.finished(ctx); err != nil || done {
		return sum, err
	}
	start := time.Now()
	log.Info("demo: seeding the demo programme through the REST API")
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"accounts", s.accounts},
		{"hosts and rooms", s.hosts},
		{"students and applications", s.students},
		{"proposal", s.proposal},
		{"meeting", s.meeting},
		{"stay", s.stay},
	}
	for _, st := range steps {
		if err := st.run(ctx); err != nil {
			return Summary{}, fmt.Errorf("demo: %s: %w", st.name, err)
		}
	}
	log.Info("demo: seeded", "took", time.Since(start).Round(time.Millisecond))
	return s.sum, nil
}

type seeder struct {
	anon, coord *client
	log         *slog.Logger
	o           Options
	now         time.Time
	// Ids by spec key, and the people's tokens by email.
	hostIDs, roomIDs, studentIDs, tokens map[string]string
	sum                                  Summary
}

func (s *seeder) day(days int) string { return s.now.AddDate(0, 0, days).Format(time.DateOnly) }

// finished looks for the stay's incident, written last.
func (s *seeder) finished(ctx context.Context) (Summary, bool, error) {
	var r struct {
		Incidents []struct {
			ID          string `json:"id"`
			ContractID  string `json:"contractId"`
			Description string `json:"description"`
		} `json:"incidents"`
		NextPageToken string `json:"nextPageToken"`
	}
	path := "/v1/incidents?pageSize=100"
	for range 100 {
		if err := s.coord.get(ctx, path, &r); err != nil {
			return Summary{}, false, fmt.Errorf("demo: look for an earlier seed: %w", err)
		}
		for _, in := range r.Incidents {
			if in.Description == incidentText {
				return Summary{Already: true, ContractID: in.ContractID, IncidentID: in.ID}, true, nil
			}
		}
		if r.NextPageToken == "" {
			break
		}
		path = "/v1/incidents?pageSize=100&pageToken=" + r.NextPageToken
		r.Incidents, r.NextPageToken = nil, ""
	}
	return Summary{}, false, nil
}

// accounts signs the people with an account in, signing them up on the first run.
func (s *seeder) accounts(ctx context.Context) error {
	for _, a := range Accounts {
		token, err := s.anon.login(ctx, a.Email, a.Password)
		if statusOf(err) == http.StatusUnauthorized {
			role := "ROLE_HOST"
			if a.Role == "student" {
				role = "ROLE_STUDENT"
			}
			if err := s.anon.post(ctx, "/v1/auth/signup", map[string]string{
				"email": a.Email, "password": a.Password, "role": role, "programmeId": ProgrammeID}, nil); err != nil {
				return fmt.Errorf("sign up %s: %w", a.Email, err)
			}
			token, err = s.anon.login(ctx, a.Email, a.Password)
		}
		if err != nil {
			return fmt.Errorf("sign in %s: %w", a.Email, err)
		}
		s.tokens[a.Email] = token
	}
	return nil
}

// by returns the client acting for a person: herself when she has an account, else the
// coordinator on her behalf.
func (s *seeder) by(a *Account) *client {
	if a == nil {
		return s.coord
	}
	return s.coord.as(s.tokens[a.Email])
}

type record struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func (s *seeder) hosts(ctx context.Context) error {
	for _, h := range hosts {
		body := map[string]any{
			"displayName": h.name + " " + Tag, "birthDate": h.birth, "phone": h.phone,
			"email": h.key + ".hote@demo.cohabit.test",
			"address": map[string]any{"line1": h.addr.line1, "postcode": h.addr.postcode, "city": h.addr.city,
				"lat": h.addr.lat, "lng": h.addr.lng},
			"languages": h.languages, "servicesWanted": h.services, "hoursWantedPerWeek": h.hours,
			"nightsWantedPerWeek": h.nights, "rhythm": h.rhythm,
		}
		if h.account != nil {
			body["email"] = h.account.Email
		} else {
			body["assisted"], body["consentRecorded"] = true, true
		}
		var host record
		if err := s.by(h.account).post(ctx, withRequestID("/v1/hosts", "demo-host-"+h.key), body, &host); err != nil {
			return fmt.Errorf("register %s: %w", h.name, err)
		}
		s.hostIDs[h.key] = host.ID
		if host.Status == "HOST_STATUS_PENDING_VERIFICATION" && !h.unverified {
			if err := s.coord.post(ctx, "/v1/hosts/"+host.ID+":verify", nil, nil); err != nil {
				return fmt.Errorf("verify %s: %w", h.name, err)
			}
		}
		if h.room == nil {
			continue
		}
		r := h.room
		room := map[string]any{
			"title": r.title, "description": r.description + " " + Tag, "areaM2": r.areaM2, "floor": r.floor,
			"elevator": r.elevator, "furnished": true, "privateBathroom": r.privateBathroom,
			"monthlyContributionCents": r.contributionCents, "sharedSpaces": r.sharedSpaces,
			"availableFrom": s.day(r.fromDays),
		}
		if r.untilMonths > 0 {
			room["availableUntil"] = s.now.AddDate(0, r.untilMonths, 0).Format(time.DateOnly)
		}
		var rm record
		if err := s.coord.post(ctx, withRequestID("/v1/hosts/"+host.ID+"/rooms", "demo-room-"+h.key), room, &rm); err != nil {
			return fmt.Errorf("%s's room: %w", h.name, err)
		}
		s.roomIDs[h.key] = rm.ID
		if rm.Status == "ROOM_STATUS_DRAFT" && !r.draft {
			if err := s.coord.post(ctx, "/v1/rooms/"+rm.ID+":publish", nil, nil); err != nil {
				return fmt.Errorf("publish %s's room: %w", h.name, err)
			}
		}
	}
	return nil
}

func (s *seeder) students(ctx context.Context) error {
	for _, st := range students {
		email := st.key + ".etudiant@demo.cohabit.test"
		if st.account != nil {
			email = st.account.Email
		}
		body := map[string]any{
			"displayName": st.name + " " + Tag, "birthDate": st.birth, "email": email, "phone": st.phone,
			"institution": st.institution, "studies": st.studies,
			"studyPlace":   map[string]any{"lat": st.lat, "lng": st.lng, "city": st.studyCity},
			"maxCommuteKm": st.maxCommuteKm, "languages": st.languages, "gender": st.gender,
			"servicesOffered": st.services, "hoursOfferedPerWeek": st.hours, "nightsPresentPerWeek": st.nights,
			"rhythm": st.rhythm, "motivation": st.motivation + " " + Tag,
		}
		var stu record
		if err := s.by(st.account).post(ctx, withRequestID("/v1/students", "demo-student-"+st.key), body, &stu); err != nil {
			return fmt.Errorf("register %s: %w", st.name, err)
		}
		s.studentIDs[st.key] = stu.ID
		if st.unverified {
			continue
		}
		if stu.Status == "STUDENT_STATUS_PENDING_VERIFICATION" {
			if err := s.coord.post(ctx, "/v1/students/"+stu.ID+":verify", nil, nil); err != nil {
				return fmt.Errorf("verify %s: %w", st.name, err)
			}
		}
		if st.noApplication {
			continue
		}
		in := s.now.AddDate(0, 0, st.moveInDays)
		app := map[string]any{
			"budgetCents": st.budgetCents, "moveInDate": in.Format(time.DateOnly),
			"moveOutDate": in.AddDate(0, st.stayMonths, 0).Format(time.DateOnly),
		}
		if err := s.by(st.account).post(ctx, withRequestID("/v1/students/"+stu.ID+"/applications", "demo-application-"+st.key), app, nil); err != nil {
			return fmt.Errorf("%s's application: %w", st.name, err)
		}
	}
	return nil
}

type match struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	HostAccepted  bool   `json:"hostAccepted"`
	StudentAccept bool   `json:"studentAccepted"`
}

// propose creates the match of a host's room and a student, once matching's pool holds
// both (it learns of them through events).
func (s *seeder) propose(ctx context.Context, host, student string) (match, error) {
	var m match
	err := eventually(ctx, s.o.Wait, func() error {
		return s.coord.post(ctx, "/v1/matches", map[string]any{
			"roomId": s.roomIDs[host], "studentId": s.studentIDs[student], "requestId": "demo-match-" + host + "-" + student,
		}, &m)
	})
	if err != nil {
		return m, fmt.Errorf("propose %s's room to %s: %w", host, student, err)
	}
	return m, nil
}

// proposal: Lucien's room proposed to Inès, waiting for the meeting to be set.
func (s *seeder) proposal(ctx context.Context) error {
	_, err := s.propose(ctx, "lucien", "ines")
	return err
}

// meeting: Jeanne's room and Léa, who meet in three days; the coordinator recorded Jeanne's
// yes (she has no account); Léa's answer is hers to give.
func (s *seeder) meeting(ctx context.Context) error {
	m, err := s.propose(ctx, "jeanne", "lea")
	if err != nil {
		return err
	}
	if m.Status == "MATCH_STATUS_PROPOSED" {
		at := time.Date(s.now.Year(), s.now.Month(), s.now.Day()+3, 13, 30, 0, 0, time.UTC)
		if err := s.coord.post(ctx, "/v1/matches/"+m.ID+":scheduleMeeting", map[string]any{"meetingAt": at.Format(time.RFC3339)}, &m); err != nil {
			return fmt.Errorf("schedule the meeting: %w", err)
		}
	}
	if m.Status == "MATCH_STATUS_MEETING_SCHEDULED" && !m.HostAccepted {
		if err := s.coord.post(ctx, "/v1/matches/"+m.ID+":accept", map[string]any{"party": "PARTY_HOST"}, nil); err != nil {
			return fmt.Errorf("record Jeanne's yes: %w", err)
		}
	}
	return nil
}

// stay: Monique and Hugo met, both said yes, the coordinator approved; the contract the
// events drafted was sent and signed by each of them; the first check-in is done; Hugo
// reported an incident.
func (s *seeder) stay(ctx context.Context) error {
	m, err := s.propose(ctx, "monique", "hugo")
	if err != nil {
		return err
	}
	monique, hugo := s.by(&Monique), s.by(&Hugo)
	if m.Status == "MATCH_STATUS_PROPOSED" {
		// A meeting is set in the future; they met this morning in the story, and the
		// answers follow at once, as the rules allow.
		at := s.now.Add(2 * time.Minute).Truncate(time.Minute)
		if err := s.coord.post(ctx, "/v1/matches/"+m.ID+":scheduleMeeting", map[string]any{"meetingAt": at.Format(time.RFC3339)}, &m); err != nil {
			return fmt.Errorf("schedule the meeting: %w", err)
		}
	}
	if m.Status == "MATCH_STATUS_MEETING_SCHEDULED" {
		// Each answers for herself; matching learns who owns which record through events,
		// so the first try may be refused.
		if !m.HostAccepted {
			if err := eventually(ctx, s.o.Wait, func() error {
				return monique.post(ctx, "/v1/matches/"+m.ID+":accept", nil, &m)
			}); err != nil {
				return fmt.Errorf("Monique's yes: %w", err)
			}
		}
		if m.Status == "MATCH_STATUS_MEETING_SCHEDULED" && !m.StudentAccept {
			if err := eventually(ctx, s.o.Wait, func() error {
				return hugo.post(ctx, "/v1/matches/"+m.ID+":accept", nil, &m)
			}); err != nil {
				return fmt.Errorf("Hugo's yes: %w", err)
			}
		}
	}
	if m.Status == "MATCH_STATUS_ACCEPTED" {
		if err := s.verifyDocuments(ctx, m.ID); err != nil {
			return err
		}
		if err := s.coord.post(ctx, "/v1/matches/"+m.ID+":approve", nil, &m); err != nil {
			return fmt.Errorf("approve: %w", err)
		}
	}
	if m.Status != "MATCH_STATUS_APPROVED" && m.Status != "MATCH_STATUS_COMPLETED" {
		return fmt.Errorf("the stay's match is %s, not approved", m.Status)
	}

	// The contract is drafted by contracts when it hears of the approval.
	var c contract
	err = eventually(ctx, s.o.Wait, func() error {
		var r struct {
			Contracts []contract `json:"contracts"`
		}
		if err := s.coord.get(ctx, "/v1/contracts?matchId="+m.ID, &r); err != nil {
			return err
		}
		if len(r.Contracts) == 0 {
			return errNotYet
		}
		c = r.Contracts[0]
		return nil
	})
	if err != nil {
		return fmt.Errorf("the contract drafted from the approval: %w", err)
	}
	s.sum.ContractID = c.ID
	if c.Status == "CONTRACT_STATUS_DRAFT" {
		if err := s.coord.post(ctx, "/v1/contracts/"+c.ID+":send", nil, &c); err != nil {
			return fmt.Errorf("send the contract: %w", err)
		}
	}
	for _, p := range []struct {
		party string
		who   *client
	}{{"PARTY_HOST", monique}, {"PARTY_STUDENT", hugo}} {
		if c.Status != "CONTRACT_STATUS_AWAITING_SIGNATURES" || c.signed(p.party) {
			continue
		}
		// Each signs for herself, electronically; the parties learn of their contract
		// through events, so the first try may not find it yet.
		if err := eventually(ctx, s.o.Wait, func() error {
			return p.who.post(ctx, "/v1/contracts/"+c.ID+":sign", nil, &c)
		}); err != nil {
			return fmt.Errorf("%s signs: %w", p.party, err)
		}
	}
	if c.Status != "CONTRACT_STATUS_ACTIVE" {
		return fmt.Errorf("the stay's contract is %s, not active", c.Status)
	}
	if err := s.firstCheckin(ctx, c.ID); err != nil {
		return err
	}
	var in record
	if err := hugo.post(ctx, "/v1/contracts/"+c.ID+"/incidents", map[string]any{
		"severity": "SEVERITY_MEDIUM", "category": "HOUSING", "description": incidentText, "requestId": "demo-incident-hugo",
	}, &in); err != nil {
		return fmt.Errorf("Hugo reports the incident: %w", err)
	}
	s.sum.IncidentID = in.ID
	return nil
}

type contract struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Signatures []struct {
		Party string `json:"party"`
	} `json:"signatures"`
}

func (c contract) signed(party string) bool {
	for _, sg := range c.Signatures {
		if sg.Party == party {
			return true
		}
	}
	return false
}

// firstCheckin: the coordinator completes the first check-in (a visit) once the activation
// has scheduled them.
func (s *seeder) firstCheckin(ctx context.Context, contractID string) error {
	type checkin struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		DueDate string `json:"dueDate"`
	}
	var first checkin
	err := eventually(ctx, s.o.Wait, func() error {
		var r struct {
			Checkins []checkin `json:"checkins"`
		}
		if err := s.coord.get(ctx, "/v1/checkins?contractId="+contractID, &r); err != nil {
			return err
		}
		if len(r.Checkins) == 0 {
			return errNotYet
		}
		first = r.Checkins[0]
		for _, ck := range r.Checkins[1:] {
			if ck.DueDate < first.DueDate {
				first = ck
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("the check-ins scheduled on activation: %w", err)
	}
	if first.Status != "CHECKIN_STATUS_DUE" {
		return nil
	}
	if err := s.coord.post(ctx, "/v1/checkins/"+first.ID+":complete", map[string]any{
		"method": "CHECKIN_METHOD_VISIT", "hostWellbeing": 5, "studentWellbeing": 4,
		"notes": "Installation faite ; Monique et Hugo ont fixé ensemble les soirées de présence. " + Tag,
	}, nil); err != nil {
		return fmt.Errorf("complete the first check-in: %w", err)
	}
	return nil
}
