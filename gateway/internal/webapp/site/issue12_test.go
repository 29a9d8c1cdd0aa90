package site_test

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
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

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
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	form := url.Values{
		"displayName": {"Zoé Cachée"}, "postcode": {"69002"}, "city": {"Lyon"}, "languages": {"français, en"},
		"consentRecorded": {"on"}, "requestId": {"rq-1"},
	}
	r := b.Post(t, "/coordinator/hosts", form)
	if r.Code != http.StatusBadRequest {
		t.Fatalf("code %d", r.Code)
	}
	for _, english := range []string{"two-letter", "item 0", "must be at most", "internalNote"} {
		if strings.Contains(r.Body, english) {
			t.Errorf("the service's words reach the page: %q", english)
		}
	}
	if !strings.Contains(r.Body, `id="f-languages-error"`) || !strings.Contains(r.Body, "codes de deux lettres") {
		t.Error("the languages' refusal is not next to the field, in French")
	}
	if !strings.Contains(r.Body, "Une information de cette fiche n’est pas acceptée") {
		t.Error("a refusal of a field the form does not show is not said over it")
	}
	b.SetLang(t, "en")
	r = b.Post(t, "/coordinator/hosts", form)
	if !strings.Contains(r.Body, "two-letter codes, separated by commas") || strings.Contains(r.Body, "item 0") {
		t.Error("the languages' refusal is not said in English")
	}
}

// Findings 4 and 7: the host and the student each see their match and contract at every
// step, in plain words with what they can do next; nothing stale (the host's contract does
// not vanish once she signs, an accepted proposal does not become "no proposal", a placed
// student is not told she may apply once verified nor offered to withdraw).
func TestHostAndStudentSeeTheirStayAtEveryStep(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	jeanne, lea := h.Browser(t), h.Browser(t)
	jeanne.Login(t, "jeanne@example.org")
	lea.Login(t, "lea@example.org")

	m := func(st matchingv1.MatchStatus, hostYes, studentYes bool) *matchingv1.Match {
		x := webapptest.Match("m-4", st)
		x.HostAccepted, x.StudentAccepted = hostYes, studentYes
		if st == matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED {
			x.MeetingTime = webapptest.Ts("2026-11-28T14:30:00Z")
		}
		return x
	}
	c := func(st contractsv1.ContractStatus, start string, signedBy ...matchingv1.Party) *contractsv1.Contract {
		x := webapptest.FakeContract("c-2")
		x.Status, x.Terms.StartDate = st, start
		for _, p := range signedBy {
			x.Signatures = append(x.Signatures, &contractsv1.Signature{Party: p, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC, SignTime: webapptest.Ts("2026-11-24T18:00:00Z")})
		}
		if st == contractsv1.ContractStatus_CONTRACT_STATUS_NOTICE_GIVEN {
			x.Termination = &contractsv1.Termination{EffectiveDate: "2026-12-31", Reason: "Stage"}
		}
		return x
	}
	submitted := []*studentsv1.Application{{Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, BudgetCents: 20000, MoveInDate: "2027-01-15"}}
	matched := []*studentsv1.Application{{Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, BudgetCents: 20000, MoveInDate: "2027-01-15"}}
	placed := proto.Clone(webapptest.StudentLea).(*studentsv1.Student)
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
		h.Be.Sc.Stage(step.matches, step.contracts, step.record, step.apps)
		check := func(who string, b *webapptest.Browser, path string, must, mustNot []string) {
			r := b.Get(t, path)
			if r.Code != http.StatusOK {
				t.Fatalf("%s, %s: code %d", step.name, who, r.Code)
			}
			for _, s := range must {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s: the %s's home lacks %q", step.name, who, s)
				}
			}
			for _, s := range mustNot {
				if strings.Contains(r.Body, s) {
					t.Errorf("%s: the %s's home says %q", step.name, who, s)
				}
			}
		}
		check("host", jeanne, "/host", step.host, step.hostNot)
		check("student", lea, "/student", step.student, step.studentNot)
	}
}

