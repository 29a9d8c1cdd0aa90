package host

import "github.com/cohabit/cohabit/services/platform/commune"

// locate places an address given without coordinates at its commune's centre, marked
// approximate (commune.Locate; prev is the host's previous address, zero for a new host).
func locate(a, prev Address) Address {
	p := commune.Locate(position(a), position(prev))
	a.Lat, a.Lng, a.Approximate = p.Lat, p.Lng, p.Approximate
	return a
}

func position(a Address) commune.Position {
	return commune.Position{Postcode: a.Postcode, City: a.City, Lat: a.Lat, Lng: a.Lng, Approximate: a.Approximate}
}
