package app

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store"
)

// Licence requests, what the instructing agent reads: the whole file
// (answers, documents, the type's checklist, the timeline with its private
// lines, the thread with the private notes, who holds the lock) and each
// document's file. Every read is audited.

// ChecklistItem is one document the request's type asks of this
// applicant, and whether the file has it.
type ChecklistItem struct {
	Need      requests.Need
	Provided  bool   // a live file of the document (or of its alternative) is in the file
	Requested bool   // the agent asked for it (again) and it has not come yet
	Reason    string // the agent's reason, when Requested
}

// AgentMessage is one message of the thread, with its author's name.
type AgentMessage struct {
	store.RequestMessage
	AuthorName string // the agent's name; "" for the applicant
}

// AgentRequestView is the whole file, as the instructing agent reads it.
type AgentRequestView struct {
	Request   store.Request
	Type      requests.Type
	Answers   Answers
	Checklist []ChecklistItem
	Stamp     bool                    // the type asks this applicant for a fiscal stamp
	EPhoto    bool                    // … and an ePhoto code (or the paper form)
	Documents []store.RequestDocument // live documents, in the order given
	Events    []store.RequestEvent    // the timeline, private lines included
	Messages  []AgentMessage          // the thread, private notes included
	AgeDays   int                     // days since submission
	Overdue   bool                    // past its expected decision date, still undecided
	Holder    string                  // the name of the agent holding the file ("" when nobody or the lock lapsed)
	HeldByMe  bool                    // the reader holds it
}

// AgentRequest returns the file of request id for an instructing agent.
func (a *App) AgentRequest(ctx context.Context, req Request, id int64) (AgentRequestView, error) {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return AgentRequestView{}, err
	}
	r, err := a.store.FindRequest(ctx, id)
	if err != nil {
		return AgentRequestView{}, err
	}
	if r.Status == requests.StatusDraft {
		return AgentRequestView{}, apperr.New(apperr.NotFound, "Cette demande n'a pas été envoyée : elle n'est pas à instruire.")
	}
	t, err := requests.Lookup(string(r.Kind))
	if err != nil {
		return AgentRequestView{}, err
	}
	v := AgentRequestView{Request: r, Type: t}
	if r.Answers != "" {
		if err := json.Unmarshal([]byte(r.Answers), &v.Answers); err != nil {
			return v, err
		}
	}
	today := a.today()
	if r.SubmittedAt != nil {
		v.AgeDays = int(today - date.Today(*r.SubmittedAt))
	}
	switch r.Status {
	case requests.StatusSubmitted, requests.StatusInReview, requests.StatusAwaitingDocuments:
		v.Overdue = r.ExpectedDecision.Valid && today.After(r.ExpectedDecision.Date)
	}
	if r.AssigneeID != 0 && r.LockedAt != nil && r.LockedAt.Add(a.reqs.LockFor).After(a.clock.Now()) {
		v.HeldByMe = r.AssigneeID == me
		v.Holder = a.userName(ctx, r.AssigneeID)
	}
	if v.Documents, err = a.store.ListRequestDocuments(ctx, id, false); err != nil {
		return v, err
	}
	var needs []requests.Need
	if need, err := a.requirements(ctx, r); err == nil {
		needs, v.Stamp, v.EPhoto = need.Documents, need.Stamp, need.EPhoto
	} else {
		// The applicant's facts no longer fit (a register change): the
		// type's whole list, each with when it is asked.
		for _, d := range t.Documents {
			needs = append(needs, requests.Need{Document: d.Doc, Or: d.Or, Optional: d.Optional, Reason: d.When.Label()})
		}
		v.Stamp, v.EPhoto = r.StampNumber != "", r.EPhotoCode != "" || r.PaperPhoto
	}
	for _, n := range needs {
		it := ChecklistItem{Need: n}
		for _, d := range v.Documents {
			if d.Document != n.Document && (n.Or == "" || d.Document != n.Or) {
				continue
			}
			switch d.State {
			case store.DocProvided, store.DocAccepted:
				it.Provided = true
			case store.DocRequested:
				it.Requested, it.Reason = true, d.Reason
			}
		}
		v.Checklist = append(v.Checklist, it)
	}
	if v.Events, err = a.store.ListRequestEvents(ctx, id, true); err != nil {
		return v, err
	}
	ms, err := a.store.ListRequestMessages(ctx, id, true)
	if err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, m := range ms {
		am := AgentMessage{RequestMessage: m}
		if m.Author == "agent" && m.AuthorID != 0 {
			if _, ok := names[m.AuthorID]; !ok {
				names[m.AuthorID] = a.userName(ctx, m.AuthorID)
			}
			am.AuthorName = names[m.AuthorID]
		}
		v.Messages = append(v.Messages, am)
	}
	if err := a.audit.Record(ctx, a.entry(req, "request.read", "request", r.Reference)); err != nil {
		return v, err
	}
	return v, nil
}

// userName is an account's full name, or "agent n° id" when it has none.
func (a *App) userName(ctx context.Context, id int64) string {
	u, err := a.store.FindUser(ctx, id)
	if err == nil {
		if n := strings.TrimSpace(u.GivenName + " " + u.FamilyName); n != "" {
			return n
		}
	}
	return "l'agent n° " + strconv.FormatInt(id, 10)
}

// AgentRequestFile opens the file of document docID of request id for an
// instructing agent, audited. The caller closes it; its content type is
// the one recognised at upload, never the sender's claim.
func (a *App) AgentRequestFile(ctx context.Context, req Request, id, docID int64) (store.RequestDocument, io.ReadCloser, error) {
	if _, err := a.authorizeAgent(req); err != nil {
		return store.RequestDocument{}, nil, err
	}
	r, err := a.store.FindRequest(ctx, id)
	if err != nil {
		return store.RequestDocument{}, nil, err
	}
	docs, err := a.store.ListRequestDocuments(ctx, id, true)
	if err != nil {
		return store.RequestDocument{}, nil, err
	}
	for _, d := range docs {
		if d.ID != docID || d.Key == "" || r.Status == requests.StatusDraft {
			continue
		}
		if a.files == nil {
			return store.RequestDocument{}, nil, apperr.New(apperr.Unavailable, "Les pièces sont momentanément indisponibles. Réessayez plus tard.")
		}
		rc, err := a.files.Open(ctx, d.Key)
		if err != nil {
			return store.RequestDocument{}, nil, err
		}
		// The document read is kept with the entry: the person sees which
		// of their documents was downloaded (MyConsultations).
		fileReq := req
		fileReq.Reason = d.Document.Label()
		if err := a.audit.Record(ctx, a.entry(fileReq, "request.file", "request", r.Reference)); err != nil {
			rc.Close()
			return store.RequestDocument{}, nil, err
		}
		return d, rc, nil
	}
	return store.RequestDocument{}, nil, apperr.New(apperr.NotFound, "Fichier introuvable.")
}
