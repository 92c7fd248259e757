package backoffice_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// The agent's file shows the answers the request asked, nothing else: a
// loss request never asks about a medical condition, so its file does not
// say "Affection médicale déclarée : Non" (it did).
func TestAgentFileShowsOnlyWhatWasAsked(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	r := fileLoss(t, e, e.Citizen(t, "twelve", true))
	agent := e.Staff(t, access.Agent)
	res := e.Do(t, agent, http.MethodGet, "/agents/demandes/"+strconv.FormatInt(r.ID, 10), nil)
	page := body(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("file: %d", res.StatusCode)
	}
	i := strings.Index(page, `id="answers"`)
	if i < 0 {
		t.Fatal("no answers on the file")
	}
	answers := page[i:]
	answers = answers[:strings.Index(answers, "</dl>")]
	if strings.Contains(answers, "Affection médicale") {
		t.Errorf("a loss request's file shows the medical question it never asked:\n%s", answers)
	}
	if !strings.Contains(answers, "Perte déclarée") {
		t.Errorf("the loss declaration is missing:\n%s", answers)
	}
}
