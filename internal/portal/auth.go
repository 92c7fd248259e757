package portal

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/oidc"
	"permis/internal/web"
)

const (
	maxForm     = 64 << 10
	oidcCookie  = "permis_oidc"
	oidcMaxWait = 10 * time.Minute
	// logoutCookie keeps the state sent to the provider's end-session
	// endpoint until the browser comes back.
	logoutCookie = "permis_deconnexion"
)

// parseForm reads a form with a size limit.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	return nil
}

// formErrors turns an application error a person can fix (or must wait
// for) into the error summary of the form it came from. Other errors are
// not the person's doing: they go to the error page.
func formErrors(err error) ([]web.FieldError, bool) {
	e := apperr.As(err)
	switch e.Code {
	case apperr.Invalid, apperr.TooMany, apperr.Forbidden, apperr.Conflict, apperr.NotFound:
	default:
		return nil, false
	}
	var out []web.FieldError
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, web.FieldError{Field: k, Message: e.Fields[k]})
	}
	if len(out) == 0 {
		out = append(out, web.FieldError{Message: e.Message})
	}
	return out, true
}

type signInPage struct {
	web.Page
	Return       string
	Email        string
	OIDC         bool
	ProviderName string
	ProConnect   bool // the agents' button
	Expired      bool
}

func (p *Portal) signInForm(w http.ResponseWriter, r *http.Request) error {
	if st, ok := stateOf(r); ok && !st.Pending {
		http.Redirect(w, r, homeOf(st.Account.Role), http.StatusSeeOther)
		return nil
	}
	pg := &signInPage{Page: web.Page{Title: "Se connecter"}, Return: web.ReturnPath(r.URL.Query().Get("retour")),
		OIDC: p.opts.OIDC != nil, ProviderName: p.opts.ProviderName, ProConnect: p.opts.ProConnect != nil}
	return p.r.Render(w, r, http.StatusOK, "signin.html", pg)
}

func (p *Portal) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &signInPage{Page: web.Page{Title: "Se connecter"}, Return: web.ReturnPath(r.PostForm.Get("retour")),
		Email: r.PostForm.Get("email"), OIDC: p.opts.OIDC != nil, ProviderName: p.opts.ProviderName,
		ProConnect: p.opts.ProConnect != nil}
	ns, err := p.app.SignIn(r.Context(), request(r), r.PostForm.Get("email"), r.PostForm.Get("password"), r.UserAgent())
	if err != nil {
		return p.refuse(w, r, "signin.html", pg, err)
	}
	p.afterSignIn(w, r, ns, pg.Return)
	return nil
}

// refuse answers a form refused for err: the same page again with the
// problems a person can fix (or must wait for), and the submitted values
// already in pg; any other error goes to the error page.
func (p *Portal) refuse(w http.ResponseWriter, r *http.Request, name string, pg web.Pager, err error) error {
	fe, ok := formErrors(err)
	if !ok {
		return err
	}
	pg.Base().Errors = fe
	return p.r.Render(w, r, statusOf(err), name, pg)
}

