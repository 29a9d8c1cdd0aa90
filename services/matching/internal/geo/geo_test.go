package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestHaversineKnownDistances(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want, tol              float64
	}{
		{"same place", 48.8566, 2.3522, 48.8566, 2.3522, 0, 0},
		{"Paris–Lyon", 48.8566, 2.3522, 45.7640, 4.8357, 391.5, 1.5},
		{"Paris–Marseille", 48.8566, 2.3522, 43.2965, 5.3698, 661, 2},
		{"one degree of latitude", 45, 3, 46, 3, 111.19, 0.01},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm, 1e-6},
		{"across the date line", 0, 179.5, 0, -179.5, 111.19, 0.01},
	} {
		got := Haversine(tc.lat1, tc.lng1, tc.lat2, tc.lng2)
		if math.Abs(got-tc.want) > tc.tol {
			t.Errorf("%s: Haversine = %.4f km, want %.4f ± %g", tc.name, got, tc.want, tc.tol)
		}
	}
}

func TestHaversineSymmetricAndDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		a1, o1 := r.Float64()*180-90, r.Float64()*360-180
		a2, o2 := r.Float64()*180-90, r.Float64()*360-180
		d := Haversine(a1, o1, a2, o2)
		if d2 := Haversine(a1, o1, a2, o2); d2 != d {
			t.Fatalf("not deterministic: %v vs %v", d, d2)
		}
		if d2 := DistanceKm(NewPoint(a1, o1), NewPoint(a2, o2)); d2 != d {
			t.Fatalf("Haversine and DistanceKm differ: %v vs %v", d, d2)
		}
		if back := Haversine(a2, o2, a1, o1); math.Abs(back-d) > 1e-9 {
			t.Fatalf("not symmetric: %v vs %v", d, back)
		}
	}
}

// The chord bound must never reject a place the haversine distance accepts, at every scale
// (metres to continents), which the candidate search relies on.
func TestChordBoundIsConservative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 200000 {
		lat, lng := r.Float64()*170-85, r.Float64()*360-180
		scale := math.Pow(10, -4+6*r.Float64()) // 1e-4° .. 100°
		lat2 := math.Max(-90, math.Min(90, lat+(r.Float64()*2-1)*scale))
		lng2 := lng + (r.Float64()*2-1)*scale
		d := Haversine(lat, lng, lat2, lng2)
		c2 := Chord2(UnitVec(lat, lng), UnitVec(lat2, lng2))
		if lb := ChordLowerKm(c2); lb > d {
			t.Fatalf("#%d: chord lower bound %.9f > haversine %.9f", i, lb, d)
		}
		if c2 > MaxChord2(d) {
			t.Fatalf("#%d: place at %.9f km rejected by MaxChord2(%.9f)", i, d, d)
		}
	}
}
