package journey_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/app/fines"
	medicalapp "permis/internal/app/medical"
	"permis/internal/browsertest"
	"permis/internal/contest"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
	"permis/internal/support"
)

// The service is one: from the home page, every public page opens by
// clicking links only, and, signed in, every page of each role (citizen,
// driving school, instructing agent, help desk, photographer,
// prosecutor, approved doctor). For each
// role the browser starts at / (the only address typed, after the session
// cookie is set), follows every link it has not followed yet (one page per
// route: /aide/neph stands for every article), checks each page it reaches
// with axe-core and the console, fails on any 4xx or 5xx, and comes back
// with the Back button. At the end, every GET page the role may open must
// have been reached, except those listed in unreachable with the reason
// (a link in a mail, a file, a page after a form).
func TestEveryServiceIsReachedByClicking(t *testing.T) {
	b, e := start(t)
	ctx := context.Background()

	// The data some pages need to exist: a citizen's submitted request
	// (its pages; the agent's queue and file) and draft, a fault report
	// (the help desk's ticket page).
	citizen := e.Citizen(t, "twelve", true)
	if _, err := e.App.StartRequest(ctx, citizen.Request, app.StartInput{Kind: string(requests.Renewal)}); err != nil {
		t.Fatalf("draft: %v", err)
	}
	e.FileLoss(t, citizen)
	// A notice of contravention sent to the citizen (Mon espace → the
	// notice's page, its contest and designation pages).
	dp, _ := e.Person(t, "twelve")
	l, err := e.Store.FindLicenceByNEPH(ctx, dp.NEPH)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateNotice(ctx, &store.Notice{Number: fines.NewNoticeNumber(), Plate: "FG-482-LM", Kind: contest.ACO,
		Committed: e.Today.AddDays(-9), Place: "A9, Montpellier", Nature: "Excès de vitesse inférieur à 20 km/h", Class: "3",
		Reduced: 45, Fine: 68, Increased: 180, Points: 1, Sent: e.Today.AddDays(-4), Mail: contest.Ordinary,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: "Lefèvre", GivenNames: "Jean-Pierre", LicenceID: l.ID}}); err != nil {
		t.Fatalf("notice: %v", err)
	}
	if _, err := e.App.ReportFault(ctx, app.Request{Client: "127.0.0.9"}, support.Report{
		Procedure: "documents", Summary: "Le relevé ne se télécharge pas", Details: "Le bouton ne fait rien.", Email: "usager@example.fr",
	}, nil); err != nil {
		t.Fatalf("report: %v", err)
	}

	// A driving school with a student under mandate and a request started
	// for the student (the school's pages of a request).
	school := e.Staff(t, access.DrivingSchool)
	m, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: "Lefèvre", GivenNames: "Inès",
		BirthDate: e.Today.AddDays(-18 * 366), Email: "ines@example.fr", Reference: "M-1", SignedOn: e.Today.AddDays(-7)})
	if err != nil {
		t.Fatalf("mandate: %v", err)
	}
	if _, err := e.App.StartRequestForStudent(ctx, school.Request, m.ID, string(requests.FirstLicence)); err != nil {
		t.Fatalf("student's request: %v", err)
	}

	// An approved doctor who recorded an opinion (its page, from the
	// doctor's home).
	doctor := e.Doctor(t, "MA-34-2021-0042", e.Today.AddYears(3))
	heavy, heavyPerson := e.Person(t, "48m")
	if _, err := medicalapp.New(e.App).RecordOpinion(ctx, doctor.Request, medicalapp.OpinionInput{
		Patient: medicalapp.PatientQuery{NEPH: heavy.NEPH.String(), BirthDate: heavyPerson.BirthDate.French()}, Outcome: "fit",
	}); err != nil {
		t.Fatalf("opinion: %v", err)
	}

	// A contest of a fine in the OMP's queue, with an uploaded document
	// (the prosecutor's pages).
	fs := fines.New(e.App.Kernel(), fines.DefaultConfig())
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "GH-456-JK", Kind: contest.ACO, Committed: e.Today.AddDays(-12),
		Place: "Lyon", Nature: "Feu rouge", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 4,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: "Garnier", GivenNames: "Camille", Address: "12 rue des Lilas, 69003 Lyon"},
		Sent:   e.Today.AddDays(-2), Mail: contest.Ordinary}
	if err := e.Store.CreateNotice(ctx, &n); err != nil {
		t.Fatalf("notice: %v", err)
	}
	if _, err := fs.Contest(ctx, app.Request{}, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.Sold,
		Email: "camille@example.fr", Documents: []fines.DocumentInput{
			{Kind: contest.SaleDeclaration, Name: "cession.pdf", Body: strings.NewReader("%PDF-1.4\ncession\n%%EOF\n")},
			{Kind: contest.SaleAcknowledgement}}}, "/"); err != nil {
		t.Fatalf("contest: %v", err)
	}

	// Places of practical exam published and open (the citizen's exam page
	// and booking form; the bureau's page and a half-day's sheet).
	centre := store.ExamCentre{Code: "34-LATTES", Name: "Centre d'examen de Lattes", Departement: "34"}
	if err := e.Store.CreateExamCentre(ctx, &centre); err != nil {
		t.Fatalf("exam centre: %v", err)
	}
	bureau := e.Staff(t, access.Agent)
	if _, err := examsapp.New(e.App.Kernel(), exam.DefaultConfig()).Publish(ctx, bureau.Request, examsapp.PublishInput{
		CentreID: centre.ID, Day: e.Today.AddDays(30), Half: "am", Category: licence.CategoryB, Places: 4,
		OpensAt: e.Clock.Now().Add(-time.Hour)}); err != nil {
		t.Fatalf("exam places: %v", err)
	}

	mux := http.NewServeMux()
	public := map[string]bool{}
	for _, r := range e.Routes.Session {
		mux.HandleFunc(r.Pattern, func(http.ResponseWriter, *http.Request) {})
		public[r.Pattern] = r.Policy.IsPublic()
	}
	roles := []struct {
		name    string
		role    access.Role // "" for anonymous
		session routertest.Session
	}{
		{"anonymous", "", routertest.Session{}},
		{"citizen", access.Citizen, citizen},
		{"driving school", access.DrivingSchool, school},
		{"agent", access.Agent, e.Staff(t, access.Agent)},
		{"help desk", access.Helpdesk, e.Staff(t, access.Helpdesk)},
		{"photographer", access.Photographer, e.Photographer(t, "AGR-34-30")},
		{"doctor", access.Doctor, doctor},
		{"prosecutor", access.Prosecutor, e.Staff(t, access.Prosecutor)},
	}
	publicSeen := map[string]bool{}
	for _, rl := range roles {
		t.Run(rl.name, func(t *testing.T) {
			c := &crawler{t: t, b: b.With(t), base: e.URL, mux: mux, seen: map[string]string{}, skipPublic: publicSeen, public: public}
			c.signIn(rl.session)
			if got := c.b.Visit(e.URL + "/"); got != http.StatusOK {
				t.Fatalf("/: %d", got)
			}
			c.check()
			c.seen["GET /{$}"] = "/"
			c.crawl([]string{"/"})
			var missing []string
			for _, r := range e.Routes.Session {
				if !strings.HasPrefix(r.Pattern, "GET ") || unreachable[r.Pattern] != "" || unreachableBy[rl.name][r.Pattern] != "" || c.seen[r.Pattern] != "" {
					continue
				}
				mine := r.Policy.IsPublic()
				if rl.role != "" {
					mine = !r.Policy.IsPublic() && r.Policy.Allows(rl.role)
				}
				if mine {
					missing = append(missing, r.Pattern)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s: pages not reached by clicking from the home page:\n  %s", rl.name, strings.Join(missing, "\n  "))
			}
			if rl.role == "" {
				for p := range c.seen {
					publicSeen[p] = public[strings.TrimSuffix(p, "?")]
				}
			}
			t.Logf("%s: %d pages", rl.name, c.visits)
		})
	}
}

