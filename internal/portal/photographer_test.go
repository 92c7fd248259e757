package portal_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// postImages sends the photographer's form with the images given (a nil
// image is left out).
func postImages(t *testing.T, e *routertest.Env, s routertest.Session, photo, sig []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, body := range map[string][]byte{"photo": photo, "signature": sig} {
		if body == nil {
			continue
		}
		fw, err := mw.CreateFormFile(name, name+".img")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, e.URL+"/photographe/codes", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(s.Cookie())
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec.Result()
}

// An approved photographer signs in to its own page, records a photo and a
// signature and reads the new code once, then sees only its last
// characters in its list; a missing image is refused with a French message
// and records nothing; an account without an approval number is told why
// it cannot capture; the other roles are refused (TestEveryRouteHasAnOwner).
func TestPhotographerRecordsACaptureFromItsPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 1})
		ph := e.Photographer(t, "AGR-34-12")
		res := e.Do(t, ph, http.MethodGet, "/photographe", nil)
		if b := readBody(t, res); res.StatusCode != 200 || !strings.Contains(b, `id="approval-number">AGR-34-12<`) || !strings.Contains(b, `id="no-ephoto-code"`) {
			t.Fatalf("photographer's page: %d\n%s", res.StatusCode, b)
		}

		photo := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("photo"), 20)...)
		sig := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("sig"), 20)...)
		res = postImages(t, e, ph, photo, nil)
		if b := readBody(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "La signature est obligatoire.") || strings.Contains(b, `id="ephoto-code"`) {
			t.Fatalf("capture without signature: %d\n%s", res.StatusCode, b)
		}

		res = postImages(t, e, ph, photo, sig)
		b := readBody(t, res)
		if res.StatusCode != http.StatusCreated || !strings.Contains(b, `id="ephoto-code"`) {
			t.Fatalf("capture: %d\n%s", res.StatusCode, b)
		}
		code := b[strings.Index(b, `id="ephoto-code">`)+len(`id="ephoto-code">`):]
		code = code[:strings.Index(code, "<")]
		if len(code) != 22 {
			t.Fatalf("code shown %q", code)
		}
		res = e.Do(t, ph, http.MethodGet, "/photographe", nil)
		b = readBody(t, res)
		if !strings.Contains(b, `id="ephoto-codes"`) || !strings.Contains(b, "…"+code[len(code)-4:]) || strings.Contains(b, code) {
			t.Errorf("the list does not show the code's end only:\n%s", b)
		}

		bare := e.Staff(t, access.Photographer)
		res = e.Do(t, bare, http.MethodGet, "/photographe", nil)
		if b := readBody(t, res); res.StatusCode != 200 || !strings.Contains(b, `id="no-approval"`) || strings.Contains(b, `id="ephoto-form"`) {
			t.Errorf("page of a photographer without approval: %d\n%s", res.StatusCode, b)
		}
	})
}
