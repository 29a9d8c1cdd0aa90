package student

import "github.com/cohabit/cohabit/services/platform/commune"

// locate places a place of study given without coordinates at its commune's centre, marked
// approximate (commune.Locate; a city alone names the most populous of homonyms; prev is
// the student's previous place, zero for a new student).
func locate(sp, prev StudyPlace) StudyPlace {
	p := commune.Locate(position(sp), position(prev))
	sp.Lat, sp.Lng, sp.Approximate = p.Lat, p.Lng, p.Approximate
	return sp
}

func position(sp StudyPlace) commune.Position {
	return commune.Position{Postcode: sp.Postcode, City: sp.City, Lat: sp.Lat, Lng: sp.Lng, Approximate: sp.Approximate}
}
