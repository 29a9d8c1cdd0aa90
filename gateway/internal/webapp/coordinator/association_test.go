package coordinator_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// The coordinator sets, from the pages alone, the association that her programme's contracts
// print as their third signatory (issue 12, finding 8).
func TestCoordinatorSetsTheAssociationOnTheContracts(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	if r := b.Get(t, "/coordinator/contracts"); !strings.Contains(r.Body, `href="/coordinator/association"`) {
		t.Fatal("the contracts page does not lead to the association's identity")
	}
	r := b.Get(t, "/coordinator/association")
	if r.Code != http.StatusOK || !strings.Contains(r.Body, "L’association sur les conventions") || !strings.Contains(r.Body, `name="representativeName"`) {
		t.Fatalf("association page: %d", r.Code)
	}
	form := url.Values{
		"legalName": {"Association Toit Partagé Lyonnais"}, "registration": {"RNA W691099999"}, "line1": {"8 rue de la Charité"},
		"postcode": {"69002"}, "city": {"Lyon"}, "representativeName": {"Hélène Garnier"}, "representativeTitle": {"présidente"},
		"phone": {"04 78 00 00 00"}, "email": {"contact@toit-partage.example"},
	}
	if r := b.Post(t, "/coordinator/association", form); r.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Code)
	}
	calls := h.Be.Rec.Called("UpdateProgramme")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateProgramme calls", len(calls))
	}
	req := calls[0].Req.(*identityv1.UpdateProgrammeRequest)
	a := req.GetProgramme().GetSettings().GetAssociation()
	if req.GetProgramme().GetId() != "demo" || !slices.Equal(req.GetUpdateMask().GetPaths(), []string{"settings.association"}) ||
		a.GetLegalName() != "Association Toit Partagé Lyonnais" || a.GetRepresentativeName() != "Hélène Garnier" || a.GetAddressLine1() != "8 rue de la Charité" {
		t.Fatalf("update: %v", req)
	}
	form.Set("phone", "call me")
	r = b.Post(t, "/coordinator/association", form)
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-phone-error"`) || strings.Contains(r.Body, "is not a phone number") {
		t.Fatalf("a refused phone is not said next to its field, in French: %d", r.Code)
	}
	// Hosts and students do not reach it.
	s := h.Browser(t)
	s.Login(t, "jeanne@example.org")
	if r := s.Get(t, "/coordinator/association"); r.Code == http.StatusOK {
		t.Fatal("a host reaches the association's form")
	}
}
