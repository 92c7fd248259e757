package directory

import "math"

// Point is a position in WGS84 degrees, as in the mediation schema's
// latitude and longitude fields.
type Point struct {
	Lat, Lon float64
}

// Valid reports whether p is a position: latitude within ±90, longitude
// within ±180, neither NaN.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// EarthRadiusKm is the mean radius of the Earth (IUGG), in kilometres.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle distance between a and b in kilometres
// (haversine formula, on a sphere: within 0.5 % of the ellipsoid, far below
// what "how far is the nearest help point" needs).
func DistanceKm(a, b Point) float64 {
	φ1, φ2 := rad(a.Lat), rad(b.Lat)
	dφ, dλ := φ2-φ1, rad(b.Lon-a.Lon)
	h := sq(math.Sin(dφ/2)) + math.Cos(φ1)*math.Cos(φ2)*sq(math.Sin(dλ/2))
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// Box is a latitude/longitude rectangle, bounds included. MinLon > MaxLon
// never happens: a box over the antimeridian is widened to every longitude.
type Box struct {
	MinLat, MaxLat, MinLon, MaxLon float64
}

// AllLongitudes reports whether the box spans every longitude (near a pole
// or over the antimeridian): a query then filters on latitude only.
func (b Box) AllLongitudes() bool { return b.MinLon <= -180 && b.MaxLon >= 180 }

// Contains reports whether p is inside the box.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// BoxAround returns the smallest latitude/longitude box that holds every
// point within radiusKm of c (J. P. Matuschek, "Finding points within a
// distance of a latitude/longitude using bounding coordinates"): the
// database prefilters on it with an index, then DistanceKm decides. It is
// widened by a millionth so that rounding never leaves out a point at the
// exact radius.
func BoxAround(c Point, radiusKm float64) Box {
	δ := radiusKm / EarthRadiusKm * (1 + 1e-6)
	φ := rad(c.Lat)
	b := Box{MinLat: deg(φ - δ), MaxLat: deg(φ + δ), MinLon: -180, MaxLon: 180}
	if b.MinLat <= -90 || b.MaxLat >= 90 || δ >= math.Pi/2 {
		b.MinLat, b.MaxLat = max(b.MinLat, -90), min(b.MaxLat, 90)
		return b
	}
	dλ := deg(math.Asin(math.Sin(δ) / math.Cos(φ)))
	if c.Lon-dλ < -180 || c.Lon+dλ > 180 {
		return b
	}
	b.MinLon, b.MaxLon = c.Lon-dλ, c.Lon+dλ
	return b
}

func rad(d float64) float64 { return d * math.Pi / 180 }
func deg(r float64) float64 { return r * 180 / math.Pi }
func sq(x float64) float64  { return x * x }
