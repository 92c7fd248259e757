package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/files"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
	"permis/internal/support"
)

// Support: fault reports, appeals about a licence decision, and incidents.
// Anyone may report or appeal (with or without an account); the support
// staff reads, answers and closes; an open incident shows a notice on
// every page of its procedure.

// SupportStaff are the roles that handle tickets and declare incidents.
func SupportStaff() []access.Role {
	return []access.Role{access.Helpdesk, access.Agent, access.Admin}
}

const (
	ticketsPerClient  = 10 // fault reports and appeals per client address and hour
	screenshotMaxSize = 5 << 20
	incidentCacheTTL  = 10 * time.Second
)

// Upload is a file sent with a form.
type Upload struct {
	Name string
	Body io.Reader
}

func (a *App) authorizeSupport(req Request) error {
	if !slices.Contains(SupportStaff(), req.Actor.Role) {
		return apperr.New(apperr.Forbidden, "Votre rôle ne permet pas de traiter les signalements et les recours.")
	}
	return nil
}

// ReportFault records a fault report, with an optional screenshot, and
// mails its receipt. Nothing is kept when it is refused.
func (a *App) ReportFault(ctx context.Context, req Request, in support.Report, shot *Upload) (store.Ticket, error) {
	if p := in.Check(); p != nil {
		return store.Ticket{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: p}
	}
	t := store.Ticket{Kind: support.KindFault, Procedure: in.Procedure, Summary: strings.TrimSpace(in.Summary),
		Details: strings.TrimSpace(in.Details), ContactName: strings.TrimSpace(in.Name), Email: strings.ToLower(strings.TrimSpace(in.Email))}
	return a.fileTicket(ctx, req, t, "SIG", shot)
}

// FileAppeal records an appeal about a licence decision and mails its
// receipt.
func (a *App) FileAppeal(ctx context.Context, req Request, in support.Appeal) (store.Ticket, error) {
	if p := in.Check(); p != nil {
		return store.Ticket{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: p}
	}
	t := store.Ticket{Kind: support.KindAppeal, Procedure: "recours", Summary: strings.TrimSpace(in.Summary),
		Details: strings.TrimSpace(in.Details), ContactName: strings.TrimSpace(in.Name), Email: strings.ToLower(strings.TrimSpace(in.Email)),
		NEPH: strings.TrimSpace(in.NEPH), DecisionRef: strings.TrimSpace(in.DecisionRef)}
	return a.fileTicket(ctx, req, t, "REC", nil)
}

func (a *App) fileTicket(ctx context.Context, req Request, t store.Ticket, prefix string, shot *Upload) (store.Ticket, error) {
	if err := a.limit(ctx, "ticket:client:"+req.Client, time.Hour, ticketsPerClient); err != nil {
		return store.Ticket{}, err
	}
	if req.Actor.Kind == access.KindUser {
		if id, err := userIDOf(req.Actor); err == nil {
			t.UserID = id
		}
	}
	var stored []store.TicketFile
	if shot != nil {
		if a.files == nil {
			return store.Ticket{}, apperr.New(apperr.Unavailable, "L'envoi de fichiers est momentanément indisponible. Envoyez votre signalement sans capture d'écran.")
		}
		f, err := files.Accept(ctx, a.files, "screenshot", shot.Name, shot.Body, screenshotMaxSize)
		if err != nil {
			return store.Ticket{}, err
		}
		stored = append(stored, store.TicketFile{Key: f.Key, ContentType: f.Type, Size: f.Size, SHA256: f.SHA256, Name: f.Name})
	}
	t.Reference = prefix + "-" + secret.FormatCode(secret.NewCode(8), 4)
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateTicket(ctx, &t, stored); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, a.mailTicketReceipt(t)); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "ticket.create", "ticket", t.Reference)
	})
	if err != nil {
		for _, f := range stored {
			_ = a.files.Delete(context.WithoutCancel(ctx), f.Key)
		}
		return store.Ticket{}, err
	}
	return t, nil
}

func (a *App) mailTicketReceipt(t store.Ticket) mail.Message {
	what, next := "votre signalement", "Nos équipes l'examinent ; si une réponse est nécessaire, elle vous sera envoyée à cette adresse."
	if t.Kind == support.KindAppeal {
		what = "votre recours"
		next = "Il sera examiné par le service qui a pris la décision ; la réponse vous sera envoyée à cette adresse. " +
			"Ce recours ne suspend pas la décision contestée."
	}
	hello := "Bonjour,\n\n"
	if t.ContactName != "" {
		hello = "Bonjour " + t.ContactName + ",\n\n"
	}
	return mail.Message{
		To:      t.Email,
		Subject: "Nous avons bien reçu " + what + " (" + t.Reference + ")",
		Text: hello + "Nous avons bien reçu " + what + " du " + frenchTime(t.CreatedAt) + ", enregistré sous la référence " +
			t.Reference + ".\nObjet : " + t.Summary + "\n\n" + next +
			"\n\nRappelez cette référence si vous nous écrivez ou appelez le 3400 (prix d'un appel local)." + mailSignature,
	}
}

