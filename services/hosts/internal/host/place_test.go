package host

import (
	"math"
	"testing"
	"time"
)

func TestAddressWithoutCoordinatesGetsTheCommuneCentre(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	p := validProfile()
	p.Address = Address{Line1: "12 rue Garibaldi", Postcode: "69007", City: "LYON"}
	h, err := New(p, Registration{ID: "h1", ProgrammeID: "p1", At: at})
	if err != nil {
		t.Fatal(err)
	}
	a := h.Record().Profile.Address
	// Lyon 7e arrondissement's centre, not Lyon's (45.75, 4.85 vs 45.76, 4.83).
	if !a.Approximate || math.Abs(a.Lat-45.7452) > 0.01 || math.Abs(a.Lng-4.8420) > 0.01 {
		t.Fatalf("address placed at %v,%v (approximate %v); want the centre of Lyon 7e", a.Lat, a.Lng, a.Approximate)
	}

	// A new postcode moves an approximate position; the person's own coordinates stay.
	p.Address = a
	p.Address.Postcode, p.Address.City = "42000", "Saint-Etienne"
	if err := h.UpdateProfile(p, at); err != nil {
		t.Fatal(err)
	}
	a = h.Record().Profile.Address
	if !a.Approximate || math.Abs(a.Lat-45.43) > 0.02 {
		t.Fatalf("after moving to Saint-Étienne: %v,%v (approximate %v)", a.Lat, a.Lng, a.Approximate)
	}
	p.Address.Lat, p.Address.Lng = 45.4401, 4.3872
	if err := h.UpdateProfile(p, at); err != nil {
		t.Fatal(err)
	}
	if a = h.Record().Profile.Address; a.Approximate || a.Lat != 45.4401 || a.Lng != 4.3872 {
		t.Fatalf("given coordinates became %v,%v (approximate %v)", a.Lat, a.Lng, a.Approximate)
	}
}

func TestUnknownAddressStaysUnplaced(t *testing.T) {
	t.Parallel()
	p := validProfile()
	p.Address = Address{Line1: "1 rue Nulle", Postcode: "99999", City: "Atlantis"}
	h, err := New(p, Registration{ID: "h1", ProgrammeID: "p1", At: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if a := h.Record().Profile.Address; a.Lat != 0 || a.Lng != 0 || a.Approximate {
		t.Fatalf("an unknown commune placed at %v,%v (approximate %v); want unknown (0, 0)", a.Lat, a.Lng, a.Approximate)
	}
}
