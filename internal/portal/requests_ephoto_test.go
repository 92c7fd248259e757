package portal_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/ephoto"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A citizen types the ePhoto code a photographer sent through the API:
// the page shows its photo and signature (served only to the draft's
// owner) with a confirmation that leads to the next step; an unknown code
// gets its own message right away.
func TestEPhotoConfirmation(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	alice, bob := e.Citizen(t, "48m", true), e.Citizen(t, "twelve", true)

	ph := store.User{Role: "photographer", Email: "studio@photo.test", ApprovalNumber: "AGR-34-9"}
	if err := e.Store.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	photo := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("photo"), 20)...)
	sig := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("sig"), 20)...)
	booth := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + strconv.FormatInt(ph.ID, 10), Role: access.Photographer}} // the photographer signed in
	issued, err := e.App.IssueEPhotoCode(ctx, booth, app.EPhotoCapture{Photo: photo, Signature: sig, ApprovalNumber: "AGR-34-9"})
	if err != nil {
		t.Fatalf("IssueEPhotoCode: %v", err)
	}

	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)

	// An unknown code: its own message, and the way back to the step.
	res := e.Do(t, alice, http.MethodPost, base+"/etape/photo", map[string]string{"photo": "code", "ephoto_code": strings.Repeat("A", 22)})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, base+"/etape/photo/confirmation?suite=") {
		t.Fatalf("unknown code saved: %d %q", res.StatusCode, loc)
	}
	res = e.Do(t, alice, http.MethodGet, loc, nil)
	if b := readBody(t, res); res.StatusCode != 200 || !strings.Contains(b, "Ce code ePhoto est inconnu") || strings.Contains(b, `id="ephoto-photo"`) {
		t.Fatalf("unknown code page: %d\n%s", res.StatusCode, b)
	}

	// The right code, typed with spaces: photo and signature to confirm.
	res = e.Do(t, alice, http.MethodPost, base+"/etape/photo", map[string]string{"photo": "code", "ephoto_code": issued.Code.Grouped()})
	loc = res.Header.Get("Location")
	u, _ := url.Parse(loc)
	next := u.Query().Get("suite")
	if res.StatusCode != http.StatusSeeOther || u.Path != base+"/etape/photo/confirmation" || !strings.HasPrefix(next, base+"/etape/") {
		t.Fatalf("code saved: %d %q", res.StatusCode, loc)
	}
	res = e.Do(t, alice, http.MethodGet, loc, nil)
	b := readBody(t, res)
	if res.StatusCode != 200 || !strings.Contains(b, `id="ephoto-photo"`) || !strings.Contains(b, `id="ephoto-signature"`) ||
		!strings.Contains(b, `href="`+next+`" id="ephoto-confirm"`) || !strings.Contains(b, issued.Code.Grouped()) {
		t.Fatalf("confirmation page: %d\n%s", res.StatusCode, b)
	}
	for which, want := range map[string]struct {
		typ  string
		body []byte
	}{"photo": {"image/jpeg", photo}, "signature": {"image/png", sig}} {
		res := e.Do(t, alice, http.MethodGet, base+"/etape/photo/"+which, nil)
		if got := readBody(t, res); res.StatusCode != 200 || res.Header.Get("Content-Type") != want.typ || got != string(want.body) ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: %d %v", which, res.StatusCode, res.Header)
		}
		// Another citizen, by the same path: nothing.
		if res := e.Do(t, bob, http.MethodGet, base+"/etape/photo/"+which, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("bob reads alice's %s: %d, want 404", which, res.StatusCode)
		}
	}
	if res := e.Do(t, alice, http.MethodGet, base+"/etape/photo/autre", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown image: %d, want 404", res.StatusCode)
	}
	// A "suite" elsewhere is not followed.
	res = e.Do(t, alice, http.MethodGet, base+"/etape/photo/confirmation?suite="+url.QueryEscape("//evil.example/x"), nil)
	if b := readBody(t, res); strings.Contains(b, "evil.example") || !strings.Contains(b, `href="`+base+`/etape/verification" id="ephoto-confirm"`) {
		t.Errorf("foreign suite followed:\n%s", b)
	}

	// The paper form goes straight to the next step.
	res = e.Do(t, alice, http.MethodPost, base+"/etape/photo", map[string]string{"photo": "paper"})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || strings.Contains(loc, "confirmation") {
		t.Fatalf("paper form: %d %q", res.StatusCode, loc)
	}
	// Once used by another request, the code shows nothing.
	if _, err := e.Store.ClaimEPhotoCode(ctx, ephoto.Code(issued.Code), "DEM-2026-OTHER1", e.Today.Time()); err != nil {
		t.Fatal(err)
	}
	res = e.Do(t, alice, http.MethodPost, base+"/etape/photo", map[string]string{"photo": "code", "ephoto_code": string(issued.Code)})
	res = e.Do(t, alice, http.MethodGet, res.Header.Get("Location"), nil)
	if b := readBody(t, res); !strings.Contains(b, "déjà servi") || strings.Contains(b, `id="ephoto-photo"`) {
		t.Fatalf("used code page:\n%s", b)
	}
	if res := e.Do(t, alice, http.MethodGet, base+"/etape/photo/photo", nil); res.StatusCode == http.StatusOK {
		t.Errorf("a used code's photo is served")
	}
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
