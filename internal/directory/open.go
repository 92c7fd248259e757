package directory

import (
	"time"

	"permis/internal/openinghours"
)

// Schedule parses the opening hours; nil and no error when there are none.
func (e Entry) Schedule() (*openinghours.Schedule, error) {
	if e.OpeningHours == "" {
		return nil, nil
	}
	return openinghours.Parse(e.OpeningHours)
}

// StateAt says whether the place is open at t, with the public holidays of
// its département. Without opening hours, or with hours that cannot be
// read, the state is unknown.
func (e Entry) StateAt(t time.Time) (openinghours.State, string) {
	s, err := e.Schedule()
	if s == nil || err != nil {
		return openinghours.Unknown, ""
	}
	return s.StateAt(t, e.Departement())
}

// OpenAt reports whether the place is open at t ("open now"). Unknown is
// not open.
func (e Entry) OpenAt(t time.Time) bool {
	st, _ := e.StateAt(t)
	return st == openinghours.Open
}