// Finding 11: no message claims more than is sent. The notifications service now tells both
// parties of a proposal, of a contract to sign and of its cancellation (by email or SMS as
// they chose, or on the coordinator's call list): the messages say so, and say where a
// person without email or SMS goes; nothing says "sent to the host and the student" as if
// the platform had done it alone before that service existed.
func TestNoMessageClaimsSomethingWasSent(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	b.Post(t, "/coordinator/rooms/r-1/propose", url.Values{"studentId": {"s-1"}, "requestId": {"rq-1"}, "next": {"/coordinator/rooms/r-1/candidates"}})
	r := b.Get(t, "/coordinator/rooms/r-1/candidates")
	if strings.Contains(r.Body, "est envoyée à l’hôte et à l’étudiant") || !strings.Contains(r.Body, "liste d’appels") {
		t.Error("the proposal's message does not say who is told and how")
	}
	b.Post(t, "/coordinator/contracts/c-2/send", nil)
	r = b.Get(t, "/coordinator/contracts/c-2")
	if strings.Contains(r.Body, "envoyée pour signature") || !strings.Contains(r.Body, "liste d’appels") {
		t.Error("the contract's message does not say who is told and how")
	}
	for _, key := range []string{"cand.proposed", "contract.sent"} {
		for _, lang := range []string{"fr", "en"} {
			if s := h.App.Cat.Loc(lang, h.App.TZ).T(key); strings.Contains(s, "est envoyée à") || strings.Contains(s, " is sent to") {
				t.Errorf("%s (%s) claims the platform sent it: %q", key, lang, s)
			}
		}
	}
}

// Finding 12: a session slides while the person is active (past half its life, a page
// refreshes the token), and a form posted after it ended is kept (a signed cookie, not the
// URL) and posted again, for the same account, once she signs in.
func TestSessionsSlideAndAFormPostedAfterExpiryIsKept(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	u, _ := url.Parse(h.Srv.URL)

	// Fresh: no refresh.
	b.Get(t, "/coordinator")
	if n := len(h.Be.Rec.Called("RefreshToken")); n != 0 {
		t.Errorf("refreshed a fresh token %d times", n)
	}
	// Past half its life (issued 50 minutes ago, 10 left): the page refreshes it.
	now := webapptest.FixedNow // the application's clock
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieExp, Value: fmt.Sprintf("%d-%d", now.Add(-50*time.Minute).Unix(), now.Add(10*time.Minute).Unix()), Path: "/"}})
	r := b.Get(t, "/coordinator")
	if c := h.Be.Rec.Called("RefreshToken"); len(c) != 1 || c[0].Auth != "Bearer tok-coord" {
		t.Fatalf("RefreshToken calls: %v", c)
	}
	if !strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), "\n"), webapp.CookieSession+"=tok-coord") {
		t.Error("the refreshed token is not kept in the session cookie")
	}
	if exp := b.Cookie(webapp.CookieExp); exp == "" || strings.HasSuffix(exp, fmt.Sprint(now.Add(10*time.Minute).Unix())) {
		t.Errorf("the session's times are not renewed: %q", exp)
	}

	// The session ends (the browser drops its cookie); a form posted then is kept.
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "", Path: "/", MaxAge: -1}})
	form := url.Values{"sharedSpaces": {"cuisine"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit"}, "contribution": {"120"}, "etag": {"e-1"}}
	r = b.Post(t, "/coordinator/contracts/c-2/terms", form)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" || strings.Contains(r.Header.Get("Location"), "Calme") {
		t.Fatalf("expired post: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if len(h.Be.Rec.Called("UpdateContract")) != 0 {
		t.Fatal("posted without a session")
	}
	if r := b.Get(t, "/login"); !strings.Contains(r.Body, "Votre session a expiré") {
		t.Error("the sign-in page does not say the form is kept")
	}
	kept := b.Cookie(webapp.CookieReplay)
	if kept == "" {
		t.Fatal("no form kept")
	}
	// Signing in posts it, with her new session: her terms are saved.
	r = b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/contracts/c-2" {
		t.Fatalf("after sign-in: %d to %q\n%s", r.Code, r.Header.Get("Location"), r.Body)
	}
	c := h.Be.Rec.Called("UpdateContract")
	if len(c) != 1 || c[0].Auth != "Bearer tok-coord" || c[0].Req.(*contractsv1.UpdateContractRequest).GetContract().GetTerms().GetHouseRules() != "Calme après 22 h" {
		t.Fatalf("UpdateContract after sign-in: %v", c)
	}
	if r := b.Get(t, "/coordinator/contracts/c-2"); !strings.Contains(r.Body, "Les conditions sont enregistrées.") {
		t.Error("no confirmation after the kept form was posted")
	}
	if b.Cookie(webapp.CookieReplay) != "" {
		t.Error("the kept form is posted twice")
	}

	// Kept for the same account only, and never a forged one.
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieReplay, Value: kept[:len(kept)-3] + "xyz", Path: "/"}})
	r = b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.Header.Get("Location") != "/coordinator" || len(h.Be.Rec.Called("UpdateContract")) != 1 {
		t.Errorf("a forged form was posted: to %q", r.Header.Get("Location"))
	}
	other := h.Browser(t)
	other.Login(t, "jeanne@example.org")
	other.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "", Path: "/", MaxAge: -1}})
	other.Post(t, "/host/profile/edit", url.Values{"phone": {"0600000000"}})
	r = other.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}})
	if r.Header.Get("Location") != "/coordinator" || len(h.Be.Rec.Called("UpdateHost")) != 0 {
		t.Errorf("another account's form was posted: to %q", r.Header.Get("Location"))
	}
}

