package portal_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/help"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// No URL of the citizen's space names a licence or a person, and the few
// that name an object (a check code, a consent) find it among the signed-in
// person's own: a second citizen changing the id in the address gets "not
// found", and nothing changes.
func TestASecondCitizenCannotReachTheFirstsData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3})
		alice := e.Citizen(t, "48m", true)
		bob := e.Citizen(t, "twelve", true)

		code, view, err := e.App.CreateCheckCode(ctx, alice.Request, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7, SingleUse: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.App.GrantConsent(ctx, alice.Request, "Garage des Arceaux", "rh@garage-arceaux.test"); err != nil {
			t.Fatal(err)
		}
		consents, err := e.App.MyConsents(ctx, alice.Request)
		if err != nil || len(consents) != 1 {
			t.Fatalf("consents %v %v", consents, err)
		}

		for _, path := range []string{
			"/mon-espace/codes/" + strconv.FormatInt(view.ID, 10) + "/revocation",
			"/mon-espace/autorisations/" + strconv.FormatInt(consents[0].ID, 10) + "/retrait",
		} {
			res := e.Do(t, bob, http.MethodPost, path, map[string]string{})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("Bob POST %s: %d, want 404", path, res.StatusCode)
			}
		}
		codes, err := e.App.MyCheckCodes(ctx, alice.Request)
		if err != nil || len(codes) != 1 || codes[0].State != "active" {
			t.Fatalf("Alice's code after Bob's attempt: %+v %v", codes, err)
		}
		if cs, _ := e.App.MyConsents(ctx, alice.Request); len(cs) != 1 || cs[0].Withdrawn {
			t.Fatalf("Alice's consent after Bob's attempt: %+v", cs)
		}

		// Bob's pages and API show Bob's record only.
		body := read(t, e.Do(t, bob, http.MethodGet, "/mon-espace/codes", nil))
		if strings.Contains(body, "…"+view.Hint) {
			t.Error("Bob's codes page shows Alice's code")
		}
		body = read(t, e.Do(t, bob, http.MethodGet, "/mon-espace/autorisations", nil))
		if strings.Contains(body, "Garage des Arceaux") {
			t.Error("Bob's consents page shows Alice's consent")
		}
		var pv app.PointsView
		res := e.Do(t, bob, http.MethodGet, "/api/v1/me/points", nil)
		if err := json.Unmarshal([]byte(read(t, res)), &pv); err != nil || res.StatusCode != 200 {
			t.Fatalf("Bob's points: %d %v", res.StatusCode, err)
		}
		bobP, _ := e.Person(t, "twelve")
		if pv.NEPH != bobP.NEPH || pv.Balance != 12 {
			t.Errorf("Bob's points API: NEPH %s balance %d, want %s and 12", pv.NEPH, pv.Balance, bobP.NEPH)
		}

		// Alice revokes her own code: it works through the same route.
		res = e.Do(t, alice, http.MethodPost, "/mon-espace/codes/"+strconv.FormatInt(view.ID, 10)+"/revocation", map[string]string{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("Alice revokes: %d", res.StatusCode)
		}
		if _, _, err := e.App.CheckRights(ctx, app.Request{Client: "192.0.2.1"}, code, "x", "", "shown"); err == nil {
			t.Error("a revoked code still checks")
		}
	})
}

// Linking a licence answers the same whether the number exists or belongs
// to someone else, so nobody can probe the register; and it is rate
// limited.
func TestLinkingIsNeutralAndLimited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3})
		bob := e.Citizen(t, "twelve", false)
		alice, _ := e.Person(t, "48m")
		message := func(number string) (int, string) {
			res := e.Do(t, bob, http.MethodPost, "/mon-espace/permis/rattacher", map[string]string{"number": number})
			body := read(t, res)
			i := strings.Index(body, `<li>`)
			j := strings.Index(body[max(i, 0):], `</li>`)
			if i < 0 || j < 0 {
				return res.StatusCode, ""
			}
			return res.StatusCode, body[i : i+j]
		}
		c1, m1 := message(alice.NEPH.String()) // exists, not Bob's
		c2, m2 := message("999999999999")      // does not exist
		if c1 != http.StatusUnprocessableEntity || c1 != c2 || m1 != m2 || m1 == "" {
			t.Errorf("someone else's NEPH: %d %q; unknown NEPH: %d %q — want the same 422 answer", c1, m1, c2, m2)
		}
		// Five attempts per person and hour: the 5th is still answered, the
		// 6th is refused.
		for i := 3; i <= 5; i++ {
			if c, _ := message("999999999998"); c != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: %d, want 422 (still under the limit of 5)", i, c)
			}
		}
		if c, _ := message("999999999998"); c != http.StatusTooManyRequests {
			t.Errorf("6th attempt: %d, want 429", c)
		}
	})
}

func read(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every link of the portal's pages to the help centre leads to an article.
func TestHelpLinksExist(t *testing.T) {
	names, err := filepath.Glob("templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	re := regexp.MustCompile(`href="/aide/([a-z0-9-]+)"`)
	n := 0
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := help.Find(m[1]); !ok && m[1] != "recherche" {
				t.Errorf("%s links to a missing help article %s", name, m[1])
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d links to the help centre", n)
	}
}

// The outbox page names each mail's state in French, never the stored code
// ("kept", "pending").
func TestOutboxStatesAreFrench(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	kept, err := e.Store.EnqueueMail(ctx, store.Mail{To: "a@example.fr", Subject: "Gardé", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.EnqueueMail(ctx, store.Mail{To: "b@example.fr", Subject: "En attente", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.MarkMailKept(ctx, kept); err != nil {
		t.Fatal(err)
	}
	body := read(t, e.Do(t, routertest.Session{}, http.MethodGet, "/dev/courriels", nil))
	for _, code := range []string{">kept<", ">pending<"} {
		if strings.Contains(body, code) {
			t.Errorf("the outbox shows the code %s", code)
		}
	}
	for _, want := range []string{"conservé ici, non envoyé", "en attente d&#39;envoi"} {
		if !strings.Contains(body, want) {
			t.Errorf("the outbox lacks %q", want)
		}
	}
}
