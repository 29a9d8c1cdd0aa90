package site

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/services/platform/errs"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// UpdateProgramme refuses a phone that is not one, as identity does; otherwise it answers the
// programme as sent.
func (f *fakeIdentity) UpdateProgramme(ctx context.Context, req *identityv1.UpdateProgrammeRequest) (*identityv1.Programme, error) {
	f.record(ctx, "UpdateProgramme", req)
	if req.GetProgramme().GetSettings().GetAssociation().GetPhone() == "call me" {
		var v errs.Violations
		v.Add("settings.association.phone", "is not a phone number")
		e, _ := errs.As(v.Err())
		return nil, grpcErr(e)
	}
	return req.GetProgramme(), nil
}

// The coordinator sets, from the pages alone, the association that her programme's contracts
// print as their third signatory (issue 12, finding 8).
func TestCoordinatorSetsTheAssociationOnTheContracts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	if r := b.get(t, "/coordinator/contracts"); !strings.Contains(r.body, `href="/coordinator/association"`) {
		t.Fatal("the contracts page does not lead to the association's identity")
	}
	r := b.get(t, "/coordinator/association")
	if r.code != http.StatusOK || !strings.Contains(r.body, "L’association sur les conventions") || !strings.Contains(r.body, `name="representativeName"`) {
		t.Fatalf("association page: %d", r.code)
	}
	form := url.Values{
		"legalName": {"Association Toit Partagé Lyonnais"}, "registration": {"RNA W691099999"}, "line1": {"8 rue de la Charité"},
		"postcode": {"69002"}, "city": {"Lyon"}, "representativeName": {"Hélène Garnier"}, "representativeTitle": {"présidente"},
		"phone": {"04 78 00 00 00"}, "email": {"contact@toit-partage.example"},
	}
	if r := b.post(t, "/coordinator/association", form); r.code != http.StatusSeeOther {
		t.Fatalf("save: %d", r.code)
	}
	calls := h.be.rec.called("UpdateProgramme")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateProgramme calls", len(calls))
	}
	req := calls[0].req.(*identityv1.UpdateProgrammeRequest)
	a := req.GetProgramme().GetSettings().GetAssociation()
	if req.GetProgramme().GetId() != "demo" || !slices.Equal(req.GetUpdateMask().GetPaths(), []string{"settings.association"}) ||
		a.GetLegalName() != "Association Toit Partagé Lyonnais" || a.GetRepresentativeName() != "Hélène Garnier" || a.GetAddressLine1() != "8 rue de la Charité" {
		t.Fatalf("update: %v", req)
	}
	form.Set("phone", "call me")
	r = b.post(t, "/coordinator/association", form)
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-phone-error"`) || strings.Contains(r.body, "is not a phone number") {
		t.Fatalf("a refused phone is not said next to its field, in French: %d", r.code)
	}
	// Hosts and students do not reach it.
	s := h.browser(t)
	s.login(t, "jeanne@example.org")
	if r := s.get(t, "/coordinator/association"); r.code == http.StatusOK {
		t.Fatal("a host reaches the association's form")
	}
}