// unreachableBy are, by role, the pages the role may open that the data
// of this test do not offer, and why.
var unreachableBy = map[string]map[string]string{
	"driving school": {"GET /mes-demarches/{id}/{page}": "a sent request's pages; the school's request here is a draft (TestSchoolFirstLicenceInABrowser sends one)"},
	"citizen": {"GET /mon-espace/examen/reserver": "offered once an exam registration is accepted; this citizen has none, so the " +
		"register link is offered instead (TestCandidatLibreFromRegistrationInABrowser registers, then books by clicking)"},
}

// unreachable are the GET routes no click from the home page can reach,
// and why.
var unreachable = map[string]string{
	"GET /":                                                     "any unknown address: the 404 page",
	"GET /static/":                                              "style sheets, scripts, images",
	"GET /favicon.ico":                                          "the site's icon",
	"GET /connexion/oidc":                                       "redirects to the identity provider (TestCitizenPathInABrowser)",
	"GET /connexion/proconnect":                                 "redirects to ProConnect (TestProConnect…)",
	"GET /connexion/proconnect/retour":                          "ProConnect's return",
	"GET /connexion/oidc/retour":                                "the identity provider's return",
	"GET /connexion/second-facteur":                             "a step of the staff's sign-in (the sessions here are past it)",
	"GET /connexion/second-facteur/qr.png":                      "an image of that step",
	"GET /deconnexion/fin":                                      "shown after signing out",
	"GET /avis-de-contravention/avis":                           "a notice's page, after its search by number and plate; the citizen reaches it from Mon espace",
	"GET /avis-de-contravention/contestation/{step}":            "the guided contest, from a notice's page (TestContestSoldVehicleInABrowser)",
	"GET /avis-de-contravention/contestation/confirmation":      "shown after a contest is sent (TestContestSoldVehicleInABrowser)",
	"GET /avis-de-contravention/designation":                    "from a notice's page (TestDesignateAFriendInABrowser)",
	"GET /avis-de-contravention/designation/confirmation":       "shown after a designation (TestDesignateAFriendInABrowser)",
	"GET /avis-de-contravention/recepisse/{step}/pdf":           "a file, from a notice's page",
	"GET /avis-de-contravention/recepisse/{step}/en-ligne":      "a receipt of a notice, from its page (TestContestSoldVehicleInABrowser)",
	"GET /inscription/envoye":                                   "shown after registering",
	"GET /compte/verification/{token}":                          "the link of a mail",
	"GET /mot-de-passe/nouveau/{token}":                         "the link of a mail",
	"GET /demandes/{id}":                                        "the link of a request's mails",
	"GET /rendez-vous/confirmer/{token}":                        "the link of a mail",
	"GET /rendez-vous/refuser/{token}":                          "the link of a mail",
	"GET /rendez-vous/gerer/{token}":                            "the link of a mail",
	"GET /liste-attente/confirmer/{token}":                      "the link of a mail",
	"GET /liste-attente/se-retirer/{token}":                     "the link of a mail",
	"GET /auto-ecole/transfert/{token}":                         "the link of the mail a student receives",
	"GET /signaler-un-probleme/recu":                            "shown after a report",
	"GET /rendez-vous/reserve":                                  "shown after a booking",
	"GET /recours/recu":                                         "shown after an appeal",
	"GET /mon-espace/permis/rattacher":                          "offered only until the licence is linked (TestCitizenPathInABrowser)",
	"GET /mes-demarches/{id}/etape/timbre":                      "a step reached after answering the ones before (TestStampPurchaseInABrowser)",
	"GET /mes-demarches/{id}/etape/photo/confirmation":          "shown after an ePhoto code is typed",
	"GET /mes-demarches/{id}/etape/photo/{image}":               "an image of that page",
	"GET /mes-demarches/{id}/pdf/recepisse.pdf":                 "a PDF (TestRequestPDFs)",
	"GET /mes-demarches/{id}/pdf/attestation-de-perte.pdf":      "a PDF",
	"GET /agents/demandes/{id}/pieces/{file}":                   "a request's document (a file)",
	"GET /agents/signalements/{id}/fichiers/{file}":             "a report's screenshot (a file)",
	"GET /agents/courriers-papier/{id}/lettre":                  "a PDF",
	"GET /mon-espace/examen/{ref}/cepc.pdf":                     "a PDF, after a favourable exam (TestExamCertificate)",
	"GET /mon-espace/examen/inscriptions/{ref}/attestation.pdf": "a PDF, after an accepted registration (TestExamRegistrationPages)",
	"GET /agents/contestations/{ref}/pieces/{doc}":              "a contest's document (a file)",
	"GET /agents/examens/inscriptions/{ref}/pieces/{file}":      "a registration's document (a file, TestExamRegistrationPages)",
	"GET /api/v1/me/points":                                     "JSON",
	"GET /dev/courriels":                                        "developers' page",
	"GET /dev/courriels/{id}":                                   "developers' page",
	"GET /dev/composants":                                       "developers' page",
}

