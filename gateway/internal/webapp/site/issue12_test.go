package site

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// The tests of issue 12's findings that are the web application's: each fails on the pages
// as they were and passes now.

// Finding 10: a service's refusal is said in the person's language, from its field and
// reason, never in the service's English.
func TestRefusalsAreSaidInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	form := url.Values{
		"displayName": {"Zoé Cachée"}, "postcode": {"69002"}, "city": {"Lyon"}, "languages": {"français, en"},
		"consentRecorded": {"on"}, "requestId": {"rq-1"},
	}
	r := b.post(t, "/coordinator/hosts", form)
	if r.code != http.StatusBadRequest {
		t.Fatalf("code %d", r.code)
	}
	for _, english := range []string{"two-letter", "item 0", "must be at most", "internalNote"} {
		if strings.Contains(r.body, english) {
			t.Errorf("the service's words reach the page: %q", english)
		}
	}
	if !strings.Contains(r.body, `id="f-languages-error"`) || !strings.Contains(r.body, "codes de deux lettres") {
		t.Error("the languages' refusal is not next to the field, in French")
	}
	if !strings.Contains(r.body, "Une information de cette fiche n’est pas acceptée") {
		t.Error("a refusal of a field the form does not show is not said over it")
	}
	b.setLang(t, "en")
	r = b.post(t, "/coordinator/hosts", form)
	if !strings.Contains(r.body, "two-letter codes, separated by commas") || strings.Contains(r.body, "item 0") {
		t.Error("the languages' refusal is not said in English")
	}
}

