// Package middleware holds the plain net/http wrappers every gateway request goes through:
// request id, body size limit and baseline security headers.
package middleware

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// RequestIDHeader carries the id that ties an HTTP request to the logs of every service it
// reaches. grpcx reads the same key from gRPC metadata.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen matches grpcx, which replaces longer ids: keeping the client's id only when
// the backend will keep it too means one id per request everywhere.
const maxRequestIDLen = 128

// RequestID makes sure every request has a usable X-Request-Id: the client's when it is
// short and printable, a fresh random one otherwise. The id is written back on the request
// (so that the gRPC gateway forwards it) and set on the response before any handler writes.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = rand.Text()
		}
		// A clone, because a handler must not change the request it was given.
		r = r.Clone(r.Context())
		r.Header.Set(RequestIDHeader, id)
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r)
	})
}

// validRequestID accepts visible ASCII only: anything else could not travel as gRPC metadata
// and would let a client put control characters into every service's logs.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

type bodyKey struct{}

// limitedBody remembers that the limit was hit, because the gRPC gateway turns any body
// read error into a plain InvalidArgument status and the *http.MaxBytesError is lost on the way.
type limitedBody struct {
	io.ReadCloser
	exceeded atomic.Bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		b.exceeded.Store(true)
	}
	return n, err
}

// LimitBody caps every request body at max bytes with http.MaxBytesReader, so that a client
// cannot make the gateway buffer an unbounded JSON document. BodyTooLarge tells an error
// handler that a read failed for that reason.
// Routes in larger may take more (a document's upload).
func LimitBody(max int64, next http.Handler, larger ...LargerBody) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := max
		for _, l := range larger {
			if l.Match(r) {
				limit = l.Max
				break
			}
		}
		lb := &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit)}
		r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, lb))
		r.Body = lb
		next.ServeHTTP(w, r)
	})
}

// LargerBody lets the requests Match selects send bodies of up to Max bytes.
type LargerBody struct {
	Match func(*http.Request) bool
	Max   int64
}

// BodyTooLarge reports whether the request of ctx read past the LimitBody limit.
func BodyTooLarge(ctx context.Context) bool {
	lb, ok := ctx.Value(bodyKey{}).(*limitedBody)
	return ok && lb.exceeded.Load()
}

// SecurityHeaders sets the headers that cost nothing and close whole classes of browser
// attacks: no MIME sniffing of JSON into HTML, no framing of the pages. Every answer but the
// static files and the public documents is marked no-store: API answers and pages carry
// personal data, which must not stay in a shared computer's cache (a library's, a
// workshop's) after sign-out. With hstsMaxAge > 0, an answer over HTTPS (directly, or behind
// a proxy that says so in X-Forwarded-Proto) tells the browser to keep to HTTPS.
func SecurityHeaders(hstsMaxAge time.Duration, next http.Handler) http.Handler {
	hsts := fmt.Sprintf("max-age=%d", int64(hstsMaxAge.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if !cacheable(r.URL.Path) {
			h.Set("Cache-Control", "no-store")
		}
		if hstsMaxAge > 0 && (r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")) {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

// cacheable reports whether the answers at path hold nothing personal: the web
// application's static files and the public documents. A handler may still set its own
// Cache-Control on them.
func cacheable(path string) bool {
	return strings.HasPrefix(path, "/static/") || path == "/openapi.json" || path == "/favicon.ico" || path == "/healthz"
}

// LoopbackOnly serves next to clients on this machine and answers 404 to anyone else, as
// if the route were not there. A request that went through a proxy (X-Forwarded-For) is
// from someone else, even when the proxy itself is on this machine.
func LoopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() || r.Header.Get("X-Forwarded-For") != "" {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
