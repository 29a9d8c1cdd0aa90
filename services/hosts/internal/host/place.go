package host

import "github.com/cohabit/cohabit/services/platform/commune"

// locate places an address the person gave without coordinates (Lat and Lng both 0): at
// the centre of its commune, found from Postcode and City in the platform's table of French
// communes (offline), marked Approximate. Coordinates the person gave are kept as they are
// (not approximate). An approximate position follows the address: coordinates equal to the
// previous address's approximate ones (prev; the zero Address for a new host) count as not
// given, so that a change of postcode or city places the home again. An address the table
// does not know stays at (0, 0), unknown: matching then says the distance is unknown rather
// than 0 km.
func locate(a, prev Address) Address {
	if (a.Lat != 0 || a.Lng != 0) && !(prev.Approximate && a.Lat == prev.Lat && a.Lng == prev.Lng) {
		a.Approximate = false
		return a
	}
	a.Lat, a.Lng, a.Approximate = 0, 0, false
	t, err := commune.Shared()
	if err != nil { // the table is compiled in: only a broken build fails here
		return a
	}
	if p, ok := t.Find(a.Postcode, a.City); ok {
		a.Lat, a.Lng, a.Approximate = p.Lat, p.Lng, true
	}
	return a
}