// Findings 4 and 7: the host and the student each see their match and contract at every
// step, in plain words with what they can do next; nothing stale (the host's contract does
// not vanish once she signs, an accepted proposal does not become "no proposal", a placed
// student is not told she may apply once verified nor offered to withdraw).
func TestHostAndStudentSeeTheirStayAtEveryStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	jeanne, lea := h.browser(t), h.browser(t)
	jeanne.login(t, "jeanne@example.org")
	lea.login(t, "lea@example.org")

	m := func(st matchingv1.MatchStatus, hostYes, studentYes bool) *matchingv1.Match {
		x := match("m-4", st)
		x.HostAccepted, x.StudentAccepted = hostYes, studentYes
		if st == matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED {
			x.MeetingTime = ts("2026-11-28T14:30:00Z")
		}
		return x
	}
	c := func(st contractsv1.ContractStatus, start string, signedBy ...matchingv1.Party) *contractsv1.Contract {
		x := fakeContract("c-2")
		x.Status, x.Terms.StartDate = st, start
		for _, p := range signedBy {
			x.Signatures = append(x.Signatures, &contractsv1.Signature{Party: p, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC, SignTime: ts("2026-11-24T18:00:00Z")})
		}
		if st == contractsv1.ContractStatus_CONTRACT_STATUS_NOTICE_GIVEN {
			x.Termination = &contractsv1.Termination{EffectiveDate: "2026-12-31", Reason: "Stage"}
		}
		return x
	}
	submitted := []*studentsv1.Application{{Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, BudgetCents: 20000, MoveInDate: "2027-01-15"}}
	matched := []*studentsv1.Application{{Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, BudgetCents: 20000, MoveInDate: "2027-01-15"}}
	placed := proto.Clone(studentLea).(*studentsv1.Student)
	placed.Status = studentsv1.StudentStatus_STUDENT_STATUS_PLACED
	host1, student1 := matchingv1.Party_PARTY_HOST, matchingv1.Party_PARTY_STUDENT
	active := contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE

	for _, step := range []struct {
		name      string
		matches   []*matchingv1.Match
		contracts []*contractsv1.Contract
		record    *studentsv1.Student
		apps      []*studentsv1.Application
		// What each page says and offers (must), and must not.
		host, hostNot, student, studentNot []string
	}{
		{"proposed", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_PROPOSED, false, false)}, nil, nil, submitted,
			[]string{"L’association vous propose Léa Bernard.", `action="/host/matches/m-4/decline"`}, []string{"J’accepte", "Pas de proposition"},
			[]string{"L’association vous propose une chambre chez Jeanne Martin.", `/student/applications/a-1/withdraw`}, []string{"J’accepte"}},
		{"meeting", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED, false, false)}, nil, nil, submitted,
			[]string{"Vous rencontrez Léa Bernard le 28 novembre 2026 à 15:30.", `action="/host/matches/m-4/accept"`}, nil,
			[]string{"Vous rencontrez Jeanne Martin le 28 novembre 2026 à 15:30.", `action="/student/matches/m-4/accept"`}, nil},
		{"host said yes", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED, true, false)}, nil, nil, submitted,
			[]string{"Vous avez accepté. L’association attend la réponse de Léa Bernard."}, []string{`action="/host/matches/m-4/accept"`},
			[]string{`action="/student/matches/m-4/accept"`}, []string{"Vous avez accepté."}},
		{"both said yes", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED, true, true)}, nil, nil, submitted,
			[]string{"Vous avez accepté tous les deux."}, []string{"Pas de proposition", "J’accepte"},
			[]string{"Vous avez accepté tous les deux.", "Votre demande a trouvé une chambre"}, []string{"attend la réponse", "/withdraw", "J’accepte"}},
		{"approved", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_APPROVED, true, true)}, nil, nil, matched,
			[]string{"La mise en relation avec Léa Bernard est validée. L’association prépare votre convention."}, []string{"Pas de proposition"},
			[]string{"La mise en relation avec Jeanne Martin est validée.", "Votre demande a trouvé une chambre"}, []string{"attend la réponse", "/withdraw", "une fois votre profil vérifié"}},
		{"draft", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_APPROVED, true, true)}, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT, "2027-01-15")}, nil, matched,
			[]string{"L’association prépare votre convention avec Léa Bernard (arrivée prévue le 15 janvier 2027)."}, []string{"/sign", `/document"`},
			[]string{"L’association prépare votre convention chez Jeanne Martin"}, []string{"/sign", "/withdraw"}},
		{"awaiting signatures", nil, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES, "2027-01-15")}, nil, matched,
			[]string{"Votre convention est prête.", `action="/host/contracts/c-2/sign"`, `href="/contracts/c-2/document"`}, nil,
			[]string{"Votre convention est prête.", `action="/student/contracts/c-2/sign"`}, nil},
		{"signed by the host", nil, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES, "2027-01-15", host1)}, nil, matched,
			[]string{"Vous avez signé. La convention prend effet quand Léa Bernard aura signé aussi.", `href="/contracts/c-2/document"`}, []string{"/sign", "Pas de convention"},
			[]string{`action="/student/contracts/c-2/sign"`}, []string{"Vous avez signé."}},
		{"signed by the student", nil, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES, "2027-01-15", student1)}, nil, matched,
			[]string{`action="/host/contracts/c-2/sign"`}, nil,
			[]string{"Vous avez signé. La convention prend effet quand Jeanne Martin aura signé aussi."}, []string{"/sign"}},
		{"active, before the move-in", nil, []*contractsv1.Contract{c(active, "2027-01-15", host1, student1)}, placed, nil,
			[]string{"La convention est signée par vous deux. Léa Bernard arrive le 15 janvier 2027.", `href="/host/contracts/c-2/incident"`}, []string{"/sign"},
			[]string{"Vous arrivez chez Jeanne Martin le 15 janvier 2027.", "Votre demande a abouti : vous êtes logé·e chez Jeanne Martin."},
			[]string{"une fois votre profil vérifié", "/withdraw", "Déposer ma demande", "Pas encore de proposition"}},
		{"active", nil, []*contractsv1.Contract{c(active, "2026-10-01", host1, student1)}, placed, nil,
			[]string{"Léa Bernard habite chez vous. La convention court jusqu’au 30 juin 2027."}, nil,
			[]string{"Vous habitez chez Jeanne Martin. La convention court jusqu’au 30 juin 2027.", `href="/student/contracts/c-2/incident"`}, []string{"une fois votre profil vérifié"}},
		{"notice", nil, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_NOTICE_GIVEN, "2026-10-01", host1, student1)}, placed, nil,
			[]string{"le séjour de Léa Bernard se termine le 31 décembre 2026."}, nil,
			[]string{"votre séjour chez Jeanne Martin se termine le 31 décembre 2026."}, nil},
		{"ended", []*matchingv1.Match{m(matchingv1.MatchStatus_MATCH_STATUS_COMPLETED, true, true)}, []*contractsv1.Contract{c(contractsv1.ContractStatus_CONTRACT_STATUS_ENDED, "2026-10-01", host1, student1)}, nil, nil,
			[]string{"Le séjour de Léa Bernard s’est terminé le 30 juin 2027."}, []string{"/incident"},
			[]string{"Votre séjour chez Jeanne Martin s’est terminé le 30 juin 2027.", `href="/student/apply"`}, []string{"/incident"}},
	} {
		h.be.sc.stage(step.matches, step.contracts, step.record, step.apps)
		check := func(who string, b *browser, path string, must, mustNot []string) {
			r := b.get(t, path)
			if r.code != http.StatusOK {
				t.Fatalf("%s, %s: code %d", step.name, who, r.code)
			}
			for _, s := range must {
				if !strings.Contains(r.body, s) {
					t.Errorf("%s: the %s's home lacks %q", step.name, who, s)
				}
			}
			for _, s := range mustNot {
				if strings.Contains(r.body, s) {
					t.Errorf("%s: the %s's home says %q", step.name, who, s)
				}
			}
		}
		check("host", jeanne, "/host", step.host, step.hostNot)
		check("student", lea, "/student", step.student, step.studentNot)
	}
}

