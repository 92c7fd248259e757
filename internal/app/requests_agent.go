package app

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
)

// Licence requests, the instructing agents' side: queues by type and
// département, taking a file (a lock that lapses), typed requests for
// documents, the message thread and private notes, and the decisions.
// Every change is audited in its own transaction.

const maxRequestMessage = 4000

func (a *App) authorizeAgent(req Request) (int64, error) {
	if req.Actor.Role != access.Agent && req.Actor.Role != access.Admin {
		return 0, apperr.New(apperr.Forbidden, "Seuls les agents instructeurs traitent les demandes de permis.")
	}
	return userIDOf(req.Actor)
}

// QueueItem is a request in an agent's queue, with its age.
type QueueItem struct {
	Request store.Request
	AgeDays int  // days since submission
	Overdue bool // past its expected decision date
}

// Queue lists the requests of f for the agents, oldest first, each with
// its age and whether it is past the service's target.
func (a *App) Queue(ctx context.Context, req Request, f store.RequestFilter) ([]QueueItem, error) {
	if _, err := a.authorizeAgent(req); err != nil {
		return nil, err
	}
	rs, err := a.store.ListRequestQueue(ctx, f)
	if err != nil {
		return nil, err
	}
	today := a.today()
	out := make([]QueueItem, len(rs))
	for i, r := range rs {
		out[i].Request = r
		if r.SubmittedAt != nil {
			out[i].AgeDays = int(today - date.Today(*r.SubmittedAt))
		}
		out[i].Overdue = r.ExpectedDecision.Valid && today.After(r.ExpectedDecision.Date)
	}
	return out, nil
}

// Take gives the file to the agent (a lock that lapses after LockFor
// without action) and starts its review when it was only submitted.
func (a *App) Take(ctx context.Context, req Request, id int64) (store.Request, error) {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return store.Request{}, err
	}
	var out store.Request
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		r, err := tx.LockRequest(ctx, id, me, a.clock.Now(), a.reqs.LockFor)
		if err != nil {
			return err
		}
		if r.Status == requests.StatusSubmitted {
			if _, r, err = a.transition(ctx, tx, req, id, store.Transition{Event: requests.EventStartReview, Holder: me}, ""); err != nil {
				return err
			}
			if err := a.mailStep(ctx, tx, r, "Votre demande est en cours d'instruction", "Un agent a commencé l'examen de votre demande."); err != nil {
				return err
			}
		}
		out = r
		return a.auditTx(ctx, tx, req, "request.take", "request", r.Reference)
	})
	return out, err
}

// DocumentRequest is one document the agent asks for, with the reason the
// citizen reads.
type DocumentRequest struct {
	Document requests.Document
	Reason   string
}

// RequestDocuments asks the applicant for missing or wrong documents: the
// request waits for them, the applicant is mailed exactly what is missing
// and why; their upload sends it back to the queue.
func (a *App) RequestDocuments(ctx context.Context, req Request, id int64, asked []DocumentRequest) error {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return err
	}
	r, err := a.store.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	t, err := requests.Lookup(string(r.Kind))
	if err != nil {
		return err
	}
	if len(asked) == 0 {
		return apperr.Field("documents", "Choisissez au moins une pièce à demander.")
	}
	var lines []string
	for i, d := range asked {
		asked[i].Reason = strings.TrimSpace(d.Reason)
		if !docAllowed(t, d.Document) {
			return apperr.Field("documents", "La pièce « "+string(d.Document)+" » n'est pas prévue pour cette démarche.")
		}
		if asked[i].Reason == "" {
			return apperr.Field("reason", "Dites au demandeur ce qui ne va pas pour : "+d.Document.Label()+".")
		}
		lines = append(lines, "- "+d.Document.Label()+" : "+asked[i].Reason)
	}
	detail := strings.Join(lines, "\n")
	return a.store.Transact(ctx, func(tx *store.Store) error {
		for _, d := range asked {
			if err := tx.RequestDocumentAgain(ctx, id, d.Document, d.Reason); err != nil {
				return err
			}
		}
		_, nr, err := a.transition(ctx, tx, req, id, store.Transition{Event: requests.EventRequestDocuments, Holder: me}, detail)
		if err != nil {
			return err
		}
		if err := a.mailStep(ctx, tx, nr, "Pièces à fournir pour votre demande",
			"Pour poursuivre l'instruction de votre demande, le service instructeur a besoin de :\n"+detail+
				"\n\nDéposez-les dans votre espace : l'instruction reprendra dès leur réception."); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "request.request_documents", "request", r.Reference)
	})
}

