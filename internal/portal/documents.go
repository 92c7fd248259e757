package portal

import (
	"net/http"
	"strconv"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/statement"
	"permis/internal/store"
	"permis/internal/web"
)

type documentsPage struct {
	web.Page
	Account app.Account
}

func (p *Portal) documents(w http.ResponseWriter, r *http.Request) error {
	st, _ := stateOf(r)
	if !st.Account.LicenceLinked {
		http.Redirect(w, r, "/mon-espace/permis/rattacher", http.StatusSeeOther)
		return nil
	}
	return p.r.Render(w, r, http.StatusOK, "documents.html", &documentsPage{Page: web.Page{Title: "Mes documents"}, Account: st.Account})
}

// documentPage is the accessible version of an issued document: the same
// content as its PDF (statement.Outline), as an HTML page (RGAA 13.3).
type documentPage struct {
	web.Page
	Doc       statement.Outline
	Reference string
	Back      web.Link // where the person came from
}

// documentView shows a document's accessible version, with a link back to
// where it was asked for.
func (p *Portal) documentView(w http.ResponseWriter, r *http.Request, o statement.Outline, ref, backHref, backText string) error {
	crumbs := []web.Link{{Href: backHref, Text: backText}, {Text: o.Title}}
	if st, ok := stateOf(r); ok && !st.Pending && st.Actor.Role == access.Citizen {
		// Only a signed-in person has a "Mon espace": a visitor who found a
		// fine's notice by its number would be sent to the sign-in page.
		crumbs = append([]web.Link{{Href: "/mon-espace", Text: "Mon espace"}}, crumbs...)
	}
	pg := &documentPage{Page: web.Page{Title: o.Title + " — version accessible", Breadcrumb: crumbs},
		Doc: o, Reference: ref, Back: web.Link{Href: backHref, Text: backText}}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "document_view.html", pg)
}

// sendDocument answers an issued document: its accessible HTML version when
// the form asked for it (format=html), else its PDF as a download.
func (p *Portal) sendDocument(w http.ResponseWriter, r *http.Request, is app.Issued) error {
	if r.PostFormValue("format") != "html" {
		return sendPDF(w, is)
	}
	return p.documentView(w, r, is.Outline, is.Reference, "/mon-espace/documents", "Retour à mes documents")
}

// sendPDF answers a generated document as a download.
func sendPDF(w http.ResponseWriter, is app.Issued) error {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+is.Filename+`"`)
	h.Set("Content-Length", strconv.Itoa(len(is.PDF)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Permis-Reference", is.Reference)
	_, err := w.Write(is.PDF)
	return err
}

func (p *Portal) fullStatement(w http.ResponseWriter, r *http.Request) error {
	st, _ := stateOf(r)
	is, err := p.app.MyFullStatement(r.Context(), request(r), st.Account)
	if err != nil {
		if apperr.Is(err, apperr.Forbidden) {
			pg := &documentsPage{Page: web.Page{Title: "Mes documents", Errors: []web.FieldError{{Message: apperr.As(err).Message}}}, Account: st.Account}
			return p.r.Render(w, r, http.StatusForbidden, "documents.html", pg)
		}
		return p.notLinked(w, r, err)
	}
	return p.sendDocument(w, r, is)
}

func (p *Portal) attestation(w http.ResponseWriter, r *http.Request) error {
	is, err := p.app.MyAttestation(r.Context(), request(r))
	if err != nil {
		return p.notLinked(w, r, err)
	}
	return p.sendDocument(w, r, is)
}

type consentsPage struct {
	web.Page
	Consents     []app.ConsentView
	Organisation string
	Email        string
}

func (p *Portal) consents(w http.ResponseWriter, r *http.Request) error {
	cs, err := p.app.MyConsents(r.Context(), request(r))
	if err != nil {
		return p.notLinked(w, r, err)
	}
	return p.r.Render(w, r, http.StatusOK, "consents.html", &consentsPage{Page: web.Page{Title: "Organismes informés de mes droits"}, Consents: cs})
}

func (p *Portal) grantConsent(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	org, email := r.PostForm.Get("organisation"), r.PostForm.Get("consent_email")
	if err := p.app.GrantConsent(r.Context(), request(r), org, email); err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return p.notLinked(w, r, err)
		}
		cs, lerr := p.app.MyConsents(r.Context(), request(r))
		if lerr != nil {
			return lerr
		}
		pg := &consentsPage{Page: web.Page{Title: "Organismes informés de mes droits", Errors: fe}, Consents: cs, Organisation: org, Email: email}
		return p.r.Render(w, r, statusOf(err), "consents.html", pg)
	}
	http.Redirect(w, r, "/mon-espace/autorisations", http.StatusSeeOther)
	return nil
}

func (p *Portal) withdrawConsent(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Autorisation inconnue.")
	}
	if err := p.app.WithdrawConsent(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/mon-espace/autorisations", http.StatusSeeOther)
	return nil
}

// The third party's check with a code.

type checkPage struct {
	web.Page
	Code, Ending, Organisation string
	Rights                     *app.Rights
}

func (p *Portal) checkForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "check.html", &checkPage{Page: web.Page{Title: "Vérifier un permis de conduire"}})
}

func (p *Portal) check(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &checkPage{Page: web.Page{Title: "Vérifier un permis de conduire"}, Code: r.PostForm.Get("code"),
		Ending: r.PostForm.Get("ending"), Organisation: r.PostForm.Get("organisation")}
	rights, _, err := p.app.CheckRights(r.Context(), request(r), pg.Code, pg.Ending, pg.Organisation, "shown")
	if err != nil {
		return p.refuse(w, r, "check.html", pg, err)
	}
	pg.Rights = &rights
	pg.Title = "Droits à conduire vérifiés"
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "check_result.html", pg)
}

func (p *Portal) checkAttestation(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	is, err := p.app.CheckAttestation(r.Context(), request(r), r.PostForm.Get("code"), r.PostForm.Get("ending"), r.PostForm.Get("organisation"))
	if err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return err
		}
		pg := &checkPage{Page: web.Page{Title: "Vérifier un permis de conduire", Errors: fe}, Code: r.PostForm.Get("code"),
			Ending: r.PostForm.Get("ending"), Organisation: r.PostForm.Get("organisation")}
		return p.r.Render(w, r, statusOf(err), "check.html", pg)
	}
	return sendPDF(w, is)
}

// The developer page of the mail outbox (demo only).

type outboxPage struct {
	web.Page
	Mails   []store.Mail
	Mail    *store.Mail
	Letters []store.PostalLetter // postal letters queued for printing (activation codes…)
}

// StatusLabel is a mail's state in French ("kept" is never shown as such).
func (outboxPage) StatusLabel(s string) string { return store.MailStatusLabel(s) }

func (p *Portal) outbox(w http.ResponseWriter, r *http.Request) error {
	ms, err := p.opts.Store.ListMail(r.Context(), store.MailFilter{Limit: 200})
	if err != nil {
		return err
	}
	letters, err := p.opts.Store.ListPostalLetters(r.Context(), 50)
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "outbox.html", &outboxPage{Page: web.Page{Title: "Courriels envoyés (développement)"}, Mails: ms, Letters: letters})
}

func (p *Portal) outboxMail(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Courriel inconnu.")
	}
	m, err := p.opts.Store.FindMail(r.Context(), id)
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "outbox.html", &outboxPage{Page: web.Page{Title: "Courriel n° " + r.PathValue("id")}, Mail: &m})
}
