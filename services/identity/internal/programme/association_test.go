package programme

import (
	"slices"
	"testing"
)

// TestAssociation: an admin or a coordinator sets the association's identity, which the
// programme's contracts print, through settings.association; it is trimmed and checked.
func TestAssociation(t *testing.T) {
	t.Parallel()
	p, err := New("lyon", validFields(), t0)
	if err != nil {
		t.Fatal(err)
	}
	a := Association{
		LegalName: "  Association Toit Partagé Lyonnais ", Registration: "RNA W691099999",
		AddressLine1: "8 rue de la Charité", Postcode: "69002", City: "Lyon",
		RepresentativeName: "Hélène Garnier", RepresentativeTitle: "présidente",
		Phone: "04 78 00 00 00", Email: " Contact@Toit-Partage.example ",
	}
	if err := p.Update(p.Etag(), Fields{Settings: Settings{Association: a}}, []string{"settings.association"}, t0); err != nil {
		t.Fatal(err)
	}
	got := p.Settings().Association
	if got.LegalName != "Association Toit Partagé Lyonnais" || got.Email != "contact@toit-partage.example" || got.RepresentativeTitle != "présidente" {
		t.Fatalf("association %+v", got)
	}
	// Other settings are untouched.
	if len(p.Settings().Formulas) != len(DefaultFormulas()) {
		t.Fatal("formulas lost")
	}

	bad := a
	bad.Phone, bad.Email, bad.Postcode = "call me", "not an address", "!"
	err = p.Update("", Fields{Settings: Settings{Association: bad}}, []string{"settings.association"}, t0)
	fields := fieldsOf(t, err)
	for _, f := range []string{"settings.association.phone", "settings.association.email", "settings.association.postcode"} {
		if !slices.Contains(fields, f) {
			t.Errorf("no violation on %s: %v", f, fields)
		}
	}
	if p.Settings().Association.LegalName != "Association Toit Partagé Lyonnais" {
		t.Fatal("a refused change changed the programme")
	}
}
