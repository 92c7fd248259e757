package portal

import (
	"net/http"
	"strconv"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/web"
)

// openRequests lists what a signed-in citizen may share with the help
// point; nothing for anyone else.
func (p *Portal) openRequests(r *http.Request) []store.Request {
	if st, ok := stateOf(r); !ok || st.Pending || st.Account.Role != "citizen" {
		return nil
	}
	rs, err := p.appts.OpenRequests(r.Context(), request(r))
	if err != nil {
		return nil
	}
	return rs
}

// Appointments at help points, with or without an account: one choice per
// page (where, what, when, who), each a GET until the booking itself, so
// that the Back button always works; then the links the mails carry
// (confirm, manage: cancel or move, decline an offer, the waiting list).
// Links from mails show a page with a button: a mail program that follows
// links to preview them changes nothing.

const bookingSteps = 4

func steps(n int, title, next string) *web.Steps {
	return &web.Steps{Current: n, Total: bookingSteps, Title: title, NextTitle: next}
}

type bookPage struct {
	web.Page
	Points []booking.HelpPoint
	Point  booking.HelpPoint
	Kinds  []booking.Kind
	Kind   booking.Kind
	Days   []slotDay
	Week   int
	Start  time.Time
	When   string
	Form   booking.Contact
	Booked *app.Booked
	View   *app.AppointmentView
	Token  string
	Done   string
	// OpenRequests are the signed-in person's open licence requests,
	// which they may let the help point see; Share is the one chosen.
	OpenRequests []store.Request
	Share        int64
}

type slotDay struct {
	Day   string
	Slots []slotChoice
}

type slotChoice struct {
	Unix  int64
	Clock string
	Free  int
}

func (p *Portal) pointAndKind(r *http.Request) (booking.HelpPoint, []booking.Kind, booking.Kind, error) {
	hpID, err := strconv.ParseInt(r.PathValue("point"), 10, 64)
	if err != nil {
		return booking.HelpPoint{}, nil, booking.Kind{}, apperr.New(apperr.NotFound, "Ce lieu n'existe pas.")
	}
	hp, kinds, err := p.appts.Place(r.Context(), hpID)
	if err != nil {
		return hp, nil, booking.Kind{}, err
	}
	code := r.PathValue("kind")
	if code == "" {
		return hp, kinds, booking.Kind{}, nil
	}
	for _, k := range kinds {
		if k.Code == code {
			return hp, kinds, k, nil
		}
	}
	return hp, kinds, booking.Kind{}, apperr.New(apperr.NotFound, "Ce lieu ne propose pas ce type de rendez-vous.")
}

// bookWhere lists the help points.
func (p *Portal) bookWhere(w http.ResponseWriter, r *http.Request) error {
	pts, err := p.appts.HelpPoints(r.Context())
	if err != nil {
		return err
	}
	pg := &bookPage{Page: web.Page{Title: "Prendre rendez-vous dans un point d'accueil", Steps: steps(1, "Où ?", "Pour quoi ?")}, Points: pts}
	return p.r.Render(w, r, http.StatusOK, "book_where.html", pg)
}

// bookWhat lists the kinds of appointment of a help point.
func (p *Portal) bookWhat(w http.ResponseWriter, r *http.Request) error {
	hp, kinds, _, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	pg := &bookPage{Page: web.Page{Title: "Pour quoi ? — " + hp.Name, Steps: steps(2, "Pour quoi ?", "Quand ?")}, Point: hp, Kinds: kinds}
	return p.r.Render(w, r, http.StatusOK, "book_what.html", pg)
}

// bookWhen shows a week of slots.
func (p *Portal) bookWhen(w http.ResponseWriter, r *http.Request) error {
	hp, _, k, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	week, _ := strconv.Atoi(r.URL.Query().Get("semaine"))
	week = max(0, min(week, 8))
	from := date.Today(p.app.Now()).AddDays(7 * week)
	slots, err := p.appts.SearchSlots(r.Context(), request(r), hp.ID, k.ID, from, from.AddDays(6))
	if err != nil {
		return err
	}
	pg := &bookPage{Page: web.Page{Title: "Quand ? — " + hp.Name, Steps: steps(3, "Quand ?", "Vos coordonnées")}, Point: hp, Kind: k, Week: week}
	for _, s := range slots {
		day := booking.FrenchDay(s.Start)
		if len(pg.Days) == 0 || pg.Days[len(pg.Days)-1].Day != day {
			pg.Days = append(pg.Days, slotDay{Day: day})
		}
		d := &pg.Days[len(pg.Days)-1]
		d.Slots = append(d.Slots, slotChoice{Unix: s.Start.Unix(), Clock: booking.FrenchClock(s.Start), Free: s.Free})
	}
	return p.r.Render(w, r, http.StatusOK, "book_when.html", pg)
}

