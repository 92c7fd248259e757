package oidcdemo

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

//go:embed templates
var files embed.FS

// pages are parsed once, at package initialisation: a broken template
// fails every test at once.
var pages = template.Must(template.ParseFS(files, "templates/pages.html"))

// css is the page's only style sheet, served from the provider's own path
// so that the service's Content-Security-Policy ('self') allows it.
var css = func() []byte {
	b, err := files.ReadFile("templates/demo.css")
	if err != nil {
		panic(err)
	}
	return b
}()

func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(css)
}

// loginData is the login page.
type loginData struct {
	CSS       string
	Action    string
	RequestID string
	ClientID  string
	Claims    string // in French, e.g. "prénoms, nom de naissance et date de naissance"
	People    []personChoice
	Error     string
	Mode      string // "FranceConnect v2", "ProConnect"…
	AskMFA    bool   // ProConnect: choose how the agent authenticates
}

// personChoice is one radio button.
type personChoice struct {
	Subject string
	Label   string // "Jeanne Martin, née le 12/03/1990 à Montpellier"
	Checked bool
}

// messageData is a page with a title and one paragraph.
type messageData struct {
	CSS, Title, Text string
}

// claimLabels names the claims in French, in the order they are listed.
var claimLabels = []struct{ claim, label string }{
	{"given_name", "prénoms"}, {"family_name", "nom de naissance"}, {"usual_name", "nom d'usage"},
	{"preferred_name", "nom d'usage"}, {"preferred_username", "nom d'usage"},
	{"birthdate", "date de naissance"}, {"birthplace", "lieu de naissance"}, {"birthcountry", "pays de naissance"},
	{"gender", "sexe"}, {"email", "adresse électronique"}, {"uid", "identifiant d'agent"}, {"siret", "numéro SIRET de l'établissement"},
}

// claimsText lists in French the claims that asked releases among scopes.
func claimsText(scopes map[string][]string, asked []string) string {
	want := claimsFor(scopes, asked)
	var names []string
	for _, c := range claimLabels {
		if want[c.claim] {
			names = append(names, c.label)
		}
	}
	switch len(names) {
	case 0:
		return "un identifiant de connexion, sans autre information"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " et " + names[len(names)-1]
}

// Label returns how the person is shown on the login page: an agent (with
// a Siret) by name and professional address.
func (p Identity) Label() string {
	first, _, _ := strings.Cut(p.GivenName, " ")
	if p.Siret != "" {
		return first + " " + p.FamilyName + " (" + p.Email + ")"
	}
	born := "né"
	if p.Gender == "female" {
		born = "née"
	}
	s := first + " " + p.FamilyName
	if p.Birthdate != 0 {
		s += ", " + born + " le " + p.Birthdate.French()
	}
	if p.BirthplaceName != "" {
		s += " à " + p.BirthplaceName
	}
	return s
}

// render writes a page rendered into a buffer first, so a failed render is
// a clean 500.
func (pv *provider) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		pv.logger.Error("oidcdemo: render", "page", name, "err", err)
		http.Error(w, "Erreur interne du fournisseur d'identité de démonstration.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// unknownRequest answers a login page for an auth request that does not
// exist (any more).
func (pv *provider) unknownRequest(w http.ResponseWriter) {
	pv.render(w, http.StatusBadRequest, "message", messageData{
		CSS:   pv.path + "/demo.css",
		Title: "Demande de connexion introuvable",
		Text: "Cette demande de connexion a expiré ou a déjà été utilisée. " +
			"Retournez sur le service d'où vous venez et recommencez la connexion.",
	})
}

// loginPage shows the people to choose from.
func (pv *provider) loginPage(w http.ResponseWriter, r *http.Request) {
	pv.showLogin(w, r.URL.Query().Get("id"), "", "", http.StatusOK)
}

// showLogin renders the login page for auth request id.
func (pv *provider) showLogin(w http.ResponseWriter, id, checked, problem string, status int) {
	pv.storage.mu.Lock()
	a, err := pv.storage.request(id)
	pv.storage.mu.Unlock()
	if err != nil || a.done {
		pv.unknownRequest(w)
		return
	}
	d := loginData{
		CSS: pv.path + "/demo.css", Action: pv.path + "/login", RequestID: a.ID,
		ClientID: a.ClientID, Claims: claimsText(pv.storage.scopes, a.Scopes), Error: problem,
		Mode: pv.mode.label(), AskMFA: pv.mode == ProConnect,
	}
	for _, p := range pv.people {
		d.People = append(d.People, personChoice{Subject: p.Subject, Label: p.Label(), Checked: p.Subject == checked})
	}
	pv.render(w, status, "login", d)
}

// login handles the form: "Se connecter" with a chosen person completes the
// auth request and hands over to the library's callback, which issues the
// code; "Refuser" sends error=access_denied back to the client.
func (pv *provider) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Formulaire illisible.", http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("id")
	pv.storage.mu.Lock()
	a, err := pv.storage.request(id)
	pv.storage.mu.Unlock()
	if err != nil || a.done {
		pv.unknownRequest(w)
		return
	}
	switch r.PostForm.Get("action") {
	case "refus":
		_ = pv.storage.DeleteAuthRequest(r.Context(), id)
		op.AuthRequestError(w, r, a, oidc.ErrAccessDenied().WithDescription("the person refused to sign in"), pv.op)
		return
	case "connexion":
	default:
		http.Error(w, "Action inconnue.", http.StatusBadRequest)
		return
	}
	subject := r.PostForm.Get("personne")
	if _, ok := pv.storage.people[subject]; !ok {
		pv.showLogin(w, id, "", "Choisissez l'identité avec laquelle vous connecter.", http.StatusUnprocessableEntity)
		return
	}
	amr := []string{"pwd"}
	if pv.mode == ProConnect && r.PostForm.Get("methode") == "mfa" {
		// ProConnect's values: a password then a code from an authenticator
		// app, which is multi-factor (resources/claim_amr.md).
		amr = []string{"pwd", "totp", "mfa"}
	}
	if err := pv.storage.complete(id, subject, amr); err != nil {
		pv.unknownRequest(w)
		return
	}
	pv.openSession(w, subject)
	http.Redirect(w, r, pv.path+"/authorize/callback?id="+url.QueryEscape(id), http.StatusSeeOther)
}

// loggedOut is where end_session sends people when the client gave no
// post_logout_redirect_uri.
func (pv *provider) loggedOut(w http.ResponseWriter, _ *http.Request) {
	pv.render(w, http.StatusOK, "message", messageData{
		CSS: pv.path + "/demo.css", Title: "Vous êtes déconnecté",
		Text: "Vous êtes déconnecté du fournisseur d'identité de démonstration. Vous pouvez fermer cette page.",
	})
}
