package portal_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

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
	st, err := stamp.DefaultConfig().New(n, 2500, time.Now(), "TX-PDF")
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
	// Signed out: to the sign-in page, never the PDF.
	resp := e.Do(t, routertest.Session{}, http.MethodGet, path(loss, "recepisse.pdf"), nil)
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Errorf("signed out: %d", resp.StatusCode)
	}
}
