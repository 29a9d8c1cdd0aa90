package app

import (
	"strings"
	"testing"
	"time"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
)

// TestDocumentInput: the document names the formula (never its id) and the association from
// the programme's settings, and the contract by a human reference (never its id).
func TestDocumentInput(t *testing.T) {
	t.Parallel()
	const id = "0190f3a2-7c1e-7000-8000-000000000001"
	at := time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)
	c := contract.Draft(id, contract.Match{MatchID: "m", ProgrammeID: "demo", HostAssisted: true}, contract.Terms{
		FormulaID: "conviviale", StartDate: date.New(2027, 2, 1), EndDate: date.New(2028, 1, 31),
		EveningsPerWeek: 2, HoursPerWeek: 3, Services: []string{"COMPANY"},
	}, at)
	st := &identityv1.ProgrammeSettings{
		Formulas: []*identityv1.Formula{{Id: "solidaire", Name: "Chambre gratuite"}, {Id: "conviviale", Name: "Participation modeste et quelques soirées"}},
		Association: &identityv1.Association{
			LegalName: "Association Toit Partagé Lyonnais", AddressLine1: "8 rue de la Charité", Postcode: "69002", City: "Lyon",
			RepresentativeName: "Hélène Garnier", RepresentativeTitle: "présidente", Phone: "04 78 00 00 00",
		},
	}
	in := DocumentInput(postgres.View{Contract: c, Parties: contract.Parties{HostName: "Jeanne Martin", StudentName: "Zoé Ngô"}}, st, "fr")
	if in.Stay.FormulaName != "Participation modeste et quelques soirées" {
		t.Errorf("formula %q", in.Stay.FormulaName)
	}
	if strings.Contains(in.Reference, "0190f3a2") || !strings.HasPrefix(in.Reference, "DEMO-2027-") {
		t.Errorf("reference %q", in.Reference)
	}
	a := in.Association
	if a.LegalName != "Association Toit Partagé Lyonnais" || a.Address.String() != "8 rue de la Charité, 69002 Lyon" || a.Representative != "Hélène Garnier" {
		t.Errorf("association %+v", a)
	}
	if in.Host.Name != "Jeanne Martin" || !in.Host.Assisted || in.Student.Name != "Zoé Ngô" {
		t.Errorf("parties %+v %+v", in.Host, in.Student)
	}
	if in.Stay.EveningsPerWeek != 2 || in.Stay.HoursPerWeek != 3 || len(in.Stay.Services) != 1 {
		t.Errorf("stay %+v", in.Stay)
	}
	// Settings not arrived yet: no formula name (the document then says "as agreed"), no id.
	if in := DocumentInput(postgres.View{Contract: c}, nil, ""); in.Stay.FormulaName != "" || in.Association.LegalName != "" {
		t.Errorf("without settings: %+v", in)
	}
}
