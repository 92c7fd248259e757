package backoffice

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/web"
)

// The instruction of licence requests: the queues by type and
// département, and each file with its actions (take, ask for documents,
// write, decide). The application checks the roles and the lock; these
// pages show its messages.

const reqBase = "/agents/demandes"

type reqQueuePage struct {
	web.Page
	Kind, Departement, Status string
	Items                     []app.QueueItem
}

// Kinds are the type filter's choices.
func (reqQueuePage) Kinds() []requests.Type { return requests.Types() }

// Statuses are the state filter's choices ("" is every open one).
func (reqQueuePage) Statuses() []requests.Status {
	return []requests.Status{requests.StatusSubmitted, requests.StatusInReview, requests.StatusAwaitingDocuments}
}

// KindLabel names a request type.
func (reqQueuePage) KindLabel(k requests.Kind) string { return reqKindLabel(k) }

func reqKindLabel(k requests.Kind) string {
	if t, err := requests.Lookup(string(k)); err == nil {
		return t.Label
	}
	return string(k)
}

// validDepartement accepts a département code as the register writes it:
// two characters (01…95, 2A, 2B) or three for the overseas ones (971…976).
func validDepartement(d string) bool {
	switch {
	case d == "2A" || d == "2B":
		return true
	case len(d) == 2:
		return d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' && d != "00" && d != "20"
	case len(d) == 3:
		return strings.HasPrefix(d, "97") && d[2] >= '0' && d[2] <= '9'
	}
	return false
}

func (b *Backoffice) reqQueue(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg := &reqQueuePage{Page: web.Page{Title: "Demandes de permis à instruire",
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Demandes de permis"}}},
		Kind: q.Get("type"), Departement: strings.ToUpper(strings.TrimSpace(q.Get("departement"))), Status: q.Get("etat")}
	var f store.RequestFilter
	if pg.Kind != "" {
		if _, err := requests.Lookup(pg.Kind); err != nil {
			pg.Errors = append(pg.Errors, web.FieldError{Field: "type", Message: "Choisissez un type de demande de la liste."})
		} else {
			f.Kinds = []requests.Kind{requests.Kind(pg.Kind)}
		}
	}
	if pg.Departement != "" {
		if !validDepartement(pg.Departement) {
			pg.Errors = append(pg.Errors, web.FieldError{Field: "departement",
				Message: "Saisissez un numéro de département : 2 chiffres (ou 2A, 2B), 3 pour l'outre-mer, par exemple 34 ou 974."})
		} else {
			f.Departements = []string{pg.Departement}
		}
	}
	if pg.Status != "" {
		st := requests.Status(pg.Status)
		switch st {
		case requests.StatusSubmitted, requests.StatusInReview, requests.StatusAwaitingDocuments:
			f.Statuses = []requests.Status{st}
		default:
			pg.Errors = append(pg.Errors, web.FieldError{Field: "etat", Message: "Choisissez un état de la liste."})
		}
	}
	if len(pg.Errors) > 0 {
		return b.r.Render(w, r, http.StatusUnprocessableEntity, "bo_req_queue.html", pg)
	}
	items, err := b.app.Queue(r.Context(), request(r), f)
	if err != nil {
		return err
	}
	pg.Items = items
	return b.r.Render(w, r, http.StatusOK, "bo_req_queue.html", pg)
}

// reqForm is what the agent typed, shown again when the action fails.
type reqForm struct {
	Asked   map[string]bool   // document codes ticked
	Reasons map[string]string // document code → reason
	Body    string
	Private bool
	Reason  string // the refusal's
	// ConfirmAccept asks the agent to confirm the acceptance: it launches
	// the production and consumes the fiscal stamp, which cannot be undone.
	ConfirmAccept bool
}

type reqFilePage struct {
	web.Page
	V    app.AgentRequestView
	Form reqForm
}

// KindLabel names a request type.
func (reqFilePage) KindLabel(k requests.Kind) string { return reqKindLabel(k) }

// Askable are the documents the agent may ask for: every document of the
// type and its alternatives.
func (p reqFilePage) Askable() []requests.Document {
	var out []requests.Document
	for _, d := range p.V.Type.Documents {
		out = append(out, d.Doc)
		if d.Or != "" {
			out = append(out, d.Or)
		}
	}
	return out
}

// Open reports whether the file still awaits a decision.
func (p reqFilePage) Open() bool {
	switch p.V.Request.Status {
	case requests.StatusSubmitted, requests.StatusInReview, requests.StatusAwaitingDocuments:
		return true
	}
	return false
}

// InReview reports whether the agent may ask for documents or accept.
func (p reqFilePage) InReview() bool { return p.V.Request.Status == requests.StatusInReview }

// DocState names a document's state.
func (reqFilePage) DocState(s string) string {
	switch s {
	case store.DocProvided:
		return "Fournie, à vérifier"
	case store.DocRequested:
		return "Demandée au demandeur"
	case store.DocAccepted:
		return "Vérifiée"
	}
	return s
}

// ActorLabel names who caused a timeline line.
func (reqFilePage) ActorLabel(role string) string {
	switch role {
	case "applicant":
		return "le demandeur"
	case "agent":
		return "un agent"
	}
	return "le service"
}

// Categories lists the categories asked.
func (p reqFilePage) Categories() string {
	var out []string
	for _, c := range p.V.Answers.Categories {
		out = append(out, string(c))
	}
	return strings.Join(out, ", ")
}

func (b *Backoffice) reqFilePage(w http.ResponseWriter, r *http.Request, status int, id int64, errs []web.FieldError, form reqForm) error {
	v, err := b.app.AgentRequest(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	pg := &reqFilePage{Page: web.Page{Title: "Demande " + v.Request.Reference, Errors: errs,
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Href: reqBase, Text: "Demandes de permis"},
			{Text: v.Request.Reference}}}, V: v, Form: form}
	return b.r.Render(w, r, status, "bo_req_file.html", pg)
}