// TicketView is a ticket with its thread and files, as agents read it.
type TicketView struct {
	Ticket   store.Ticket
	Messages []store.TicketMessage
	Files    []store.TicketFile
}

// Tickets lists the queue of the support staff.
func (a *App) Tickets(ctx context.Context, req Request, f store.TicketFilter) ([]store.Ticket, error) {
	if err := a.authorizeSupport(req); err != nil {
		return nil, err
	}
	return a.store.ListTickets(ctx, f)
}

// Ticket returns a ticket for the support staff; the read is audited (a
// ticket holds a person's contact and may hold their NEPH).
func (a *App) Ticket(ctx context.Context, req Request, id int64) (TicketView, error) {
	if err := a.authorizeSupport(req); err != nil {
		return TicketView{}, err
	}
	t, err := a.store.FindTicket(ctx, id)
	if err != nil {
		return TicketView{}, err
	}
	ms, err := a.store.ListTicketMessages(ctx, id)
	if err != nil {
		return TicketView{}, err
	}
	fs, err := a.store.ListTicketFiles(ctx, id)
	if err != nil {
		return TicketView{}, err
	}
	if err := a.audit.Record(ctx, a.entry(req, "ticket.read", "ticket", t.Reference)); err != nil {
		return TicketView{}, err
	}
	return TicketView{Ticket: t, Messages: ms, Files: fs}, nil
}

// TakeTicket assigns the ticket to the agent and marks it in progress.
func (a *App) TakeTicket(ctx context.Context, req Request, id int64) error {
	if err := a.authorizeSupport(req); err != nil {
		return err
	}
	me, err := userIDOf(req.Actor)
	if err != nil {
		return err
	}
	status := support.StatusInProgress
	return a.store.Transact(ctx, func(tx *store.Store) error {
		t, err := tx.FindTicket(ctx, id)
		if err != nil {
			return err
		}
		if t.Status == support.StatusClosed {
			return apperr.New(apperr.Conflict, "Cette demande est close.")
		}
		if err := tx.UpdateTicket(ctx, id, store.TicketPatch{AssigneeID: &me, Status: &status}); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "ticket.take", "ticket", t.Reference)
	})
}

// ReplyTicket adds the agent's message: a reply is mailed to the person
// and marks the ticket answered; a private note is for agents only.
func (a *App) ReplyTicket(ctx context.Context, req Request, id int64, body string, private bool) error {
	if err := a.authorizeSupport(req); err != nil {
		return err
	}
	me, err := userIDOf(req.Actor)
	if err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return apperr.Field("body", "Écrivez le message.")
	}
	if len([]rune(body)) > support.MaxMessage {
		return apperr.Field("body", fmt.Sprintf("Ce message est trop long : %d caractères au plus.", support.MaxMessage))
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		t, err := tx.FindTicket(ctx, id)
		if err != nil {
			return err
		}
		if t.Status == support.StatusClosed {
			return apperr.New(apperr.Conflict, "Cette demande est close : rouvrez-en une autre si nécessaire.")
		}
		m := store.TicketMessage{TicketID: id, Author: "agent", AuthorID: me, Body: body}
		action := "ticket.reply"
		if private {
			m.Author, action = "note", "ticket.note"
		}
		if err := tx.AddTicketMessage(ctx, &m); err != nil {
			return err
		}
		if !private {
			status := support.StatusAnswered
			if err := tx.UpdateTicket(ctx, id, store.TicketPatch{Status: &status}); err != nil {
				return err
			}
			if _, err := mail.Enqueue(ctx, tx, mail.Message{To: t.Email, Subject: "Réponse à votre demande " + t.Reference,
				Text: "Bonjour,\n\nVoici la réponse à votre demande " + t.Reference + " (" + t.Summary + ") :\n\n" + body +
					"\n\nRappelez cette référence si vous nous écrivez ou appelez le 3400." + mailSignature}); err != nil {
				return err
			}
		}
		return a.auditTx(ctx, tx, req, action, "ticket", t.Reference)
	})
}

