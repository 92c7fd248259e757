package portal_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// upload sends one file as the multipart form of a document step.
func upload(t *testing.T, e *routertest.Env, s routertest.Session, path, name string, body []byte, fields map[string]string) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("document", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, e.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(s.Cookie())
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec.Result()
}

// A request's pages find it among the signed-in person's own: a second
// citizen typing its id gets "not found" on every page and action.
func TestASecondCitizenCannotOpenTheFirstsRequest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3})
		alice := e.Citizen(t, "48m", true)
		bob := e.Citizen(t, "twelve", true)
		r, err := e.App.StartRequest(context.Background(), alice.Request, app.StartInput{Kind: string(requests.Loss)})
		if err != nil {
			t.Fatal(err)
		}
		base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)
		for _, c := range []struct{ method, path string }{
			{http.MethodGet, base},
			{http.MethodGet, base + "/etape/informations"},
			{http.MethodGet, base + "/etape/verification"},
			{http.MethodGet, base + "/confirmation"},
			{http.MethodGet, base + "/attestation-de-perte"},
			{http.MethodPost, base + "/etape/timbre"},
			{http.MethodPost, base + "/envoi"},
		} {
			res := e.Do(t, bob, c.method, c.path, map[string]string{"stamp_number": "4200000000000001"})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("Bob %s %s: %d, want 404", c.method, c.path, res.StatusCode)
			}
		}
		if res := upload(t, e, bob, base+"/etape/piece-identite", "id.pdf", []byte("%PDF-1.4 x"), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Bob uploads to Alice's draft: %d, want 404", res.StatusCode)
		}
		if body := read(t, e.Do(t, bob, http.MethodGet, "/mes-demarches", nil)); strings.Contains(body, r.Reference) {
			t.Error("Bob's list shows Alice's request")
		}
		// Alice, on the same pages, is at home.
		if res := e.Do(t, alice, http.MethodGet, base+"/etape/informations", nil); res.StatusCode != http.StatusOK {
			t.Errorf("Alice's own draft: %d", res.StatusCode)
		}
		if body := read(t, e.Do(t, alice, http.MethodGet, "/mes-demarches", nil)); !strings.Contains(body, r.Reference) {
			t.Error("Alice's list misses her draft")
		}
	})
}

// A document is recognised by its content: a text file named .pdf is
// refused with the application's message, and nothing is attached; a
// real PDF goes on to the next step.
func TestAWrongDocumentTypeIsRefused(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	ctx := context.Background()
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)
	res := upload(t, e, alice, base+"/etape/piece-identite", "carte.pdf", []byte("juste du texte, pas un PDF"), nil)
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ni un PDF") || !strings.Contains(body, `href="#document"`) {
		t.Fatalf("a text file as identity: %d, want 422 with the type message linked to the field", res.StatusCode)
	}
	v, err := e.App.MyRequest(ctx, alice.Request, r.ID)
	if err != nil || len(v.Documents) != 0 {
		t.Fatalf("documents after the refusal: %+v %v", v.Documents, err)
	}
	// A document the type does not ask is not a step at all.
	if res := upload(t, e, alice, base+"/etape/permis-etranger", "p.pdf", []byte("%PDF-1.4 x"), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a document the type does not ask: %d, want 404", res.StatusCode)
	}
	res = upload(t, e, alice, base+"/etape/piece-identite", "carte.pdf", []byte("%PDF-1.4\nune carte"), nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), base+"/etape/") {
		t.Fatalf("a PDF as identity: %d %q, want 303 to the next step", res.StatusCode, res.Header.Get("Location"))
	}
}

// Submitting an incomplete draft shows "check your answers" again, with
// each missing item listed and linked to its line.
func TestSubmitRefusesAnIncompleteDraft(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	ctx := context.Background()
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)
	res := e.Do(t, alice, http.MethodPost, base+"/envoi", map[string]string{})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete submit: %d, want 422", res.StatusCode)
	}
	for _, want := range []string{
		app.ErrIncomplete,
		`href="#document_identity"`, `href="#document_address_proof"`, `href="#stamp_number"`,
		`href="#ephoto_code"`, `href="#loss_declared"`, `href="#loss_date"`, `id="check-answers"`,
	} {
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("the refused submission lacks %q", want)
		}
	}
	if v, err := e.App.MyRequest(ctx, alice.Request, r.ID); err != nil || v.Request.Status != requests.StatusDraft {
		t.Fatalf("after the refusal: %v %v, want still a draft", v.Request.Status, err)
	}
}

