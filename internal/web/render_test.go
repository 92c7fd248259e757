package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"permis/internal/access"
)

func TestThemeResolution(t *testing.T) {
	tests := []struct {
		option    string
		dsfr      fstest.MapFS
		want      string
		wantState bool
		wantErr   string
	}{
		{"", fakeDSFR(), ThemeDSFR, true, ""},
		{"auto", fakeDSFR(), ThemeDSFR, true, ""},
		{"auto", noDSFR(), ThemeNeutral, false, ""},
		{"dsfr", fakeDSFR(), ThemeDSFR, true, ""},
		{"dsfr", noDSFR(), "", false, "make assets"},
		{"neutral", fakeDSFR(), ThemeNeutral, false, ""},
		{"violet", fakeDSFR(), "", false, "thème inconnu"},
	}
	for _, tt := range tests {
		r, err := newRenderer(Options{Theme: tt.option}, tt.dsfr, nil)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("theme %q: error %v, want one containing %q", tt.option, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("theme %q: %v", tt.option, err)
			continue
		}
		if got := r.Theme(); got.Name != tt.want || got.State != tt.wantState {
			t.Errorf("theme %q: got %+v, want %s (state %v)", tt.option, got, tt.want, tt.wantState)
		}
	}
}

func TestAutoThemeWarnsOnceWithoutDSFR(t *testing.T) {
	var log strings.Builder
	logger := slog.New(slog.NewTextHandler(&log, nil))
	r, err := newRenderer(Options{Logger: logger}, noDSFR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	get(t, shell(r), "/")
	get(t, shell(r), "/aide")
	if n := strings.Count(log.String(), "make assets"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, log.String())
	}
}

// The same pages in both themes: same structure, State marks and DSFR
// files only with the DSFR theme.
func TestShellPagesInBothThemes(t *testing.T) {
	pages := []struct{ path, title string }{
		{"/", "Accueil — Permis de conduire"},
		{"/accessibilite", "Déclaration d'accessibilité — Permis de conduire"},
		{"/mentions-legales", "Mentions légales — Permis de conduire"},
		{"/donnees-personnelles", "Données personnelles — Permis de conduire"},
		{"/plan-du-site", "Plan du site — Permis de conduire"},
		{"/aide", "Aide — Permis de conduire"},
		{"/dev/composants", "Composants — Permis de conduire"},
	}
	for _, theme := range []string{ThemeDSFR, ThemeNeutral} {
		h := shell(mustRenderer(t, theme, nil))
		for _, p := range pages {
			res, body := get(t, h, p.path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d", theme, p.path, res.StatusCode)
				continue
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s %s: Content-Type %q", theme, p.path, ct)
			}
			if res.Header.Get("Set-Cookie") != "" {
				t.Errorf("%s %s sets a cookie", theme, p.path)
			}
			for _, want := range []string{
				`<html lang="fr">`,
				"<title>" + p.title + "</title>",
				`href="#contenu">Aller au contenu</a>`,
				`href="#pied-de-page">Aller au pied de page</a>`,
				`href="/accessibilite"`, "Accessibilité : partiellement conforme",
				`href="/mentions-legales"`, `href="/donnees-personnelles"`, `href="/plan-du-site"`, `href="/aide"`,
				`href="/connexion"`, "Se connecter",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: no %q", theme, p.path, want)
				}
			}
			if n := count(body, "<main "); n != 1 || !strings.Contains(body, `<main id="contenu"`) {
				t.Errorf("%s %s: %d <main>, want one with id contenu", theme, p.path, n)
			}
			if n := count(body, "<h1"); n != 1 {
				t.Errorf("%s %s: %d <h1>, want 1", theme, p.path, n)
			}
			state := strings.Contains(body, `class="fr-logo"`) || strings.Contains(body, "République<br>française")
			dsfrFiles := strings.Contains(body, "/static/dsfr/")
			if want := theme == ThemeDSFR; state != want || dsfrFiles != want {
				t.Errorf("%s %s: State marks %v, DSFR files %v, want %v", theme, p.path, state, dsfrFiles, want)
			}
			if theme == ThemeNeutral && !strings.Contains(body, "/static/neutral.css?v=") {
				t.Errorf("neutral %s: no neutral.css", p.path)
			}
		}
	}
}

func TestHeaderShowsTheSignedInPerson(t *testing.T) {
	h := shell(mustRenderer(t, ThemeNeutral, nil))
	_, body := get(t, h, "/aide", access.Actor{Kind: access.KindUser, ID: "u1", Name: "Camille Martin", Role: access.Citizen})
	for _, want := range []string{"Camille Martin", `href="/mon-espace"`, `<form method="post" action="/deconnexion"`, "Se déconnecter"} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q in the header", want)
		}
	}
	if strings.Contains(body, `href="/connexion"`) {
		t.Error("a signed-in person is offered to sign in")
	}
	res, body := get(t, h, "/aide", access.Actor{Kind: access.KindUser, ID: "a1", Name: "Dominique Agent", Role: access.Agent})
	if !strings.Contains(body, "(Agent instructeur)") {
		t.Error("an agent's role is not shown")
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("signed-in page Cache-Control %q, want no-store", cc)
	}
	// A partner's API token is not a person: the header stays anonymous.
	_, body = get(t, h, "/aide", access.Actor{Kind: access.KindToken, ID: "t1", Name: "jeton", Role: access.Agent})
	if !strings.Contains(body, `href="/connexion"`) {
		t.Error("a token actor is shown as a signed-in person")
	}
}

