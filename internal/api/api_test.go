package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/api"
	"permis/internal/app"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/server"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

const testNEPH = "850334100123"

// fixture is the API over a fresh register holding one licence.
type fixture struct {
	store  *store.Store
	clock  *clock.Fixed
	app    *app.App
	h      http.Handler
	routes []access.Route
}

// newAPI builds the handler the way `permis serve` does: the API's routes
// on a mux wrapped in the global chain.
func newAPI(t *testing.T, s *store.Store, c *clock.Fixed) (*app.App, http.Handler, []access.Route) {
	t.Helper()
	return newAPIWith(t, app.Config{Store: s, Clock: c})
}

// newAPIWith is newAPI over an application configured with cfg.
func newAPIWith(t *testing.T, cfg app.Config) (*app.App, http.Handler, []access.Route) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	cfg.Logger = logger
	a := app.New(cfg)
	t.Cleanup(func() { a.Close() })
	mux := http.NewServeMux()
	rs := api.Register(mux, a, logger)
	if err := rs.Check(); err != nil {
		t.Fatalf("route table: %v", err)
	}
	return a, server.Chain(mux, server.Options{Logger: logger}), rs.List()
}

func newFixture(t *testing.T, dsn string) *fixture {
	t.Helper()
	c := clock.NewFixed(testNow)
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	mustCreateLicence(t, s)
	a, h, routes := newAPI(t, s, c)
	return &fixture{store: s, clock: c, app: a, h: h, routes: routes}
}

// mustCreateLicence records a holder, a licence with one card and one
// 3-point offence.
func mustCreateLicence(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Martin", GivenNames: []string{"Jeanne"}, BirthDate: date.MustParse("1985-05-17"),
		BirthPlace: "Montpellier", BirthCountry: "FR", Sex: licence.SexFemale}
	if err := s.CreatePerson(ctx, &p); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	l := licence.Licence{NEPH: testNEPH, PersonID: p.ID, Obtained: date.MustParse("2005-06-01"),
		Probation: points.ProbationNone, Departement: "34", State: licence.StateValid, StateSince: date.MustParse("2005-06-01"),
		Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2005-06-01"), ValidUntil: date.Some(date.MustParse("2033-06-01"))}}}
	if err := s.CreateLicence(ctx, &l); err != nil {
		t.Fatalf("CreateLicence: %v", err)
	}
	title := licence.Title{LicenceID: l.ID, Number: "13AA00002", MRZ: "D1FRA13AA000026181231MARTIN<<9",
		Issued: date.MustParse("2013-12-31"), Expires: date.MustParse("2033-12-31"), State: licence.TitleActive, StateSince: date.MustParse("2013-12-31")}
	if err := s.CreateTitle(ctx, &title); err != nil {
		t.Fatalf("CreateTitle: %v", err)
	}
	o := points.Offence{ID: "AF1", Committed: date.MustParse("2024-01-05"), Established: date.MustParse("2024-02-01"), Points: 3, Class: points.Class4}
	if err := s.AddPointEvents(ctx, []store.PointEvent{{LicenceID: l.ID, Offence: &o}}); err != nil {
		t.Fatalf("AddPointEvents: %v", err)
	}
}

// mustToken issues a token for role and returns its plaintext and id.
func mustToken(t *testing.T, f *fixture, role access.Role) (string, string) {
	t.Helper()
	plain, err := f.app.CreateToken(context.Background(), "test "+string(role), role)
	if err != nil {
		t.Fatalf("CreateToken(%s): %v", role, err)
	}
	tok, err := f.store.FindAPITokenByHash(context.Background(), access.HashToken(plain))
	if err != nil {
		t.Fatalf("FindAPITokenByHash: %v", err)
	}
	return plain, strconv.FormatInt(tok.ID, 10)
}

// get serves one GET through h.
func get(t *testing.T, h http.Handler, path, token, requestID string) *httptest.ResponseRecorder {
	t.Helper()
	return serve(t, h, http.MethodGet, path, "", token, requestID)
}

