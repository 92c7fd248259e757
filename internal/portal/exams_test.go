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
	"permis/internal/demo"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustExamSetup records an exam centre, places 30 days ahead opened an hour
// ago, and for the demo person's file a theory pass and the accepted
// registration for B of the account linked to it (created before).
func mustExamSetup(t *testing.T, e *routertest.Env, neph licence.NEPH) (store.ExamCentre, date.Date) {
	t.Helper()
	ctx := context.Background()
	c, day := mustExamSetupPlaces(t, e)
	l, err := e.Store.FindLicenceByNEPH(ctx, neph)
	if err != nil {
		t.Fatal(err)
	}
	us, err := e.Store.ListUsersOfLicence(ctx, l.ID)
	if err != nil || len(us) == 0 {
		t.Fatalf("mustExamSetup: no account linked to %s (%v)", neph, err)
	}
	reg := store.ExamRegistration{Reference: "INS-TEST" + string(neph[len(neph)-4:]), UserID: us[0].ID, Category: "B", Details: "{}",
		FiledOn: date.Today(e.Clock.Now()).AddDays(-60)}
	if err := e.Store.CreateExamRegistration(ctx, &reg); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.AcceptExamRegistration(ctx, reg.ID, string(neph), l.ID); err != nil {
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

// mustExamSetupPlaces records an exam centre and places 30 days ahead,
// opened an hour ago.
func mustExamSetupPlaces(t *testing.T, e *routertest.Env) (store.ExamCentre, date.Date) {
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

// A driving school books a place for its student under mandate (too few
// training hours are refused on the field), sees it on "Mes élèves", and
// cancels it late: the 40-day block is said to the school, and the
// student's own exam page says it too.
func TestSchoolBooksAndCancelsLate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		student, school, dp, m, key := schoolStudentWithPlaceIn5Days(t, e)
		page := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole", nil))
		if !strings.Contains(page, fmt.Sprintf(`action="/auto-ecole/eleves/%d/examen"`, m.ID)) || !strings.Contains(page, key) {
			t.Fatalf("no booking form for the student:\n%s", page)
		}
		book := fmt.Sprintf("/auto-ecole/eleves/%d/examen", m.ID)
		res := e.Do(t, school, http.MethodPost, book, map[string]string{"slot": key, "hours": "12"})
		if b := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, fmt.Sprintf(`href="#hours-%d"`, m.ID)) {
			t.Fatalf("12 h: %d\n%s", res.StatusCode, b)
		}
		res = e.Do(t, school, http.MethodPost, book, map[string]string{"slot": key, "hours": "22"})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auto-ecole?examen=reserve") {
			t.Fatalf("booking: %d %s", res.StatusCode, read(t, res))
		}
		bs, _ := e.Store.ListExamBookings(ctx, string(dp.NEPH))
		if len(bs) != 1 || bs[0].BookerRole != "driving_school" || bs[0].Email != "eleve@example.fr" {
			t.Fatalf("bookings %+v", bs)
		}
		if res := e.Do(t, student, http.MethodPost, "/mon-espace/examen/"+bs[0].Reference+"/annulation", map[string]string{}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("the student cancels the school's booking: %d", res.StatusCode)
		}
		res = e.Do(t, school, http.MethodPost, "/auto-ecole/examens/"+bs[0].Reference+"/annulation", map[string]string{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auto-ecole?examen=annule-tard" {
			t.Fatalf("cancel: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if page := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole?examen=annule-tard", nil)); !strings.Contains(page, "pendant 40 jours") ||
			!strings.Contains(page, "Annulée tardivement") {
			t.Fatalf("the school is not told of the block:\n%s", page)
		}
		if page := read(t, e.Do(t, student, http.MethodGet, "/mon-espace/examen", nil)); !strings.Contains(page, `id="exam-blocked"`) {
			t.Fatalf("the student is not told of the block:\n%s", page)
		}
		mails, _ := e.Store.ListMail(ctx, store.MailFilter{To: "eleve@example.fr"})
		if len(mails) != 2 {
			t.Fatalf("%d mails to the student, want 2 (booked, cancelled)", len(mails))
		}
	})
}

// schoolStudentWithPlaceIn5Days gives the demo citizen "twelve" signed in,
// a driving school with their mandate (mails to eleve@example.fr), their
// NEPH with a theory pass and an accepted registration (mustExamSetup), and
// the key of a half-day in 5 days with one free place.
func schoolStudentWithPlaceIn5Days(t *testing.T, e *routertest.Env) (student, school routertest.Session, dp demo.DemoPerson, m store.Mandate, key string) {
	t.Helper()
	ctx := context.Background()
	student = e.Citizen(t, "twelve", true)
	dp, p := e.Person(t, "twelve")
	centre, _ := mustExamSetup(t, e, dp.NEPH)
	soon := date.Today(e.Clock.Now()).AddDays(5)
	r := store.ExamRelease{CentreID: centre.ID, OpensAt: e.Clock.Now().Add(-time.Hour), PublishedBy: 1}
	if err := e.Store.CreateExamRelease(ctx, &r, []store.ExamSlotCapacity{{ExamSlot: store.ExamSlot{CentreID: centre.ID, Day: soon, Half: "pm", Category: "B"}, Places: 1}}); err != nil {
		t.Fatal(err)
	}
	school = e.Staff(t, access.DrivingSchool)
	m, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: p.FamilyName, GivenNames: p.GivenNames[0],
		BirthDate: p.BirthDate, Email: "eleve@example.fr", NEPH: string(dp.NEPH), Reference: "M-EXAM-1", SignedOn: date.Today(e.Clock.Now()).AddDays(-3)})
	if err != nil {
		t.Fatal(err)
	}
	return student, school, dp, m, examsapp.SlotKey(centre.ID, soon, "pm")
}

// A deployment's figures file changes the rules the pages apply, without
// a new binary (issue 14: delays and limits in configuration; `permis
// serve --exam-rules`): with 10 h of training and cancellations late only
// under 3 days, the same 12 h booking is accepted and the same
// cancellation 5 days before blocks nothing.
func TestExamFiguresFromConfiguration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		cfg := exam.DefaultConfig()
		cfg.TrainingHoursManual, cfg.LateCancelDays = 10, 3
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral", Exams: cfg})
		student, school, dp, m, key := schoolStudentWithPlaceIn5Days(t, e)
		res := e.Do(t, school, http.MethodPost, fmt.Sprintf("/auto-ecole/eleves/%d/examen", m.ID), map[string]string{"slot": key, "hours": "12"})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auto-ecole?examen=reserve") {
			t.Fatalf("12 h with a 10 h minimum: %d %s", res.StatusCode, read(t, res))
		}
		bs, _ := e.Store.ListExamBookings(ctx, string(dp.NEPH))
		if len(bs) != 1 {
			t.Fatalf("bookings %+v", bs)
		}
		res = e.Do(t, school, http.MethodPost, "/auto-ecole/examens/"+bs[0].Reference+"/annulation", map[string]string{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auto-ecole?examen=annule" {
			t.Fatalf("cancel 5 days before, late under 3: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if page := read(t, e.Do(t, student, http.MethodGet, "/mon-espace/examen", nil)); strings.Contains(page, `id="exam-blocked"`) {
			t.Fatal("the student is blocked after a cancellation the figures say is not late")
		}
	})
}
