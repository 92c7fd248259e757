package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The pages that say what today or now is read the service's clock, the
// one its use cases read. The test environment starts on Monday 2 March
// 2026 at 09:00 in Paris (routertest.Epoch), never the day the tests run,
// so a page that read the wall clock would say another day.

// The waiting-list form offers the next two weeks from today.
func TestWaitingFormStartsToday(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	hps, err := e.Store.ListHelpPoints(ctx, store.HelpPointFilter{})
	if err != nil || len(hps) == 0 {
		t.Fatal(hps, err)
	}
	kinds, err := e.Store.ListKinds(ctx, hps[0].ID)
	if err != nil || len(kinds) == 0 {
		t.Fatal(kinds, err)
	}
	res := e.Do(t, routertest.Session{}, http.MethodGet, fmt.Sprintf("/rendez-vous/%d/%s/liste-attente", hps[0].ID, kinds[0].Code), nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("waiting-list form: %d", res.StatusCode)
	}
	page := read(t, res)
	for _, want := range []string{`name="from" value="02/03/2026"`, `name="to" value="15/03/2026"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
}

// A help point's page says it is open on Monday at 09:00, and closed at
// 21:00 the same day.
func TestPlaceSaysWhetherItIsOpenNow(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	get := func(path string) string {
		t.Helper()
		res := e.Do(t, routertest.Session{}, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return read(t, res)
	}
	state := regexp.MustCompile(`<p id="open-state"><strong>([^<]+)</strong>`)
	page := get("/points-accueil?lieu=montpellier&rayon=5&type=help_point")
	var open []string
	for _, l := range regexp.MustCompile(`href="(/points-accueil/\d+)"`).FindAllStringSubmatch(page, -1) {
		if m := state.FindStringSubmatch(get(l[1])); m != nil && m[1] == "Ouvert en ce moment" {
			open = append(open, l[1])
		}
	}
	if len(open) == 0 {
		t.Fatal("no help point near Montpellier says it is open on Monday at 09:00")
	}
	e.Clock.Add(12 * time.Hour)
	for _, path := range open {
		if m := state.FindStringSubmatch(get(path)); m == nil || m[1] != "Fermé en ce moment" {
			t.Errorf("%s at 21:00 says %q, want Fermé en ce moment", path, m)
		}
	}
}
