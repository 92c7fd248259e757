package backoffice

import (
	"net/http"
	"strconv"
	"time"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
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
}

type agendaDay struct {
	Day   date.Date
	Items []agendaItem
}

type agendaItem struct {
	booking.Appointment
	Clock     string
	KindLabel string
	Started   bool
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
	q := r.URL.Query()
	pts, err := b.appts.HelpPoints(r.Context())
	if err != nil {
		return err
	}
	pg := &agendaPage{Page: web.Page{Title: "Agenda", Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Agenda"}}},
		Points: pts, Week: q.Get("vue") == "semaine", Day: date.Today(time.Now())}
	if len(pts) == 0 {
		return b.r.Render(w, r, http.StatusOK, "bo_agenda.html", pg)
	}
	pg.Point = pts[0]
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
	if d, err := date.Parse(q.Get("jour")); err == nil {
		pg.Day = d
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
		pg.Days = append(pg.Days, agendaDay{Day: pg.Day.AddDays(i)})
	}
	now := time.Now()
	for _, ap := range aps {
		i := int(date.Today(ap.Start)) - int(pg.Day)
		if i < 0 || i >= span {
			continue
		}
		pg.Days[i].Items = append(pg.Days[i].Items, agendaItem{Appointment: ap, Clock: booking.FrenchClock(ap.Start),
			KindLabel: label[ap.KindID], Started: !now.Before(ap.Start)})
	}
	view := ""
	if pg.Week {
		view = "&vue=semaine"
	}
	base := "/agents/agenda?point=" + strconv.FormatInt(pg.Point.ID, 10) + view + "&jour="
	pg.Prev, pg.Next = base+pg.Day.AddDays(-span).String(), base+pg.Day.AddDays(span).String()
	return b.r.Render(w, r, http.StatusOK, "bo_agenda.html", pg)
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
