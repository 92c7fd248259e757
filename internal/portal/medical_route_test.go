package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// TestMedicalRouteOneQuestionPerScreen walks "Quelle visite médicale ?":
// each screen asks one question, the answer follows the rules of
// internal/medical with the fee of the day, a missing answer is refused
// with a message linking its field, and a signed-in holder's register
// proposes the first answer.
func TestMedicalRouteOneQuestionPerScreen(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 5})
	get := func(s routertest.Session, path string, want int) string {
		t.Helper()
		res := e.Do(t, s, http.MethodGet, path, nil)
		if res.StatusCode != want {
			t.Fatalf("%s: %d, want %d", path, res.StatusCode, want)
		}
		return read(t, res)
	}
	anon := routertest.Session{}
	for _, tc := range []struct {
		law, path string
		asks      string // the question shown, "" for the answer
		has       []string
	}{
		{"first screen", "/visite-medicale", "motif", []string{`name="motif" value="suspension"`, "Étape 1 sur"}},
		{"a suspension asks its cause", "/visite-medicale?question=motif&motif=suspension", "cause", []string{`type="hidden" name="motif" value="suspension"`}},
		{"then its length", "/visite-medicale?motif=suspension&question=cause&cause=alcohol", "duree", nil},
		{"then the previous opinion", "/visite-medicale?motif=suspension&cause=alcohol&question=duree&duree=4", "avis", nil},
		{"arrêté 31/07/2012 art. 5 I: alcohol → commission, 50 €", "/visite-medicale?motif=suspension&cause=alcohol&duree=4&question=avis&avis=aucun", "",
			[]string{"commission médicale de la préfecture", "50\u00a0€", `href="/points-accueil?type=commission"`}},
		{"R224-21: six months of speeding → approved doctor after a psychotechnic test", "/visite-medicale?motif=suspension&cause=speed&duree=6&avis=aucun", "",
			[]string{"médecin agréé, en cabinet", "36\u00a0€", `id="medical-psychotechnic"`, `href="/points-accueil?type=medecin"`}},
		{"R224-22: one month for speeding → nothing", "/visite-medicale?motif=suspension&cause=speed&duree=1&avis=aucun", "",
			[]string{"Aucune visite médicale n'est exigée"}},
		{"art. 5 III: a heavy renewal after the commission's temporary opinion", "/visite-medicale?motif=heavy_renewal&avis=commission", "",
			[]string{"commission médicale de la préfecture"}},
	} {
		page := get(anon, tc.path, http.StatusOK)
		if tc.asks != "" && !strings.Contains(page, `name="question" value="`+tc.asks+`"`) {
			t.Errorf("%s: does not ask %q", tc.law, tc.asks)
		}
		if tc.asks == "" && !strings.Contains(page, `id="medical-answer"`) {
			t.Errorf("%s: no answer", tc.law)
		}
		for _, h := range tc.has {
			if !strings.Contains(page, h) {
				t.Errorf("%s: missing %q", tc.law, h)
			}
		}
	}

	// No answer, or a wrong one: the same question again, 422, the error
	// summary linking the field.
	for _, path := range []string{"/visite-medicale?question=motif", "/visite-medicale?motif=suspension&cause=alcohol&question=duree&duree=quatre"} {
		page := get(anon, path, http.StatusUnprocessableEntity)
		field := strings.TrimPrefix(path[strings.Index(path, "question=")+len("question="):], "")
		field = strings.SplitN(field, "&", 2)[0]
		if !strings.Contains(page, `href="#`+field+`"`) {
			t.Errorf("%s: the error summary does not link #%s", path, field)
		}
	}

	// The holder whose licence was invalidated sees it proposed.
	kevin := e.Citizen(t, "invalidated", true)
	page := get(kevin, "/visite-medicale", http.StatusOK)
	if !strings.Contains(page, `id="medical-register"`) || !strings.Contains(page, `value="invalidation" checked`) {
		t.Error("the register's invalidation is not proposed to its holder")
	}
	heavy := e.Citizen(t, "heavy", true)
	if page := get(heavy, "/visite-medicale", http.StatusOK); !strings.Contains(page, `value="heavy_renewal" checked`) {
		t.Error("the heavy categories' renewal is not proposed to their holder")
	}
	if page := get(anon, "/", http.StatusOK); !strings.Contains(page, `href="/visite-medicale"`) {
		t.Error("the home page does not link the page")
	}
}
