package portal_test

import (
	"bytes"
	"context"
	stdhtml "html"
	"html/template"
	"io"
	"net/http"
	"permis/internal/pdftext/pdftest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// The receipt and the attestation de perte download as PDFs for the
// request's owner only; a draft has no receipt, a request without a loss
// declaration no attestation.
func TestRequestPDFs(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	owner := e.Citizen(t, "48m", true)
	other := e.Citizen(t, "twelve", true)

	draft := func(kind requests.Kind) int64 {
		t.Helper()
		r, err := e.App.StartRequest(ctx, owner.Request, app.StartInput{Kind: string(kind)})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	loss := draft(requests.Loss)
	n := stamp.NewNumber()
	st, err := stamp.DefaultConfig().New(n, 2500, e.Clock.Now(), "TX-PDF")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	yes, dep, sn := true, "34", string(n)
	if _, err := e.App.SaveAnswers(ctx, owner.Request, loss, app.DraftInput{Departement: &dep, LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, PaperPhoto: &yes, StampNumber: &sn}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		up := app.Upload{Name: string(d) + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n% " + string(d) + "\n"))}
		if _, err := e.App.AddDocument(ctx, owner.Request, loss, string(d), up); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := e.App.Submit(ctx, owner.Request, loss)
	if err != nil {
		t.Fatal(err)
	}
	still := draft(requests.Loss)

	path := func(id int64, file string) string {
		return "/mes-demarches/" + strconv.FormatInt(id, 10) + "/pdf/" + file
	}
	for _, tc := range []struct {
		name string
		who  routertest.Session
		path string
		want int
	}{
		{"owner's receipt", owner, path(loss, "recepisse.pdf"), 200},
		{"owner's attestation", owner, path(loss, "attestation-de-perte.pdf"), 200},
		{"another citizen's receipt", other, path(loss, "recepisse.pdf"), 404},
		{"another citizen's attestation", other, path(loss, "attestation-de-perte.pdf"), 404},
		{"a draft's receipt", owner, path(still, "recepisse.pdf"), 404},
		{"a draft's attestation", owner, path(still, "attestation-de-perte.pdf"), 404},
		{"unknown request", owner, path(999999, "recepisse.pdf"), 404},
	} {
		resp := e.Do(t, tc.who, http.MethodGet, tc.path, nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.want)
			continue
		}
		if tc.want != 200 {
			if bytes.HasPrefix(body, []byte("%PDF")) {
				t.Errorf("%s: a PDF was sent", tc.name)
			}
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Errorf("%s: %s %q", tc.name, ct, body[:min(len(body), 8)])
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, sub.Reference) {
			t.Errorf("%s: Content-Disposition %q", tc.name, cd)
		}
	}
	// The accessible versions (RGAA 13.3): the owner's only, and they say
	// what the PDFs say.
	page := func(id int64, name string) string {
		return "/mes-demarches/" + strconv.FormatInt(id, 10) + "/" + name
	}
	pdfOf := func(file string) string {
		resp := e.Do(t, owner, http.MethodGet, path(loss, file), nil)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return strings.Join(strings.Fields(pdftest.PageText(t, b)), " ")
	}
	for _, tc := range []struct {
		name, page, pdf string
		want            []string
	}{
		{"receipt", "recepisse", "recepisse.pdf", []string{"Récépissé de dépôt d'une demande de permis de conduire", sub.Reference, "Pièces fournies", "Et ensuite ?"}},
		{"loss attestation", "attestation-de-perte-en-ligne", "attestation-de-perte.pdf", []string{"Attestation de perte", sub.Reference, "Code de vérification"}},
	} {
		for _, who := range []struct {
			s    routertest.Session
			id   int64
			want int
		}{{other, loss, 404}, {owner, still, 404}, {owner, loss, 200}} {
			resp := e.Do(t, who.s, http.MethodGet, page(who.id, tc.page), nil)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != who.want {
				t.Errorf("accessible %s (request %d): %d, want %d", tc.name, who.id, resp.StatusCode, who.want)
				continue
			}
			if who.want != 200 {
				continue
			}
			html := string(body)
			for _, w := range tc.want {
				if !strings.Contains(html, template.HTMLEscapeString(w)) {
					t.Errorf("accessible %s lacks %q", tc.name, w)
				}
			}
			// Every label–value line of the page is in the PDF.
			text := pdfOf(tc.pdf)
			for _, m := range regexp.MustCompile(`<dt>([^<]+)</dt><dd>([^<]+)</dd>`).FindAllStringSubmatch(html, -1) {
				for _, v := range m[1:] {
					v = strings.Join(strings.Fields(stdhtml.UnescapeString(v)), " ")
					if !strings.Contains(text, v) && !strings.HasPrefix(v, "REL-") && !strings.Contains(v, " à ") {
						t.Errorf("accessible %s says %q, its PDF does not", tc.name, v)
					}
				}
			}
		}
	}

	// The receipt is dated by the service's clock: the environment's first
	// day (routertest.Epoch), not the day the tests run.
	if text := pdfOf("recepisse.pdf"); !strings.Contains(text, "Document établi le 02/03/2026 à") {
		_, dated, _ := strings.Cut(text, "Document établi")
		t.Errorf("the receipt is not dated 02/03/2026: %.40q", dated)
	}

	// Signed out: to the sign-in page, never the PDF.
	resp := e.Do(t, routertest.Session{}, http.MethodGet, path(loss, "recepisse.pdf"), nil)
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Errorf("signed out: %d", resp.StatusCode)
	}
}
