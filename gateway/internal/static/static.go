// Package static serves the gateway's fixed answers: liveness, the OpenAPI document and the
// landing page.
package static

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Healthz answers 200 "ok" as long as the process serves HTTP; it checks no dependency, so
// that a backend outage never gets the gateway restarted.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok"))
	})
}

// info replaces the generator's: protoc-gen-openapiv2 with allow_merge takes the title and
// description of the first proto file it reads (an event envelope), which says nothing of
// the API.
const info = `{"title":"Cohabit API","version":"v1","description":"REST API of Cohabit, the intergenerational homesharing platform. Errors are google.rpc.Status JSON."}`

// OpenAPI serves spec, a Swagger 2.0 document, with its info block replaced. The document is
// rewritten once, here, so that a broken embed fails at start rather than on a request.
func OpenAPI(spec []byte) (http.Handler, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	if _, ok := doc["paths"]; !ok {
		return nil, fmt.Errorf("openapi document has no paths")
	}
	doc["info"] = json.RawMessage(info)
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("rewrite openapi document: %w", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}), nil
}