// SendRequestMessage adds a message to the request's thread: from the
// agent (mailed to the applicant), from the owner, or — private — a note
// between agents, never shown to the applicant.
func (a *App) SendRequestMessage(ctx context.Context, req Request, id int64, body string, private bool) error {
	body = strings.TrimSpace(body)
	if body == "" {
		return apperr.Field("body", "Écrivez le message.")
	}
	if len([]rune(body)) > maxRequestMessage {
		return apperr.Field("body", fmt.Sprintf("Ce message est trop long : %d caractères au plus.", maxRequestMessage))
	}
	var (
		r      store.Request
		err    error
		author = "agent"
		me     int64
	)
	if me, err = a.authorizeAgent(req); err == nil {
		r, err = a.store.FindRequest(ctx, id)
	} else if me, err = requestOwner(req); err == nil {
		author = "applicant"
		if private {
			return apperr.New(apperr.Forbidden, "Les notes internes sont réservées aux agents.")
		}
		r, err = a.store.FindRequestOfOwner(ctx, id, me)
	}
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		m := store.RequestMessage{RequestID: id, Author: author, AuthorID: me, Body: body, Private: private}
		if err := tx.AddRequestMessage(ctx, &m); err != nil {
			return err
		}
		kind, label, action := "message", "Message du service instructeur", "request.message"
		switch {
		case private:
			kind, label, action = "note", "Note interne", "request.note"
		case author == "applicant":
			label = "Message du demandeur"
		}
		if err := a.event(ctx, tx, req, id, kind, label, "", private); err != nil {
			return err
		}
		if author == "agent" && !private {
			if err := a.mailStep(ctx, tx, r, "Nouveau message au sujet de votre demande", "Le service instructeur vous écrit :\n\n"+body); err != nil {
				return err
			}
		}
		return a.auditTx(ctx, tx, req, action, "request", r.Reference)
	})
}

// Accept decides the request favourably, in ONE transaction: the status,
// the stamp's consumption, the produce_card job, the timeline, the mail
// and the audit.
func (a *App) Accept(ctx context.Context, req Request, id int64) (store.Request, error) {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return store.Request{}, err
	}
	if a.jobs == nil {
		return store.Request{}, apperr.New(apperr.Unavailable, "La mise en fabrication est momentanément indisponible : réessayez plus tard.")
	}
	now := a.clock.Now()
	var out store.Request
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		_, r, err := a.transition(ctx, tx, req, id, store.Transition{Event: requests.EventAccept, Holder: me, DecidedAt: &now, Unlock: true}, "")
		if err != nil {
			return err
		}
		if err := tx.AcceptRequestDocuments(ctx, id); err != nil {
			return err
		}
		if r.StampNumber != "" {
			if _, err := tx.ConsumeStamp(ctx, stamp.Number(r.StampNumber), r.Reference, now); err != nil {
				return err
			}
		}
		if _, err := a.jobs.Insert(ctx, tx, ProduceCardArgs{RequestID: id}, nil); err != nil {
			return err
		}
		if err := a.mailStep(ctx, tx, r, "Votre demande est acceptée",
			"Votre demande est acceptée. Votre permis va être fabriqué, puis envoyé en lettre suivie ; nous vous écrirons à chaque étape."); err != nil {
			return err
		}
		out = r
		return a.auditTx(ctx, tx, req, "request.accept", "request", r.Reference)
	})
	return out, err
}

// Reject refuses the request with a reason the applicant reads; its stamp
// is released (usable again, or refundable).
func (a *App) Reject(ctx context.Context, req Request, id int64, reason string) (store.Request, error) {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return store.Request{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > maxRequestMessage {
		return store.Request{}, apperr.Field("reason", "Écrivez le motif du refus : le demandeur le lira.")
	}
	now := a.clock.Now()
	var out store.Request
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		_, r, err := a.transition(ctx, tx, req, id, store.Transition{Event: requests.EventReject, Holder: me, DecidedAt: &now,
			RejectionReason: reason, Unlock: true}, reason)
		if err != nil {
			return err
		}
		body := "Votre demande a été refusée pour le motif suivant :\n\n" + reason
		if r.StampNumber != "" {
			if _, err := tx.ReleaseStamp(ctx, stamp.Number(r.StampNumber), r.Reference, now); err != nil {
				return err
			}
			body += "\n\nVotre timbre fiscal n'a pas été utilisé : il sert de nouveau pour une autre demande pendant sa validité, ou peut être remboursé."
		}
		if err := a.mailStep(ctx, tx, r, "Votre demande a été refusée", body); err != nil {
			return err
		}
		out = r
		return a.auditTx(ctx, tx, req, "request.reject", "request", r.Reference)
	})
	return out, err
}
