package portal_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so that each answer is seen.
func client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func postForm(t *testing.T, c *http.Client, e *routertest.Env, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.URL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// A notice's pages need the notice found first in this browser: without
// it they send to the search, and no address names a notice. The search
// answers a wrong plate like a wrong number, counts those failures per
// client, and refuses the client past the limit even with the right pair;
// finding the notice sets the cookie of the notice's pages only.
func TestNoticeSearchAndItsCookie(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "AB-123-CD", Kind: contest.ACO, Committed: e.Today.AddDays(-10),
		Nature: "Excès de vitesse", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 1,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: "Durand"}, Sent: e.Today.AddDays(-2), Mail: contest.Ordinary}
	if err := e.Store.CreateNotice(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	for _, path := range []string{"/avis-de-contravention/avis", "/avis-de-contravention/contestation/motif",
		"/avis-de-contravention/designation", "/avis-de-contravention/recepisse/contestation/pdf"} {
		resp, err := c.Get(e.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/avis-de-contravention" {
			t.Errorf("%s without a notice: %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, wrongPlate := postForm(t, c, e, "/avis-de-contravention", url.Values{"number": {n.Number}, "plate": {"ZZ-999-ZZ"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong plate: %d", resp.StatusCode)
	}
	_, wrongNumber := postForm(t, c, e, "/avis-de-contravention", url.Values{"number": {"11111111111111"}, "plate": {n.Plate}})
	summary := func(body string) string {
		i := strings.Index(body, `id="resume-erreurs"`)
		j := strings.Index(body[i:], "</div>")
		return body[i : i+j]
	}
	if summary(wrongPlate) != summary(wrongNumber) || strings.Contains(summary(wrongPlate), `href="#`) {
		t.Errorf("wrong plate and wrong number differ, or name a field:\n%s\n%s", summary(wrongPlate), summary(wrongNumber))
	}
	resp, _ = postForm(t, c, e, "/avis-de-contravention", url.Values{"number": {n.Number}, "plate": {"ab 123 cd"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/avis-de-contravention/avis" {
		t.Fatalf("right pair: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "permis_avis" {
			cookie = ck
		}
	}
	if cookie == nil || cookie.Path != "/avis-de-contravention" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("notice cookie %+v", cookie)
	}
	page, err := c.Get(e.URL + "/avis-de-contravention/avis")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(body), n.Number) || !strings.Contains(string(body), "Ne payez pas si vous contestez") {
		t.Fatalf("notice page: %d", page.StatusCode)
	}
	// A citizen opens their own notices from Mon espace; any other
	// number is not found.
	mine := e.Citizen(t, "twelve", true)
	if r := e.Do(t, mine, "GET", "/mon-espace/avis/"+n.Number, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's notice from Mon espace: %d", r.StatusCode)
	}
	dp, _ := e.Person(t, "twelve")
	l, err := e.Store.FindLicenceByNEPH(context.Background(), dp.NEPH)
	if err != nil {
		t.Fatal(err)
	}
	own := n
	own.ID, own.Number, own.Holder = 0, fines.NewNoticeNumber(), store.NoticeHolder{Kind: contest.Person, Name: "Lefèvre", LicenceID: l.ID}
	if err := e.Store.CreateNotice(context.Background(), &own); err != nil {
		t.Fatal(err)
	}
	if r := e.Do(t, mine, "GET", "/mon-espace/avis/"+own.Number, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/avis-de-contravention/avis" {
		t.Errorf("own notice from Mon espace: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	// Past the limit of failed searches, even the right pair is refused.
	for i := 2; i < fines.FindFailuresPerClient; i++ {
		postForm(t, c, e, "/avis-de-contravention", url.Values{"number": {"11111111111111"}, "plate": {n.Plate}})
	}
	resp, body2 := postForm(t, c, e, "/avis-de-contravention", url.Values{"number": {n.Number}, "plate": {n.Plate}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body2, "Trop de recherches") {
		t.Errorf("after %d failures: %d", fines.FindFailuresPerClient, resp.StatusCode)
	}
}
