package webapp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// Sessions slide while the person is active, and a form posted after the session ended is
// kept and posted again once she signs in (issue 12, finding 12).
//
// Sliding: the identity service's tokens live an hour (COHABIT_TOKEN_TTL). Past half its
// life, any page the person opens exchanges the token for a new one (RefreshToken), so the
// session ends only after a lifetime without activity. The gateway keeps no session state:
// when the token was issued and when it expires ride in a cookie of their own (cohabit_exp),
// read only to decide when to refresh; the services verify the token itself.
//
// Keeping a form: a POST that arrives without a valid session is saved in a short-lived
// cookie (cohabit_replay: its path and fields, never in a URL), signed with a key of this
// process so that no one else can plant a form to be posted in her name. After sign-in, the
// login handler posts it again, through the same handlers, with a fresh CSRF token: the
// person lands where the form would have taken her, her data saved, or on the form with its
// errors. It is kept only for the account that was signed in (cohabit_acct) and for
// replayTTL. A gateway restarted in between (or another replica) cannot read it: she is then
// told her form could not be kept.

const (
	CookieExp    = "cohabit_exp"
	CookieReplay = "cohabit_replay"
	CookieAcct   = "cohabit_acct"

	replayTTL = 15 * time.Minute
	// maxReplay keeps the cookie under the 4 KiB browsers take.
	maxReplay = 3800
)

// replayKey signs the replay cookies of this process.
type replayKey []byte

func newReplayKey() replayKey {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

func (k replayKey) sign(payload string) string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// replay is a form kept for after sign-in.
type replay struct {
	Path    string `json:"p"`
	Form    string `json:"f"`
	Account string `json:"a,omitempty"`
	Until   int64  `json:"u"`
}

// sessionTimes records when the session's token was issued and expires (cohabit_exp).
func (a *App) sessionTimes(w http.ResponseWriter, r *http.Request, exp time.Time) {
	now := a.now()
	SetCookie(w, r, CookieExp, strconv.FormatInt(now.Unix(), 10)+"-"+strconv.FormatInt(exp.Unix(), 10), exp.Sub(now))
}

// slide refreshes the session's token once past half its life; it never fails the page (the
// old token still works until it expires).
func (a *App) slide(w http.ResponseWriter, r *http.Request) {
	from, to, ok := strings.Cut(CookieValue(r, CookieExp), "-")
	iat, err1 := strconv.ParseInt(from, 10, 64)
	exp, err2 := strconv.ParseInt(to, 10, 64)
	now := a.now().Unix()
	if !ok || err1 != nil || err2 != nil || exp <= iat || now < iat+(exp-iat)/2 {
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Identity.RefreshToken(ctx, &identityv1.RefreshTokenRequest{})
	if err != nil {
		a.Log.WarnContext(r.Context(), "web: refresh token", "err", err)
		return
	}
	st := StateOf(r.Context())
	st.Token = res.GetAccessToken()
	a.SetSession(w, r, res)
}

// SetSession keeps a new token in the session cookie until it expires.
func (a *App) SetSession(w http.ResponseWriter, r *http.Request, res *identityv1.LoginResponse) {
	exp := a.now().Add(time.Hour)
	if e := res.GetExpiresAt(); e.IsValid() {
		exp = e.AsTime()
	}
	ttl := exp.Sub(a.now())
	if ttl <= 0 {
		ttl = time.Minute
	}
	SetCookie(w, r, CookieSession, res.GetAccessToken(), ttl)
	a.sessionTimes(w, r, exp)
}

// keepForm saves the POST r, which found no valid session, for after sign-in, and sends the
// person to sign in with a message saying so.
func (a *App) keepForm(w http.ResponseWriter, r *http.Request) {
	form := url.Values{}
	for k, v := range r.PostForm {
		if k != CSRFField {
			form[k] = v
		}
	}
	rp := replay{Path: r.URL.RequestURI(), Form: form.Encode(), Account: CookieValue(r, CookieAcct), Until: a.now().Add(replayTTL).Unix()}
	b, _ := json.Marshal(rp)
	payload := base64.RawURLEncoding.EncodeToString(b)
	key := "session.expired"
	if len(payload) <= maxReplay {
		SetCookie(w, r, CookieReplay, payload+"."+a.replayKey.sign(payload), replayTTL)
		key = "session.expired.kept"
	}
	SetCookie(w, r, CookieSession, "", -1)
	SetFlash(w, r, Flash{Kind: "error", Key: key})
	Redirect(w, r, "/login")
}

// TakeReplay reads and clears the kept form; nil when there is none, or it is not good (not
// signed by this process, too old, another account's).
func (a *App) TakeReplay(w http.ResponseWriter, r *http.Request, account string) (*replay, bool) {
	v := CookieValue(r, CookieReplay)
	if v == "" {
		return nil, false
	}
	SetCookie(w, r, CookieReplay, "", -1)
	payload, sig, _ := strings.Cut(v, ".")
	if !hmac.Equal([]byte(sig), []byte(a.replayKey.sign(payload))) {
		return nil, true
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var rp replay
	if err != nil || json.Unmarshal(b, &rp) != nil || a.now().Unix() > rp.Until || LocalPath(rp.Path, "") == "" ||
		(rp.Account != "" && rp.Account != account) {
		return nil, true
	}
	return &rp, true
}

// Resume posts the kept form again for the person who just signed in (res), through the
// application's own handlers, with the new session and CSRF token: its answer is the page's.
func (a *App) Resume(w http.ResponseWriter, r *http.Request, rp *replay, res *identityv1.LoginResponse) {
	st := StateOf(r.Context())
	form, _ := url.ParseQuery(rp.Form)
	form.Set(CSRFField, st.csrf)
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, rp.Path, strings.NewReader(form.Encode()))
	if err != nil {
		Redirect(w, r, HomeOf(res.GetAccount().GetRole()))
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, h := range []string{"X-Forwarded-Proto", "X-Request-Id"} {
		if v := r.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	req.TLS = r.TLS
	req.RemoteAddr = r.RemoteAddr
	for _, c := range r.Cookies() {
		switch c.Name {
		case CookieSession, CookieCSRF, CookieReplay, cookieFlash, CookieExp:
		default:
			req.AddCookie(c)
		}
	}
	req.AddCookie(&http.Cookie{Name: CookieSession, Value: res.GetAccessToken()})
	req.AddCookie(&http.Cookie{Name: CookieCSRF, Value: st.csrf})
	a.ServeHTTP(w, req)
}

// expired reports an error that says the session is over.
func expired(err error) bool { return status.Code(err) == codes.Unauthenticated }
