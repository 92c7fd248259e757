package backoffice

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/store"
	"permis/internal/web"
)

// The officier du ministère public's pages (issue 12): the queue of
// contests by deadline, each file with its documents and the decision
// form, and one decision for several identical cases selected in the
// queue. package fines checks the role, applies the rules, writes the
// letters and audits every read.

const ompBase = "/agents/contestations"

// decisionForm is what the officer typed, shown again when it fails.
type decisionForm struct {
	Kind, Reasons, CourtFinalOn string
	Driver                      fines.Driver
	Selected                    map[string]bool
}

func readDecision(r *http.Request) decisionForm {
	f := decisionForm{Kind: r.PostForm.Get("kind"), Reasons: r.PostForm.Get("reasons"),
		CourtFinalOn: r.PostForm.Get("court_final_on"), Selected: map[string]bool{},
		Driver: fines.Driver{FamilyName: r.PostForm.Get("driver.family_name"), GivenNames: r.PostForm.Get("driver.given_names"),
			BirthDate: r.PostForm.Get("driver.birth_date"), Address: r.PostForm.Get("driver.address"),
			LicenceNumber: r.PostForm.Get("driver.licence_number"), Email: r.PostForm.Get("driver.email")}}
	for _, ref := range r.PostForm["ref"] {
		f.Selected[ref] = true
	}
	return f
}

func (f decisionForm) input() fines.DecisionInput {
	in := fines.DecisionInput{Kind: store.ContestState(f.Kind), Reasons: f.Reasons, CourtFinalOn: f.CourtFinalOn}
	if in.Kind == store.ContestDesignated {
		d := f.Driver
		in.Driver = &d
	}
	return in
}

// decisionFields are the form's fields, in its order, for the summary.
var decisionFields = []string{"contests", "kind", "reasons", "court_final_on", "driver.family_name", "driver.given_names",
	"driver.birth_date", "driver.address", "driver.licence_number", "driver.email"}

type ompQueuePage struct {
	web.Page
	State string
	Q     fines.QueuePage
	Next  string // the next page's address
	Form  decisionForm
}

// States are the filter's choices.
func (ompQueuePage) States() []store.ContestState { return fines.QueueStates() }

// StateLabel names a contest state.
func (ompQueuePage) StateLabel(s store.ContestState) string { return fines.StateLabel(s) }

// GroundLabel names a ground.
func (ompQueuePage) GroundLabel(g contest.Ground) string { return fines.GroundLabel(g) }

// BulkKinds are the decisions the queue's form offers for several
// contests: the OMP's on pending ones, the court's on those sent to it.
func (p ompQueuePage) BulkKinds() []store.ContestState {
	if p.State == string(store.ContestCourt) {
		return []store.ContestState{store.ContestAcquitted, store.ContestConvicted}
	}
	return []store.ContestState{store.ContestDropped, store.ContestInadmissible, store.ContestCourt}
}

// Count writes the number of contests the French way: "10 000".
func (p ompQueuePage) Count() string {
	d := strconv.Itoa(p.Q.Total)
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "\u202f" + d[i:]
	}
	return d
}

// Decidable reports whether the listed contests can take a decision.
func (p ompQueuePage) Decidable() bool {
	return p.State == "" || p.State == string(store.ContestPending) || p.State == string(store.ContestCourt)
}

func (b *Backoffice) ompQueuePage(w http.ResponseWriter, r *http.Request, status int, state, after string, errs []web.FieldError, form decisionForm) error {
	pg := &ompQueuePage{Page: web.Page{Title: "Contestations d'amendes", Errors: errs,
		Breadcrumb: []web.Link{{Href: ompBase, Text: "Contestations d'amendes"}}}, State: state, Form: form}
	q, err := b.fines.Queue(r.Context(), request(r), fines.QueueQuery{State: state, After: after})
	if apperr.Is(err, apperr.Invalid) {
		pg.Errors = append(pg.Errors, web.FieldErrors(apperr.As(err).Fields, "state", "after")...)
		pg.State = ""
		if q, err = b.fines.Queue(r.Context(), request(r), fines.QueueQuery{}); err != nil {
			return err
		}
		status = http.StatusUnprocessableEntity
	}
	if err != nil {
		return err
	}
	pg.Q = q
	if n, err := strconv.Atoi(r.URL.Query().Get("decides")); err == nil && n > 0 && len(errs) == 0 {
		pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Décision enregistrée",
			Text: strconv.Itoa(n) + " contestation(s) décidée(s) ; la lettre de décision est envoyée à chaque personne."}}
	}
	if q.Next != "" {
		v := url.Values{"apres": {q.Next}}
		if pg.State != "" {
			v.Set("etat", pg.State)
		}
		pg.Next = ompBase + "?" + v.Encode()
	}
	return b.r.Render(w, r, status, "bo_omp_queue.html", pg)
}