// testPage is a caller's page type.
type testPage struct {
	Page
	Neph string
}

func TestCallerPagesAndCommonParts(t *testing.T) {
	pages := fstest.MapFS{
		"pages/form.html": {Data: []byte(`{{define "title"}}Formulaire{{end}}{{define "content"}}<h1>Formulaire</h1>{{template "steps" .}}{{template "errors" .}}<input id="neph" value="{{.Neph}}">{{with .FieldError "neph"}}<p id="neph-erreur">{{.}}</p>{{end}}<p>{{.RequestID}}|{{.Path}}</p>{{end}}`)},
	}
	r := mustRenderer(t, ThemeDSFR, pages, "pages/*.html")
	p := &testPage{Neph: "<b>"}
	p.Errors = []FieldError{{Field: "neph", Message: "Le NEPH compte 12 chiffres."}, {Field: "email", Message: "Adresse incorrecte."}}
	p.Steps = &Steps{Current: 2, Total: 4, Title: "Votre permis", NextTitle: "Vos coordonnées"}
	p.Notices = []Notice{{Kind: NoticeSuccess, Title: "Enregistré"}}
	p.Banner = []Notice{{Kind: NoticeError, Title: "Incident en cours", Text: "Le service est ralenti."}}
	p.Breadcrumb = []Link{{Href: "/", Text: "Accueil"}, {Text: "Formulaire"}}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/demande", nil)
	if err := r.Render(rec, req, http.StatusUnprocessableEntity, "form.html", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("status %d", rec.Code)
	}
	for _, want := range []string{
		"<title>Erreur : Formulaire — Permis de conduire</title>",
		`role="alert"`, "Le formulaire contient 2 erreurs",
		`<a href="#neph">Le NEPH compte 12 chiffres.</a>`, `<a href="#email">Adresse incorrecte.</a>`,
		`<p id="neph-erreur">Le NEPH compte 12 chiffres.</p>`,
		`value="&lt;b&gt;"`,
		"Étape 2 sur 4", `data-fr-current-step="2"`, `data-fr-steps="4"`, "Vos coordonnées",
		`fr-alert--success`, "Enregistré",
		`fr-notice--alert`, "Incident en cours", "Le service est ralenti.",
		`<a class="fr-breadcrumb__link" href="/">Accueil</a>`, `<a class="fr-breadcrumb__link" aria-current="page">Formulaire</a>`,
		"|/demande</p>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q", want)
		}
	}
	if p.Theme.Name != ThemeDSFR || p.Service != DefaultServiceName || p.Path != "/demande" {
		t.Errorf("common part not filled: %+v", p.Page)
	}
}

func TestRenderFailureWritesNothing(t *testing.T) {
	pages := fstest.MapFS{
		"p/broken.html": {Data: []byte(`{{define "content"}}<h1>x</h1>{{date .Neph}}{{end}}`)},
	}
	r := mustRenderer(t, ThemeNeutral, pages, "p/*.html")
	rec := httptest.NewRecorder()
	err := r.Render(rec, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, "broken.html", &testPage{Neph: "x"})
	if err == nil {
		t.Fatal("no error")
	}
	if rec.Body.Len() != 0 || len(rec.Header()) != 0 || rec.Code != http.StatusOK {
		t.Errorf("a failed render wrote: code %d, headers %v, %d bytes", rec.Code, rec.Header(), rec.Body.Len())
	}
	if err := r.Render(rec, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, "absente.html", &Page{}); err == nil {
		t.Error("an unknown page renders")
	}
	// Through Handle, the visitor gets a clean 500 page.
	h := r.Handle(func(w http.ResponseWriter, req *http.Request) error {
		return r.Render(w, req, http.StatusOK, "broken.html", &testPage{Neph: "x"})
	})
	res, body := get(t, h, "/x")
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Une erreur est survenue") {
		t.Errorf("status %d, body %q", res.StatusCode, body)
	}
}

