package student

import "github.com/cohabit/cohabit/services/platform/commune"

// locate places a place of study given without coordinates (Lat and Lng both 0): at the
// centre of its commune, found from Postcode and City in the platform's table of French
// communes (offline; a city alone names the most populous of homonyms), marked Approximate.
// Coordinates the student gave are kept as they are. An approximate position follows the
// place: coordinates equal to the previous place's approximate ones (prev; the zero
// StudyPlace for a new student) count as not given, so that a change of city places it
// again. A place the table does not know stays at (0, 0), unknown: matching then says the
// distance is unknown rather than 0 km.
func locate(sp, prev StudyPlace) StudyPlace {
	if (sp.Lat != 0 || sp.Lng != 0) && !(prev.Approximate && sp.Lat == prev.Lat && sp.Lng == prev.Lng) {
		sp.Approximate = false
		return sp
	}
	sp.Lat, sp.Lng, sp.Approximate = 0, 0, false
	t, err := commune.Shared()
	if err != nil { // the table is compiled in: only a broken build fails here
		return sp
	}
	if p, ok := t.Find(sp.Postcode, sp.City); ok {
		sp.Lat, sp.Lng, sp.Approximate = p.Lat, p.Lng, true
	}
	return sp
}
