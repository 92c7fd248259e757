package portal

import (
	"net/http"
	"slices"
	"strconv"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/server"
	"permis/internal/web"
)

// The citizen's space. No URL here names a licence or a person: every use
// case finds the signed-in person's own licence, so changing an id in the
// address cannot reach anyone else's file.

type spacePage struct {
	web.Page
	Account app.Account
	Licence *app.LicenceView
	Points  *app.PointsView
}

func (p *Portal) space(w http.ResponseWriter, r *http.Request) error {
	st, _ := stateOf(r)
	pg := &spacePage{Page: web.Page{Title: "Mon espace"}, Account: st.Account}
	if st.Account.LicenceLinked {
		lv, err := p.app.MyLicence(r.Context(), request(r))
		if apperr.Is(err, apperr.Forbidden) {
			// A local account whose email is not confirmed sees nothing of
			// its licence yet; the notice below says what to do.
			return p.r.Render(w, r, http.StatusOK, "space.html", p.unconfirmedSpace(pg))
		}
		if err != nil {
			return err
		}
		pv, err := p.app.MyPoints(r.Context(), request(r))
		if err != nil {
			return err
		}
		pg.Licence, pg.Points = &lv, &pv
	}
	if !st.Account.EmailVerified && st.Account.Email != "" {
		pg.Notices = append(pg.Notices, web.Notice{Kind: "warning", Title: "Adresse électronique à valider",
			Text: "Ouvrez le lien reçu par courriel pour valider votre adresse : c'est là que nous vous écrirons."})
	}
	return p.r.Render(w, r, http.StatusOK, "space.html", pg)
}

// linkPage links a licence: at once for an identity from the national
// provider (Verified), otherwise with an activation code posted to the
// register's address (issue 10, finding 2).
// unconfirmedSpace is the space of a linked local account whose email is
// not confirmed: no licence data, the notice to confirm it.
func (p *Portal) unconfirmedSpace(pg *spacePage) *spacePage {
	pg.Notices = append(pg.Notices, web.Notice{Kind: "warning", Title: "Adresse électronique à valider",
		Text: "Ouvrez le lien reçu par courriel pour valider votre adresse : vos points et vos documents s'afficheront ensuite."})
	return pg
}

type linkPage struct {
	web.Page
	Account      app.Account
	Verified     bool   // identity from the national provider
	OIDC         bool   // a provider is configured: suggest signing in with it
	ProviderName string // its name
	Number       string
	Code         string
	SentUntil    string // a letter was just queued: its code's last day
}

func (p *Portal) newLinkPage(r *http.Request) *linkPage {
	st, _ := stateOf(r)
	return &linkPage{Page: web.Page{Title: "Rattacher mon permis"}, Account: st.Account,
		Verified: p.app.IdentityVerified(st.Account), OIDC: p.opts.OIDC != nil, ProviderName: p.opts.ProviderName}
}

func (p *Portal) linkForm(w http.ResponseWriter, r *http.Request) error {
	st, _ := stateOf(r)
	if st.Account.LicenceLinked {
		http.Redirect(w, r, "/mon-espace", http.StatusSeeOther)
		return nil
	}
	return p.r.Render(w, r, http.StatusOK, "link.html", p.newLinkPage(r))
}

func (p *Portal) link(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := p.newLinkPage(r)
	pg.Number = r.PostForm.Get("number")
	if err := p.app.LinkLicence(r.Context(), request(r), pg.Number); err != nil {
		return p.refuse(w, r, "link.html", pg, err)
	}
	http.Redirect(w, r, "/mon-espace/points", http.StatusSeeOther)
	return nil
}

// linkLetter asks for an activation code by post.
func (p *Portal) linkLetter(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := p.newLinkPage(r)
	pg.Number = r.PostForm.Get("number")
	sent, err := p.app.RequestLinkCode(r.Context(), request(r), pg.Number)
	if err != nil {
		return p.refuse(w, r, "link.html", pg, err)
	}
	pg.Number, pg.SentUntil = "", sent.ValidUntil.French()
	return p.r.Render(w, r, http.StatusOK, "link.html", pg)
}

// linkCode links the licence with the code received by post.
func (p *Portal) linkCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := p.newLinkPage(r)
	pg.Code = r.PostForm.Get("code")
	if err := p.app.LinkWithCode(r.Context(), request(r), pg.Code); err != nil {
		return p.refuse(w, r, "link.html", pg, err)
	}
	http.Redirect(w, r, "/mon-espace/points", http.StatusSeeOther)
	return nil
}

