// Package routertest starts the whole service for tests in demo mode, asked
// for explicitly (the service's own default is production, issue 10): a
// register with the demo people, the application, the citizen portal with
// the built-in OpenID provider, the test payment provider and the developer
// pages, and the router, on a real loopback HTTP server. It also
// opens sessions for any role without going through the sign-in pages
// (the portal's own tests and the browser tests go through them).
package routertest

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/directory"
	"permis/internal/ephoto"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/jobs"
	"permis/internal/licence"
	"permis/internal/oidcdemo"
	"permis/internal/payment"
	"permis/internal/portal"
	"permis/internal/requests"
	"permis/internal/router"
	"permis/internal/secret"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/twoddoc"
	"permis/internal/web"
)

// Cheap are argon2id parameters for tests: they check the flows, not the
// cost of guessing.
var Cheap = secret.PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32}

// Epoch is the instant every environment's clock starts at: 09:00 in Paris
// on Monday 2 March 2026, deliberately not the day the tests run, so a
// page or a test that still reads the wall clock disagrees with the demo
// data and the use cases, and fails.
var Epoch = time.Date(2026, time.March, 2, 8, 0, 0, 0, time.UTC)

// CookieName is the session cookie of the test server (plain http, so
// without the __Host- prefix).
const CookieName = "permis_session"

// Env is a running service.
type Env struct {
	URL     string // http://127.0.0.1:port
	Store   *store.Store
	App     *app.App
	Handler http.Handler
	Routes  router.Routes
	Signer  *twoddoc.Signer
	Today   date.Date // the clock's date at the start, that of the demo data
	// Clock is the environment's one clock: the store, the application,
	// the test payment provider and the demo data read it; tests date what
	// they make with it (stamps, ePhoto codes, TOTP codes) and move it
	// with Add. It starts at Epoch and runs with real time (see
	// clock.Running for why it is not frozen).
	Clock *clock.Running

	n atomic.Int64
}

// Options tune Start.
type Options struct {
	Licences int    // synthetic licences besides the demo people (default 30)
	Theme    string // web theme (default auto)
	Logger   *slog.Logger
	// ProviderMiddleware, when set, wraps the built-in identity providers
	// (citizens' on /fc-demo, agents' on /pc-demo), e.g. to tamper with
	// their answers.
	ProviderMiddleware func(http.Handler) http.Handler
	// Exams are the exams' figures (zero: the law in force), as
	// `permis serve --exam-rules FILE` gives them.
	Exams exam.Config
}

