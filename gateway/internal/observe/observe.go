// Package observe measures and logs every HTTP request: a Prometheus counter and latency
// histogram, and one structured log line, labelled by route pattern rather than raw path so
// that ids in URLs never become label values.
package observe

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Unmatched labels requests that no route served (404s of unknown paths): one series for all
// of them, whatever the path.
const Unmatched = "unmatched"

// Observer records request metrics and access logs.
type Observer struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	log      *slog.Logger
}

// New registers the gateway's HTTP metrics on reg. It fails when they are already registered.
func New(reg prometheus.Registerer, log *slog.Logger) (*Observer, error) {
	o := &Observer{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "cohabit",
			Subsystem: "gateway",
			Name:      "http_requests_total",
			Help:      "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "cohabit",
			Subsystem: "gateway",
			Name:      "http_request_duration_seconds",
			Help:      "Time to serve HTTP requests, by route pattern, method and status code.",
			Buckets:   prometheus.DefBuckets,
		}, []string{"route", "method", "code"}),
		log: log,
	}
	for _, c := range []prometheus.Collector{o.requests, o.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register http metrics: %w", err)
		}
	}
	return o, nil
}

type routeKey struct{}

// route is filled in by whichever handler recognises the request, and read by Middleware
// once the request is done.
type route struct{ pattern string }

// SetRoute names the route pattern of the request of ctx ("/v1/hosts/{id}"). It does nothing
// outside Middleware.
func SetRoute(ctx context.Context, pattern string) {
	if r, ok := ctx.Value(routeKey{}).(*route); ok {
		r.pattern = pattern
	}
}

// Route wraps h so that its requests are labelled pattern.
func Route(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetRoute(r.Context(), pattern)
		h.ServeHTTP(w, r)
	})
}

// Middleware measures and logs every request served by next.
func (o *Observer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rt := &route{}
		rec := &recorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, rt)))
		elapsed := time.Since(start)

		pattern := rt.pattern
		if pattern == "" {
			pattern = Unmatched
		}
		method := methodLabel(r.Method)
		code := fmt.Sprint(rec.code)
		o.requests.WithLabelValues(pattern, method, code).Inc()
		o.duration.WithLabelValues(pattern, method, code).Observe(elapsed.Seconds())

		level := slog.LevelInfo
		if rec.code >= 500 {
			level = slog.LevelError
		}
		o.log.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method),
			slog.String("route", pattern),
			slog.Int("code", rec.code),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", elapsed),
			slog.String("request_id", r.Header.Get("X-Request-Id")),
		)
	})
}

// methodLabel folds any method outside the standard set into one value: a client may send any
// token as a method, and each would otherwise become a new series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// recorder keeps the status code and size of the response for metrics and logs.
type recorder struct {
	http.ResponseWriter
	code        int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	// 1xx answers (100 Continue) are not the final status.
	if !r.wroteHeader && code >= 200 {
		r.code = code
		r.wroteHeader = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines of the real writer
// (grpc-gateway flushes streamed responses).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush is implemented directly because grpc-gateway checks for http.Flusher by type
// assertion rather than through http.ResponseController.
func (r *recorder) Flush() {
	r.wroteHeader = true
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
