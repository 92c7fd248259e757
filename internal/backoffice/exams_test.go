package backoffice_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/date"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The bureau publishes places through its form (a wrong day is refused
// with the field named), sees the half-day, and on the exam day the
// examiner records a candidate's absence from the sheet, then recognises
// a force majeure; the candidate is mailed.
func TestExamBureauAndSheet(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 2, Theme: "neutral"})
		agent := e.Staff(t, access.Agent)
		c := store.ExamCentre{Code: "34-LATTES", Name: "Centre d'examen de Lattes", Departement: "34"}
		if err := e.Store.CreateExamCentre(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if b := body(t, e.Do(t, agent, http.MethodGet, "/agents", nil)); !strings.Contains(b, `href="/agents/examens"`) {
			t.Fatal("the agents' navigation has no link to the exam places")
		}
		today := date.Today(e.Clock.Now())
		form := map[string]string{"centre": fmt.Sprint(c.ID), "day": today.French(), "half": "am", "places": "4",
			"opens_day": today.French(), "opens_time": "08:00"}
		res := e.Do(t, agent, http.MethodPost, "/agents/examens", form)
		if b := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `href="#day"`) {
			t.Fatalf("publishing for today: %d\n%s", res.StatusCode, b)
		}
		form["day"] = today.AddDays(20).French()
		res = e.Do(t, agent, http.MethodPost, "/agents/examens", form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/agents/examens?fait=publie" {
			t.Fatalf("publish: %d %s", res.StatusCode, body(t, res))
		}
		page := body(t, e.Do(t, agent, http.MethodGet, "/agents/examens?fait=publie", nil))
		sheet := fmt.Sprintf("/agents/examens/%d/%s/am", c.ID, today.AddDays(20))
		if !strings.Contains(page, "Places publiées") || !strings.Contains(page, sheet) {
			t.Fatalf("bureau page:\n%s", page)
		}

		// Today's half-day, booked by a candidate (the rules are tested in
		// internal/app/exams): the examiner's sheet.
		r := store.ExamRelease{CentreID: c.ID, OpensAt: e.Clock.Now().Add(-48 * time.Hour), PublishedBy: 1}
		slot := store.ExamSlot{CentreID: c.ID, Day: today, Half: "pm", Category: "B"}
		if err := e.Store.CreateExamRelease(ctx, &r, []store.ExamSlotCapacity{{ExamSlot: slot, Places: 2}}); err != nil {
			t.Fatal(err)
		}
		owner := e.Citizen(t, "twelve", true)
		b := store.ExamBooking{Reference: "RDV-TESTAB12", NEPH: "121201200001", Category: "B", BookerID: ownerID(t, owner),
			BookerRole: "citizen", Email: "lea@example.fr", Details: "{}"}
		if err := e.Store.BookExamPlace(ctx, &b, slot, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/agents/examens/%d/%s/pm", c.ID, today)
		if b := body(t, e.Do(t, agent, http.MethodGet, path, nil)); !strings.Contains(b, "RDV-TESTAB12") || !strings.Contains(b, `value="absent"`) {
			t.Fatalf("sheet:\n%s", b)
		}
		if res := e.Do(t, owner, http.MethodGet, path, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a citizen opens the sheet: %d", res.StatusCode)
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/places/RDV-TESTAB12/resultat", map[string]string{"result": "absent", "retour": path})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"?fait=resultat" {
			t.Fatalf("result: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/places/RDV-TESTAB12/resultat", map[string]string{"result": "favourable", "retour": path})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("a second result: %d", res.StatusCode)
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/places/RDV-TESTAB12/force-majeure", map[string]string{"retour": "https://evil.example/"})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/agents/examens?fait=force-majeure" {
			t.Fatalf("excuse: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		got, _ := e.Store.FindExamBooking(ctx, "RDV-TESTAB12")
		if got.Result != "absent" || !got.ForceMajeure || got.State != "done" {
			t.Fatalf("booking %+v", got)
		}
		mails, _ := e.Store.ListMail(ctx, store.MailFilter{To: "lea@example.fr"})
		if len(mails) != 1 || !strings.Contains(mails[0].Text, "Absent") {
			t.Fatalf("mails %+v", mails)
		}
	})
}

func ownerID(t *testing.T, s routertest.Session) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(s.Request.Actor.ID, "user:%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}
