package backoffice

import (
	"net/http"
	"strconv"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/french"
	"permis/internal/web"
)

// The agents' agenda of a help point: a day or a week of appointments,
// with attendance.

type agendaPage struct {
	web.Page
	Points   []booking.HelpPoint
	Point    booking.HelpPoint
	Day      date.Date
	Week     bool
	Days     []agendaDay
	Prev     string
	Next     string
	Selected int64
	Closures []booking.Closure
	Close    struct{ From, To, Reason string }
}

type agendaDay struct {
	Day    date.Date
	Items  []agendaItem
	Closed string // why the point is closed that day ("" when open)
}

// Weekday is the day's name: "lundi".
func (d agendaDay) Weekday() string { return french.Weekday(d.Day.Time().Weekday()) }

type agendaItem struct {
	booking.Appointment
	Clock     string
	KindLabel string
	Started   bool
	Shared    *app.TrackView // the request the person let the agents see
}

// StatusLabel names an appointment's state for agents.
func (agendaPage) StatusLabel(s booking.Status) string {
	switch s {
	case booking.Pending:
		return "À confirmer par la personne"
	case booking.Confirmed:
		return "Confirmé"
	case booking.Attended:
		return "Venu"
	case booking.NoShow:
		return "Absent"
	}
	return string(s)
}

func (b *Backoffice) agenda(w http.ResponseWriter, r *http.Request) error {
	return b.agendaPage(w, r, http.StatusOK, nil)
}

func (b *Backoffice) agendaPage(w http.ResponseWriter, r *http.Request, status int, refused *agendaPage) error {
	q := r.URL.Query()
	pts, err := b.appts.HelpPoints(r.Context())
	if err != nil {
		return err
	}
	pg := &agendaPage{Page: web.Page{Title: "Agenda", Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Agenda"}}},
		Points: pts, Week: q.Get("vue") == "semaine", Day: date.Today(b.app.Now())}
	if len(pts) == 0 {
		return b.r.Render(w, r, http.StatusOK, "bo_agenda.html", pg)
	}
	pg.Point = pts[0]
	// Without a choice, the agenda opens on the agent's own site.
	if id, ok := b.appts.MySite(r.Context(), request(r)); ok && q.Get("point") == "" {
		q.Set("point", strconv.FormatInt(id, 10))
	}
	if id, err := strconv.ParseInt(q.Get("point"), 10, 64); err == nil {
		found := false
		for _, p := range pts {
			if p.ID == id {
				pg.Point, found = p, true
			}
		}
		if !found {
			return apperr.New(apperr.NotFound, "Ce point d'accueil n'existe pas.")
		}
	}
	pg.Selected = pg.Point.ID
	if pg.Closures, err = b.appts.Closures(r.Context(), request(r), pg.Point.ID, date.Today(b.app.Now())); err != nil {
		return err
	}
	site, err := booking.NewSite(pg.Point, pg.Closures)
	if err != nil {
		return err
	}
	if d, err := date.ParseTyped(q.Get("jour")); err == nil {
		pg.Day = d
	} else {
		pg.Day = nextWorkingDay(site, pg.Day)
	}
	span := 1
	if pg.Week {
		span = 7
	}
	to := pg.Day.AddDays(span - 1)
	aps, err := b.appts.Agenda(r.Context(), request(r), pg.Point.ID, pg.Day, to)
	if err != nil {
		return err
	}
	_, kinds, err := b.appts.Place(r.Context(), pg.Point.ID)
	if err != nil {
		return err
	}
	label := map[int64]string{}
	for _, k := range kinds {
		label[k.ID] = k.Label
	}
	for i := range span {
		d := pg.Day.AddDays(i)
		pg.Days = append(pg.Days, agendaDay{Day: d, Closed: closedReason(site, d)})
	}
	now := b.app.Now()
	for _, ap := range aps {
		i := int(date.Today(ap.Start)) - int(pg.Day)
		if i < 0 || i >= span {
			continue
		}
		item := agendaItem{Appointment: ap, Clock: booking.FrenchClock(ap.Start), KindLabel: label[ap.KindID], Started: !now.Before(ap.Start)}
		if tv, ok, err := b.appts.SharedRequest(r.Context(), request(r), ap.ID); err != nil {
			return err
		} else if ok {
			item.Shared = &tv
		}
		pg.Days[i].Items = append(pg.Days[i].Items, item)
	}
	view := ""
	if pg.Week {
		view = "&vue=semaine"
	}
	base := "/agents/agenda?point=" + strconv.FormatInt(pg.Point.ID, 10) + view + "&jour="
	pg.Prev, pg.Next = base+pg.Day.AddDays(-span).String(), base+pg.Day.AddDays(span).String()
	if refused != nil {
		pg.Errors, pg.Close = refused.Errors, refused.Close
	}
	return b.r.Render(w, r, status, "bo_agenda.html", pg)
}

// nextWorkingDay is the first day from "from" on which the site opens
// (its opening hours, public holidays and closures), or "from" itself when
// none opens within a month.
func nextWorkingDay(site booking.Site, from date.Date) date.Date {
	for i := range 31 {
		if d := from.AddDays(i); closedReason(site, d) == "" {
			return d
		}
	}
	return from
}

// closedReason says why the site is closed on day d, or "" when it opens.
func closedReason(site booking.Site, d date.Date) string {
	if c, ok := site.ClosedOn(d); ok {
		if c.Reason != "" {
			return "Fermé : " + c.Reason
		}
		return "Fermé ce jour."
	}
	if len(site.Hours.Intervals(d, site.Departement)) == 0 {
		return "Fermé ce jour (en dehors des horaires d'ouverture)."
	}
	return ""
}

func (b *Backoffice) attendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	ap, err := b.appts.SetAttendance(r.Context(), request(r), id, r.PostForm.Get("venu") == "oui")
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/agents/agenda?point="+strconv.FormatInt(ap.HelpPointID, 10)+"&jour="+date.Today(ap.Start).String(), http.StatusSeeOther)
	return nil
}

// closeDays blocks days of the help point in the form.
func (b *Backoffice) closeDays(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	refused := &agendaPage{}
	refused.Close.From, refused.Close.To, refused.Close.Reason = r.PostForm.Get("from"), r.PostForm.Get("to"), r.PostForm.Get("reason")
	r.URL.RawQuery = "point=" + strconv.FormatInt(id, 10)
	from, ferr := date.ParseTyped(refused.Close.From)
	to, terr := date.ParseTyped(refused.Close.To)
	if ferr != nil || terr != nil {
		refused.Errors = []web.FieldError{{Field: "close-from", Message: "Indiquez les dates de fermeture."}}
		return b.agendaPage(w, r, http.StatusUnprocessableEntity, refused)
	}
	if _, err := b.appts.CloseDays(r.Context(), request(r), id, from, to, refused.Close.Reason); err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
			return err
		}
		refused.Errors = web.FieldErrors(e.Fields, "to", "reason")
		if len(refused.Errors) == 0 {
			refused.Errors = []web.FieldError{{Message: e.Message}}
		}
		return b.agendaPage(w, r, apperr.Status(e.Code), refused)
	}
	http.Redirect(w, r, "/agents/agenda?point="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// reopen removes a closure.
func (b *Backoffice) reopen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(r, "closure")
	if err != nil {
		return err
	}
	if err := b.appts.Reopen(r.Context(), request(r), id, cid); err != nil {
		return err
	}
	http.Redirect(w, r, "/agents/agenda?point="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
