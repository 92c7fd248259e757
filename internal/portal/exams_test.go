package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustExamSetup records an exam centre, places 30 days ahead opened an hour
// ago, and a theory pass for the demo person's file.
func mustExamSetup(t *testing.T, e *routertest.Env, neph licence.NEPH) (store.ExamCentre, date.Date) {
	t.Helper()
	ctx := context.Background()
	c := store.ExamCentre{Code: "34-LATTES", Name: "Centre d'examen de Lattes", Departement: "34"}
	if err := e.Store.CreateExamCentre(ctx, &c); err != nil {
		t.Fatal(err)
	}
	agent := e.Staff(t, access.Agent)
	day := date.Today(e.Clock.Now()).AddDays(30)
	svc := examsapp.New(e.App.Kernel(), exam.DefaultConfig())
	if _, err := svc.Publish(ctx, agent.Request, examsapp.PublishInput{CentreID: c.ID, Day: day, Half: "am",
		Category: licence.CategoryB, Places: 2, OpensAt: e.Clock.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	op := store.User{Role: string(access.ExamOperator), Email: "centre@code.fr"}
	if err := e.Store.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	r := store.TheoryResult{Reference: "ETG-TEST0001", NEPH: neph, TakenOn: date.Today(e.Clock.Now()).AddDays(-20), Passed: true, OperatorID: op.ID}
	if err := e.Store.CreateTheoryResult(ctx, &r); err != nil {
		t.Fatal(err)
	}
	return c, day
}

// A candidat libre sees their code on "Mon examen", books a place with
// their companion declared (a missing declaration is refused with each
// field named), sees it, and cancels it; another citizen cannot cancel it.
func TestExamSpaceAndBooking(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		s := e.Citizen(t, "twelve", true)
		dp, _ := e.Person(t, "twelve")
		centre, day := mustExamSetup(t, e, dp.NEPH)

		body := read(t, e.Do(t, s, http.MethodGet, "/mon-espace", nil))
		if !strings.Contains(body, `href="/mon-espace/examen"`) {
			t.Fatal("Mon espace has no link to the exam page")
		}
		body = read(t, e.Do(t, s, http.MethodGet, "/mon-espace/examen", nil))
		key := examsapp.SlotKey(centre.ID, day, "am")
		if !strings.Contains(body, "Code réussi le") || !strings.Contains(body, "/mon-espace/examen/reserver?place="+key) {
			t.Fatalf("exam page:\n%s", body)
		}
		if res := e.Do(t, s, http.MethodGet, "/mon-espace/examen/reserver?place="+key, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("booking form: %d", res.StatusCode)
		}
		res := e.Do(t, s, http.MethodPost, "/mon-espace/examen/reserver", map[string]string{"slot": key, "family_name": "Durand",
			"since": "01/03/2024", "not_instructor": "oui"})
		body = read(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#since"`) ||
			!strings.Contains(body, `href="#link_sworn"`) || !strings.Contains(body, `href="#dual_control"`) {
			t.Fatalf("refused booking: %d\n%s", res.StatusCode, body)
		}
		res = e.Do(t, s, http.MethodPost, "/mon-espace/examen/reserver", map[string]string{"slot": key, "family_name": "Durand",
			"given_names": "Marc", "since": "01/03/1995", "not_instructor": "oui", "link_sworn": "oui", "dual_control": "oui"})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mon-espace/examen?fait=reserve" {
			t.Fatalf("booking: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), read(t, res))
		}
		bs, err := e.Store.ListExamBookings(context.Background(), string(dp.NEPH))
		if err != nil || len(bs) != 1 || bs[0].State != "booked" {
			t.Fatalf("bookings %+v, %v", bs, err)
		}
		body = read(t, e.Do(t, s, http.MethodGet, "/mon-espace/examen?fait=reserve", nil))
		if !strings.Contains(body, "Place réservée") || !strings.Contains(body, bs[0].Reference) {
			t.Fatalf("after booking:\n%s", body)
		}
		cancel := "/mon-espace/examen/" + bs[0].Reference + "/annulation"
		other := e.Citizen(t, "48m", true)
		if res := e.Do(t, other, http.MethodPost, cancel, map[string]string{}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another citizen cancels: %d", res.StatusCode)
		}
		res = e.Do(t, s, http.MethodPost, cancel, map[string]string{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mon-espace/examen?fait=annule" {
			t.Fatalf("cancel: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		es, _ := e.Store.ListAudit(context.Background(), "neph", string(dp.NEPH))
		var actions []string
		for _, x := range es {
			actions = append(actions, x.Action)
		}
		if !strings.Contains(strings.Join(actions, " "), "exam.space.read") {
			t.Errorf("the read of the exam page is not audited: %v", actions)
		}
		_ = app.Request{}
	})
}

// After a favourable exam, the candidate downloads the CEPC from "Mon
// examen" (another citizen gets 404); its 2D-Doc is of type AD, signed by
// the service, and /verifier says it was issued here as a CEPC.
func TestExamCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		s := e.Citizen(t, "twelve", true)
		dp, _ := e.Person(t, "twelve")
		centre, day := mustExamSetup(t, e, dp.NEPH)
		b := store.ExamBooking{Reference: "RDV-CEPC0001", NEPH: string(dp.NEPH), Category: "B", BookerID: sessionUser(t, s),
			BookerRole: "citizen", Email: "lea@example.fr", Details: "{}"}
		if err := e.Store.BookExamPlace(ctx, &b, store.ExamSlot{CentreID: centre.ID, Day: day, Half: "am", Category: "B"}, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		pdfPath := "/mon-espace/examen/RDV-CEPC0001/cepc.pdf"
		if res := e.Do(t, s, http.MethodGet, pdfPath, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("CEPC before the result: %d", res.StatusCode)
		}
		if err := e.Store.RecordExamResult(ctx, b.ID, "favourable", 1, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if body := read(t, e.Do(t, s, http.MethodGet, "/mon-espace/examen", nil)); !strings.Contains(body, `href="`+pdfPath+`"`) {
			t.Fatalf("no CEPC link on the exam page:\n%s", body)
		}
		if res := e.Do(t, e.Citizen(t, "48m", true), http.MethodGet, pdfPath, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another citizen's download: %d", res.StatusCode)
		}
		res := e.Do(t, s, http.MethodGet, pdfPath, nil)
		pdf := read(t, res)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("CEPC: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		st, err := e.Store.FindStatementByReference(ctx, res.Header.Get("X-Permis-Reference"))
		if err != nil || st.Kind != examsapp.KindCertificate || !strings.HasPrefix(st.Barcode, "DC04") || st.Barcode[20:22] != "AD" {
			t.Fatalf("statement %+v, %v", st, err)
		}
		want := exam.CertificateValidUntil(day, date.Null{}, exam.DefaultConfig())
		if !st.ValidUntil.Valid || st.ValidUntil.Date != want {
			t.Fatalf("valid until %v, want %s (4 months)", st.ValidUntil, want)
		}
		again := e.Do(t, s, http.MethodGet, pdfPath, nil)
		if again.Header.Get("X-Permis-Reference") != st.Reference {
			t.Fatal("a second download issues another CEPC")
		}
		v := read(t, e.Do(t, routertest.Session{}, http.MethodPost, "/verifier", map[string]string{"code": st.Barcode}))
		if !strings.Contains(v, "certificat d&#39;examen du permis de conduire (CEPC), référence <strong>"+st.Reference) {
			t.Fatalf("/verifier:\n%s", v)
		}
	})
}

func sessionUser(t *testing.T, s routertest.Session) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(s.Request.Actor.ID, "user:%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}