// Start opens the store at dsn, loads the demo register, and serves the
// whole service until the test ends.
func Start(t testing.TB, dsn string, opts Options) *Env {
	t.Helper()
	ctx := context.Background()
	if opts.Licences == 0 {
		opts.Licences = 30
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	clk := clock.NewRunning(Epoch)
	s, err := store.Open(ctx, dsn, store.Options{Clock: clk})
	if err != nil {
		t.Fatalf("routertest: store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	signer, err := twoddoc.GenerateSigner("FR00", "PRM1", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kr := twoddoc.NewKeyring()
	if err := kr.Add(signer.CA, signer.Cert, signer.Public()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	fstore, err := files.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	requestWorkers := app.AddRequestWorkers(workers)
	queue, err := jobs.Open(ctx, s, jobs.Options{Workers: workers, PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("routertest: jobs: %v", err)
	}
	paySecret := make([]byte, 32)
	_, _ = rand.Read(paySecret)
	payments, err := payment.NewTestProvider(public+strings.TrimSuffix(portal.PaymentTestPath, "/"), paySecret, payment.TestProviderOptions{Logger: opts.Logger, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: s, Clock: clk, Passwords: Cheap, PublicURL: public, Logger: opts.Logger, Files: fstore, Jobs: queue,
		Issuer:   app.Issuer{Name: "Service Permis de conduire — tests", Signer: signer, Keyring: kr},
		Payments: payments, IdentityIssuer: public + portal.DemoProviderPath, Exams: opts.Exams})
	t.Cleanup(func() { a.Close() })
	requestWorkers.Bind(a)
	if err := queue.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = queue.Stop(stop)
	})
	today := date.Today(clk.Now())
	gen, err := demo.New(demo.Config{Seed: 1, Licences: opts.Licences, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.LoadRegister(ctx, gen, nil); err != nil {
		t.Fatalf("routertest: demo register: %v", err)
	}
	if _, err := a.Appointments(booking.Config{}).SeedDemo(ctx); err != nil {
		t.Fatalf("routertest: help points: %v", err)
	}
	if _, err := directory.LoadSeed(ctx, s); err != nil {
		t.Fatalf("routertest: directory: %v", err)
	}
	provider, client, err := portal.DemoProvider(ctx, s, public, opts.Logger)
	if err != nil {
		t.Fatal(err)
	}
	pcProvider, pcClient, err := portal.DemoProConnect(public, nil, opts.Logger)
	if err != nil {
		t.Fatal(err)
	}
	var fc, pc http.Handler = provider, pcProvider
	if opts.ProviderMiddleware != nil {
		fc, pc = opts.ProviderMiddleware(fc), opts.ProviderMiddleware(pc)
	}
	mounts := portal.PaymentTestMounts(payments)
	mounts["GET /fc-demo/"], mounts["POST /fc-demo/"] = fc, fc
	mounts["GET /pc-demo/"], mounts["POST /pc-demo/"] = pc, pc
	h, routes, err := router.NewWithRoutes(s, a, opts.Logger, router.Options{Portal: portal.Options{OIDC: client,
		ProviderName: "l'identité de démonstration", ProConnect: pcClient, DevPages: true,
		Web: web.Options{Theme: opts.Theme, DevPages: true}},
		Mounts: mounts})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &Env{URL: public, Store: s, App: a, Handler: h, Routes: routes, Signer: signer, Today: today, Clock: clk}
}

// Person returns a demo person by key ("probation", "twelve"…; see
// demo.DemoPeople) with their register record.
func (e *Env) Person(t testing.TB, key string) (demo.DemoPerson, licence.Person) {
	t.Helper()
	for _, dp := range demo.DemoPeople() {
		if dp.Key != key {
			continue
		}
		l, err := e.Store.FindLicenceByNEPH(context.Background(), dp.NEPH)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Store.FindPerson(context.Background(), l.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return dp, p
	}
	t.Fatalf("routertest: no demo person %q", key)
	return demo.DemoPerson{}, licence.Person{}
}

// Session is a signed-in account.
type Session struct {
	Token   string // the session cookie's value
	Account app.Account
	Request app.Request // to call the application as this person
}

// Cookie is the session cookie to send.
func (s Session) Cookie() *http.Cookie { return &http.Cookie{Name: CookieName, Value: s.Token} }

// Citizen signs in a demo person through the provider's identity (as the
// OpenID callback does) and, when link is true, links their licence.
func (e *Env) Citizen(t testing.TB, key string, link bool) Session {
	t.Helper()
	ctx := context.Background()
	dp, p := e.Person(t, key)
	id := oidcdemo.FromPerson(dp.Key, p)
	ns, err := e.App.SignInWithIdentity(ctx, app.Request{}, app.Identity{
		Issuer: e.URL + "/fc-demo", Subject: id.Subject, GivenName: id.GivenName, FamilyName: id.FamilyName,
		Birthdate: id.Birthdate.String(), Birthplace: id.Birthplace, Gender: id.Gender, Email: id.Email,
	}, "routertest")
	if err != nil {
		t.Fatalf("routertest: sign in %s: %v", key, err)
	}
	s := e.session(ns)
	if link && !s.Account.LicenceLinked {
		if err := e.App.LinkLicence(ctx, s.Request, dp.NEPH.String()); err != nil {
			t.Fatalf("routertest: link %s: %v", key, err)
		}
		st, err := e.App.Authenticate(ctx, ns.Token)
		if err != nil {
			t.Fatal(err)
		}
		s.Account = st.Account
	}
	return s
}

// Staff creates an account of role (not citizen) and signs it in, second
// factor included for the roles that need one.
func (e *Env) Staff(t testing.TB, role access.Role) Session {
	t.Helper()
	if role == access.Doctor { // a doctor acts only under a valid approval
		return e.Doctor(t, fmt.Sprintf("MA-TEST-%d", e.n.Load()+1), e.Today.AddYears(3))
	}
	return e.staff(t, role, "")
}

// Photographer creates an approved photographer's account with its
// approval number and signs it in.
func (e *Env) Photographer(t testing.TB, approval string) Session {
	t.Helper()
	return e.staff(t, access.Photographer, approval)
}

// Doctor creates an approved doctor's account, named to the commission
// médicale, whose approval runs until the given day (a past day: a lapsed
// approval) and signs it in.
func (e *Env) Doctor(t testing.TB, approval string, until date.Date) Session {
	t.Helper()
	s := e.staff(t, access.Doctor, approval)
	if err := e.Store.PutDoctorApproval(context.Background(), store.DoctorApproval{UserID: s.Account.ID,
		ApprovalNumber: approval, ValidFrom: until.AddYears(-5), ValidUntil: until, Departement: "34", CommissionMember: true}); err != nil {
		t.Fatalf("routertest: approval: %v", err)
	}
	return s
}

func (e *Env) staff(t testing.TB, role access.Role, approval string) Session {
	t.Helper()
	ctx := context.Background()
	n := e.n.Add(1)
	email := fmt.Sprintf("%s.%d@administration.test", role, n)
	const pw = "une phrase de passe assez longue"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("routertest")}, app.StaffAccount{
		Role: role, Email: email, Password: pw, GivenName: "Test", FamilyName: role.Label(), Organisation: "Tests",
		ApprovalNumber: approval,
	}); err != nil {
		t.Fatalf("routertest: staff %s: %v", role, err)
	}
	ns, err := e.App.SignIn(ctx, app.Request{Client: fmt.Sprintf("10.0.0.%d", n%250)}, email, pw, "routertest")
	if err != nil {
		t.Fatalf("routertest: sign in %s: %v", role, err)
	}
	if ns.NeedsSecondFactor {
		en, err := e.App.StartTOTPEnrolment(ctx, app.Request{}, ns.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.App.VerifySecondFactor(ctx, app.Request{}, ns.Token, e.TOTPCode(t, en.Secret)); err != nil {
			t.Fatalf("routertest: second factor %s: %v", role, err)
		}
	}
	return e.session(ns)
}

// TOTPCode is the second factor's code of totpSecret by the environment's
// clock, the one the service checks it with (the wall clock is months
// away). The service accepts the code of the step before its own, so a
// code typed within 30 seconds is accepted even if a step ends meanwhile.
func (e *Env) TOTPCode(t testing.TB, totpSecret string) string {
	t.Helper()
	code, err := secret.TOTPCode(totpSecret, e.Clock.Now())
	if err != nil {
		t.Fatalf("routertest: TOTP code: %v", err)
	}
	return code
}

func (e *Env) session(ns app.NewSession) Session {
	st, err := e.App.Authenticate(context.Background(), ns.Token)
	if err != nil {
		panic(err) // a session just opened
	}
	return Session{Token: ns.Token, Account: st.Account, Request: app.Request{Actor: st.Actor, Client: "127.0.0.1"}}
}

// Do sends a request with the session (zero Session: anonymous) and returns
// the response without following redirects. body may be nil; a non-nil
// body is sent as a form.
func (e *Env) Do(t testing.TB, s Session, method, path string, form map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, e.URL+path, nil)
	if form != nil {
		req = formRequest(method, e.URL+path, form)
	}
	if s.Token != "" {
		req.AddCookie(s.Cookie())
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec.Result()
}

func formRequest(method, target string, form map[string]string) *http.Request {
	v := url.Values{}
	for k, x := range form {
		v.Set(k, x)
	}
	req := httptest.NewRequest(method, target, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// FileLoss files, through the application, a complete loss request of the
// citizen: a stamp bought, an ePhoto code taken, the identity and address
// documents, the loss declared.
func (e *Env) FileLoss(t testing.TB, citizen Session) store.Request {
	t.Helper()
	ctx := context.Background()
	n := e.n.Add(1)
	r, err := e.App.StartRequest(ctx, citizen.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatalf("StartRequest: %v", err)
	}
	num := stamp.Number(fmt.Sprintf("%016d", 4200000000000000+n))
	need, err := e.App.Requirements(ctx, citizen.Request, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := stamp.DefaultConfig().New(num, need.Fee, e.Clock.Now(), "TX")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	ph := store.User{Role: "photographer", Email: fmt.Sprintf("photo%d@example.fr", n), ApprovalNumber: "AGR-34-1"}
	if err := e.Store.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	code := ephoto.New()
	c, err := ephoto.DefaultConfig().NewCapture(code, ph.ID, "AGR-34-1", "p/photo.jpg", "p/sig.png", e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateEPhotoCode(ctx, &c); err != nil {
		t.Fatal(err)
	}
	yes, sn, cs := true, string(num), string(code)
	if _, err := e.App.SaveAnswers(ctx, citizen.Request, r.ID, app.DraftInput{LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, StampNumber: &sn, EPhotoCode: &cs}); err != nil {
		t.Fatalf("SaveAnswers: %v", err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		if _, err := e.App.AddDocument(ctx, citizen.Request, r.ID, string(d), app.Upload{Name: string(d) + ".pdf", Body: strings.NewReader("%PDF-1.4\n" + string(d))}); err != nil {
			t.Fatalf("AddDocument %s: %v", d, err)
		}
	}
	sub, err := e.App.Submit(ctx, citizen.Request, r.ID)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return sub
}
