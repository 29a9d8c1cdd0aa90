package webapp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The tests of issue 12's findings that are the web application's: each fails on the pages
// as they were and passes now.

// Finding 10: a service's refusal is said in the person's language, from its field and
// reason, never in the service's English.
func TestRefusalsAreSaidInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	form := url.Values{
		"displayName": {"Zoé Cachée"}, "postcode": {"69002"}, "city": {"Lyon"}, "languages": {"français, en"},
		"consentRecorded": {"on"}, "requestId": {"rq-1"},
	}
	r := b.post(t, "/coordinator/hosts", form)
	if r.code != http.StatusBadRequest {
		t.Fatalf("code %d", r.code)
	}
	for _, english := range []string{"two-letter", "item 0", "must be at most", "internalNote"} {
		if strings.Contains(r.body, english) {
			t.Errorf("the service's words reach the page: %q", english)
		}
	}
	if !strings.Contains(r.body, `id="f-languages-error"`) || !strings.Contains(r.body, "codes de deux lettres") {
		t.Error("the languages' refusal is not next to the field, in French")
	}
	if !strings.Contains(r.body, "Une information de cette fiche n’est pas acceptée") {
		t.Error("a refusal of a field the form does not show is not said over it")
	}
	b.setLang(t, "en")
	r = b.post(t, "/coordinator/hosts", form)
	if !strings.Contains(r.body, "two-letter codes, separated by commas") || strings.Contains(r.body, "item 0") {
		t.Error("the languages' refusal is not said in English")
	}
}
