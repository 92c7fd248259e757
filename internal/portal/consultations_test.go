package portal_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// "Qui a consulté mon dossier" lists every read of the person's data by
// someone else — the agent who opened the request and downloaded the
// identity document and the proof of address included — and none of the
// person's own reads (the holder trying their own check code).
func TestConsultationsListOthersReadsOnly(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	alice := e.Citizen(t, "48m", true)
	agent := e.Staff(t, access.Agent)
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	n := stamp.Number("4200000000000919")
	st, err := stamp.DefaultConfig().New(n, 2500, e.Clock.Now(), "TX")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	yes, dep, sn := true, "34", string(n)
	if _, err := e.App.SaveAnswers(ctx, alice.Request, r.ID, app.DraftInput{Departement: &dep, LossDeclared: &yes,
		Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Sète"}, PaperPhoto: &yes, StampNumber: &sn}); err != nil {
		t.Fatal(err)
	}
	need, err := e.App.Requirements(ctx, alice.Request, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range need.Documents {
		if _, err := e.App.AddDocument(ctx, alice.Request, r.ID, string(d.Document), app.Upload{Name: "p.pdf", Body: strings.NewReader("%PDF-1.4 p")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.App.Submit(ctx, alice.Request, r.ID); err != nil {
		t.Fatal(err)
	}

	// The holder reads her own things: her points, her request, a check
	// with her own code.
	code, _, err := e.App.CreateCheckCode(ctx, alice.Request, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	dp, _ := e.Person(t, "48m")
	neph := dp.NEPH.String()
	if res := e.Do(t, alice, http.MethodPost, "/verification-permis", map[string]string{"code": code, "ending": neph[len(neph)-4:]}); res.StatusCode != http.StatusOK {
		t.Fatalf("own check: %d", res.StatusCode)
	}
	e.Do(t, alice, http.MethodGet, "/mes-demarches/"+strconv.FormatInt(r.ID, 10), nil)

	// The agent opens the file and downloads each document.
	base := "/agents/demandes/" + strconv.FormatInt(r.ID, 10)
	if res := e.Do(t, agent, http.MethodGet, base, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("agent's file: %d", res.StatusCode)
	}
	docs, err := e.Store.ListRequestDocuments(ctx, r.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		res := e.Do(t, agent, http.MethodGet, base+"/pieces/"+strconv.FormatInt(d.ID, 10), nil)
		_, _ = io.Copy(io.Discard, res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download %s: %d", d.Document, res.StatusCode)
		}
	}

	body := read(t, e.Do(t, alice, http.MethodGet, "/mon-espace/consultations", nil))
	for _, want := range []string{
		"Consultation de votre demande " + r.Reference,
		"Téléchargement d&#39;une pièce de votre demande " + r.Reference + " : Pièce d&#39;identité",
		"Téléchargement d&#39;une pièce de votre demande " + r.Reference + " : Justificatif de domicile",
		"Agent instructeur",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("consultations lack %q", want)
		}
	}
	if strings.Contains(body, "code de vérification</td>") || strings.Contains(body, "Vérification des droits à conduire avec un code") {
		t.Error("consultations list the holder's own check")
	}
}