// crawler follows links in one browser tab.
type crawler struct {
	t          *testing.T
	b          *browsertest.Browser
	base       string
	mux        *http.ServeMux
	seen       map[string]string // route pattern → first path that reached it
	skipPublic map[string]bool   // public pages the anonymous visit checked
	public     map[string]bool   // the public routes' patterns
	visits     int
}

// signIn replaces the tab's cookies with the session's (none: anonymous).
func (c *crawler) signIn(s routertest.Session) {
	c.t.Helper()
	ctx := c.b.Context()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		c.t.Fatal(err)
	}
	if s.Token == "" {
		return
	}
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: routertest.CookieName, Value: s.Token, URL: c.base, HTTPOnly: new(true),
	}); err != nil {
		c.t.Fatal(err)
	}
}

// pattern is the route that serves path ("" for another site).
func (c *crawler) pattern(path string) string {
	req := httptest.NewRequest(http.MethodGet, c.base+path, nil)
	_, p := c.mux.Handler(req)
	return p
}

// links are the paths (with their query) of the visible links of the
// page, to this site, in the page's order, each once.
func (c *crawler) links() []string {
	hrefs, err := chromedp.Run(c.b.Context(), chromedp.Evaluate[[]string](`[...document.querySelectorAll("a[href]")]
  .filter(a => a.origin === location.origin && !a.hasAttribute("download") && !a.target &&
    !a.closest(".fr-skiplinks") && a.getClientRects().length > 0)
  .map(a => a.pathname + a.search)`))
	if err != nil {
		c.t.Fatalf("liens de la page : %v", err)
	}
	return slices.Compact(hrefs)
}

