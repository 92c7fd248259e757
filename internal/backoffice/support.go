package backoffice

import (
	"io"
	"net/http"
	"strconv"

	"permis/internal/apperr"
	"permis/internal/store"
	"permis/internal/support"
	"permis/internal/web"
)

type homePage struct {
	web.Page
	NewFaults, NewAppeals, OpenIncidents int
}

func (b *Backoffice) home(w http.ResponseWriter, r *http.Request) error {
	req := request(r)
	pg := &homePage{Page: web.Page{Title: "Espace agents"}}
	for kind, n := range map[string]*int{support.KindFault: &pg.NewFaults, support.KindAppeal: &pg.NewAppeals} {
		ts, err := b.app.Tickets(r.Context(), req, store.TicketFilter{Kind: kind, Statuses: []string{support.StatusNew}})
		if err != nil {
			return err
		}
		*n = len(ts)
	}
	ins, err := b.app.Incidents(r.Context(), req, false)
	if err != nil {
		return err
	}
	pg.OpenIncidents = len(ins)
	return b.r.Render(w, r, http.StatusOK, "bo_home.html", pg)
}

type ticketsPage struct {
	web.Page
	labels
	Kind, Status string
	Tickets      []store.Ticket
}

// Kinds and Statuses are the filter's choices.
func (ticketsPage) Kinds() []web.Link {
	return []web.Link{{Href: "", Text: "Signalements et recours"}, {Href: support.KindFault, Text: "Signalements"}, {Href: support.KindAppeal, Text: "Recours"}}
}

func (ticketsPage) Statuses() []web.Link {
	out := []web.Link{{Href: "ouvertes", Text: "Non closes"}}
	for _, s := range support.Statuses() {
		out = append(out, web.Link{Href: s, Text: support.StatusLabel(s)})
	}
	return out
}

func (b *Backoffice) tickets(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg := &ticketsPage{Page: web.Page{Title: "Signalements et recours",
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Signalements et recours"}}},
		Kind: q.Get("type"), Status: q.Get("etat")}
	f := store.TicketFilter{Kind: pg.Kind}
	switch {
	case pg.Kind != "" && pg.Kind != support.KindFault && pg.Kind != support.KindAppeal:
		return apperr.New(apperr.Invalid, "Type de demande inconnu.")
	case pg.Status == "" || pg.Status == "ouvertes":
		pg.Status = "ouvertes"
		f.Statuses = []string{support.StatusNew, support.StatusInProgress, support.StatusAnswered}
	default:
		if support.StatusLabel(pg.Status) == pg.Status {
			return apperr.New(apperr.Invalid, "État inconnu.")
		}
		f.Statuses = []string{pg.Status}
	}
	ts, err := b.app.Tickets(r.Context(), request(r), f)
	if err != nil {
		return err
	}
	pg.Tickets = ts
	return b.r.Render(w, r, http.StatusOK, "bo_tickets.html", pg)
}

type ticketPage struct {
	web.Page
	labels
	T    store.Ticket
	Msgs []store.TicketMessage
	Fls  []store.TicketFile
	Body string
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "Page introuvable.")
	}
	return id, nil
}

func (b *Backoffice) ticketPage(w http.ResponseWriter, r *http.Request, status int, id int64, errs []web.FieldError, body string) error {
	v, err := b.app.Ticket(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	pg := &ticketPage{Page: web.Page{Title: "Demande " + v.Ticket.Reference, Errors: errs,
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Href: "/agents/signalements", Text: "Signalements et recours"},
			{Text: v.Ticket.Reference}}}, T: v.Ticket, Msgs: v.Messages, Fls: v.Files, Body: body}
	return b.r.Render(w, r, status, "bo_ticket.html", pg)
}

func (b *Backoffice) ticket(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return b.ticketPage(w, r, http.StatusOK, id, nil, "")
}

func (b *Backoffice) ticketFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, rc, err := b.app.TicketFile(r.Context(), request(r), id, fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType) // one of the sniffed types, never what the sender claimed
	h.Set("Content-Disposition", `attachment; filename="piece-`+strconv.FormatInt(f.ID, 10)+extension(f.ContentType)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, err = io.Copy(w, rc)
	return err
}

func extension(ct string) string {
	switch ct {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	}
	return ".jpg"
}

func (b *Backoffice) take(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := b.app.TakeTicket(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/agents/signalements/"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}

func (b *Backoffice) reply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	body := r.PostForm.Get("body")
	if err := b.app.ReplyTicket(r.Context(), request(r), id, body, r.PostForm.Get("private") == "oui"); err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid || e.Code == apperr.Conflict {
			errs := web.FieldErrors(e.Fields, "body")
			if len(errs) == 0 {
				errs = []web.FieldError{{Message: e.Message}}
			}
			return b.ticketPage(w, r, apperr.Status(e.Code), id, errs, body)
		}
		return err
	}
	http.Redirect(w, r, "/agents/signalements/"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}

func (b *Backoffice) close(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := b.app.CloseTicket(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/agents/signalements", http.StatusSeeOther)
	return nil
}

type incidentsPage struct {
	web.Page
	labels
	Incidents                 []store.Incident
	Procedure, Title, Message string
}

// Procedures are the form's choices.
func (incidentsPage) Procedures() []support.Procedure { return support.Procedures() }

func (b *Backoffice) incidentsPage(w http.ResponseWriter, r *http.Request, status int, pg *incidentsPage) error {
	ins, err := b.app.Incidents(r.Context(), request(r), true)
	if err != nil {
		return err
	}
	pg.Incidents = ins
	pg.Title = "Incidents"
	pg.Breadcrumb = []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Incidents"}}
	return b.r.Render(w, r, status, "bo_incidents.html", pg)
}

func (b *Backoffice) incidents(w http.ResponseWriter, r *http.Request) error {
	return b.incidentsPage(w, r, http.StatusOK, &incidentsPage{})
}

func (b *Backoffice) declare(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	pg := &incidentsPage{Procedure: r.PostForm.Get("procedure"), Title: r.PostForm.Get("title"), Message: r.PostForm.Get("message")}
	if _, err := b.app.DeclareIncident(r.Context(), request(r), pg.Procedure, pg.Title, pg.Message); err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid {
			pg.Errors = web.FieldErrors(e.Fields, "procedure", "title", "message")
			return b.incidentsPage(w, r, http.StatusUnprocessableEntity, pg)
		}
		return err
	}
	http.Redirect(w, r, "/agents/incidents", http.StatusSeeOther)
	return nil
}

func (b *Backoffice) endIncident(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := b.app.CloseIncident(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/agents/incidents", http.StatusSeeOther)
	return nil
}

// labels gives the templates the French names of codes.
type labels struct{}

// ProcedureLabel names a procedure ("recours" for appeals).
func (labels) ProcedureLabel(code string) string {
	if code == "recours" {
		return "Recours contre une décision"
	}
	if p, ok := support.LookupProcedure(code); ok {
		return p.Label
	}
	return code
}

// StatusLabel names a ticket's state.
func (labels) StatusLabel(s string) string { return support.StatusLabel(s) }

// KindLabel names a ticket's kind.
func (labels) KindLabel(k string) string {
	if k == support.KindAppeal {
		return "Recours"
	}
	return "Signalement"
}