// Finding 6: a completed check-in shows what was recorded, and its concern stays on the
// dashboard until an incident answers it (opened from the check-in's page).
func TestCheckinShowsWhatWasRecordedAndItsConcernStaysUntilHandled(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/checkins/ci-5?contract=c-9")
	for _, s := range []string{"Ce qui a été noté", "Visite", "2 — Plutôt mal", "4 — Bien", "Marcel dort mal depuis sa chute.", "inquiétude signalée", "(fait en retard)",
		`action="/coordinator/checkins/ci-5/incident"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("done check-in lacks %q", s)
		}
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("check-in page: %v", p)
	}

	// The dashboard keeps ci-5's concern (no incident since), not ci-6's (i-1 on c-3 came
	// after it), nor a check-in done without one.
	r = b.get(t, "/coordinator")
	if !strings.Contains(r.body, `href="/coordinator/checkins/ci-5?contract=c-9"`) || !strings.Contains(r.body, "inquiétudes à traiter") {
		t.Error("the open concern is not on the dashboard")
	}
	if strings.Contains(r.body, "/coordinator/checkins/ci-6") || strings.Contains(r.body, "/coordinator/checkins/ci-7") {
		t.Error("a handled concern, or a check-in without one, is on the dashboard")
	}
	if r := b.get(t, "/coordinator/checkins/ci-6?contract=c-3"); !strings.Contains(r.body, "Un incident a été ouvert depuis ce suivi") || strings.Contains(r.body, "/incident\"") {
		t.Error("a handled concern still offers an incident")
	}

	// Opening the incident: a description the parties may read is required.
	if r := b.post(t, "/coordinator/checkins/ci-5/incident", url.Values{"contract": {"c-9"}, "severity": {"SEVERITY_HIGH"}, "description": {" "}}); r.code != http.StatusBadRequest ||
		!strings.Contains(r.body, `id="f-description-error"`) {
		t.Errorf("empty description: %d", r.code)
	}
	r = b.post(t, "/coordinator/checkins/ci-5/incident", url.Values{"contract": {"c-9"}, "severity": {"SEVERITY_HIGH"}, "description": {"Point à faire sur le sommeil de Marcel"}, "requestId": {"rq-9"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/incidents" {
		t.Fatalf("open incident: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("CreateIncident")
	if len(c) != 1 {
		t.Fatalf("CreateIncident calls: %d", len(c))
	}
	if in := c[0].req.(*contractsv1.CreateIncidentRequest); in.GetContractId() != "c-9" || in.GetSeverity() != contractsv1.Severity_SEVERITY_HIGH || in.GetRequestId() != "rq-9" ||
		strings.Contains(in.GetDescription(), "dort mal") || c[0].auth != "Bearer tok-coord" {
		t.Errorf("CreateIncident: %v", in)
	}
}

// Finding 9: the incidents page counts what it shows under the state it shows (resolved ones
// are not "open"), and each incident names its pair, with links to the host and the student.
func TestIncidentsAreCountedByTheirStateAndNameTheirPair(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED")
	if !strings.Contains(r.body, "Incidents résolus, par gravité") || strings.Contains(r.body, "ouverts par gravité") {
		t.Error("resolved incidents are counted as open")
	}
	for _, s := range []string{`href="/coordinator/hosts/h-1">Jeanne Martin</a>`, `href="/coordinator/students/s-1">Léa Bernard</a>`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the incident does not name its pair: %q", s)
		}
	}
	r = b.get(t, "/coordinator/incidents")
	if !strings.Contains(r.body, "Incidents non résolus, par gravité") || !strings.Contains(r.body, `href="/coordinator/students/s-1">Léa Bernard</a>`) {
		t.Error("unresolved incidents: caption or pair missing")
	}
	if r := b.get(t, "/coordinator"); !strings.Contains(r.body, `href="/coordinator/hosts/h-1">Jeanne Martin</a> · <a href="/coordinator/students/s-1">Léa Bernard</a>`) {
		t.Error("the dashboard's incidents do not name their pair")
	}
}

// Finding 11: no message claims more than is sent. The notifications service now tells both
// parties of a proposal, of a contract to sign and of its cancellation (by email or SMS as
// they chose, or on the coordinator's call list): the messages say so, and say where a
// person without email or SMS goes; nothing says "sent to the host and the student" as if
// the platform had done it alone before that service existed.
func TestNoMessageClaimsSomethingWasSent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	b.post(t, "/coordinator/rooms/r-1/propose", url.Values{"studentId": {"s-1"}, "requestId": {"rq-1"}, "next": {"/coordinator/rooms/r-1/candidates"}})
	r := b.get(t, "/coordinator/rooms/r-1/candidates")
	if strings.Contains(r.body, "est envoyée à l’hôte et à l’étudiant") || !strings.Contains(r.body, "liste d’appels") {
		t.Error("the proposal's message does not say who is told and how")
	}
	b.post(t, "/coordinator/contracts/c-2/send", nil)
	r = b.get(t, "/coordinator/contracts/c-2")
	if strings.Contains(r.body, "envoyée pour signature") || !strings.Contains(r.body, "liste d’appels") {
		t.Error("the contract's message does not say who is told and how")
	}
	for _, key := range []string{"cand.proposed", "contract.sent"} {
		for _, lang := range []string{"fr", "en"} {
			if s := h.app.Cat.Loc(lang, h.app.TZ).T(key); strings.Contains(s, "est envoyée à") || strings.Contains(s, " is sent to") {
				t.Errorf("%s (%s) claims the platform sent it: %q", key, lang, s)
			}
		}
	}
}

// Finding 5: the coordinator records a paper or in-person signature for either party, with
// or without an account (the host's page promises it to a host who has one).
func TestCoordinatorRecordsAPaperSignatureForEitherParty(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	// c-4: neither has signed; the host is not the assisted kind of the old rule.
	r := b.get(t, "/coordinator/contracts/c-4")
	for _, s := range []string{`action="/coordinator/contracts/c-4/sign"`, `value="PARTY_HOST"`, `value="PARTY_STUDENT"`, `value="SIGNATURE_METHOD_IN_PERSON"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("contract page lacks %q", s)
		}
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("contract page: %v", p)
	}
	// c-1: the student signed; only the host is left, preselected.
	if r := b.get(t, "/coordinator/contracts/c-1"); strings.Contains(r.body, `value="PARTY_STUDENT"`) || !strings.Contains(r.body, `value="PARTY_HOST" checked`) {
		t.Error("a party who signed is offered, or the one left is not preselected")
	}
	// Who signed is required.
	if r := b.post(t, "/coordinator/contracts/c-4/sign", url.Values{"method": {"SIGNATURE_METHOD_PAPER"}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-signParty-error"`) {
		t.Errorf("no party: %d", r.code)
	}
	for _, p := range []matchingv1.Party{matchingv1.Party_PARTY_STUDENT, matchingv1.Party_PARTY_HOST} {
		if r := b.post(t, "/coordinator/contracts/c-4/sign", url.Values{"method": {"SIGNATURE_METHOD_IN_PERSON"}, "signParty": {p.String()}}); r.code != http.StatusSeeOther {
			t.Errorf("sign for %s: %d", p, r.code)
		}
	}
	c := h.be.rec.called("SignContract")
	if len(c) != 2 || c[0].req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_STUDENT ||
		c[1].req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON {
		t.Errorf("SignContract: %v", c)
	}
}

