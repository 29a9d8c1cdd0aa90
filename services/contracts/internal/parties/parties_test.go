package parties

import (
	"testing"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
)

func TestHostAndStudent(t *testing.T) {
	t.Parallel()
	h := Host(&hostsv1.Host{
		DisplayName: "Jeanne Martin", BirthDate: "1948-03-12", Phone: "+33 6 12 34 56 78", Email: "jeanne@example.org",
		Address:             &hostsv1.Address{Line1: "12 rue Victor Hugo", Postcode: "69002", City: "Lyon", Lat: 45.75, Lng: 4.83},
		Guardianship:        hostsv1.Guardianship_GUARDIANSHIP_CURATELLE,
		LegalRepresentative: &hostsv1.LegalRepresentative{Name: "Marc Martin", Relationship: "fils", Phone: "+33 6 98 76 54 32"},
	})
	if h.Name != "Jeanne Martin" || h.BirthDate.String() != "1948-03-12" || h.Address.String() != "12 rue Victor Hugo, 69002 Lyon" || h.Phone == "" || h.Email == "" {
		t.Errorf("host %+v", h)
	}
	if r := h.Representative; r == nil || r.Name != "Marc Martin" || r.Measure != document.MeasureCuratelle || r.Relationship != "fils" {
		t.Errorf("representative %+v", h.Representative)
	}
	if h := Host(&hostsv1.Host{DisplayName: "Paul", Guardianship: hostsv1.Guardianship_GUARDIANSHIP_NONE}); h.Representative != nil || !h.BirthDate.IsZero() {
		t.Errorf("a host without a measure: %+v", h)
	}
	s := Student(&studentsv1.Student{DisplayName: "Zoé Ngô", BirthDate: "2004-09-30", Institution: "Lyon 2", Phone: "+33 7 11 22 33 44", Email: "zoe@example.org", Gender: typev1.Gender_GENDER_FEMALE})
	if s.Name != "Zoé Ngô" || s.BirthDate.String() != "2004-09-30" || s.Institution != "Lyon 2" || !s.Female || s.Email == "" {
		t.Errorf("student %+v", s)
	}
}