// Public tracking answers the same to a wrong reference and to a wrong
// birth date.
func TestTrackingAnswersTheSameToWrongPairs(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	r, err := e.App.StartRequest(context.Background(), alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(ref, born string) (int, string) {
		res := e.Do(t, routertest.Session{}, http.MethodPost, "/suivi", map[string]string{"reference": ref, "birth_date": born})
		body := read(t, res)
		i := strings.Index(body, `id="resume-erreurs"`)
		if i < 0 {
			return res.StatusCode, ""
		}
		j := strings.Index(body[i:], "</ul>")
		return res.StatusCode, body[i : i+j]
	}
	c1, m1 := answer(r.Reference, "1900-01-01")       // right reference, wrong date
	c2, m2 := answer("DEM-2026-AAAAAA", "1980-02-03") // wrong reference
	if c1 != http.StatusUnprocessableEntity || c1 != c2 || m1 != m2 || m1 == "" {
		t.Errorf("wrong date: %d %q; wrong reference: %d %q — want the same 422", c1, m1, c2, m2)
	}
}

// When the agent asks a document again, the request's page says exactly
// which and why, with an upload form right there; a wrong file is refused
// on that form, the right one sends the request back to the agents.
func TestADocumentAskedAgainIsUploadedFromTheRequestsPage(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	agent := e.Staff(t, access.Agent)
	ctx := context.Background()
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	n := stamp.Number("4200000000000901")
	st, err := stamp.DefaultConfig().New(n, 2500, e.Clock.Now(), "TX")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	yes, dep, sn := true, "34", string(n)
	if _, err := e.App.SaveAnswers(ctx, alice.Request, r.ID, app.DraftInput{Departement: &dep, LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, PaperPhoto: &yes, StampNumber: &sn}); err != nil {
		t.Fatal(err)
	}
	need, err := e.App.Requirements(ctx, alice.Request, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range need.Documents {
		if _, err := e.App.AddDocument(ctx, alice.Request, r.ID, string(d.Document), app.Upload{Name: "p.pdf", Body: strings.NewReader("%PDF-1.4 p")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.App.Submit(ctx, alice.Request, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Take(ctx, agent.Request, r.ID); err != nil {
		t.Fatal(err)
	}
	const reason = "Le justificatif date de plus de 6 mois"
	if err := e.App.RequestDocuments(ctx, agent.Request, r.ID, []app.DocumentRequest{{Document: requests.DocAddress, Reason: reason}}); err != nil {
		t.Fatal(err)
	}

	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)
	if res := e.Do(t, alice, http.MethodGet, "/demandes/"+strconv.FormatInt(r.ID, 10), nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
		t.Errorf("the mails' link: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	body := read(t, e.Do(t, alice, http.MethodGet, base, nil))
	for _, want := range []string{reason, `name="piece" value="address_proof"`, `id="document-address_proof"`, `id="timeline"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the request's page lacks %q", want)
		}
	}
	fields := map[string]string{"piece": string(requests.DocAddress)}
	res := upload(t, e, alice, base+"/pieces", "facture.pdf", []byte("pas un PDF"), fields)
	if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#document-address_proof"`) {
		t.Fatalf("a wrong file: %d, want 422 linked to the document's input", res.StatusCode)
	}
	res = upload(t, e, alice, base+"/pieces", "facture.pdf", []byte("%PDF-1.4 une facture récente"), fields)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right file: %d, want 303", res.StatusCode)
	}
	if v, err := e.App.MyRequest(ctx, alice.Request, r.ID); err != nil || v.Request.Status == requests.StatusAwaitingDocuments {
		t.Fatalf("after the upload: %v %v, want back to the agents", v.Request.Status, err)
	}
	if res := e.Do(t, alice, http.MethodGet, base+"?piece=recue", nil); res.StatusCode != http.StatusOK {
		t.Errorf("the page after the upload: %d", res.StatusCode)
	}
}

// Every request type a citizen may file has its introduction, starts a
// draft whose first step and "check your answers" render; the answers a
// type asks are saved and checked on their page.
func TestEveryRequestTypeStarts(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	for _, ty := range requests.Types() {
		if !ty.Filable(access.Citizen) {
			continue
		}
		t.Run(string(ty.Kind), func(t *testing.T) {
			intro := "/mes-demarches/nouvelle/" + ty.Kind.Slug()
			if res := e.Do(t, alice, http.MethodGet, intro, nil); res.StatusCode != http.StatusOK {
				t.Fatalf("introduction: %d", res.StatusCode)
			}
			res := e.Do(t, alice, http.MethodPost, intro, map[string]string{})
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/etape/informations") {
				t.Fatalf("start: %d %q", res.StatusCode, loc)
			}
			path := strings.TrimPrefix(loc, e.URL)
			for _, p := range []string{path, strings.Replace(path, "informations", "verification", 1)} {
				if res := e.Do(t, alice, http.MethodGet, p, nil); res.StatusCode != http.StatusOK {
					t.Errorf("%s: %d", p, res.StatusCode)
				}
			}
			form := map[string]string{"departement": "2A"}
			if ty.Categories {
				form["categories"] = "BE"
			}
			switch ty.Kind {
			case requests.Restitution:
				form["sanction"], form["sanction_from"], form["sanction_until"] = "suspended_admin", "2026-01-10", "2026-03-09"
			case requests.AfterInvalidation:
				form["sanction"] = "invalidated"
			}
			res = e.Do(t, alice, http.MethodPost, path, form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("answers: %d %s", res.StatusCode, read(t, res))
			}
			if res := e.Do(t, alice, http.MethodPost, path, map[string]string{"departement": "20"}); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("a wrong département: %d, want 422", res.StatusCode)
			}
		})
	}
}

// Addresses are French (/mes-demarches/nouvelle/perte, /etape/piece-identite);
// the English ones that were public before lead there with a 301.
func TestOldEnglishAddressesRedirect(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	ctx := context.Background()
	res := e.Do(t, alice, http.MethodGet, "/mes-demarches/nouvelle/exchange_non_eu", nil)
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/mes-demarches/nouvelle/echange-permis-etranger" {
		t.Errorf("old type address: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := e.Do(t, alice, http.MethodGet, "/mes-demarches/nouvelle/echange-permis-etranger", nil); res.StatusCode != http.StatusOK {
		t.Errorf("French type address: %d", res.StatusCode)
	}
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	dep := "34"
	if _, err := e.App.SaveAnswers(ctx, alice.Request, r.ID, app.DraftInput{Departement: &dep}); err != nil {
		t.Fatal(err)
	}
	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10) + "/etape/"
	res = e.Do(t, alice, http.MethodGet, base+"piece-identity", nil)
	if res.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(res.Header.Get("Location"), base+"piece-identite") {
		t.Errorf("old step address: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := e.Do(t, alice, http.MethodGet, base+"piece-identite", nil); res.StatusCode != http.StatusOK {
		t.Errorf("French step address: %d", res.StatusCode)
	}
}

// SP F1727: a duplicate asks the nationality; a national of another EU
// state then gives a proof of normal residence in France, and both boxes
// ticked together are refused on the page that can fix it.
func TestDuplicateAsksNationality(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	res := e.Do(t, alice, http.MethodPost, "/mes-demarches/nouvelle/loss", map[string]string{})
	path := strings.TrimPrefix(res.Header.Get("Location"), e.URL)
	page := read(t, e.Do(t, alice, http.MethodGet, path, nil))
	for _, want := range []string{`id="eu_foreign_national"`, `id="non_eu_national"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the information step lacks %s", want)
		}
	}
	both := map[string]string{"departement": "34", "eu_foreign_national": "oui", "non_eu_national": "oui"}
	if res := e.Do(t, alice, http.MethodPost, path, both); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("both nationalities: %d, want 422", res.StatusCode)
	} else if body := read(t, res); !strings.Contains(body, "une seule nationalité") {
		t.Fatalf("both nationalities: the page does not say why")
	}
	if res := e.Do(t, alice, http.MethodPost, path, map[string]string{"departement": "34", "eu_foreign_national": "oui"}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("EU national: %d %s", res.StatusCode, read(t, res))
	}
	check := read(t, e.Do(t, alice, http.MethodGet, strings.Replace(path, "informations", "verification", 1), nil))
	if !strings.Contains(check, "résidence normale en France") {
		t.Fatalf("the check page does not ask the proof of normal residence")
	}
}