// Finding 12: a session slides while the person is active (past half its life, a page
// refreshes the token), and a form posted after it ended is kept (a signed cookie, not the
// URL) and posted again, for the same account, once she signs in.
func TestSessionsSlideAndAFormPostedAfterExpiryIsKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	u, _ := url.Parse(h.srv.URL)

	// Fresh: no refresh.
	b.get(t, "/coordinator")
	if n := len(h.be.rec.called("RefreshToken")); n != 0 {
		t.Errorf("refreshed a fresh token %d times", n)
	}
	// Past half its life (issued 50 minutes ago, 10 left): the page refreshes it.
	now := fixedNow // the application's clock
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieExp, Value: fmt.Sprintf("%d-%d", now.Add(-50*time.Minute).Unix(), now.Add(10*time.Minute).Unix()), Path: "/"}})
	r := b.get(t, "/coordinator")
	if c := h.be.rec.called("RefreshToken"); len(c) != 1 || c[0].auth != "Bearer tok-coord" {
		t.Fatalf("RefreshToken calls: %v", c)
	}
	if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), "\n"), webapp.CookieSession+"=tok-coord") {
		t.Error("the refreshed token is not kept in the session cookie")
	}
	if exp := b.cookie(webapp.CookieExp); exp == "" || strings.HasSuffix(exp, fmt.Sprint(now.Add(10*time.Minute).Unix())) {
		t.Errorf("the session's times are not renewed: %q", exp)
	}

	// The session ends (the browser drops its cookie); a form posted then is kept.
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "", Path: "/", MaxAge: -1}})
	form := url.Values{"sharedSpaces": {"cuisine"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit"}, "contribution": {"120"}, "etag": {"e-1"}}
	r = b.post(t, "/coordinator/contracts/c-2/terms", form)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/login" || strings.Contains(r.header.Get("Location"), "Calme") {
		t.Fatalf("expired post: %d to %q", r.code, r.header.Get("Location"))
	}
	if len(h.be.rec.called("UpdateContract")) != 0 {
		t.Fatal("posted without a session")
	}
	if r := b.get(t, "/login"); !strings.Contains(r.body, "Votre session a expiré") {
		t.Error("the sign-in page does not say the form is kept")
	}
	kept := b.cookie(webapp.CookieReplay)
	if kept == "" {
		t.Fatal("no form kept")
	}
	// Signing in posts it, with her new session: her terms are saved.
	r = b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/contracts/c-2" {
		t.Fatalf("after sign-in: %d to %q\n%s", r.code, r.header.Get("Location"), r.body)
	}
	c := h.be.rec.called("UpdateContract")
	if len(c) != 1 || c[0].auth != "Bearer tok-coord" || c[0].req.(*contractsv1.UpdateContractRequest).GetContract().GetTerms().GetHouseRules() != "Calme après 22 h" {
		t.Fatalf("UpdateContract after sign-in: %v", c)
	}
	if r := b.get(t, "/coordinator/contracts/c-2"); !strings.Contains(r.body, "Les conditions sont enregistrées.") {
		t.Error("no confirmation after the kept form was posted")
	}
	if b.cookie(webapp.CookieReplay) != "" {
		t.Error("the kept form is posted twice")
	}

	// Kept for the same account only, and never a forged one.
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieReplay, Value: kept[:len(kept)-3] + "xyz", Path: "/"}})
	r = b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.header.Get("Location") != "/coordinator" || len(h.be.rec.called("UpdateContract")) != 1 {
		t.Errorf("a forged form was posted: to %q", r.header.Get("Location"))
	}
	other := h.browser(t)
	other.login(t, "jeanne@example.org")
	other.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "", Path: "/", MaxAge: -1}})
	other.post(t, "/host/profile/edit", url.Values{"phone": {"0600000000"}})
	r = other.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.header.Get("Location") != "/coordinator" || len(h.be.rec.called("UpdateHost")) != 0 {
		t.Errorf("another account's form was posted: to %q", r.header.Get("Location"))
	}
}

