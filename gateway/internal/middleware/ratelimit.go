package middleware

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// AuthLimit limits the authentication requests (sign-in, sign-up: Match) per client
// address, on top of the identity service's per-account lockout: one address trying many
// accounts is slowed here (issue 18). Generous, as SPEC §3 asks: a digital-skills workshop
// signs up 30 people from one address in a few minutes, and signs each in.
type AuthLimit struct {
	// PerMinute is the steady rate one address may keep, Burst how many at once.
	PerMinute float64
	Burst     int
	// TrustForwardedFor reads the client address from the last X-Forwarded-For entry (the
	// one the gateway's own proxy wrote); only behind such a proxy, or anyone could pick
	// their address.
	TrustForwardedFor bool
	// Match says which requests count.
	Match func(*http.Request) bool
}

// LimitAuth answers 429, with Retry-After, to a request l.Match counts once its client
// address is over the limit.
func LimitAuth(l AuthLimit, next http.Handler) http.Handler {
	lim := &limiters{l: l, by: map[string]*limiter{}, now: time.Now}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.Match(r) {
			next.ServeHTTP(w, r)
			return
		}
		if wait, ok := lim.allow(clientAddr(r, l.TrustForwardedFor)); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", fmt.Sprint(secs))
			w.Header().Set("Cache-Control", "no-store")
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprintf(w, `{"code":8,"message":"too many sign-in or sign-up attempts from this address: try again in %d seconds","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TOO_MANY_REQUESTS","domain":"cohabit","metadata":{}}]}`, secs)
				return
			}
			http.Error(w, fmt.Sprintf("Trop de tentatives depuis cette adresse : réessayez dans %d secondes.\nToo many attempts from this address: try again in %d seconds.", secs, secs), http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address a request comes from.
func clientAddr(r *http.Request, trustForwardedFor bool) string {
	if trustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type limiter struct {
	*rate.Limiter
	seen time.Time
}

// limiters keeps one token bucket per address; buckets idle long enough to be full again
// are dropped, so the map stays as small as the set of recent clients.
type limiters struct {
	l     AuthLimit
	mu    sync.Mutex
	by    map[string]*limiter
	now   func() time.Time
	swept time.Time
}

func (ls *limiters) allow(addr string) (time.Duration, bool) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	now := ls.now()
	refill := time.Duration(float64(ls.l.Burst) / ls.l.PerMinute * float64(time.Minute))
	if now.Sub(ls.swept) > time.Minute {
		for a, x := range ls.by {
			if now.Sub(x.seen) > refill {
				delete(ls.by, a)
			}
		}
		ls.swept = now
	}
	x, ok := ls.by[addr]
	if !ok {
		x = &limiter{Limiter: rate.NewLimiter(rate.Limit(ls.l.PerMinute/60), ls.l.Burst)}
		ls.by[addr] = x
	}
	x.seen = now
	res := x.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}
