package backoffice_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/payment"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustContest files a sold-vehicle contest of a new notice sent today,
// with the sale declaration uploaded and its acknowledgement sent by post.
func mustContest(t *testing.T, e *routertest.Env, svc *fines.Service) (store.Notice, store.Contest) {
	t.Helper()
	ctx := context.Background()
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "GH-456-JK", Kind: contest.ACO, Committed: e.Today.AddDays(-12),
		Place: "Lyon", Nature: "Feu rouge", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 4,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: "Garnier", GivenNames: "Camille", Address: "12 rue des Lilas, 69003 Lyon"},
		Sent:   e.Today.AddDays(-2), Mail: contest.Ordinary}
	if err := e.Store.CreateNotice(ctx, &n); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Contest(ctx, app.Request{}, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.Sold,
		Email: "camille@example.fr", Documents: []fines.DocumentInput{
			{Kind: contest.SaleDeclaration, Name: "cession.pdf", Body: strings.NewReader("%PDF-1.4\ncession\n%%EOF\n")},
			{Kind: contest.SaleAcknowledgement}}}, "/")
	if err != nil {
		t.Fatal(err)
	}
	return n, res.Contest
}

// Only the officers of the ministère public reach the contests' pages;
// one reads the queue, the file and its document, is told what is missing
// from a decision, decides, and the notice is closed without a fine.
func TestContestPagesProsecutorOnly(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	svc := fines.New(e.App.Kernel(), fines.DefaultConfig())
	n, c := mustContest(t, e, svc)
	base := "/agents/contestations/" + c.Reference
	doc := base + "/pieces/" + strconv.FormatInt(c.Documents[0].ID, 10)
	routes := []struct{ method, path string }{
		{http.MethodGet, "/agents/contestations"}, {http.MethodGet, base}, {http.MethodGet, doc},
		{http.MethodPost, base + "/decision"}, {http.MethodPost, "/agents/contestations/decision"},
	}
	others := map[string]routertest.Session{"citizen": e.Citizen(t, "twelve", true), "agent": e.Staff(t, access.Agent),
		"helpdesk": e.Staff(t, access.Helpdesk), "admin": e.Staff(t, access.Admin)}
	form := map[string]string{"kind": "dropped", "reasons": "Véhicule cédé avant l'infraction.", "ref": c.Reference}
	for who, s := range others {
		for _, rt := range routes {
			var f map[string]string
			if rt.method == http.MethodPost {
				f = form
			}
			if res := e.Do(t, s, rt.method, rt.path, f); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", rt.method, rt.path, who, res.StatusCode)
			}
		}
	}
	if got, _ := e.Store.FindContest(ctx, c.ID); got.State != store.ContestPending {
		t.Fatalf("a refused post decided: %s", got.State)
	}

	omp := e.Staff(t, access.Prosecutor)
	res := e.Do(t, omp, http.MethodGet, "/agents/contestations", nil)
	if html := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(html, c.Reference) || !strings.Contains(html, n.Number) {
		t.Fatalf("queue: %d", res.StatusCode)
	}
	res = e.Do(t, omp, http.MethodGet, base, nil)
	if html := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(html, "Déclaration de cession du véhicule") ||
		!strings.Contains(html, "déclarée envoyée par courrier") || !strings.Contains(html, `href="`+doc+`"`) {
		t.Fatalf("file: %d\n%s", res.StatusCode, html)
	}
	if res := e.Do(t, omp, http.MethodGet, doc, nil); res.StatusCode != http.StatusOK || !strings.HasPrefix(body(t, res), "%PDF") {
		t.Fatalf("document: %d", res.StatusCode)
	}
	if res := e.Do(t, omp, http.MethodGet, "/agents/contestations/CT-INCONNUE", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown contest: %d, want 404", res.StatusCode)
	}
	res = e.Do(t, omp, http.MethodPost, base+"/decision", map[string]string{"kind": "dropped"})
	if html := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `href="#reasons"`) {
		t.Fatalf("decision without reasons: %d", res.StatusCode)
	}
	res = e.Do(t, omp, http.MethodPost, "/agents/contestations/decision", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bulk decision: %d %s", res.StatusCode, body(t, res))
	}
	got, _ := e.Store.FindNotice(ctx, n.ID)
	if got.State != store.NoticeDismissed {
		t.Fatalf("notice %s after the decision, want dismissed", got.State)
	}
	for _, a := range []string{"fine.queue.read", "fine.contest.read"} {
		found := false
		for _, st := range []string{"fine_queue", "fine_contest"} {
			es, _ := e.Store.ListAudit(ctx, st, map[string]string{"fine_queue": "pending,court", "fine_contest": c.Reference}[st])
			for _, x := range es {
				found = found || x.Action == a
			}
		}
		if !found {
			t.Errorf("no audit entry %s", a)
		}
	}
}

func paidResult(ref string, cents int) payment.Result {
	return payment.Result{PaymentID: "pay-" + ref, Reference: ref, Amount: cents, Status: payment.Paid}
}
