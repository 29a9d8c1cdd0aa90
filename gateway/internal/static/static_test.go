package static

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/cohabit/cohabit/gateway/openapi"
)

func TestOpenAPIRewritesInfoOnly(t *testing.T) {
	t.Parallel()
	h, err := OpenAPI(openapi.Spec())
	if err != nil {
		t.Fatalf("OpenAPI: %v", err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	var got, orig map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("served document is not JSON: %v", err)
	}
	if err := json.Unmarshal(openapi.Spec(), &orig); err != nil {
		t.Fatalf("embedded document is not JSON: %v", err)
	}
	var info struct{ Title, Version string }
	if err := json.Unmarshal(got["info"], &info); err != nil || info.Title != "Cohabit API" || info.Version != "v1" {
		t.Errorf("info = %s", got["info"])
	}
	for key := range orig {
		if key == "info" {
			continue
		}
		if !sameJSON(t, got[key], orig[key]) {
			t.Errorf("%s changed", key)
		}
	}
}

func TestOpenAPIRefusesBrokenDocuments(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{"", "{", `{"swagger":"2.0"}`} {
		if _, err := OpenAPI([]byte(doc)); err == nil {
			t.Errorf("OpenAPI(%q) accepted", doc)
		}
	}
}

// sameJSON compares by value: the rewrite compacts the document.
func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		return false
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return reflect.DeepEqual(va, vb)
}
