package journey

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/nats-io/nats.go/jetstream"
)

// Issue 18: a bearer token kept working after sign-out for its whole hour. Signing out, or
// a coordinator or admin ending an account's sessions, now stops the tokens in every
// service (each learns it from the identity service's event), and a new sign-in works.
func TestSignOutEndsTheTokenEverywhere(t *testing.T) {
	t.Parallel()
	s := boot(t)
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	// A second token of the same person, from another sign-in (another device).
	phone := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")

	s.must(200, "GET", "/v1/hosts", coord, nil)
	s.must(200, "POST", "/v1/auth/logout", coord, map[string]any{})
	for _, path := range []string{"/v1/me", "/v1/hosts", "/v1/students", "/v1/matches", "/v1/contracts"} {
		eventually(t, "the signed-out token is refused at "+path, func() bool { return s.do("GET", path, coord, nil).code == 401 })
	}
	// The other sign-in goes on; signing out again with the ended token is refused.
	s.must(200, "GET", "/v1/hosts", phone, nil)
	s.must(401, "POST", "/v1/auth/logout", coord, map[string]any{})

	// A student's sessions, ended by her coordinator; another programme's coordinator, a
	// host and the student herself may not.
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "ines@example.org", "password": "ines-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	student := s.login("ines@example.org", "ines-student-pw1")
	me := s.must(200, "GET", "/v1/me", student, nil)
	accountID := me.str("id")
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Paris", "territory": "Paris"}).str("id")
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{"email": "coord.paris@example.org", "password": "paris-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other})
	paris := s.login("coord.paris@example.org", "paris-coordinator-pw")
	s.must(404, "POST", "/v1/accounts/"+accountID+":revokeSessions", paris, map[string]any{})
	s.must(403, "POST", "/v1/accounts/"+accountID+":revokeSessions", student, map[string]any{})
	s.must(200, "GET", "/v1/me", student, nil)

	r := s.must(200, "POST", "/v1/accounts/"+accountID+":revokeSessions", phone, map[string]any{})
	if r.str("revokeTime") == "" {
		t.Fatalf("revokeSessions: %s", r.raw)
	}
	eventually(t, "the student's token is refused", func() bool { return s.do("GET", "/v1/me", student, nil).code == 401 })
	again := s.login("ines@example.org", "ines-student-pw1")
	s.must(200, "GET", "/v1/me", again, nil)

	// An admin ends a coordinator's sessions.
	s.must(200, "POST", "/v1/accounts/"+s.must(200, "GET", "/v1/me", paris, nil).str("id")+":revokeSessions", admin, map[string]any{})
	eventually(t, "the coordinator's token is refused", func() bool { return s.do("GET", "/v1/hosts", paris, nil).code == 401 })
}

// The web application's sign-out ends the session's token too: a copy of the cookie does
// not sign anyone in afterwards.
func TestWebSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	s := boot(t)
	tok := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func() *http.Response {
		req, _ := http.NewRequest("GET", s.base+"/coordinator", nil)
		req.AddCookie(&http.Cookie{Name: "cohabit_session", Value: tok})
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(); resp.StatusCode != 200 {
		t.Fatalf("signed in: %d", resp.StatusCode)
	}
	csrf := s.csrfFor(tok)
	req, _ := http.NewRequest("POST", s.base+"/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "cohabit_session", Value: tok})
	req.AddCookie(&http.Cookie{Name: "cohabit_csrf", Value: csrf})
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	eventually(t, "the old cookie no longer opens the coordinator's page", func() bool {
		r := get()
		return r.StatusCode == 303 && strings.HasPrefix(r.Header.Get("Location"), "/login")
	})
}

// Issue 18: the CSRF token was not bound to the session: a pair planted from a sibling
// domain (a cookie, and the same value in a form) passed. Now only the token a page gave
// this session passes.
func TestCSRFTokenOfAnotherSessionIsRefused(t *testing.T) {
	t.Parallel()
	s := boot(t)
	victim := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "mallory@example.org", "password": "mallory-host-pw1", "role": "ROLE_HOST",
		"programmeId": s.must(200, "GET", "/v1/me", victim, nil).str("programmeId")})
	attacker := s.login("mallory@example.org", "mallory-host-pw1")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(session, csrf string) int {
		req, _ := http.NewRequest("POST", s.base+"/prefs/lang", strings.NewReader(url.Values{"csrf": {csrf}, "lang": {"en"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "cohabit_session", Value: session})
		req.AddCookie(&http.Cookie{Name: "cohabit_csrf", Value: csrf})
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, csrf := range map[string]string{
		"a token of the attacker's session": s.csrfFor(attacker),
		"an anonymous token":                s.csrfFor(""),
		"a made-up token":                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	} {
		if code := post(victim, csrf); code != 403 {
			t.Errorf("%s planted with the victim's session: %d, want 403", name, code)
		}
	}
	if code := post(victim, s.csrfFor(victim)); code != 303 {
		t.Errorf("the session's own token: %d, want 303", code)
	}
}

// Issue 18: sign-up told whether an email already had an account (409). Now the answer is
// the same (SPEC §3), nothing is stored, and the fact travels for the owner to be told.
func TestSignupDoesNotRevealAnAccount(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	body := func(pw string) map[string]any {
		return map[string]any{"email": "lucie@example.org", "password": pw, "role": "ROLE_STUDENT", "programmeId": demo}
	}
	first := s.must(200, "POST", "/v1/auth/signup", "", body("lucie-first-pw1"))
	second := s.must(200, "POST", "/v1/auth/signup", "", body("someone-else-pw1"))
	keys := func(r reply) []string {
		var k []string
		for key := range r.body {
			if key != "id" && key != "createTime" && key != "updateTime" {
				k = append(k, key+"="+strings.TrimSpace(fmt.Sprint(r.body[key])))
			}
		}
		sort.Strings(k)
		return k
	}
	if second.str("id") == "" || second.str("id") == first.str("id") || !slices.Equal(keys(first), keys(second)) {
		t.Fatalf("the answers differ:\n%s\n%s", first.raw, second.raw)
	}
	s.must(401, "POST", "/v1/auth/login", "", map[string]any{"email": "lucie@example.org", "password": "someone-else-pw1"})
	s.login("lucie@example.org", "lucie-first-pw1")

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := s.js.OrderedConsumer(ctx, identityevents.Stream.Name, jetstream.OrderedConsumerConfig{FilterSubjects: []string{identityevents.SignupDuplicated.Subject}})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := c.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		t.Fatalf("no signup.duplicated event: %v", err)
	}
	if bytes.Contains(msg.Data(), []byte("lucie@example.org")) {
		t.Error("the event carries the email")
	}
}
