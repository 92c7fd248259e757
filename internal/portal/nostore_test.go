package portal_test

import (
	"context"
	"net/http"
	"testing"

	"permis/internal/app"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// A personal answer given to a visitor who is not signed in (here a
// licence checked with its holder's code) stays out of every cache: the
// handler's "no-store" survives the page's rendering (issue 10, finding 7;
// it was overwritten with "no-cache").
func TestPersonalAnswersToVisitorsAreNotStored(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3})
		alice := e.Citizen(t, "48m", true)
		code, _, err := e.App.CreateCheckCode(context.Background(), alice.Request, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		dp, _ := e.Person(t, "48m")
		neph := dp.NEPH.String()
		res := e.Do(t, routertest.Session{}, http.MethodPost, "/verification-permis", map[string]string{
			"code": code, "ending": neph[len(neph)-4:], "organisation": "Loueur"})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("check: %d", res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("check-code result: Cache-Control %q, want no-store", cc)
		}
		// A public page with nothing personal may be revalidated.
		if cc := e.Do(t, routertest.Session{}, http.MethodGet, "/verification-permis", nil).Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("check form: Cache-Control %q, want no-cache", cc)
		}
	})
}