func TestNewRendererFailsFast(t *testing.T) {
	good := []byte(`{{define "title"}}A{{end}}{{define "content"}}<h1>A</h1>{{end}}`)
	tests := []struct {
		name     string
		pages    fstest.MapFS
		patterns []string
		want     string
	}{
		{"no match", fstest.MapFS{"a/x.html": {Data: good}}, []string{"b/*.html"}, "aucun fichier"},
		{"no content", fstest.MapFS{"a/x.html": {Data: []byte(`{{define "title"}}A{{end}}`)}}, []string{"a/*.html"}, "content"},
		{"syntax", fstest.MapFS{"a/x.html": {Data: []byte(`{{define "content"}}{{.X{{end}}`)}}, []string{"a/*.html"}, "a/x.html"},
		{"unknown func", fstest.MapFS{"a/x.html": {Data: []byte(`{{define "content"}}{{nofunc .}}{{end}}`)}}, []string{"a/*.html"}, "nofunc"},
		{"same name twice", fstest.MapFS{"a/x.html": {Data: good}, "b/x.html": {Data: good}}, []string{"a/*.html", "b/*.html"}, "deux pages"},
		{"shell page name", fstest.MapFS{"a/accueil.html": {Data: good}}, []string{"a/*.html"}, "deux pages"},
	}
	for _, tt := range tests {
		_, err := newRenderer(Options{Theme: ThemeNeutral}, noDSFR(), tt.pages, tt.patterns...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestFieldErrors(t *testing.T) {
	got := FieldErrors(map[string]string{"z": "Z", "email": "E", "neph": "N", "a": "A"}, "neph", "email", "absent")
	want := []FieldError{{"neph", "N"}, {"email", "E"}, {"a", "A"}, {"z", "Z"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
			break
		}
	}
	p := &Page{Errors: got}
	if p.FieldError("email") != "E" || p.FieldError("other") != "" {
		t.Error("FieldError")
	}
}

// Options.Banner adds its notices to every page it covers.
func TestBannerHook(t *testing.T) {
	r, err := newRenderer(Options{Theme: ThemeNeutral, Banner: func(req *http.Request) []Notice {
		if req.URL.Path == "/aide" {
			return []Notice{{Kind: NoticeWarning, Title: "Incident en cours", Text: "Le téléchargement des relevés est indisponible."}}
		}
		return nil
	}}, noDSFR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, shell(r), "/aide"); !strings.Contains(body, "Incident en cours") || !strings.Contains(body, "fr-notice--warning") {
		t.Errorf("no incident notice on /aide:\n%s", body)
	}
	if _, body := get(t, shell(r), "/"); strings.Contains(body, "Incident en cours") {
		t.Error("the incident notice shows on a page it does not cover")
	}
}

// The error summary follows the form's order, whatever order the errors
// came in (RGAA 11.10; the appointment form listed the email before the
// name), and takes the focus when the page loads.
func TestErrorSummaryFollowsTheForm(t *testing.T) {
	pages := fstest.MapFS{
		"pages/form.html": {Data: []byte(`{{define "title"}}Formulaire{{end}}{{define "content"}}<h1>Formulaire</h1>{{template "errors" .}}<input id="name"><input id="email"><input id="phone">{{end}}`)},
	}
	r := mustRenderer(t, ThemeNeutral, pages, "pages/*.html")
	p := &testPage{}
	p.Errors = []FieldError{{Field: "phone", Message: "P"}, {Message: "Général"}, {Field: "email", Message: "E"}, {Field: "name", Message: "N"}}
	rec := httptest.NewRecorder()
	if err := r.Render(rec, httptest.NewRequest(http.MethodPost, "/f", nil), http.StatusUnprocessableEntity, "form.html", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	n, e, ph, g := strings.Index(body, `href="#name"`), strings.Index(body, `href="#email"`), strings.Index(body, `href="#phone"`), strings.Index(body, "<li>Général</li>")
	if n < 0 || e < 0 || ph < 0 || g < 0 || !(n < e && e < ph && ph < g) {
		t.Errorf("summary order name %d, email %d, phone %d, general %d; want the form's order, then the rest", n, e, ph, g)
	}
	if !strings.Contains(body, `id="resume-erreurs" tabindex="-1" autofocus`) {
		t.Error("the error summary does not take the focus")
	}
}

// The privacy page covers every kind of data the service keeps, each with
// how long: the requests and their documents, the ePhoto, appointments,
// SMS numbers, reports and appeals, consents, mails.
func TestPrivacyPageCoversEveryKindOfData(t *testing.T) {
	h := shell(mustRenderer(t, ThemeNeutral, nil))
	_, body := get(t, h, "/donnees-personnelles")
	for _, want := range []string{"pièces justificatives", "rendez-vous", "téléphone mobile", "signalements", "photo et la signature",
		"organismes que vous autorisez", "courriels"} {
		if !strings.Contains(body, want) {
			t.Errorf("the privacy page does not cover %q", want)
		}
	}
	for _, id := range []string{"donnees-demandes", "donnees-photo", "donnees-rendez-vous", "donnees-sms", "donnees-signalements", "donnees-autorisations", "donnees-courriels"} {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 {
			t.Errorf("no row %s", id)
			continue
		}
		row := body[i:]
		row = row[:strings.Index(row, "</tr>")]
		if strings.Count(row, "<td>") != 2 || strings.Contains(row, "<td></td>") {
			t.Errorf("row %s lacks its purpose or its duration", id)
		}
	}
}