func (b *Backoffice) reqFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return b.reqFilePage(w, r, http.StatusOK, id, nil, reqForm{})
}

func (b *Backoffice) reqDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	d, rc, err := b.app.AgentRequestFile(r.Context(), request(r), id, fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType) // one of the sniffed types, never what the sender claimed
	h.Set("Content-Disposition", `attachment; filename="`+d.Document.Slug()+"-"+strconv.FormatInt(d.ID, 10)+extension(d.ContentType)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, err = io.Copy(w, rc)
	return err
}

// reqAction runs an action on the file and goes back to it (or to next,
// when set); an invalid form or a refusal (another agent holds the file,
// the status changed) shows the file again with the application's message.
func (b *Backoffice) reqAction(w http.ResponseWriter, r *http.Request, next string, act func(id int64, form *reqForm) error, fields ...string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	form := reqForm{Asked: map[string]bool{}, Reasons: map[string]string{}, Body: r.PostForm.Get("body"),
		Private: r.PostForm.Get("private") == "oui", Reason: r.PostForm.Get("reason")}
	for _, d := range r.PostForm["doc"] {
		form.Asked[d] = true
	}
	for k, vs := range r.PostForm {
		if code, ok := strings.CutPrefix(k, "reason_"); ok && len(vs) > 0 {
			form.Reasons[code] = vs[0]
		}
	}
	if err := act(id, &form); err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
			return err
		}
		errs := web.FieldErrors(e.Fields, fields...)
		if len(errs) == 0 {
			errs = []web.FieldError{{Message: e.Message}}
		}
		return b.reqFilePage(w, r, apperr.Status(e.Code), id, errs, form)
	}
	if next == "" {
		next = reqBase + "/" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (b *Backoffice) reqTake(w http.ResponseWriter, r *http.Request) error {
	return b.reqAction(w, r, "", func(id int64, _ *reqForm) error {
		_, err := b.app.Take(r.Context(), request(r), id)
		return err
	})
}

func (b *Backoffice) reqAskDocuments(w http.ResponseWriter, r *http.Request) error {
	var first string // the field an error points to
	return b.reqAction(w, r, "", func(id int64, form *reqForm) error {
		var asked []app.DocumentRequest
		for _, code := range r.PostForm["doc"] {
			asked = append(asked, app.DocumentRequest{Document: requests.Document(code), Reason: form.Reasons[code]})
			if first == "" && strings.TrimSpace(form.Reasons[code]) == "" {
				first = "reason_" + code
			}
		}
		err := b.app.RequestDocuments(r.Context(), request(r), id, asked)
		if e := apperr.As(err); err != nil && e.Fields["reason"] != "" && first != "" {
			// The reason missing is the first document's without one.
			return &apperr.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{first: e.Fields["reason"]}}
		}
		return err
	}, "documents")
}

func (b *Backoffice) reqMessage(w http.ResponseWriter, r *http.Request) error {
	return b.reqAction(w, r, "", func(id int64, form *reqForm) error {
		return b.app.SendRequestMessage(r.Context(), request(r), id, form.Body, form.Private)
	}, "body")
}

// reqAccept accepts the request once the agent has confirmed it: the first
// press of "Accepter" shows what it will do (production, the stamp
// consumed) and asks again; only a post with confirme=oui accepts.
func (b *Backoffice) reqAccept(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	if r.PostForm.Get("confirme") != "oui" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		return b.reqFilePage(w, r, http.StatusOK, id, nil, reqForm{Asked: map[string]bool{}, Reasons: map[string]string{}, ConfirmAccept: true})
	}
	return b.reqAction(w, r, "", func(id int64, _ *reqForm) error {
		_, err := b.app.Accept(r.Context(), request(r), id)
		return err
	})
}

func (b *Backoffice) reqReject(w http.ResponseWriter, r *http.Request) error {
	return b.reqAction(w, r, "", func(id int64, form *reqForm) error {
		_, err := b.app.Reject(r.Context(), request(r), id, form.Reason)
		return err
	}, "reason")
}