// serve serves one request through h; a body is sent as JSON.
func serve(t *testing.T, h http.Handler, method, path, body, token, requestID string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if requestID != "" {
		req.Header.Set(server.RequestIDHeader, requestID)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// wantError checks the JSON error shape and its code.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	var body struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	}
	if rec.Code != status {
		t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, status)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Code != code || body.Message == "" || body.Fields == nil {
		t.Fatalf("body %s (%v), want {code:%q, message, fields}", rec.Body, err, code)
	}
}

func mustListAudit(t *testing.T, s *store.Store) []store.AuditEntry {
	t.Helper()
	es, err := s.ListAudit(context.Background(), "licence", testNEPH)
	if err != nil {
		t.Fatalf("ListAudit: %v", err)
	}
	return es
}

// routeSpec is what each API route must answer: the audit action of a read
// ("" for a public route, which reads no personal data), the JSON fields
// of its body, and the body a POST sends.
var routeSpec = map[string]struct {
	action string
	fields []string
	body   string
	owners []access.Role // written by hand; none for a public route
}{
	"GET /api/v1/openapi.json":           {"", []string{"openapi", "paths"}, "", nil},
	"GET /api/v1/licences/{neph}":        {"licence.read", []string{"neph", "holder", "obtained", "probation", "state", "categories", "restrictions", "titles"}, "", recordReaders},
	"GET /api/v1/licences/{neph}/points": {"points.read", []string{"neph", "at", "balance", "ceiling", "valid", "movements", "upcoming", "letters"}, "", recordReaders},
	"POST /api/v1/2ddoc/verify":          {"", []string{"status", "verdict", "error", "issued"}, `{"text": "DC04FR0000011E47"}`, nil},
}

// recordReaders are who reads licence records through the API, written
// out here (not app.RecordReaders, the code under test): instruction and
// help desk agents and the prosecutor's officers (§11.3).
var recordReaders = []access.Role{access.Agent, access.Helpdesk, access.Prosecutor}

// routeRequest is the method and path of a route's pattern.
func routeRequest(t *testing.T, pattern, neph string) (method, path string) {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || (method != http.MethodGet && method != http.MethodPost) {
		t.Fatalf("route %q: the test only knows GET and POST routes", pattern)
	}
	return method, strings.ReplaceAll(path, "{neph}", neph)
}

func TestEveryRouteEnforcesItsPolicy(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		if len(f.routes) == 0 {
			t.Fatal("the API registers no route")
		}
		tokens := map[access.Role][2]string{}
		for _, r := range access.Roles() {
			plain, id := mustToken(t, f, r)
			tokens[r] = [2]string{plain, id}
		}
		for _, route := range f.routes {
			if _, ok := testedElsewhere[route.Pattern]; ok {
				continue
			}
			spec, ok := routeSpec[route.Pattern]
			if !ok {
				t.Fatalf("route %q has no expectation in this test: add it to routeSpec", route.Pattern)
			}
			method, path := routeRequest(t, route.Pattern, testNEPH)
			t.Run(route.Pattern, func(t *testing.T) {
				if len(spec.owners) == 0 {
					wantPublic(t, f, method, path, spec.body, spec.fields, tokens)
					return
				}
				if method != http.MethodGet {
					t.Fatalf("%s: the test only knows GET routes behind a token", route.Pattern)
				}
				audited := len(mustListAudit(t, f.store))
				rec := get(t, f.h, path, "", "")
				wantError(t, rec, http.StatusUnauthorized, "unauthenticated")
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("401 without a Bearer challenge: %q", rec.Header().Get("WWW-Authenticate"))
				}
				wantError(t, get(t, f.h, path, "pmt_notatoken", ""), http.StatusUnauthorized, "unauthenticated")
				for _, role := range access.Roles() {
					if slices.Contains(spec.owners, role) {
						continue
					}
					wantError(t, get(t, f.h, path, tokens[role][0], ""), http.StatusForbidden, "forbidden")
				}
				if got := len(mustListAudit(t, f.store)); got != audited {
					t.Fatalf("refused requests wrote %d audit entries", got-audited)
				}
				for i, role := range spec.owners {
					reqID := fmt.Sprintf("req-%s-%d", role, i)
					rec := get(t, f.h, path, tokens[role][0], reqID)
					if rec.Code != http.StatusOK {
						t.Fatalf("%s: status %d %s, want 200", role, rec.Code, rec.Body)
					}
					if rec.Header().Get(server.RequestIDHeader) != reqID {
						t.Errorf("%s: request id %q not echoed", role, reqID)
					}
					var body map[string]json.RawMessage
					if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
						t.Fatalf("%s: body %s: %v", role, rec.Body, err)
					}
					for _, k := range spec.fields {
						if _, ok := body[k]; !ok {
							t.Errorf("%s: body lacks %q: %s", role, k, rec.Body)
						}
					}
					es := mustListAudit(t, f.store)
					if len(es) != audited+1 {
						t.Fatalf("%s: %d audit entries after one read, want %d", role, len(es), audited+1)
					}
					audited++
					e := es[len(es)-1]
					if e.Actor != tokens[role][1] || e.ActorRole != string(role) || e.Action != spec.action || e.RequestID != reqID {
						t.Fatalf("%s: audit entry %+v, want actor %s role %s action %s request %s",
							role, e, tokens[role][1], role, spec.action, reqID)
					}
				}
			})
		}
	})
}