type pointsPage struct {
	web.Page
	Points  app.PointsView
	Licence app.LicenceView
	Chart   chart
}

func (p *Portal) points(w http.ResponseWriter, r *http.Request) error {
	pv, err := p.app.MyPoints(r.Context(), request(r))
	if err != nil {
		return p.notLinked(w, r, err)
	}
	lv, err := p.app.MyLicence(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg := &pointsPage{Page: web.Page{Title: "Mes points"}, Points: pv, Licence: lv, Chart: pointsChart(pv)}
	return p.r.Render(w, r, http.StatusOK, "points.html", pg)
}

// pointsJSON is "my points" for the API: the same view as the page.
func (p *Portal) pointsJSON(w http.ResponseWriter, r *http.Request) error {
	pv, err := p.app.MyPoints(r.Context(), request(r))
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, pv)
}

// notLinked sends a citizen without a linked licence to the linking page.
func (p *Portal) notLinked(w http.ResponseWriter, r *http.Request, err error) error {
	if apperr.Is(err, apperr.NotFound) {
		http.Redirect(w, r, "/mon-espace/permis/rattacher", http.StatusSeeOther)
		return nil
	}
	return err
}

type consultationsPage struct {
	web.Page
	Consultations []app.Consultation
}

func (p *Portal) consultations(w http.ResponseWriter, r *http.Request) error {
	cs, err := p.app.MyConsultations(r.Context(), request(r))
	if err != nil {
		return p.notLinked(w, r, err)
	}
	// The reads of the person's notices of contravention and contests
	// (internal/app/fines), in the same list, newest first.
	fcs, err := p.fines.MyConsultations(r.Context(), request(r))
	if err != nil {
		return err
	}
	cs = append(cs, fcs...)
	slices.SortStableFunc(cs, func(x, y app.Consultation) int { return y.At.Compare(x.At) })
	pg := &consultationsPage{Page: web.Page{Title: "Qui a consulté mon dossier"}, Consultations: cs}
	return p.r.Render(w, r, http.StatusOK, "consultations.html", pg)
}

type codesPage struct {
	web.Page
	Codes   []app.CheckCodeView
	NewCode string
	Created *app.CheckCodeView
	Form    app.CheckCodeRequest
	MaxDays int
	// PublicURL is where the third party goes to check the code.
	PublicURL string
}

// DayChoices are the validity lengths offered, in days (the last is the
// legal maximum).
func (codesPage) DayChoices() []int { return []int{1, 2, 7, 14, app.MaxCheckCodeDays} }

func (p *Portal) codes(w http.ResponseWriter, r *http.Request) error {
	cs, err := p.app.MyCheckCodes(r.Context(), request(r))
	if err != nil {
		return p.notLinked(w, r, err)
	}
	pg := &codesPage{Page: web.Page{Title: "Mes codes de vérification"}, Codes: cs, MaxDays: app.MaxCheckCodeDays,
		Form: app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7, SingleUse: true}}
	return p.r.Render(w, r, http.StatusOK, "codes.html", pg)
}

func (p *Portal) createCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	days, _ := strconv.Atoi(r.PostForm.Get("days"))
	in := app.CheckCodeRequest{Label: r.PostForm.Get("label"), Shows: r.PostForm.Get("shows"), Days: days,
		SingleUse: r.PostForm.Get("single_use") == "oui"}
	code, view, err := p.app.CreateCheckCode(r.Context(), request(r), in)
	if err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return p.notLinked(w, r, err)
		}
		cs, lerr := p.app.MyCheckCodes(r.Context(), request(r))
		if lerr != nil {
			return lerr
		}
		pg := &codesPage{Page: web.Page{Title: "Mes codes de vérification", Errors: fe}, Codes: cs, Form: in, MaxDays: app.MaxCheckCodeDays}
		return p.r.Render(w, r, statusOf(err), "codes.html", pg)
	}
	// The code is shown once, on this answer (it is not kept in clear):
	// no redirect here, and the page is not cached.
	w.Header().Set("Cache-Control", "no-store")
	pg := &codesPage{Page: web.Page{Title: "Votre code de vérification"}, NewCode: code, Created: &view,
		PublicURL: p.app.PublicURL()}
	return p.r.Render(w, r, http.StatusCreated, "code_created.html", pg)
}

func (p *Portal) revokeCode(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Code de vérification inconnu.")
	}
	if err := p.app.RevokeCheckCode(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/mon-espace/codes", http.StatusSeeOther)
	return nil
}
