package directory

// Search bounds: what a search asks for when it says nothing, and the most
// it may ask (a distance search reads every entry in its box, so the radius
// is bounded; a page shows a few dozen places at most).
const (
	DefaultRadiusKm = 20  // "near me": a France Services is within 20–30 minutes of 99 % of people (§12)
	MaxRadiusKm     = 200 // the width of a large département
	DefaultLimit    = 20
	MaxLimit        = 200
)