// statusOf is the HTTP status of a form refused for err.
func statusOf(err error) int {
	if apperr.Is(err, apperr.TooMany) {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

// afterSignIn sets the session cookie and goes on: to the second factor,
// to the page the person was going to, or to their space.
func (p *Portal) afterSignIn(w http.ResponseWriter, r *http.Request, ns app.NewSession, ret string) {
	p.setSession(w, ns.Token)
	switch {
	case ns.NeedsSecondFactor:
		http.Redirect(w, r, "/connexion/second-facteur", http.StatusSeeOther)
	case ret != "":
		http.Redirect(w, r, ret, http.StatusSeeOther)
	default:
		http.Redirect(w, r, homeOf(ns.Account.Role), http.StatusSeeOther)
	}
}

// oidcStart sends the person to the identity provider, keeping state,
// nonce and PKCE verifier in a short-lived cookie.
func (p *Portal) oidcStart(w http.ResponseWriter, r *http.Request) error {
	return p.providerStart(w, r, p.opts.OIDC, "/connexion/oidc")
}

// providerStart sends the browser to client's provider; the pending
// sign-in and the return path wait in cookies scoped to path (the start and
// callback routes).
func (p *Portal) providerStart(w http.ResponseWriter, r *http.Request, client *oidc.Client, path string) error {
	if client == nil {
		return apperr.New(apperr.NotFound, "La connexion par fournisseur d'identité n'est pas proposée.")
	}
	authURL, pending, err := client.Start(r.Context())
	if err != nil {
		if apperr.Is(err, apperr.Unavailable) {
			return p.signInAgain(w, r, http.StatusServiceUnavailable, apperr.As(err).Message)
		}
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: oidcCookie, Value: pending.Encode(), Path: path, HttpOnly: true,
		Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(oidcMaxWait.Seconds()),
	})
	if ret := web.ReturnPath(r.URL.Query().Get("retour")); ret != "" {
		http.SetCookie(w, &http.Cookie{Name: "permis_retour", Value: ret, Path: path, HttpOnly: true,
			Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(oidcMaxWait.Seconds())})
	}
	http.Redirect(w, r, authURL, http.StatusSeeOther)
	return nil
}

// providerFinish reads the provider's answer on a callback under path: the
// identity, or false when the person was sent back to the sign-in page
// with a French explanation (cancelled, refused, expired, a signature that
// does not verify, the provider out of reach): never an error page.
func (p *Portal) providerFinish(w http.ResponseWriter, r *http.Request, client *oidc.Client, path string) (oidc.Identity, bool, error) {
	if client == nil {
		return oidc.Identity{}, false, apperr.New(apperr.NotFound, "La connexion par fournisseur d'identité n'est pas proposée.")
	}
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return oidc.Identity{}, false, p.signInAgain(w, r, http.StatusBadRequest, "Votre connexion a pris trop de temps ou a été interrompue. Recommencez.")
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: path, MaxAge: -1, HttpOnly: true,
		Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	pending, err := oidc.DecodePending(c.Value)
	if err != nil {
		return oidc.Identity{}, false, p.signInAgain(w, r, http.StatusBadRequest, "Votre connexion a été interrompue. Recommencez.")
	}
	id, err := client.Finish(r.Context(), pending, r.URL.Query())
	if err != nil {
		e := apperr.As(err)
		switch e.Code {
		case apperr.Internal:
			return oidc.Identity{}, false, err
		case apperr.Unavailable:
			p.log.Warn("portail : fournisseur d'identité injoignable", "err", err)
			return oidc.Identity{}, false, p.signInAgain(w, r, http.StatusServiceUnavailable, e.Message)
		}
		p.log.Info("portail : connexion par fournisseur d'identité refusée", "err", err)
		return oidc.Identity{}, false, p.signInAgain(w, r, http.StatusBadRequest, e.Message)
	}
	return id, true, nil
}

// returnPath is the page the person was going to before the provider,
// kept in a cookie under path.
func (p *Portal) returnPath(w http.ResponseWriter, r *http.Request, path string) string {
	rc, err := r.Cookie("permis_retour")
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: "permis_retour", Value: "", Path: path, MaxAge: -1})
	return web.ReturnPath(rc.Value)
}

// oidcCallback finishes the sign-in with the provider's answer.
func (p *Portal) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	id, ok, err := p.providerFinish(w, r, p.opts.OIDC, "/connexion/oidc")
	if !ok {
		return err
	}
	ns, err := p.app.SignInWithIdentity(r.Context(), request(r), app.Identity{
		Issuer: id.Issuer, Subject: id.Subject, GivenName: id.GivenName, FamilyName: id.FamilyName,
		Birthdate: id.Birthdate, Birthplace: id.Birthplace, Gender: id.Gender, Email: id.Email, IDToken: id.IDToken,
	}, r.UserAgent())
	if err != nil {
		return err
	}
	p.afterSignIn(w, r, ns, p.returnPath(w, r, "/connexion/oidc"))
	return nil
}

// signInAgain shows the sign-in page with what went wrong.
func (p *Portal) signInAgain(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	pg := &signInPage{Page: web.Page{Title: "Se connecter", Errors: []web.FieldError{{Message: msg}}},
		OIDC: p.opts.OIDC != nil, ProviderName: p.opts.ProviderName, ProConnect: p.opts.ProConnect != nil}
	return p.r.Render(w, r, status, "signin.html", pg)
}

