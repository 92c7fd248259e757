package portal_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

var (
	verifyLink = regexp.MustCompile(`/compte/verification/(\S+)`)
	postedCode = regexp.MustCompile(`[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}`)
)

// A local account links its licence the way a person does it: the linking
// page offers the letter (not the instant link), the letter shows in the
// demo's outbox page with its code, and the code links the licence. Before
// the email is confirmed, the page says to confirm it (issue 10, finding 2).
func TestLinkByPostedCodePages(t *testing.T) {
	ctx := context.Background()
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: "neutral"})
	dp, person := e.Person(t, "48m")
	const email = "camille.locale@example.fr"
	anon := app.Request{Client: "192.0.2.60", RequestID: "t"}
	if err := e.App.Register(ctx, anon, app.Registration{Email: email, Password: "trois chevaux bleus",
		GivenName: person.GivenNames[0], FamilyName: person.FamilyName, BirthDate: person.BirthDate.String()}); err != nil {
		t.Fatal(err)
	}
	ns, err := e.App.SignIn(ctx, anon, email, "trois chevaux bleus", "test")
	if err != nil {
		t.Fatal(err)
	}
	s := routertest.Session{Token: ns.Token}

	body := read(t, e.Do(t, s, http.MethodGet, "/mon-espace/permis/rattacher", nil))
	if !strings.Contains(body, `id="link-email-unverified"`) || strings.Contains(body, `id="link-submit"`) {
		t.Fatalf("an unconfirmed local account is not told to confirm its email first:\n%s", body)
	}
	// The instant link is refused to a local account, even with the right
	// number, name and birth date.
	if res := e.Do(t, s, http.MethodPost, "/mon-espace/permis/rattacher", map[string]string{"number": dp.NEPH.String()}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("instant link by a local account: %d", res.StatusCode)
	}

	ms, _ := e.Store.ListMail(ctx, store.MailFilter{To: email})
	m := verifyLink.FindStringSubmatch(ms[0].Text)
	if m == nil {
		t.Fatalf("no verification link in %q", ms[0].Text)
	}
	if err := e.App.VerifyEmail(ctx, anon, m[1]); err != nil {
		t.Fatal(err)
	}
	body = read(t, e.Do(t, s, http.MethodGet, "/mon-espace/permis/rattacher", nil))
	if !strings.Contains(body, `id="link-letter"`) || !strings.Contains(body, `id="link-code"`) {
		t.Fatalf("the linking page does not offer the letter and the code:\n%s", body)
	}
	res := e.Do(t, s, http.MethodPost, "/mon-espace/permis/courrier", map[string]string{"number": dp.NEPH.String()})
	if body = read(t, res); res.StatusCode != http.StatusOK || !strings.Contains(body, `id="link-letter-sent"`) {
		t.Fatalf("asking for the letter: %d\n%s", res.StatusCode, body)
	}
	outbox := read(t, e.Do(t, routertest.Session{}, http.MethodGet, "/dev/courriels", nil))
	code := postedCode.FindString(outbox)
	if code == "" || !strings.Contains(outbox, "Votre code d&#39;activation") {
		t.Fatalf("the letter is not in the demo outbox:\n%s", outbox)
	}
	res = e.Do(t, s, http.MethodPost, "/mon-espace/permis/code", map[string]string{"code": code})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mon-espace/points" {
		t.Fatalf("typing the code: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), read(t, res))
	}
	if res := e.Do(t, s, http.MethodGet, "/mon-espace/points", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("my points after linking: %d", res.StatusCode)
	}
}
