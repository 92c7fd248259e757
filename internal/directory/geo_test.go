package directory

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	deg := 2 * math.Pi * EarthRadiusKm / 360 // one degree of a great circle: 111.195 km
	tests := []struct {
		name string
		a, b Point
		want float64
	}{
		{"same point", Point{43.6, 3.9}, Point{43.6, 3.9}, 0},
		{"one degree of latitude", Point{43, 3}, Point{44, 3}, deg},
		{"one degree of longitude on the equator", Point{0, 10}, Point{0, 11}, deg},
		{"antipodes", Point{0, 0}, Point{0, 180}, 180 * deg},
		{"over the antimeridian", Point{0, 179.5}, Point{0, -179.5}, deg},
		// Montpellier préfecture to Béziers town centre, 61 km as the crow flies (spherical law of cosines).
		{"Montpellier–Béziers", Point{43.6116, 3.8771}, Point{43.344, 3.216}, 61.08},
	}
	for _, tt := range tests {
		got := DistanceKm(tt.a, tt.b)
		if math.Abs(got-tt.want) > 0.01 {
			t.Errorf("%s: DistanceKm = %.3f, want %.3f", tt.name, got, tt.want)
		}
		if back := DistanceKm(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: not symmetric: %v and %v", tt.name, got, back)
		}
	}
}

// TestBoxAround checks the property the store relies on: every point
// within the radius is in the box, so the prefilter never loses one.
func TestBoxAround(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := []Point{{43.61, 3.88}, {0, 0}, {-20.9, 55.5}, {89.9, 10}, {-89.5, 0}, {10, 179.9}, {60, -179.99}}
	for _, c := range centres {
		for _, r := range []float64{0.5, 20, 200, 3000} {
			b := BoxAround(c, r)
			for range 2000 {
				p := Point{c.Lat + (rng.Float64()*2-1)*30, c.Lon + (rng.Float64()*2-1)*60}
				if p.Lat > 90 || p.Lat < -90 {
					continue
				}
				p.Lon = math.Mod(p.Lon+540, 360) - 180
				if DistanceKm(c, p) <= r && !b.Contains(p) {
					t.Fatalf("centre %v radius %v: %v at %.3f km is outside %+v", c, r, p, DistanceKm(c, p), b)
				}
			}
		}
	}
	// Tight enough to be an index's work: 20 km around Montpellier is some
	// 40 km across, not a whole band of the globe.
	b := BoxAround(Point{43.61, 3.88}, 20)
	if b.AllLongitudes() || b.MaxLat-b.MinLat > 0.37 || b.MaxLon-b.MinLon > 0.5 {
		t.Fatalf("box too wide: %+v", b)
	}
	if !BoxAround(Point{10, 179.9}, 50).AllLongitudes() || !BoxAround(Point{89.9, 0}, 50).AllLongitudes() {
		t.Fatal("a box over the antimeridian or a pole must span every longitude")
	}
}
