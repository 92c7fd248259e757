package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/directory"
	"permis/internal/store"
)

// The public directories: help points, approved photographers and booths,
// approved doctors and the medical commission. Public data of businesses
// and services: no personal data, nothing audited.

// DirectoryQuery is a search as people type it.
type DirectoryQuery struct {
	Place    string // a commune or a postal code ("Lodève", "34700", "34"); empty: the whole directory
	Kinds    []directory.Kind
	OpenNow  bool
	RadiusKm float64
}

// DirectoryResult is what the search found.
type DirectoryResult struct {
	Place *directory.Place // the place searched around, when a commune was recognised
	Hits  []store.DirectoryHit
	At    time.Time // the instant "open now" was evaluated at
}

// SearchDirectory finds the entries near a commune (by distance), in a
// postal code, or all of them, of the given kinds, optionally open now.
func (a *App) SearchDirectory(ctx context.Context, q DirectoryQuery) (DirectoryResult, error) {
	now := a.clock.Now()
	res := DirectoryResult{At: now}
	f := store.DirectoryFilter{Kinds: q.Kinds, RadiusKm: q.RadiusKm, Limit: 50}
	place := strings.TrimSpace(q.Place)
	if place != "" {
		if pl, ok := directory.LookupPlace(place); ok {
			res.Place = &pl
			f.Near = &pl.Point
		} else if digitsOnly(place) && len(place) <= 5 {
			f.PostalCode = place
		} else {
			return res, apperr.Field("lieu", fmt.Sprintf("Nous ne trouvons pas « %s ». Saisissez le nom d'une commune de l'Hérault, par exemple Lodève, ou un code postal.", place))
		}
	}
	if q.OpenNow {
		f.OpenAt = &now
	}
	hits, err := a.store.SearchDirectory(ctx, f)
	if err != nil {
		return res, err
	}
	res.Hits = hits
	return res, nil
}

func digitsOnly(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// DirectoryEntry returns one entry of the directories.
func (a *App) DirectoryEntry(ctx context.Context, id int64) (directory.Entry, error) {
	return a.store.FindDirectoryEntry(ctx, id)
}

// OpeningDay is one day of a place's week.
type OpeningDay struct {
	Day   date.Date
	Hours string // "9 h – 12 h, 14 h – 17 h", "fermé", or "" when unknown
}

// Week returns the opening hours of the next seven days, from today.
func (a *App) Week(e directory.Entry) []OpeningDay {
	s, err := e.Schedule()
	if s == nil || err != nil {
		return nil
	}
	today := a.today()
	out := make([]OpeningDay, 7)
	for i := range out {
		d := today.AddDays(i)
		var parts []string
		for _, iv := range s.Intervals(d, e.Departement()) {
			parts = append(parts, clockTime(iv.From)+" – "+clockTime(iv.To))
		}
		out[i] = OpeningDay{Day: d, Hours: strings.Join(parts, ", ")}
		if out[i].Hours == "" {
			out[i].Hours = "fermé"
		}
	}
	return out
}

// clockTime writes minutes after midnight the French way: "9 h", "13 h 30".
func clockTime(m int) string {
	h, mm := m/60, m%60
	if mm == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %02d", h, mm)
}