func (p *Portal) startOf(r *http.Request) (time.Time, error) {
	n, err := strconv.ParseInt(r.FormValue("debut"), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, apperr.New(apperr.Invalid, "Choisissez d'abord un créneau.")
	}
	return time.Unix(n, 0), nil
}

// bookWho asks for the contact details.
func (p *Portal) bookWho(w http.ResponseWriter, r *http.Request) error {
	hp, _, k, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	start, err := p.startOf(r)
	if err != nil {
		return err
	}
	pg := &bookPage{Page: web.Page{Title: "Vos coordonnées", Steps: steps(4, "Vos coordonnées", "")}, Point: hp, Kind: k, Start: start,
		When: booking.FrenchWhen(start, start.Add(k.Duration()))}
	pg.Form.Name, pg.Form.Email = p.prefill(r)
	pg.OpenRequests = p.openRequests(r)
	return p.r.Render(w, r, http.StatusOK, "book_who.html", pg)
}

// book books the slot. The answer is the confirmation itself (not kept
// in any cache): sending the form again is refused by the rule of one
// upcoming appointment per kind, with a message that says so.
func (p *Portal) book(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	hp, _, k, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	start, err := p.startOf(r)
	if err != nil {
		return err
	}
	in := booking.Contact{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone")}
	pg := &bookPage{Page: web.Page{Title: "Vos coordonnées", Steps: steps(4, "Vos coordonnées", "")}, Point: hp, Kind: k, Start: start,
		When: booking.FrenchWhen(start, start.Add(k.Duration())), Form: in}
	pg.OpenRequests = p.openRequests(r)
	pg.Share, _ = strconv.ParseInt(r.PostForm.Get("share"), 10, 64)
	b, err := p.appts.Book(r.Context(), request(r), app.BookingRequest{HelpPointID: hp.ID, KindID: k.ID, Start: start, Contact: in})
	if err != nil {
		return p.refuse(w, r, "book_who.html", pg, err)
	}
	shared := ""
	if pg.Share != 0 {
		shared = "ok"
		if err := p.appts.ShareRequest(r.Context(), request(r), b.ID, pg.Share); err != nil {
			shared = "failed"
		}
	}
	p.redirectBooked(w, r, b, shared) // post/redirect/get: a refresh books nothing again
	return nil
}

// The links of the mails.

// confirmForm restates what, when and where before the "Confirmer"
// button, so that the person confirms knowingly.
func (p *Portal) confirmForm(w http.ResponseWriter, r *http.Request) error {
	pg := &bookPage{Page: web.Page{Title: "Confirmer mon rendez-vous"}, Token: r.PathValue("token"), Done: "confirm"}
	if v, err := p.appts.FindPending(r.Context(), pg.Token); err == nil {
		pg.View = &v
	} else {
		return p.refuse(w, r, "book_link.html", pg, err)
	}
	return p.r.Render(w, r, http.StatusOK, "book_link.html", pg)
}

func (p *Portal) confirm(w http.ResponseWriter, r *http.Request) error {
	v, err := p.appts.Confirm(r.Context(), request(r), r.PathValue("token"))
	if err != nil {
		return p.refuse(w, r, "book_link.html", &bookPage{Page: web.Page{Title: "Confirmer mon rendez-vous"}, Token: r.PathValue("token"), Done: "confirm"}, err)
	}
	// post/redirect/get: the browser lands on the appointment's own page
	// (the cancel/move link the mail also carries); a refresh confirms
	// nothing again.
	http.Redirect(w, r, app.PathManageAppointment+v.ManageToken+"?"+manageConfirmed, http.StatusSeeOther)
	return nil
}

// The queries of the management page after a change (post/redirect/get):
// each shows its notice above the appointment.
const (
	manageConfirmed = "fait=confirme"
	manageCancelled = "fait=annule"
	manageMoved     = "fait=deplace"
)

// manageNotice is the notice the management page shows after a change.
func manageNotice(done string) (web.Notice, bool) {
	switch done {
	case "confirme":
		return web.Notice{Kind: web.NoticeSuccess, Title: "Rendez-vous confirmé",
			Text: "Vous recevez un courriel avec le rendez-vous à ajouter à votre agenda et le lien de cette page, pour l'annuler ou le déplacer."}, true
	case "annule":
		return web.Notice{Kind: web.NoticeSuccess, Title: "Rendez-vous annulé",
			Text: "Vous recevez un courriel de confirmation ; le créneau est proposé à une autre personne."}, true
	case "deplace":
		return web.Notice{Kind: web.NoticeSuccess, Title: "Rendez-vous déplacé",
			Text: "Vous recevez un courriel avec le rendez-vous mis à jour pour votre agenda."}, true
	}
	return web.Notice{}, false
}

func (p *Portal) declineForm(w http.ResponseWriter, r *http.Request) error {
	pg := &bookPage{Page: web.Page{Title: "Refuser le créneau proposé"}, Token: r.PathValue("token"), Done: "decline"}
	if v, err := p.appts.FindPending(r.Context(), pg.Token); err == nil {
		pg.View = &v
	}
	return p.r.Render(w, r, http.StatusOK, "book_link.html", pg)
}

func (p *Portal) decline(w http.ResponseWriter, r *http.Request) error {
	if err := p.appts.Decline(r.Context(), request(r), r.PathValue("token")); err != nil {
		return p.refuse(w, r, "book_link.html", &bookPage{Page: web.Page{Title: "Refuser le créneau proposé"}, Token: r.PathValue("token"), Done: "decline"}, err)
	}
	return p.r.Render(w, r, http.StatusOK, "book_link.html", &bookPage{Page: web.Page{Title: "Créneau refusé",
		Notices: []web.Notice{{Kind: web.NoticeSuccess, Title: "C'est noté", Text: "Le créneau est proposé à la personne suivante."}}}, Done: "declined"})
}

// manage shows an appointment by its link, with cancel and move.
func (p *Portal) manage(w http.ResponseWriter, r *http.Request) error {
	var notices []web.Notice
	if n, ok := manageNotice(r.URL.Query().Get("fait")); ok {
		notices = append(notices, n)
	}
	return p.managePage(w, r, http.StatusOK, nil, notices)
}

func (p *Portal) managePage(w http.ResponseWriter, r *http.Request, status int, errs []web.FieldError, notices []web.Notice) error {
	tok := r.PathValue("token")
	v, err := p.appts.FindByToken(r.Context(), tok)
	if err != nil {
		return err
	}
	pg := &bookPage{Page: web.Page{Title: "Mon rendez-vous", Errors: errs, Notices: notices}, View: &v, Token: tok}
	if now := p.app.Now(); v.Status == booking.Confirmed && v.Start.After(now) {
		today := date.Today(now)
		slots, err := p.appts.Slots(r.Context(), v.HelpPointID, v.KindID, today, today.AddDays(13))
		if err != nil {
			return err
		}
		for _, s := range slots {
			if s.Free == 0 || s.Start.Equal(v.Start) {
				continue
			}
			day := booking.FrenchDay(s.Start)
			if len(pg.Days) == 0 || pg.Days[len(pg.Days)-1].Day != day {
				pg.Days = append(pg.Days, slotDay{Day: day})
			}
			d := &pg.Days[len(pg.Days)-1]
			d.Slots = append(d.Slots, slotChoice{Unix: s.Start.Unix(), Clock: booking.FrenchClock(s.Start), Free: s.Free})
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, status, "book_manage.html", pg)
}

func (p *Portal) cancelAppointment(w http.ResponseWriter, r *http.Request) error {
	if _, err := p.appts.Cancel(r.Context(), request(r), r.PathValue("token")); err != nil {
		if fe, ok := formErrors(err); ok {
			return p.managePage(w, r, statusOf(err), fe, nil)
		}
		return err
	}
	http.Redirect(w, r, app.PathManageAppointment+r.PathValue("token")+"?"+manageCancelled, http.StatusSeeOther)
	return nil
}

func (p *Portal) moveAppointment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	start, err := p.startOf(r)
	if err != nil {
		return p.managePage(w, r, http.StatusUnprocessableEntity, []web.FieldError{{Message: "Choisissez le nouveau créneau."}}, nil)
	}
	if _, err := p.appts.Move(r.Context(), request(r), r.PathValue("token"), start); err != nil {
		if fe, ok := formErrors(err); ok {
			return p.managePage(w, r, statusOf(err), fe, nil)
		}
		return err
	}
	http.Redirect(w, r, app.PathManageAppointment+r.PathValue("token")+"?"+manageMoved, http.StatusSeeOther)
	return nil
}