// The amended contract rules in the coordinator's contract page (SPEC §2 as amended): every
// term of a draft, its dates and presence included; a contract awaiting signatures reopened
// to correct it; an active one cancelled before its start date; a date outside the room's
// availability refused next to its field, in the page's language.
func TestContractDraftDatesPresenceReopenAndCancelBeforeStart(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/contracts/c-2")
	for _, s := range []string{`name="startDate" type="date" value="2027-01-15"`, `name="endDate_terms" type="date" value="2027-06-30"`, `name="evenings" type="number" value="3"`, `name="hours" type="number" value="4"`, "La chambre est disponible du 1 janvier 2027 au 30 juin 2027"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("draft form lacks %s", s)
		}
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("draft page: %v", p)
	}
	form := url.Values{"sharedSpaces": {"cuisine"}, "houseRules": {""}, "entryInventory": {""}, "contribution": {"100"}, "etag": {"e-1"},
		"startDate": {"2027-02-01"}, "endDate_terms": {"2027-09-30"}, "evenings": {"2"}, "hours": {"3"}}
	r = b.post(t, "/coordinator/contracts/c-2/terms", form)
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-endDate-terms-error"`) || !strings.Contains(r.body, "disponible que jusqu’au 30 juin 2027") || strings.Contains(r.body, "availability ends") {
		t.Errorf("an end past the room's availability: %d", r.code)
	}
	form.Set("endDate_terms", "2027-06-15")
	if r := b.post(t, "/coordinator/contracts/c-2/terms", form); r.code != http.StatusSeeOther {
		t.Fatalf("terms: %d", r.code)
	}
	c := h.be.rec.called("UpdateContract")
	u := c[len(c)-1].req.(*contractsv1.UpdateContractRequest)
	if tm := u.GetContract().GetTerms(); tm.GetStartDate() != "2027-02-01" || tm.GetEndDate() != "2027-06-15" || tm.GetEveningsPerWeek() != 2 || tm.GetHoursPerWeek() != 3 ||
		!slices.Contains(u.GetUpdateMask().GetPaths(), "terms.end_date") || !slices.Contains(u.GetUpdateMask().GetPaths(), "terms.evenings_per_week") {
		t.Errorf("UpdateContract: %v", u)
	}

	// Awaiting signatures: reopened to correct, the page saying signatures are cleared.
	r = b.get(t, "/coordinator/contracts/c-1")
	if !strings.Contains(r.body, `action="/coordinator/contracts/c-1/reopen"`) || !strings.Contains(r.body, "les signatures déjà données sont effacées") {
		t.Error("no way to reopen a contract awaiting signatures")
	}
	if r := b.post(t, "/coordinator/contracts/c-1/reopen", url.Values{"etag": {"e-1"}}); r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/contracts/c-1" {
		t.Errorf("reopen: %d to %q", r.code, r.header.Get("Location"))
	}
	if c := h.be.rec.called("ReopenContract"); len(c) != 1 || c[0].req.(*contractsv1.ReopenContractRequest).GetEtag() != "e-1" {
		t.Errorf("ReopenContract: %v", c)
	}
	// Active before its start (c-3 starts on 15 January 2027): it may be cancelled.
	if r := b.get(t, "/coordinator/contracts/c-3"); !strings.Contains(r.body, `action="/coordinator/contracts/c-3/cancel"`) {
		t.Error("an active contract before its start cannot be cancelled")
	}
}

