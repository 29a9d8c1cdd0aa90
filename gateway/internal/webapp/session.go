package webapp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// Cookies. The session cookie holds the identity service's bearer token as it is: the
// gateway keeps no session state, so any gateway replica serves any request, and the token's
// own expiry ends the session.
const (
	CookieSession = "cohabit_session"
	CookieCSRF    = "cohabit_csrf"
	CookieLang    = "cohabit_lang"
	CookieText    = "cohabit_text"
	cookieFlash   = "cohabit_flash"

	CSRFField = "csrf"
)

// state is what the request carries through the handlers: its preferences, its CSRF token
// and, once authenticated, its token and account.
type state struct {
	Lang  string
	text  string // "large", "normal" or "" (the role's default)
	csrf  string
	Token string
	Me    *identityv1.Account
	flash *Flash
}

type stateKey struct{}

// StateOf is the state of the request whose context is ctx: its preferences and, once
// authenticated, its token and account (Me).
func StateOf(ctx context.Context) *state {
	if s, ok := ctx.Value(stateKey{}).(*state); ok {
		return s
	}
	return &state{Lang: defaultLang}
}

// secure reports whether the browser reached us over TLS: directly, or through a proxy that
// says so. Cookies are Secure then; on plain http (local development) they cannot be.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// SetCookie sets an HttpOnly, SameSite=Lax cookie for the whole site; maxAge < 0 deletes it.
func SetCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   secure(r),
		SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(w, c)
}

// CookieValue is the value of cookie name, "" when the request has none.
func CookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// NewToken returns 32 random bytes, base64url.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CSRF tokens are bound to the session (issue 18: a cookie planted from a sibling domain,
// with the same value in the form, passed). A token is 16 random bytes and the first 16
// bytes of their HMAC-SHA256 keyed with the session's id — the token's jti, 128 random bits
// only the browser that holds the HttpOnly session cookie knows. Another session's token, or
// one made up, does not verify; a session slid to a new token keeps its id, so forms rendered
// before the slide still post. Before sign-in the key is empty: the sign-in and sign-up
// forms rely on SameSite cookies and the cross-origin protection, and sign-in issues a new
// token bound to the new session.

// sessionID is the id (jti) of a session token, read without verifying it: it only keys
// the CSRF token, and the services verify the token itself on every call.
func sessionID(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		ID string `json:"jti"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return ""
	}
	return c.ID
}

func csrfMAC(nonce []byte, session string) []byte {
	m := hmac.New(sha256.New, []byte("cohabit csrf\x00"+sessionID(session)))
	m.Write(nonce)
	return m.Sum(nil)[:16]
}

// newCSRF returns a token bound to the session token session ("" before sign-in).
func newCSRF(session string) string {
	b := make([]byte, 16, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(append(b, csrfMAC(b, session)...))
}

// boundCSRF reports whether token is a CSRF token of the session token session.
func boundCSRF(token, session string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == 32 && hmac.Equal(b[16:], csrfMAC(b[:16], session))
}

// csrfToken returns the request's CSRF token, issuing one (a cookie) when the browser has
// none bound to its session. Every form carries it in a hidden field; checkCSRF compares.
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	st := StateOf(r.Context())
	if st.csrf == "" {
		st.csrf = newCSRF(CookieValue(r, CookieSession))
		SetCookie(w, r, CookieCSRF, st.csrf, 0)
	}
	return st.csrf
}

// RotateCSRF issues a new token bound to the session token session, at login and logout
// (""), so a token seen before sign-in is worthless after it.
func RotateCSRF(w http.ResponseWriter, r *http.Request, session string) {
	st := StateOf(r.Context())
	st.csrf = newCSRF(session)
	SetCookie(w, r, CookieCSRF, st.csrf, 0)
}

// checkCSRF accepts a POST whose form field equals the browser's CSRF cookie and is bound to
// the browser's session (SameSite keeps the cookie home, the Same-Origin Policy keeps the
// page's field from other origins, and the binding makes a planted pair worthless).
func checkCSRF(r *http.Request) bool {
	cookie := CookieValue(r, CookieCSRF)
	field := r.PostFormValue(CSRFField)
	return boundCSRF(cookie, CookieValue(r, CookieSession)) && subtle.ConstantTimeCompare([]byte(cookie), []byte(field)) == 1
}

// Flash is a message for the next page, after a POST and its redirect.
type Flash struct {
	Kind   string `json:"k"` // "ok" or "error"
	Key    string `json:"m"`
	Detail string `json:"d,omitempty"`
}

// SetFlash keeps a message for the next page, after a POST and its redirect.
func SetFlash(w http.ResponseWriter, r *http.Request, f Flash) {
	if len(f.Detail) > 300 {
		f.Detail = f.Detail[:300] + "…"
	}
	b, _ := json.Marshal(f)
	SetCookie(w, r, cookieFlash, base64.RawURLEncoding.EncodeToString(b), time.Minute)
}

// takeFlash reads and clears the flash cookie.
func takeFlash(w http.ResponseWriter, r *http.Request) *Flash {
	v := CookieValue(r, cookieFlash)
	if v == "" {
		return nil
	}
	SetCookie(w, r, cookieFlash, "", -1)
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil
	}
	var f Flash
	if json.Unmarshal(b, &f) != nil || f.Key == "" || (f.Kind != "ok" && f.Kind != "error") {
		return nil
	}
	return &f
}

// LocalPath keeps next when it is a path of this site, so that a crafted link cannot send
// someone elsewhere after login ("//evil.example", "/\\evil.example" are refused). Control
// characters and spaces are refused too: browsers drop a tab or a newline from a Location,
// so "/\t/evil.example" would reach them as "//evil.example" (issue 18).
func LocalPath(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) }) {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return next
}
