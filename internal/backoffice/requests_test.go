package backoffice_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

func pdf(s string) app.Upload {
	return app.Upload{Name: s + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n" + s))}
}

// fileLoss files a complete loss request of the citizen (routertest).
func fileLoss(t testing.TB, e *routertest.Env, citizen routertest.Session) store.Request {
	t.Helper()
	return e.FileLoss(t, citizen)
}

func body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Only instructing agents and administrators reach the requests' pages;
// an agent sees the queue, the file, its documents, and the lock another
// agent holds.
func TestRequestPagesRolesQueueAndLock(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	citizen := e.Citizen(t, "twelve", true)
	r := fileLoss(t, e, citizen)
	docs, err := e.Store.ListRequestDocuments(ctx, r.ID, false)
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents %+v %v", docs, err)
	}
	base := "/agents/demandes/" + strconv.FormatInt(r.ID, 10)
	routes := []struct{ method, path string }{
		{http.MethodGet, "/agents/demandes"},
		{http.MethodGet, base},
		{http.MethodGet, base + "/pieces/" + strconv.FormatInt(docs[0].ID, 10)},
		{http.MethodPost, base + "/prise-en-charge"},
		{http.MethodPost, base + "/pieces"},
		{http.MethodPost, base + "/message"},
		{http.MethodPost, base + "/acceptation"},
		{http.MethodPost, base + "/refus"},
	}
	others := map[string]routertest.Session{"citizen": citizen, "photographer": e.Staff(t, access.Photographer),
		"helpdesk": e.Staff(t, access.Helpdesk)}
	for who, s := range others {
		for _, rt := range routes {
			var form map[string]string
			if rt.method == http.MethodPost {
				form = map[string]string{"body": "x", "reason": "x", "doc": "identity", "reason_identity": "x"}
			}
			if res := e.Do(t, s, rt.method, rt.path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", rt.method, rt.path, who, res.StatusCode)
			}
		}
	}
	if got, _ := e.Store.FindRequest(ctx, r.ID); got.Status != requests.StatusSubmitted || got.AssigneeID != 0 {
		t.Fatalf("the refused posts changed the request: %+v", got)
	}

	agent, other, admin := e.Staff(t, access.Agent), e.Staff(t, access.Agent), e.Staff(t, access.Admin)
	for _, tc := range []struct {
		name, query string
		status      int
		listed      bool
	}{
		{"every open request", "", 200, true},
		{"its type and département", "?type=loss&departement=" + r.Departement + "&etat=submitted", 200, true},
		{"another type", "?type=renewal", 200, false},
		{"another state", "?etat=awaiting_documents", 200, false},
		{"an unknown département", "?departement=ZZ", 422, false},
		{"an unknown type", "?type=nope", 422, false},
	} {
		res := e.Do(t, agent, http.MethodGet, "/agents/demandes"+tc.query, nil)
		b := body(t, res)
		if res.StatusCode != tc.status || strings.Contains(b, r.Reference) != tc.listed {
			t.Errorf("queue %s: %d, listed %v", tc.name, res.StatusCode, strings.Contains(b, r.Reference))
		}
	}
	if res := e.Do(t, admin, http.MethodGet, "/agents/demandes", nil); res.StatusCode != 200 || !strings.Contains(body(t, res), r.Reference) {
		t.Errorf("admin's queue: %d", res.StatusCode)
	}

	res := e.Do(t, agent, http.MethodGet, base, nil)
	if b := body(t, res); res.StatusCode != 200 || !strings.Contains(b, r.Reference) || !strings.Contains(b, `id="checklist"`) ||
		!strings.Contains(b, "Justificatif de domicile") {
		t.Fatalf("file page: %d", res.StatusCode)
	}
	res = e.Do(t, agent, http.MethodGet, base+"/pieces/"+strconv.FormatInt(docs[0].ID, 10), nil)
	if b := body(t, res); res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
		!strings.HasPrefix(b, "%PDF-") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	// The file is named in French, after the document: piece-identite-12.pdf.
	if cd, want := res.Header.Get("Content-Disposition"), docs[0].Document.Slug()+"-"; !strings.Contains(cd, `filename="`+want) || strings.Contains(cd, "identity") || strings.Contains(cd, "address_proof") {
		t.Errorf("download's file name: %q, want %s…", cd, want)
	}
	if res := e.Do(t, agent, http.MethodGet, base+"/pieces/999999", nil); res.StatusCode != 404 {
		t.Errorf("unknown document: %d", res.StatusCode)
	}

	// The agent takes the file; the other agent sees who holds it and is refused.
	if res := e.Do(t, agent, http.MethodPost, base+"/prise-en-charge", map[string]string{}); res.StatusCode != 303 {
		t.Fatalf("take: %d", res.StatusCode)
	}
	res = e.Do(t, other, http.MethodGet, base, nil)
	if b := body(t, res); res.StatusCode != 200 || !strings.Contains(b, `id="lock-warning"`) || !strings.Contains(b, agent.Account.GivenName) {
		t.Fatalf("the other agent's view: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		path string
		form map[string]string
		want string
	}{
		{"/prise-en-charge", map[string]string{}, "Un autre agent traite déjà cette demande."},
		{"/acceptation", map[string]string{"confirme": "oui"}, "Prenez d&#39;abord cette demande"},
		{"/refus", map[string]string{"reason": "Pièces illisibles."}, "Prenez d&#39;abord cette demande"},
	} {
		res := e.Do(t, other, http.MethodPost, base+tc.path, tc.form)
		if b := body(t, res); res.StatusCode != 409 || !strings.Contains(b, tc.want) {
			t.Errorf("%s by the other agent: %d, want 409 with %q", tc.path, res.StatusCode, tc.want)
		}
	}
	// A refusal needs its reason; a private note stays among agents.
	res = e.Do(t, agent, http.MethodPost, base+"/refus", map[string]string{"reason": "  "})
	if b := body(t, res); res.StatusCode != 422 || !strings.Contains(b, `href="#reason"`) {
		t.Errorf("refusal without a reason: %d", res.StatusCode)
	}
	res = e.Do(t, agent, http.MethodPost, base+"/pieces", map[string]string{"doc": "address_proof"})
	if b := body(t, res); res.StatusCode != 422 || !strings.Contains(b, `href="#reason_address_proof"`) {
		t.Errorf("a document asked without a reason: %d", res.StatusCode)
	}
	if res := e.Do(t, agent, http.MethodPost, base+"/message", map[string]string{"body": "Identité vérifiée au fichier.", "private": "oui"}); res.StatusCode != 303 {
		t.Fatalf("note: %d", res.StatusCode)
	}
	if b := body(t, e.Do(t, other, http.MethodGet, base, nil)); !strings.Contains(b, "Identité vérifiée au fichier.") || !strings.Contains(b, "Note interne") {
		t.Error("the note is not in the file")
	}
	if v, _ := e.App.MyRequest(ctx, citizen.Request, r.ID); len(v.Messages) != 0 {
		t.Errorf("the citizen reads the note: %+v", v.Messages)
	}
	if got, _ := e.Store.FindRequest(ctx, r.ID); got.Status != requests.StatusInReview {
		t.Errorf("status %s, want in review", got.Status)
	}
}