// Invitations and guardianship (SPEC §2–§3 as amended): a record without an account is
// invited from its page; the sign-up page reads ?code= and creates the account linked to the
// record (a code no longer good said in the person's language); a host under guardianship
// has her legal representative on the host forms.
func TestInvitationsAndGuardianship(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	for _, c := range []struct{ page, method string }{{"/coordinator/students/s-3", "InviteStudent"}, {"/coordinator/hosts/h-1", "InviteHost"}} {
		r := b.get(t, c.page)
		if !strings.Contains(r.body, `action="`+c.page+`/invite"`) {
			t.Errorf("%s: no invitation offered", c.page)
		}
		if r := b.post(t, c.page+"/invite", url.Values{"next": {c.page}}); r.code != http.StatusSeeOther || r.header.Get("Location") != c.page {
			t.Errorf("%s: invite %d to %q", c.page, r.code, r.header.Get("Location"))
		}
		if calls := h.be.rec.called(c.method); len(calls) != 1 || calls[0].auth != "Bearer tok-coord" {
			t.Errorf("%s: %v", c.method, calls)
		}
		if r := b.get(t, c.page); !strings.Contains(r.body, "L’invitation est créée") {
			t.Errorf("%s: no confirmation", c.page)
		}
	}

	// The sign-up page with an invitation's code: no role or programme to choose.
	v := h.browser(t)
	r := v.get(t, "/signup?code=good-code-123")
	if !strings.Contains(r.body, `name="inviteCode" value="good-code-123"`) || strings.Contains(r.body, `name="role"`) || strings.Contains(r.body, `name="programme"`) ||
		!strings.Contains(r.body, "Vous êtes invité·e par votre association") {
		t.Errorf("invited sign-up page:\n%s", r.body)
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("invited sign-up page: %v", p)
	}
	r = v.post(t, "/signup", url.Values{"email": {"camille@example.org"}, "password": {"a long password"}, "inviteCode": {"used-code"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "Ce lien d’invitation n’est plus valable") || strings.Contains(r.body, "not a valid invitation") {
		t.Errorf("a used code: %d", r.code)
	}
	v.post(t, "/signup", url.Values{"email": {"camille@example.org"}, "password": {"a long password"}, "inviteCode": {"good-code-123"}})
	s := h.be.rec.called("Signup")
	if last := s[len(s)-1].req.(*identityv1.SignupRequest); last.GetInviteCode() != "good-code-123" || last.GetRole() != typev1.Role_ROLE_UNSPECIFIED {
		t.Errorf("Signup: %v", last)
	}

	// Guardianship: the representative's fields, a missing name said next to it.
	r = b.get(t, "/coordinator/hosts/new")
	for _, f := range []string{`name="guardianship"`, `name="repName"`, `name="repRelationship"`, `name="repPhone"`, `name="repEmail"`} {
		if !strings.Contains(r.body, f) {
			t.Errorf("host form lacks %s", f)
		}
	}
	form := url.Values{"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"69002"}, "city": {"Lyon"}, "lat": {"45.75"}, "lng": {"4.83"},
		"consentRecorded": {"on"}, "guardianship": {"GUARDIANSHIP_CURATELLE"}, "repRelationship": {"sa fille"}, "repPhone": {"0611223344"}}
	r = b.post(t, "/coordinator/hosts", form)
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-repName-error"`) || !strings.Contains(r.body, "indiquez le nom du représentant légal") {
		t.Errorf("no representative's name: %d", r.code)
	}
	form.Set("repName", "Claire Roux")
	if r := b.post(t, "/coordinator/hosts", form); r.code != http.StatusSeeOther {
		t.Fatalf("host under curatelle: %d", r.code)
	}
	c := h.be.rec.called("CreateHost")
	if got := c[len(c)-1].req.(*hostsv1.CreateHostRequest).GetHost(); got.GetGuardianship() != hostsv1.Guardianship_GUARDIANSHIP_CURATELLE ||
		got.GetLegalRepresentative().GetName() != "Claire Roux" || got.GetLegalRepresentative().GetPhone() != "0611223344" {
		t.Errorf("CreateHost: %v", got)
	}
	if !slices.Contains(webapp.HostPaths, "legal_representative") || !slices.Contains(webapp.HostPaths, "guardianship") {
		t.Error("the host's edit form does not save the guardianship")
	}
}

// A contract links to its pair, its match and its check-ins; a match to its pair.
func TestContractAndMatchLinkTheirPairMatchAndCheckins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/contracts/c-3")
	for _, s := range []string{`href="/coordinator/hosts/h-1"`, `href="/coordinator/students/s-1"`, `href="/coordinator/matches/m-4"`, `href="/coordinator/checkins/ci-6?contract=c-3"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("contract page lacks %s", s)
		}
	}
	if r := b.get(t, "/coordinator/matches/m-4"); !strings.Contains(r.body, `href="/coordinator/hosts/h-1"`) || !strings.Contains(r.body, `href="/coordinator/students/s-1"`) {
		t.Error("match page does not link its pair")
	}
}