// Invitations and guardianship (SPEC §2–§3 as amended): a record without an account is
// invited from its page; the sign-up page reads ?code= and creates the account linked to the
// record (a code no longer good said in the person's language); a host under guardianship
// has her legal representative on the host forms.
func TestInvitationsAndGuardianship(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	for _, c := range []struct{ page, method string }{{"/coordinator/students/s-3", "InviteStudent"}, {"/coordinator/hosts/h-1", "InviteHost"}} {
		r := b.Get(t, c.page)
		if !strings.Contains(r.Body, `action="`+c.page+`/invite"`) {
			t.Errorf("%s: no invitation offered", c.page)
		}
		if r := b.Post(t, c.page+"/invite", url.Values{"next": {c.page}}); r.Code != http.StatusSeeOther || r.Header.Get("Location") != c.page {
			t.Errorf("%s: invite %d to %q", c.page, r.Code, r.Header.Get("Location"))
		}
		if calls := h.Be.Rec.Called(c.method); len(calls) != 1 || calls[0].Auth != "Bearer tok-coord" {
			t.Errorf("%s: %v", c.method, calls)
		}
		if r := b.Get(t, c.page); !strings.Contains(r.Body, "L’invitation est créée") {
			t.Errorf("%s: no confirmation", c.page)
		}
	}

	// The sign-up page with an invitation's code: no role or programme to choose.
	v := h.Browser(t)
	r := v.Get(t, "/signup?code=good-code-123")
	if !strings.Contains(r.Body, `name="inviteCode" value="good-code-123"`) || strings.Contains(r.Body, `name="role"`) || strings.Contains(r.Body, `name="programme"`) ||
		!strings.Contains(r.Body, "Vous êtes invité·e par votre association") {
		t.Errorf("invited sign-up page:\n%s", r.Body)
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("invited sign-up page: %v", p)
	}
	r = v.Post(t, "/signup", url.Values{"email": {"camille@example.org"}, "password": {"a long password"}, "inviteCode": {"used-code"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "Ce lien d’invitation n’est plus valable") || strings.Contains(r.Body, "not a valid invitation") {
		t.Errorf("a used code: %d", r.Code)
	}
	v.Post(t, "/signup", url.Values{"email": {"camille@example.org"}, "password": {"a long password"}, "inviteCode": {"good-code-123"}})
	s := h.Be.Rec.Called("Signup")
	if last := s[len(s)-1].Req.(*identityv1.SignupRequest); last.GetInviteCode() != "good-code-123" || last.GetRole() != typev1.Role_ROLE_UNSPECIFIED {
		t.Errorf("Signup: %v", last)
	}

	// Guardianship: the representative's fields, a missing name said next to it.
	r = b.Get(t, "/coordinator/hosts/new")
	for _, f := range []string{`name="guardianship"`, `name="repName"`, `name="repRelationship"`, `name="repPhone"`, `name="repEmail"`} {
		if !strings.Contains(r.Body, f) {
			t.Errorf("host form lacks %s", f)
		}
	}
	form := url.Values{"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"69002"}, "city": {"Lyon"}, "lat": {"45.75"}, "lng": {"4.83"},
		"consentRecorded": {"on"}, "guardianship": {"GUARDIANSHIP_CURATELLE"}, "repRelationship": {"sa fille"}, "repPhone": {"0611223344"}}
	r = b.Post(t, "/coordinator/hosts", form)
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-repName-error"`) || !strings.Contains(r.Body, "indiquez le nom du représentant légal") {
		t.Errorf("no representative's name: %d", r.Code)
	}
	form.Set("repName", "Claire Roux")
	if r := b.Post(t, "/coordinator/hosts", form); r.Code != http.StatusSeeOther {
		t.Fatalf("host under curatelle: %d", r.Code)
	}
	c := h.Be.Rec.Called("CreateHost")
	if got := c[len(c)-1].Req.(*hostsv1.CreateHostRequest).GetHost(); got.GetGuardianship() != hostsv1.Guardianship_GUARDIANSHIP_CURATELLE ||
		got.GetLegalRepresentative().GetName() != "Claire Roux" || got.GetLegalRepresentative().GetPhone() != "0611223344" {
		t.Errorf("CreateHost: %v", got)
	}
	if !slices.Contains(webapp.HostPaths, "legal_representative") || !slices.Contains(webapp.HostPaths, "guardianship") {
		t.Error("the host's edit form does not save the guardianship")
	}
}