// CloseTicket closes a ticket.
func (a *App) CloseTicket(ctx context.Context, req Request, id int64) error {
	if err := a.authorizeSupport(req); err != nil {
		return err
	}
	status := support.StatusClosed
	return a.store.Transact(ctx, func(tx *store.Store) error {
		t, err := tx.FindTicket(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.UpdateTicket(ctx, id, store.TicketPatch{Status: &status}); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "ticket.close", "ticket", t.Reference)
	})
}

// TicketFile opens a ticket's file for the support staff.
func (a *App) TicketFile(ctx context.Context, req Request, ticketID, fileID int64) (store.TicketFile, io.ReadCloser, error) {
	if err := a.authorizeSupport(req); err != nil {
		return store.TicketFile{}, nil, err
	}
	fs, err := a.store.ListTicketFiles(ctx, ticketID)
	if err != nil {
		return store.TicketFile{}, nil, err
	}
	for _, f := range fs {
		if f.ID == fileID && a.files != nil {
			rc, err := a.files.Open(ctx, f.Key)
			if err != nil {
				return store.TicketFile{}, nil, err
			}
			_ = a.audit.Record(ctx, a.entry(req, "ticket.file", "ticket", fmt.Sprint(ticketID)))
			return f, rc, nil
		}
	}
	return store.TicketFile{}, nil, apperr.New(apperr.NotFound, "Fichier introuvable.")
}

// DeclareIncident opens an incident on a procedure: its notice shows on
// every page of the procedure until it is closed.
func (a *App) DeclareIncident(ctx context.Context, req Request, procedure, title, message string) (store.Incident, error) {
	if err := a.authorizeSupport(req); err != nil {
		return store.Incident{}, err
	}
	p := map[string]string{}
	if _, ok := support.LookupProcedure(procedure); !ok {
		p["procedure"] = "Choisissez la démarche touchée."
	}
	title, message = strings.TrimSpace(title), strings.TrimSpace(message)
	if title == "" || len([]rune(title)) > 120 {
		p["title"] = "Saisissez un titre court (120 caractères au plus), par exemple : Téléchargement des relevés indisponible."
	}
	if message == "" || len([]rune(message)) > 600 {
		p["message"] = "Dites ce qui ne fonctionne pas et ce que les usagers peuvent faire (600 caractères au plus)."
	}
	if len(p) > 0 {
		return store.Incident{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: p}
	}
	me, _ := userIDOf(req.Actor)
	in := store.Incident{Procedure: procedure, Title: title, Message: message, DeclaredBy: me}
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateIncident(ctx, &in); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "incident.declare", "incident", fmt.Sprint(in.ID))
	})
	a.incidents.forget()
	return in, err
}

// CloseIncident ends an incident: its notice disappears.
func (a *App) CloseIncident(ctx context.Context, req Request, id int64) error {
	if err := a.authorizeSupport(req); err != nil {
		return err
	}
	me, _ := userIDOf(req.Actor)
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CloseIncident(ctx, id, me); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "incident.close", "incident", fmt.Sprint(id))
	})
	a.incidents.forget()
	return err
}

// Incidents lists the incidents for the support staff.
func (a *App) Incidents(ctx context.Context, req Request, includeClosed bool) ([]store.Incident, error) {
	if err := a.authorizeSupport(req); err != nil {
		return nil, err
	}
	return a.store.ListIncidents(ctx, includeClosed, 100)
}

// IncidentsOn returns the open incidents whose procedure covers path, for
// the notice at the top of each page. The open incidents are read at most
// every 10 s per server (a declared incident shows within that delay on
// other instances, at once on this one).
func (a *App) IncidentsOn(ctx context.Context, path string) []store.Incident {
	open, err := a.incidents.get(ctx, a)
	if err != nil {
		a.log.WarnContext(ctx, "incidents illisibles", "error", err)
		return nil
	}
	var out []store.Incident
	for _, in := range open {
		if p, ok := support.LookupProcedure(in.Procedure); ok && p.Covers(path) {
			out = append(out, in)
		}
	}
	return out
}

// incidentCache keeps the open incidents for a few seconds.
type incidentCache struct {
	mu   sync.Mutex
	at   time.Time
	list []store.Incident
}

func (c *incidentCache) get(ctx context.Context, a *App) ([]store.Incident, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := a.clock.Now()
	if !c.at.IsZero() && now.Sub(c.at) < incidentCacheTTL && now.After(c.at.Add(-time.Second)) {
		return c.list, nil
	}
	list, err := a.store.ListIncidents(ctx, false, 50)
	if err != nil {
		return nil, err
	}
	c.at, c.list = now, list
	return list, nil
}

func (c *incidentCache) forget() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}
