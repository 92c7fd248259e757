package backoffice_test

import (
	"net/http"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// An agent records a paper file through the form (an invalid one is shown
// again with its errors, 422), finds it in the list and downloads its
// return letter; other roles are refused.
func TestPaperFilePages(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	agent := e.Staff(t, access.Agent)
	form := map[string]string{"sender_name": "Jeanne Dupont", "address": "12 rue des Lilas\n34000 Montpellier",
		"received_on": "2025-01-10", "contents": "Formulaire de demande de duplicata pour perte"}

	for _, role := range []access.Role{access.Helpdesk, access.Photographer} {
		s := e.Staff(t, role)
		if res := e.Do(t, s, http.MethodPost, "/agents/courriers-papier", form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s records: %d, want 403", role, res.StatusCode)
		}
	}

	bad := map[string]string{"sender_name": "Jeanne Dupont", "address": "Montpellier", "received_on": "", "contents": "x"}
	res := e.Do(t, agent, http.MethodPost, "/agents/courriers-papier", bad)
	if b := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `href="#address"`) ||
		!strings.Contains(b, `href="#received_on"`) || !strings.Contains(b, `value="Jeanne Dupont"`) {
		t.Fatalf("invalid form: %d\n%s", res.StatusCode, b)
	}

	res = e.Do(t, agent, http.MethodPost, "/agents/courriers-papier", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/agents/courriers-papier?enregistre=COU-") {
		t.Fatalf("record: %d %q", res.StatusCode, loc)
	}
	res = e.Do(t, agent, http.MethodGet, loc, nil)
	b := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(b, "Courrier enregistré") || !strings.Contains(b, "Jeanne Dupont") ||
		!strings.Contains(b, "10/01/2025") {
		t.Fatalf("list: %d\n%s", res.StatusCode, b)
	}
	i := strings.Index(b, `href="/agents/courriers-papier/`)
	if i < 0 {
		t.Fatal("no letter link in the list")
	}
	link := b[i+len(`href="`):]
	link = link[:strings.Index(link, `"`)]
	res = e.Do(t, agent, http.MethodGet, link, nil)
	if pdf := body(t, res); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("letter %s: %d %v", link, res.StatusCode, res.Header)
	}
	if res := e.Do(t, e.Staff(t, access.Helpdesk), http.MethodGet, link, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("helpdesk's letter: %d, want 403", res.StatusCode)
	}
	if res := e.Do(t, agent, http.MethodGet, "/agents/courriers-papier/999999/lettre", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown letter: %d, want 404", res.StatusCode)
	}
}
