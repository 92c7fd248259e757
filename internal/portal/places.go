package portal

import (
	"net/http"
	"strconv"
	"time"

	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/apperr"
	"permis/internal/directory"
	"permis/internal/openinghours"
	"permis/internal/store"
	"permis/internal/web"
)

// The directories: help points, approved photographers and booths,
// approved doctors and the medical commission, searched by commune, postal
// code and distance, "open now".

type placesPage struct {
	web.Page
	Place    string
	Kinds    map[directory.Kind]bool
	OpenNow  bool
	Radius   int
	Searched bool
	Result   app.DirectoryResult
}

// KindChoices are the form's checkboxes.
func (placesPage) KindChoices() []directory.Kind { return directory.Kinds() }

// RadiusChoices are the distances offered, in km.
func (placesPage) RadiusChoices() []int { return []int{5, 10, 20, 50} }

// StateOf says whether a result is open at the search's instant.
func (pg placesPage) StateOf(h store.DirectoryHit) string { return stateLabel(h.Entry, pg.Result.At) }

// Distance writes a distance the French way: "3,2 km".
func (placesPage) Distance(km float64) string {
	return stringsReplaceDot(strconv.FormatFloat(km, 'f', 1, 64)) + "\u00a0km"
}

func stringsReplaceDot(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

func stateLabel(e directory.Entry, at time.Time) string {
	st, comment := e.StateAt(at)
	switch st {
	case openinghours.Open:
		return "Ouvert en ce moment"
	case openinghours.Closed:
		return "Fermé en ce moment"
	}
	if comment != "" {
		return comment
	}
	return ""
}

func (p *Portal) places(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg := &placesPage{Page: web.Page{Title: "Trouver un lieu d'aide, un photographe ou un médecin agréé"},
		Place: q.Get("lieu"), OpenNow: q.Get("ouvert") == "oui", Kinds: map[directory.Kind]bool{}, Radius: 20}
	if n, err := strconv.Atoi(q.Get("rayon")); err == nil && n > 0 && n <= directory.MaxRadiusKm {
		pg.Radius = n
	}
	var kinds []directory.Kind
	for _, s := range q["type"] {
		if k, ok := directory.ParseKind(s); ok {
			kinds = append(kinds, k)
			pg.Kinds[k] = true
		}
	}
	if len(kinds) == 0 {
		pg.Kinds[directory.HelpPoint] = true
		kinds = []directory.Kind{directory.HelpPoint}
	}
	pg.Searched = len(q) > 0
	res, err := p.app.SearchDirectory(r.Context(), app.DirectoryQuery{Place: pg.Place, Kinds: kinds, OpenNow: pg.OpenNow, RadiusKm: float64(pg.Radius)})
	if err != nil {
		return p.refuse(w, r, "places.html", pg, err)
	}
	pg.Result = res
	return p.r.Render(w, r, http.StatusOK, "places.html", pg)
}

type placePage struct {
	web.Page
	Entry directory.Entry
	State string
	Week  []app.OpeningDay
	// Booking is where a help point's visitors book an appointment: its
	// own booking page when it takes appointments online, else the list of
	// the help points that do; "" for the other kinds of place.
	Booking     string
	BookingHere bool // Booking is this help point's own
	// Approval is an approved doctor's approval and its validity, when the
	// doctor has an account on the service (issue 13).
	Approval *medicalapp.PublicApproval
}

func (p *Portal) place(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Ce lieu n'existe pas.")
	}
	e, err := p.app.DirectoryEntry(r.Context(), id)
	if err != nil {
		return err
	}
	pg := &placePage{Page: web.Page{Title: e.Name, Breadcrumb: []web.Link{{Href: "/points-accueil", Text: "Trouver un lieu"}, {Text: e.Name}}},
		Entry: e, State: stateLabel(e, p.app.Now()), Week: p.app.Week(e)}
	if e.Kind == directory.HelpPoint {
		pg.Booking = "/rendez-vous"
		pts, err := p.appts.HelpPoints(r.Context())
		if err != nil {
			return err
		}
		// The same place: the same commune and the same name (the help
		// points that take appointments are directory entries, booking's
		// DemoHelpPoints); another place of the commune only leads to the
		// list.
		for _, hp := range pts {
			if e.INSEE != "" && hp.INSEE == e.INSEE && directory.FoldName(hp.Name) == directory.FoldName(e.Name) {
				pg.Booking, pg.BookingHere = "/rendez-vous/"+strconv.FormatInt(hp.ID, 10), true
				break
			}
		}
	}
	if e.Kind == directory.ApprovedDoctor && e.ApprovalNumber != "" {
		a, err := p.medical.ApprovalOf(r.Context(), e.ApprovalNumber)
		switch {
		case err == nil:
			pg.Approval = &a
		case !apperr.Is(err, apperr.NotFound):
			return err
		}
	}
	return p.r.Render(w, r, http.StatusOK, "place.html", pg)
}