// crawl follows, from the current page (reached by trail), every link to
// a route not seen yet, depth first, coming back with the Back button.
func (c *crawler) crawl(trail []string) {
	here := c.b.URL()
	for _, href := range c.links() {
		p := c.pattern(href)
		// A page with a query (a search's results, a filter) is followed
		// once more than the page without, since it can show other links.
		// A record of the person's own (a request, a report) is followed
		// twice: a draft and a sent request show other links.
		key := p
		if strings.Contains(href, "?") {
			key += "?"
		}
		if c.seen[key] != "" && c.seen[key] != href && strings.Contains(p, "{") && !c.public[p] {
			key += " (2)"
		}
		if c.seen[key] != "" || unreachable[p] != "" || c.skipPublic[key] && p != "GET /" {
			continue
		}
		c.seen[key] = href
		if c.seen[p] == "" {
			c.seen[p] = href
		}
		path := append(slices.Clone(trail), href)
		status := c.follow(href)
		c.visits++
		if status >= 400 {
			c.t.Errorf("%s : %d (en suivant %s)", href, status, strings.Join(path, " → "))
			c.b.CheckConsole(c.t) // the error page's own failed load is not a console error
		} else {
			landed, _ := url.Parse(c.b.URL())
			if lp := c.pattern(landed.RequestURI()); c.seen[lp] == "" {
				c.seen[lp] = landed.RequestURI()
			}
			c.check()
			c.crawl(path)
		}
		c.back(here)
	}
}

// check fails the test for every accessibility rule the page breaks,
// whatever its impact (the journey's pages have none), for every console
// error, and when the page scrolls sideways at 320 px.
func (c *crawler) check() {
	c.t.Helper()
	url := c.b.URL()
	for _, v := range c.b.A11y(c.t) {
		c.t.Errorf("accessibilité : %s (%s) sur %s : %s — %s", v.ID, v.Impact, url, v.Help, strings.Join(v.Targets, ", "))
	}
	c.b.CheckConsole(c.t)
	// At 320 px wide, the same page does not scroll sideways (RGAA 10.11).
	c.b.Viewport(320, 640)
	c.b.CheckNoHorizontalScroll(c.t)
	c.b.Viewport(1280, 800)
}

// follow clicks the first visible link to href and returns the status of
// the page it opens.
func (c *crawler) follow(href string) int {
	c.t.Helper()
	mark := "j" + strconv.Itoa(c.visits)
	// The fonts loaded and the layout settled, so that the click lands
	// where the link is drawn.
	ok, err := chromedp.Run(c.b.Context(), chromedp.Evaluate[bool](`document.fonts.ready.then(() => {
  const a = [...document.querySelectorAll("a[href]")].find(a => a.pathname + a.search === `+strconv.Quote(href)+` &&
    a.getClientRects().length > 0 && !a.closest(".fr-skiplinks"));
  if (!a) return false;
  a.dataset.journey = `+strconv.Quote(mark)+`;
  a.scrollIntoView({block: "center"});
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));
})`, chromedp.EvalAwaitPromise))
	if err != nil || !ok {
		c.t.Fatalf("lien vers %s introuvable sur %s (%v)", href, c.b.URL(), err)
	}
	ctx, cancel := context.WithTimeout(c.b.Context(), browsertest.Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-journey="`+mark+`"]`), chromedp.NodeVisible))
	if err != nil {
		c.t.Fatalf("clic sur le lien vers %s de %s : %v", href, c.b.URL(), err)
	}
	return int(resp.Status)
}

// back goes back to the page at here with the browser's Back button.
func (c *crawler) back(here string) {
	c.t.Helper()
	if c.b.URL() == here {
		return
	}
	ctx, cancel := context.WithTimeout(c.b.Context(), browsertest.Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		c.t.Fatalf("retour vers %s : %v", here, err)
	}
	if got := c.b.URL(); got != here {
		c.t.Fatalf("le bouton Retour mène à %s, pas à %s", got, here)
	}
}

// start starts the service (the DSFR theme when `make assets` built it in,
// else the neutral one) and a desktop Chromium tab.
func start(t *testing.T) (*browsertest.Browser, *routertest.Env) {
	t.Helper()
	b := browsertest.New(t)
	b.Viewport(1280, 800) // a desktop: the header shows its navigation
	theme := "dsfr"
	if _, err := os.Stat("../web/dsfr/dist/dsfr.min.css"); err != nil {
		theme = "neutral" // the same pages without the State design system
	}
	return b, routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: theme})
}
