package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// The applicant answers in the request's thread; an empty message is
// refused; another citizen cannot write into the file.
func TestApplicantMessage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		s := e.Citizen(t, "48m", true)
		id := lossDraft(t, e, s, 1)
		if _, err := e.App.Submit(context.Background(), s.Request, id); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/mes-demarches/%d/message", id)
		if res := e.Do(t, s, http.MethodPost, path, map[string]string{"body": "  "}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("empty message: %d", res.StatusCode)
		}
		other := e.Citizen(t, "twelve", true)
		if res := e.Do(t, other, http.MethodPost, path, map[string]string{"body": "Bonjour"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("another citizen writes into the file: %d", res.StatusCode)
		}
		res := e.Do(t, s, http.MethodPost, path, map[string]string{"body": "Mon ancienne adresse figure encore sur le permis perdu."})
		// Post/redirect/get: the answer is a 303 to the request's page, so
		// that refreshing it sends nothing again.
		loc := strings.TrimPrefix(res.Header.Get("Location"), e.URL)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/mes-demarches/%d?", id)) {
			t.Fatalf("message: %d → %q, want 303 to the request", res.StatusCode, loc)
		}
		loc, _, _ = strings.Cut(loc, "#") // a browser does not send the fragment
		if body := read(t, e.Do(t, s, http.MethodGet, loc, nil)); !strings.Contains(body, "Mon ancienne adresse") || !strings.Contains(body, "Message envoyé") {
			t.Fatalf("the request's page (%s) lacks the message or its notice", loc)
		}
	})
}