// wantPublic checks a public route: answered to anybody, token or not,
// without an audit entry.
func wantPublic(t *testing.T, f *fixture, method, path, body string, fields []string, tokens map[access.Role][2]string) {
	t.Helper()
	audited := len(mustListAudit(t, f.store))
	toks := []string{""} // anonymous, then every role
	for _, r := range access.Roles() {
		toks = append(toks, tokens[r][0])
	}
	for _, tok := range toks {
		rec := serve(t, f.h, method, path, body, tok, "")
		var got map[string]json.RawMessage
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
			t.Fatalf("public %s with token %q: %d %.200s, want 200 and JSON", path, tok, rec.Code, rec.Body)
		}
		for _, k := range fields {
			if _, ok := got[k]; !ok {
				t.Fatalf("public %s: body lacks %q", path, k)
			}
		}
	}
	if got := len(mustListAudit(t, f.store)); got != audited {
		t.Fatalf("public route wrote %d audit entries", got-audited)
	}
}

func TestAnswers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		agent, _ := mustToken(t, f, access.Agent)

		rec := get(t, f.h, "/api/v1/licences/"+testNEPH+"/points", agent, "")
		var pv app.PointsView
		if err := json.Unmarshal(rec.Body.Bytes(), &pv); rec.Code != http.StatusOK || err != nil {
			t.Fatalf("points: %d %s %v", rec.Code, rec.Body, err)
		}
		if pv.Balance != 9 || pv.Ceiling != 12 || !pv.Valid || pv.At != date.MustParse("2025-03-14") || len(pv.Movements) != 1 ||
			pv.Movements[0].Delta != -3 || pv.Movements[0].Ref != "AF1" || len(pv.Upcoming) != 1 || pv.Upcoming[0].Date != date.MustParse("2027-02-01") {
			t.Fatalf("points = %+v, want 9/12 after AF1 on 2025-03-14, full recovery on 2027-02-01 (class 4: 3 years)", pv)
		}

		rec = get(t, f.h, "/api/v1/licences/"+testNEPH, agent, "")
		var lv app.LicenceView
		if err := json.Unmarshal(rec.Body.Bytes(), &lv); rec.Code != http.StatusOK || err != nil {
			t.Fatalf("licence: %d %s %v", rec.Code, rec.Body, err)
		}
		if lv.NEPH != testNEPH || lv.Holder.FamilyName != "Martin" || len(lv.Categories) != 1 || !lv.Categories[0].ValidToday ||
			len(lv.Titles) != 1 || lv.Titles[0].Number != "13AA00002" {
			t.Fatalf("licence = %+v", lv)
		}

		for _, tc := range []struct {
			name, path string
			status     int
			code       string
		}{
			{"unknown licence", "/api/v1/licences/999999999999", http.StatusNotFound, "not_found"},
			{"unknown points", "/api/v1/licences/999999999999/points", http.StatusNotFound, "not_found"},
			{"malformed neph", "/api/v1/licences/12AB", http.StatusUnprocessableEntity, "invalid"},
			{"malformed neph points", "/api/v1/licences/12AB/points", http.StatusUnprocessableEntity, "invalid"},
		} {
			t.Run(tc.name, func(t *testing.T) { wantError(t, get(t, f.h, tc.path, agent, ""), tc.status, tc.code) })
		}
	})
}

func TestRevokedTokenRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f := newFixture(t, dsn)
		plain, id := mustToken(t, f, access.Agent)
		path := "/api/v1/licences/" + testNEPH + "/points"
		if rec := get(t, f.h, path, plain, ""); rec.Code != http.StatusOK {
			t.Fatalf("before revocation: %d %s", rec.Code, rec.Body)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		if err := f.store.RevokeAPIToken(context.Background(), n); err != nil {
			t.Fatalf("RevokeAPIToken: %v", err)
		}
		_, fresh, _ := newAPI(t, f.store, f.clock) // no cached check
		wantError(t, get(t, fresh, path, plain, ""), http.StatusUnauthorized, "unauthenticated")

		f.clock.Add(time.Minute) // past the running app's cache
		wantError(t, get(t, f.h, path, plain, ""), http.StatusUnauthorized, "unauthenticated")
	})
}

func TestRouteTableCoversTheSpec(t *testing.T) {
	f := newFixture(t, storetest.SQLiteDSN(t))
	var got []string
	for _, r := range f.routes {
		got = append(got, r.Pattern)
		if _, ok := testedElsewhere[r.Pattern]; ok {
			continue
		}
		owners := routeSpec[r.Pattern].owners
		if len(owners) == 0 {
			if !r.Policy.IsPublic() {
				t.Errorf("%s is expected public, is owned by %v", r.Pattern, r.Policy.Roles())
			}
			continue
		}
		got := r.Policy.Roles()
		slices.Sort(got)
		want := slices.Sorted(slices.Values(owners))
		if r.Policy.IsPublic() || !slices.Equal(got, want) {
			t.Errorf("%s is owned by %v, want %v", r.Pattern, r.Policy, owners)
		}
	}
	for pattern := range routeSpec {
		if !slices.Contains(got, pattern) {
			t.Errorf("route %q is not registered", pattern)
		}
	}
}