// signOut ends the session, then also at the provider when the session
// came from it.
func (p *Portal) signOut(w http.ResponseWriter, r *http.Request) error {
	st, _ := stateOf(r)
	if c, err := r.Cookie(p.cookie); err == nil {
		if err := p.app.SignOut(r.Context(), request(r), c.Value); err != nil {
			return err
		}
	}
	p.clearCookie(w, p.cookie)
	if client := p.providerOf(st); client != nil && st.IDTokenHint != "" {
		// The provider's session ends too (FranceConnect and ProConnect
		// require it): its end-session endpoint, with the ID token as hint
		// and a state checked when the browser comes back.
		state := oidc.NewLogoutState()
		if u, ok := client.LogoutURL(r.Context(), st.IDTokenHint, p.app.PublicURL()+"/deconnexion/fin", state); ok {
			http.SetCookie(w, &http.Cookie{Name: logoutCookie, Value: state, Path: "/deconnexion/fin", HttpOnly: true,
				Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(oidcMaxWait.Seconds())})
			http.Redirect(w, r, u, http.StatusSeeOther)
			return nil
		}
	}
	http.Redirect(w, r, "/deconnexion/fin", http.StatusSeeOther)
	return nil
}

// providerOf returns the client of the provider the session's person
// signed in with: ProConnect's for an agent, the citizens' otherwise.
func (p *Portal) providerOf(st app.SessionState) *oidc.Client {
	if p.opts.ProConnect != nil && app.NeedsSecondFactor(st.Account.Role) {
		return p.opts.ProConnect
	}
	return p.opts.OIDC
}

func (p *Portal) signedOut(w http.ResponseWriter, r *http.Request) error {
	// Back from the provider's end-session endpoint: the state must be the
	// one sent. The local session is closed either way; a different state
	// (a forged link to this page) is only logged.
	if got := r.URL.Query().Get("state"); got != "" {
		c, err := r.Cookie(logoutCookie)
		if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(got)) != 1 {
			p.log.Warn("portail : retour de déconnexion du fournisseur d'identité avec un state inattendu")
		}
		http.SetCookie(w, &http.Cookie{Name: logoutCookie, Value: "", Path: "/deconnexion/fin", MaxAge: -1, HttpOnly: true,
			Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	pg := &web.Page{Title: "Vous êtes déconnecté", Notices: []web.Notice{{Kind: "success", Title: "Vous êtes déconnecté",
		Text: "Votre session est fermée. Pensez à fermer votre navigateur si vous utilisez un ordinateur partagé."}}}
	return p.r.Render(w, r, http.StatusOK, "signedout.html", pg)
}

type registerPage struct {
	web.Page
	Form app.Registration
}

func (p *Portal) registerForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "register.html", &registerPage{Page: web.Page{Title: "Créer un compte"}})
}

func (p *Portal) register(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := app.Registration{
		Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password"), GivenName: r.PostForm.Get("given_name"),
		FamilyName: r.PostForm.Get("family_name"), BirthDate: r.PostForm.Get("birth_date"),
	}
	if err := p.app.Register(r.Context(), request(r), in); err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return err
		}
		in.Password = "" // never sent back
		return p.r.Render(w, r, statusOf(err), "register.html", &registerPage{Page: web.Page{Title: "Créer un compte", Errors: fe}, Form: in})
	}
	http.Redirect(w, r, "/inscription/envoye", http.StatusSeeOther)
	return nil
}

func (p *Portal) registerSent(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "register_sent.html", &web.Page{Title: "Vérifiez votre messagerie"})
}

type tokenPage struct {
	web.Page
	Token string
	Done  bool
}

func (p *Portal) verifyForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "verify.html", &tokenPage{Page: web.Page{Title: "Valider votre adresse électronique"},
		Token: r.PathValue("token")})
}

func (p *Portal) verify(w http.ResponseWriter, r *http.Request) error {
	pg := &tokenPage{Page: web.Page{Title: "Valider votre adresse électronique"}, Token: r.PathValue("token")}
	if err := p.app.VerifyEmail(r.Context(), request(r), r.PathValue("token")); err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return err
		}
		pg.Errors = fe
		return p.r.Render(w, r, http.StatusGone, "verify.html", pg)
	}
	pg.Done = true
	pg.Notices = []web.Notice{{Kind: "success", Title: "Adresse validée", Text: "Votre compte est activé. Vous pouvez vous connecter."}}
	return p.r.Render(w, r, http.StatusOK, "verify.html", pg)
}

