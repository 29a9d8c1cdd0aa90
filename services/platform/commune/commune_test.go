package commune_test

import (
	"math"
	"testing"

	"github.com/cohabit/cohabit/services/platform/commune"
)

func table(t *testing.T) *commune.Table {
	t.Helper()
	tb, err := commune.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestTableSize(t *testing.T) {
	t.Parallel()
	if n := table(t).Len(); n < 25000 {
		t.Fatalf("table holds %d places, want the communes of France (about 30,000)", n)
	}
}

// near reports whether (lat, lng) is within km of want (a rough flat distance is enough
// here: these are checks of the right town, not of a metre).
func near(lat, lng float64, want [2]float64, km float64) bool {
	dy := (lat - want[0]) * 111.2
	dx := (lng - want[1]) * 111.2 * math.Cos(want[0]*math.Pi/180)
	return math.Hypot(dx, dy) <= km
}

func TestFind(t *testing.T) {
	t.Parallel()
	tb := table(t)
	for _, tc := range []struct {
		name           string
		postcode, city string
		code           string
		at             [2]float64 // the town's centre, within 3 km
	}{
		{"postcode and city", "42000", "Saint-Étienne", "42218", [2]float64{45.4347, 4.3903}},
		{"St for Saint, no accent, upper case", "42000", "ST ETIENNE", "42218", [2]float64{45.4347, 4.3903}},
		{"city alone", "", "saint étienne", "42218", [2]float64{45.4347, 4.3903}},
		{"cedex", "42100", "Saint-Etienne Cedex 2", "42218", [2]float64{45.4347, 4.3903}},
		{"Sainte as Ste", "", "Ste-Foy-lès-Lyon", "69202", [2]float64{45.7336, 4.8025}},
		{"apostrophes and hyphens", "", "villeneuve d ascq", "59009", [2]float64{50.6233, 3.1450}},
		{"Paris by postcode", "75011", "Paris", "75111", [2]float64{48.8590, 2.3800}},
		{"Paris 16 has two postcodes", "75116", "PARIS", "75116", [2]float64{48.8637, 2.2769}},
		{"Paris arrondissement by name", "", "Paris 5e", "75105", [2]float64{48.8448, 2.3471}},
		{"Lyon arrondissement spelt out", "", "Lyon 7ème arrondissement", "69387", [2]float64{45.7452, 4.8420}},
		{"Lyon by postcode", "69003", "Lyon", "69383", [2]float64{45.7612, 4.8518}},
		{"Marseille 1er", "", "Marseille 1er", "13201", [2]float64{43.2999, 5.3841}},
		{"Marseille by postcode", "13013", "marseille", "13213", [2]float64{43.3186, 5.4084}},
		{"the postcode wins over a city it does not serve", "69100", "Lyon", "69266", [2]float64{45.7660, 4.8795}},
		{"postcode written in the city", "", "69007 Lyon", "69387", [2]float64{45.7452, 4.8420}},
		{"a commune among several of one postcode", "27950", "Saint-Marcel", "27562", [2]float64{49.0963, 1.4473}},
		{"Corsica", "20000", "Ajaccio", "2A004", [2]float64{41.9192, 8.7386}},
		{"an old name of a merged commune", "", "Annecy-le-Vieux", "74011", [2]float64{45.9197, 6.1439}},
		{"commune nouvelle named after its town", "50100", "Cherbourg-en-Cotentin", "50129", [2]float64{49.6398, -1.6164}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ok := tb.Find(tc.postcode, tc.city)
			if !ok {
				t.Fatalf("Find(%q, %q) found nothing", tc.postcode, tc.city)
			}
			if p.Code != tc.code {
				t.Errorf("Find(%q, %q) = %s %s, want code %s", tc.postcode, tc.city, p.Code, p.Name, tc.code)
			}
			if !near(p.Lat, p.Lng, tc.at, 3) {
				t.Errorf("Find(%q, %q) at %.4f,%.4f, want within 3 km of %v", tc.postcode, tc.city, p.Lat, p.Lng, tc.at)
			}
		})
	}
}

func TestFindPrecision(t *testing.T) {
	t.Parallel()
	tb := table(t)
	if p, _ := tb.Find("69007", "Lyon"); p.Precision != commune.CommuneCentre {
		t.Errorf("Lyon 7e: precision %d, want the commune's centre", p.Precision)
	}
	// 27950 serves nine communes: a city that names none of them gets the postcode's area.
	p, ok := tb.Find("27950", "Nowhere-sur-Rien")
	if !ok || p.Precision != commune.PostcodeArea {
		t.Errorf("27950 with an unknown city = %+v, %v; want the postcode's area", p, ok)
	}
}

func TestFindUnknown(t *testing.T) {
	t.Parallel()
	tb := table(t)
	for _, tc := range [][2]string{
		{"", ""},
		{"", "Atlantis"},
		{"99999", "Atlantis"},
		{"", "Paris 42e"},
		{"abcde", ""},
	} {
		if p, ok := tb.Find(tc[0], tc[1]); ok {
			t.Errorf("Find(%q, %q) = %+v, want not found", tc[0], tc[1], p)
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Saint-Étienne":        "saint etienne",
		"ST ETIENNE":           "saint etienne",
		"st étienne cedex 2":   "saint etienne",
		"L'Haÿ-les-Roses":      "l hay les roses",
		"Ste Foy lès Lyon":     "sainte foy les lyon",
		"  Schœlcher ":         "schoelcher",
		"Lyon 7ème":            "lyon 7eme",
		"Châlons-en-Champagne": "chalons en champagne",
	} {
		if got := commune.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
