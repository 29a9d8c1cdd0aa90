// Package geo holds the distance computations of matching: the great-circle (haversine)
// distance between two places given in decimal degrees, and the cheap, conservative bounds
// the candidate search uses to reject far places before computing it.
//
// Pure: no I/O. Deterministic: the same inputs give bit-identical outputs, which the score
// package relies on (its column layout and its one-pair Score must agree exactly).
package geo

import "math"

// EarthRadiusKm is the mean Earth radius (IUGG), in kilometres.
const EarthRadiusKm = 6371.0088

const degToRad = math.Pi / 180

// Radians converts decimal degrees to radians.
func Radians(deg float64) float64 { return deg * degToRad }

// Point is a place prepared for repeated distance computations: latitude and longitude in
// radians and the cosine of the latitude. Prepare it once with NewPoint.
type Point struct {
	Lat, Lng, CosLat float64
}

// NewPoint prepares the place at (lat, lng), in decimal degrees.
func NewPoint(latDeg, lngDeg float64) Point {
	lat := Radians(latDeg)
	return Point{Lat: lat, Lng: Radians(lngDeg), CosLat: math.Cos(lat)}
}

// Haversine is the great-circle distance in kilometres between two places given in decimal
// degrees.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	return DistanceKm(NewPoint(lat1, lng1), NewPoint(lat2, lng2))
}

// DistanceKm is the haversine great-circle distance in kilometres between two prepared
// points. Haversine(a, b) == DistanceKm(NewPoint(a), NewPoint(b)) bit for bit.
func DistanceKm(a, b Point) float64 {
	sLat := math.Sin((b.Lat - a.Lat) / 2)
	sLng := math.Sin((b.Lng - a.Lng) / 2)
	// Explicit conversions forbid fused multiply-adds, so every caller rounds alike.
	h := float64(sLat*sLat) + float64(float64(a.CosLat*b.CosLat)*float64(sLng*sLng))
	if h > 1 {
		h = 1
	}
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h))
}

// Vec is a point on the unit sphere (x, y, z). The straight-line (chord) distance between
// two Vecs never exceeds the great-circle distance between their places, so it gives a cheap
// lower bound on DistanceKm (see ChordKm).
type Vec struct{ X, Y, Z float64 }

// UnitVec is the unit vector of the place at (lat, lng), in decimal degrees.
func UnitVec(latDeg, lngDeg float64) Vec {
	lat, lng := Radians(latDeg), Radians(lngDeg)
	c := math.Cos(lat)
	return Vec{c * math.Cos(lng), c * math.Sin(lng), math.Sin(lat)}
}

// Chord2 is the squared chord length between two unit vectors (in Earth radii squared).
func Chord2(a, b Vec) float64 {
	dx, dy, dz := a.X-b.X, a.Y-b.Y, a.Z-b.Z
	return dx*dx + dy*dy + dz*dz
}

// ChordSlackKm absorbs the rounding of unit vectors and of the haversine formula when the
// chord bound is compared with a haversine distance: bounds built from chords are widened by
// this much, so they never reject a place the haversine distance would accept.
const ChordSlackKm = 1e-3

// MaxChord2 is the squared chord (unit sphere) beyond which a place is certainly farther than
// km along the great circle: chord ≤ arc, widened by ChordSlackKm. km < 0 gives -1 (nothing
// is that close); an infinite km gives +Inf.
func MaxChord2(km float64) float64 {
	if km < 0 {
		return -1
	}
	c := (km + ChordSlackKm) / EarthRadiusKm
	return c * c
}

// ChordLowerKm is a lower bound, in kilometres, of the great-circle distance between two
// places whose squared unit chord is chord2, taking rounding into account.
func ChordLowerKm(chord2 float64) float64 {
	d := math.Sqrt(chord2)*EarthRadiusKm - ChordSlackKm
	if d < 0 {
		return 0
	}
	return d
}