type forgotPage struct {
	web.Page
	Email string
	Sent  bool
}

func (p *Portal) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "forgot.html", &forgotPage{Page: web.Page{Title: "Mot de passe oublié"}})
}

func (p *Portal) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &forgotPage{Page: web.Page{Title: "Mot de passe oublié"}, Email: r.PostForm.Get("email")}
	if err := p.app.RequestPasswordReset(r.Context(), request(r), pg.Email); err != nil {
		return p.refuse(w, r, "forgot.html", pg, err)
	}
	pg.Sent = true
	return p.r.Render(w, r, http.StatusOK, "forgot.html", pg)
}

func (p *Portal) resetForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "reset.html", &tokenPage{Page: web.Page{Title: "Choisir un nouveau mot de passe"},
		Token: r.PathValue("token")})
}

func (p *Portal) reset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &tokenPage{Page: web.Page{Title: "Choisir un nouveau mot de passe"}, Token: r.PathValue("token")}
	if r.PostForm.Get("password") != r.PostForm.Get("password_again") {
		pg.Errors = []web.FieldError{{Field: "password_again", Message: "Les deux mots de passe saisis sont différents."}}
		return p.r.Render(w, r, http.StatusUnprocessableEntity, "reset.html", pg)
	}
	if err := p.app.ResetPassword(r.Context(), request(r), r.PathValue("token"), r.PostForm.Get("password")); err != nil {
		return p.refuse(w, r, "reset.html", pg, err)
	}
	pg.Done = true
	pg.Notices = []web.Notice{{Kind: "success", Title: "Mot de passe modifié", Text: "Vous pouvez vous connecter avec votre nouveau mot de passe."}}
	return p.r.Render(w, r, http.StatusOK, "reset.html", pg)
}

type secondFactorPage struct {
	web.Page
	Enrol  bool
	Secret string
}

func (p *Portal) secondFactorForm(w http.ResponseWriter, r *http.Request) error {
	st, ok := stateOf(r)
	if !ok {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return nil
	}
	pg := &secondFactorPage{Page: web.Page{Title: "Code de sécurité"}}
	if !st.Account.SecondFactor {
		en, err := p.app.StartTOTPEnrolment(r.Context(), request(r), st.Account.ID)
		if err != nil {
			return err
		}
		pg.Enrol, pg.Secret = true, en.Secret
		pg.Title = "Configurer votre application d'authentification"
	}
	return p.r.Render(w, r, http.StatusOK, "second_factor.html", pg)
}

func (p *Portal) secondFactorQR(w http.ResponseWriter, r *http.Request) error {
	st, ok := stateOf(r)
	if !ok || st.Account.SecondFactor {
		return apperr.New(apperr.NotFound, "Page introuvable.")
	}
	en, err := p.app.StartTOTPEnrolment(r.Context(), request(r), st.Account.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(en.QRCode)
	return err
}

func (p *Portal) secondFactor(w http.ResponseWriter, r *http.Request) error {
	st, ok := stateOf(r)
	if !ok {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return nil
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	c, _ := r.Cookie(p.cookie)
	req := request(r)
	req.Actor = st.Actor
	home := homeOf(st.Account.Role)
	if err := p.app.VerifySecondFactor(r.Context(), req, c.Value, r.PostForm.Get("code")); err != nil {
		fe, ok := formErrors(err)
		if !ok {
			return err
		}
		pg := &secondFactorPage{Page: web.Page{Title: "Code de sécurité", Errors: fe}, Enrol: !st.Account.SecondFactor}
		if pg.Enrol {
			if en, err := p.app.StartTOTPEnrolment(r.Context(), req, st.Account.ID); err == nil {
				pg.Secret = en.Secret
			}
		}
		return p.r.Render(w, r, statusOf(err), "second_factor.html", pg)
	}
	http.Redirect(w, r, home, http.StatusSeeOther)
	return nil
}

// homeOf is where a person lands after signing in: their own space, or
// the home page for the roles without one.
func homeOf(role access.Role) string {
	if h := web.HomeOf(role); h != "" {
		return h
	}
	return "/"
}
