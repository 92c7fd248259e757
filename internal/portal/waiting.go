package portal

import (
	"net/http"

	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/web"
)

// The waiting list of a kind of appointment at a help point: a person
// gives the days they can come; a freed slot on those days is offered to
// the first in line, held for them a while, then to the next.

type waitingPage struct {
	web.Page
	Point    booking.HelpPoint
	Kind     booking.Kind
	Form     booking.Contact
	From, To string
	Joined   *app.WaitingView
	Token    string
	Action   string
}

func (p *Portal) waitingForm(w http.ResponseWriter, r *http.Request) error {
	hp, _, k, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	today := date.Today(p.app.Now())
	pg := &waitingPage{Page: web.Page{Title: "Être prévenu d'un créneau libéré"}, Point: hp, Kind: k,
		From: today.French(), To: today.AddDays(13).French()}
	pg.Form.Name, pg.Form.Email = p.prefill(r)
	return p.r.Render(w, r, http.StatusOK, "waiting.html", pg)
}

func (p *Portal) joinWaiting(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	hp, _, k, err := p.pointAndKind(r)
	if err != nil {
		return err
	}
	pg := &waitingPage{Page: web.Page{Title: "Être prévenu d'un créneau libéré"}, Point: hp, Kind: k,
		From: r.PostForm.Get("from"), To: r.PostForm.Get("to"),
		Form: booking.Contact{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone")}}
	from, ferr := date.ParseTyped(pg.From)
	to, terr := date.ParseTyped(pg.To)
	if ferr != nil || terr != nil {
		pg.Errors = []web.FieldError{{Field: "from", Message: "Indiquez les jours où vous pouvez venir, au format JJ/MM/AAAA."}}
		return p.r.Render(w, r, http.StatusUnprocessableEntity, "waiting.html", pg)
	}
	v, err := p.appts.JoinWaitingList(r.Context(), request(r), app.WaitingRequest{HelpPointID: hp.ID, KindID: k.ID, From: from, To: to, Contact: pg.Form})
	if err != nil {
		return p.refuse(w, r, "waiting.html", pg, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	pg.Joined = &v
	pg.Title = "Vous êtes sur la liste d'attente"
	return p.r.Render(w, r, http.StatusCreated, "waiting.html", pg)
}

func (p *Portal) waitingLinkForm(action string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		title := "Confirmer mon inscription sur la liste d'attente"
		if action == "leave" {
			title = "Quitter la liste d'attente"
		}
		return p.r.Render(w, r, http.StatusOK, "waiting_link.html", &waitingPage{Page: web.Page{Title: title}, Token: r.PathValue("token"), Action: action})
	}
}

func (p *Portal) confirmWaiting(w http.ResponseWriter, r *http.Request) error {
	pg := &waitingPage{Page: web.Page{Title: "Confirmer mon inscription sur la liste d'attente"}, Token: r.PathValue("token"), Action: "confirm"}
	if _, err := p.appts.ConfirmWaiting(r.Context(), request(r), pg.Token); err != nil {
		return p.refuse(w, r, "waiting_link.html", pg, err)
	}
	pg.Action, pg.Title = "done", "Inscription confirmée"
	pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Vous êtes sur la liste d'attente",
		Text: "Dès qu'un créneau se libère sur les jours choisis, il vous est proposé par courriel et réservé pour vous quelques heures."}}
	return p.r.Render(w, r, http.StatusOK, "waiting_link.html", pg)
}

func (p *Portal) leaveWaiting(w http.ResponseWriter, r *http.Request) error {
	pg := &waitingPage{Page: web.Page{Title: "Quitter la liste d'attente"}, Token: r.PathValue("token"), Action: "leave"}
	if err := p.appts.LeaveWaitingList(r.Context(), request(r), pg.Token); err != nil {
		return p.refuse(w, r, "waiting_link.html", pg, err)
	}
	pg.Action, pg.Title = "done", "Vous avez quitté la liste d'attente"
	pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "C'est noté", Text: "Vous ne recevrez plus de proposition de créneau."}}
	return p.r.Render(w, r, http.StatusOK, "waiting_link.html", pg)
}
