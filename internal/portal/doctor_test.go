package portal_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/medical"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// An approved doctor finds the holder of heavy categories by NEPH and
// birth date and records a restricted opinion: it is sealed, joins the
// holder's renewal draft by itself (the medical opinion is no longer
// missing), shows on the request's timeline and in the holder's "Mes avis
// médicaux". Another doctor cannot open it (404); a doctor whose approval
// has lapsed is refused everywhere (403); a wrong birth date finds nobody.
func TestDoctorRecordsAnOpinionThatJoinsTheRequest(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 5})
	ctx := context.Background()
	holder := e.Citizen(t, "heavy", true)
	draft, err := e.App.StartRequest(ctx, holder.Request, app.StartInput{Kind: string(requests.MedicalRenewal)})
	if err != nil {
		t.Fatal(err)
	}
	dp, person := e.Person(t, "heavy")
	doc := e.Doctor(t, "MA-34-0101", e.Today.AddYears(2))
	post := func(s routertest.Session, path string, form map[string]string, want int) string {
		t.Helper()
		res := e.Do(t, s, http.MethodPost, path, form)
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, read(t, res))
		}
		return read(t, res)
	}
	birth := person.BirthDate.French()

	// A wrong birth date: nobody, and the same message as an unknown NEPH.
	wrong := post(doc, "/medecin/recherche", map[string]string{"neph": dp.NEPH.String(), "birth_date": person.BirthDate.AddDays(1).French()}, 422)
	unknown := post(doc, "/medecin/recherche", map[string]string{"neph": "990334119999", "birth_date": birth}, 422)
	if !strings.Contains(wrong, "Aucun dossier ne correspond") || !strings.Contains(unknown, "Aucun dossier ne correspond") {
		t.Fatal("a mismatch does not answer « aucun dossier »")
	}

	page := post(doc, "/medecin/recherche", map[string]string{"neph": dp.NEPH.String(), "birth_date": birth}, 200)
	if !strings.Contains(page, draft.Reference) {
		t.Fatalf("the pending renewal %s is not announced", draft.Reference)
	}
	// Restricted without a code: refused with the field named.
	page = post(doc, "/medecin/avis", map[string]string{"neph": dp.NEPH.String(), "birth_date": birth, "outcome": "fit_restricted"}, 422)
	if !strings.Contains(page, `href="#restrictions"`) {
		t.Fatal("the missing restriction is not linked from the error summary")
	}
	// The interlock is the commission's alone (arrêté 31/07/2012 art. 5 V).
	post(doc, "/medecin/avis", map[string]string{"neph": dp.NEPH.String(), "birth_date": birth, "outcome": "fit_restricted", "restrictions": "69"}, 422)

	res := e.Do(t, doc, http.MethodPost, "/medecin/avis", map[string]string{"neph": dp.NEPH.String(), "birth_date": birth, "outcome": "fit_restricted", "restrictions": "01"})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %s", res.StatusCode, read(t, res))
	}
	where := res.Header.Get("Location")
	if !regexp.MustCompile(`^/medecin/avis/AVM-[A-Z0-9]{8}$`).MatchString(where) {
		t.Fatalf("redirect to %q", where)
	}
	res = e.Do(t, doc, http.MethodGet, where, nil)
	if body := read(t, res); res.StatusCode != 200 || !strings.Contains(body, draft.Reference) || !strings.Contains(body, "01 — correction") {
		t.Fatalf("the opinion's page: %d", res.StatusCode)
	}
	ref := strings.TrimPrefix(where, "/medecin/avis/")
	ops, err := e.Store.ListMedicalOpinionsOfRequest(ctx, draft.ID)
	if err != nil || len(ops) != 1 || ops[0].Reference != ref || ops[0].Seal == "" {
		t.Fatalf("opinions of the request: %+v, %v", ops, err)
	}
	docs, err := e.Store.ListRequestDocuments(ctx, draft.ID, false)
	if err != nil || len(docs) != 1 || docs[0].Document != requests.DocMedicalOpinion || docs[0].State != store.DocProvided {
		t.Fatalf("documents of the request: %+v, %v", docs, err)
	}
	res = e.Do(t, holder, http.MethodGet, "/mes-demarches/"+strconv.FormatInt(draft.ID, 10)+"/etape/"+requests.DocMedicalOpinion.Slug(), nil)
	if body := read(t, res); !strings.Contains(body, "Avis médical électronique "+ref) {
		t.Errorf("the request's page does not show the opinion (%d)", res.StatusCode)
	}
	res = e.Do(t, holder, http.MethodGet, "/mon-espace/avis-medicaux", nil)
	if body := read(t, res); res.StatusCode != 200 || !strings.Contains(body, "Apte avec restrictions") || !strings.Contains(body, draft.Reference) {
		t.Errorf("the holder's opinions page: %d", res.StatusCode)
	}

	// The agent records the préfet's decision, which follows the opinion:
	// the register gains C and CE's medical validity by the holder's age
	// (R221-11) and code 01; a decision that departs needs a note.
	agent := e.Staff(t, access.Agent)
	res = e.Do(t, agent, http.MethodGet, "/agents/avis-medicaux", nil)
	if body := read(t, res); res.StatusCode != 200 || !strings.Contains(body, ref) {
		t.Fatalf("the agents' queue: %d", res.StatusCode)
	}
	if page := post(agent, "/agents/avis-medicaux/"+ref+"/decision", map[string]string{"decision": "depart"}, 422); !strings.Contains(page, `href="#note"`) {
		t.Error("a departing decision without a note is not refused on its field")
	}
	if res := e.Do(t, agent, http.MethodPost, "/agents/avis-medicaux/"+ref+"/decision", map[string]string{"decision": "follow"}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decision: %d", res.StatusCode)
	}
	post(agent, "/agents/avis-medicaux/"+ref+"/decision", map[string]string{"decision": "follow"}, 422) // only once
	l, err := e.Store.FindLicenceByNEPH(ctx, dp.NEPH)
	if err != nil {
		t.Fatal(err)
	}
	wantEnd := medical.HeavyValidityEnd(person.BirthDate, e.Today, medical.Opinion{Outcome: medical.FitRestricted})
	for _, c := range l.Categories {
		if medical.Heavy(string(c.Category)) && c.MedicalUntil != date.Some(wantEnd) {
			t.Errorf("R221-11: %s medical validity %v, want %s", c.Category, c.MedicalUntil, wantEnd)
		}
	}
	if !slices.ContainsFunc(l.Restrictions, func(r licence.Restriction) bool { return r.Code == "01" }) {
		t.Error("code 01 not in the register")
	}
	res = e.Do(t, holder, http.MethodGet, "/mon-espace/avis-medicaux", nil)
	if body := read(t, res); !strings.Contains(body, "Conforme à l'avis") {
		t.Error("the holder does not see the préfet's decision")
	}

	// Another doctor: the reference is not found; their own list is empty.
	other := e.Doctor(t, "MA-34-0202", e.Today.AddYears(1))
	if res := e.Do(t, other, http.MethodGet, where, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another doctor opens the opinion: %d", res.StatusCode)
	}
	if res := e.Do(t, other, http.MethodGet, "/medecin", nil); strings.Contains(read(t, res), ref) {
		t.Error("another doctor lists the opinion")
	}

	// A lapsed approval: refused everywhere, and nothing recorded.
	lapsed := e.Doctor(t, "MA-34-0303", e.Today.AddDays(-1))
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/medecin"}, {http.MethodPost, "/medecin/recherche"}, {http.MethodPost, "/medecin/avis"}, {http.MethodGet, where},
	} {
		res := e.Do(t, lapsed, c.method, c.path, map[string]string{"neph": dp.NEPH.String(), "birth_date": birth, "outcome": "fit"})
		if body := read(t, res); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "agrément") {
			t.Errorf("lapsed approval, %s %s: %d", c.method, c.path, res.StatusCode)
		}
	}
	if ops, _ := e.Store.ListMedicalOpinionsOfRequest(ctx, draft.ID); len(ops) != 1 {
		t.Errorf("a lapsed doctor recorded an opinion: %d", len(ops))
	}
}

