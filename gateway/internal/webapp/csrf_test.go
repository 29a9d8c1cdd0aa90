package webapp

import (
	"encoding/base64"
	"testing"
)

func fakeJWT(jti string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"a1","jti":"` + jti + `"}`))
	return "eyJhbGciOiJFZERTQSJ9." + payload + ".c2ln"
}

// Issue 18: CSRF tokens were not bound to the session — a planted cookie with the same
// value in the form passed.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	t.Parallel()
	victim, attacker := fakeJWT("session-of-the-victim"), fakeJWT("session-of-the-attacker")
	own := newCSRF(victim)
	if !boundCSRF(own, victim) {
		t.Fatal("the session's own token is refused")
	}
	// The session slid to a new token: same session id, the forms still post.
	if !boundCSRF(own, fakeJWT("session-of-the-victim")+"x") {
		t.Error("a token of the same session after a slide is refused")
	}
	for name, tok := range map[string]string{
		"another session's":   newCSRF(attacker),
		"an anonymous one":    newCSRF(""),
		"random 32 bytes":     NewToken(),
		"empty":               "",
		"not base64":          "!!!!",
		"a signed-out user's": newCSRF(fakeJWT("old")),
	} {
		if boundCSRF(tok, victim) {
			t.Errorf("%s token passes for the victim's session", name)
		}
	}
}