func (b *Backoffice) ompQueue(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return b.ompQueuePage(w, r, http.StatusOK, q.Get("etat"), q.Get("apres"), nil, decisionForm{Selected: map[string]bool{}})
}

// ompBulk records one decision for the contests ticked in the queue.
func (b *Backoffice) ompBulk(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	form := readDecision(r)
	state := r.PostForm.Get("etat")
	n, err := b.fines.Decide(r.Context(), request(r), r.PostForm["ref"], form.input())
	if err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
			return err
		}
		errs := web.FieldErrors(e.Fields, decisionFields...)
		if len(errs) == 0 {
			errs = []web.FieldError{{Message: e.Message}}
		}
		return b.ompQueuePage(w, r, apperr.Status(e.Code), state, "", errs, form)
	}
	v := url.Values{"decides": {strconv.Itoa(n)}}
	if state != "" {
		v.Set("etat", state)
	}
	http.Redirect(w, r, ompBase+"?"+v.Encode(), http.StatusSeeOther)
	return nil
}

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	return nil
}

type ompFilePage struct {
	web.Page
	F    fines.ContestFile
	Form decisionForm
}

// StateLabel names a contest state.
func (ompFilePage) StateLabel(s store.ContestState) string { return fines.StateLabel(s) }

// GroundLabel names a ground.
func (ompFilePage) GroundLabel(g contest.Ground) string { return fines.GroundLabel(g) }

// DocumentLabel names a document, with a capital letter.
func (ompFilePage) DocumentLabel(d contest.Document) string {
	l := fines.DocumentLabel(d)
	for _, article := range []string{"la ", "le ", "l'"} {
		l = strings.TrimPrefix(l, article)
	}
	if l == "" {
		return string(d)
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// Euros writes an amount in cents.
func (ompFilePage) Euros(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10) + " €"
	}
	return strconv.FormatInt(cents/100, 10) + "," + strconv.FormatInt(cents%100+100, 10)[1:] + " €"
}

// PaymentLabel names a payment's kind and state.
func (ompFilePage) PaymentLabel(p store.FinePayment) string {
	kind := "Paiement de l'amende"
	if p.Kind == store.PaymentDeposit {
		kind = "Consignation"
	}
	switch p.State {
	case store.PaymentRefundDue:
		return kind + " (à rembourser)"
	case store.PaymentRefunded:
		return kind + " (remboursée)"
	}
	return kind
}

// HolderLabel names the notice's holder.
func (p ompFilePage) HolderLabel() string {
	h := p.F.Notice.Holder
	if h.Kind == contest.Company {
		return h.Name + " (personne morale, SIREN " + h.SIREN + ")"
	}
	return strings.TrimSpace(h.GivenNames + " " + h.Name)
}

// Allows reports whether the file can take decision k.
func (p ompFilePage) Allows(k store.ContestState) bool {
	for _, a := range p.F.Allowed {
		if a == k {
			return true
		}
	}
	return false
}

func (b *Backoffice) ompFilePage(w http.ResponseWriter, r *http.Request, status int, errs []web.FieldError, form decisionForm) error {
	f, err := b.fines.ContestFile(r.Context(), request(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	pg := &ompFilePage{Page: web.Page{Title: "Contestation " + f.Contest.Reference, Errors: errs,
		Breadcrumb: []web.Link{{Href: ompBase, Text: "Contestations d'amendes"}, {Text: f.Contest.Reference}}}, F: f, Form: form}
	if r.URL.Query().Get("decide") == "1" && len(errs) == 0 {
		pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Décision enregistrée", Text: "La lettre de décision est envoyée à la personne."}}
	}
	return b.r.Render(w, r, status, "bo_omp_file.html", pg)
}

func (b *Backoffice) ompFile(w http.ResponseWriter, r *http.Request) error {
	return b.ompFilePage(w, r, http.StatusOK, nil, decisionForm{Selected: map[string]bool{}})
}

func (b *Backoffice) ompDecide(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	form := readDecision(r)
	ref := r.PathValue("ref")
	if _, err := b.fines.Decide(r.Context(), request(r), []string{ref}, form.input()); err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
			return err
		}
		errs := web.FieldErrors(e.Fields, decisionFields...)
		if len(errs) == 0 {
			errs = []web.FieldError{{Message: e.Message}}
		}
		return b.ompFilePage(w, r, apperr.Status(e.Code), errs, form)
	}
	http.Redirect(w, r, ompBase+"/"+url.PathEscape(ref)+"?decide=1", http.StatusSeeOther)
	return nil
}

func (b *Backoffice) ompDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	rc, d, err := b.fines.OpenDocument(r.Context(), request(r), r.PathValue("ref"), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType) // sniffed at the upload, never what the sender claimed
	h.Set("Content-Disposition", `attachment; filename="`+string(d.Kind)+"-"+strconv.FormatInt(d.ID, 10)+extension(d.ContentType)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, err = io.Copy(w, rc)
	return err
}