// An approved doctor's page in the directory shows the approval's
// validity when the doctor has an account, and says when it has lapsed.
func TestDirectoryShowsTheApprovalsValidity(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	res := e.Do(t, routertest.Session{}, http.MethodGet, "/points-accueil?lieu=lodeve&rayon=5&type=medecin", nil)
	page := read(t, res)
	m := regexp.MustCompile(`href="(/points-accueil/\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no approved doctor near Lodève")
	}
	res = e.Do(t, routertest.Session{}, http.MethodGet, m[1], nil)
	body := read(t, res)
	num := regexp.MustCompile(`<dt>Numéro d'agrément</dt><dd>([^<]+)</dd>`).FindStringSubmatch(body)
	if num == nil {
		t.Fatal("the doctor's page has no approval number")
	}
	if strings.Contains(body, `id="approval-validity"`) {
		t.Fatal("a validity shown without an account")
	}
	doc := e.Doctor(t, num[1], e.Today.AddYears(1))
	for _, c := range []struct {
		until date.Date
		want  string
	}{{e.Today.AddYears(1), "Valable jusqu'au " + e.Today.AddYears(1).French()}, {e.Today.AddDays(-1), "Agrément expiré"}} {
		if err := e.Store.PutDoctorApproval(context.Background(), store.DoctorApproval{UserID: doc.Account.ID, ApprovalNumber: num[1],
			ValidFrom: c.until.AddYears(-5), ValidUntil: c.until}); err != nil {
			t.Fatal(err)
		}
		res = e.Do(t, routertest.Session{}, http.MethodGet, m[1], nil)
		if body := read(t, res); !strings.Contains(body, c.want) {
			t.Errorf("validity until %s: the page does not say %q", c.until, c.want)
		}
	}
}
