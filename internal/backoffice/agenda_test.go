package backoffice_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/booking"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The agenda opens on the agent's own site (the help point their account
// names) on its next working day, names the weekdays, and says when the
// site is closed — a closure with its reason, a day outside its hours.
func TestAgendaOpensOnTheAgentsSiteAndSaysClosedDays(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	helpdesk := e.Staff(t, access.Helpdesk)
	appts := e.App.Appointments(booking.Config{})
	pts, err := appts.HelpPoints(ctx)
	if err != nil || len(pts) < 3 {
		t.Fatalf("help points: %d %v", len(pts), err)
	}
	site := pts[2] // not the first: the default would hide the rule
	if err := e.Store.UpdateUser(ctx, helpdesk.Account.ID, store.UserPatch{Organisation: &site.Name}); err != nil {
		t.Fatal(err)
	}
	today := e.Today
	if _, err := appts.CloseDays(ctx, helpdesk.Request, site.ID, today, today.AddDays(9), "Travaux"); err != nil {
		t.Fatal(err)
	}

	page := body(t, e.Do(t, helpdesk, http.MethodGet, "/agents/agenda", nil))
	if !strings.Contains(page, `<option value="`+strconv.FormatInt(site.ID, 10)+`" selected>`) {
		t.Errorf("the agenda does not open on the agent's site %s", site.Name)
	}
	m := regexp.MustCompile(`<h2 class="fr-h5">(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (\d\d/\d\d/\d{4})</h2>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the agenda's day has no weekday name")
	}
	// The environment starts on Monday 2 March 2026 (routertest.Epoch):
	// closed until Wednesday 11, the site opens again on Thursday 12.
	if got := m[1] + " " + m[2]; got != "jeudi 12/03/2026" {
		t.Errorf("the agenda opens on %s, want jeudi 12/03/2026 (closed until %s)", got, today.AddDays(9).French())
	}
	if strings.Contains(page, "Fermé") {
		t.Error("the day it opens on is said closed")
	}

	closed := body(t, e.Do(t, helpdesk, http.MethodGet, "/agents/agenda?jour="+today.French(), nil))
	if !strings.Contains(closed, "Fermé : Travaux") {
		t.Error("a closed day does not say so")
	}
	week := body(t, e.Do(t, helpdesk, http.MethodGet, "/agents/agenda?vue=semaine&jour="+today.AddDays(10).String(), nil))
	if !strings.Contains(week, "Fermé ce jour (en dehors des horaires d&#39;ouverture).") {
		t.Error("the week does not say the days outside the opening hours")
	}
}

// Attendance is asked for an appointment once it has started, by the
// service's clock, and not before: on the environment's first morning, the
// 08:00 appointment offers "Venu / Absent", the 11:00 one does not yet.
func TestAgendaAsksAttendanceOnceStarted(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	helpdesk := e.Staff(t, access.Helpdesk)
	hp, err := e.Store.ListHelpPoints(ctx, store.HelpPointFilter{})
	if err != nil || len(hp) == 0 {
		t.Fatal(hp, err)
	}
	kinds, err := e.Store.ListKinds(ctx, hp[0].ID)
	if err != nil || len(kinds) == 0 {
		t.Fatal(kinds, err)
	}
	now := e.Clock.Now()
	book := func(start time.Time, email string) int64 {
		t.Helper()
		ap := booking.Appointment{UID: email, HelpPointID: hp[0].ID, KindID: kinds[0].ID, Start: start,
			End: start.Add(kinds[0].Duration()), Status: booking.Confirmed, Origin: booking.FromBooking,
			PersonKey: booking.PersonKeyEmail(email), Contact: booking.Contact{Name: "Paul Roux", Email: email},
			CreatedAt: now.Add(-48 * time.Hour)}
		if err := e.Store.BookAppointment(ctx, &ap, hp[0].Agents); err != nil {
			t.Fatal(err)
		}
		return ap.ID
	}
	started := book(now.Add(-time.Hour).Truncate(time.Hour), "deja@example.fr")
	later := book(now.Add(2*time.Hour).Truncate(time.Hour), "plus-tard@example.fr")
	page := body(t, e.Do(t, helpdesk, http.MethodGet, fmt.Sprintf("/agents/agenda?point=%d&jour=%s", hp[0].ID, e.Today), nil))
	form := func(id int64) string { return fmt.Sprintf(`action="/agents/rendez-vous/%d/presence"`, id) }
	if !strings.Contains(page, form(started)) {
		t.Error("the appointment that started an hour ago does not ask for attendance")
	}
	if strings.Contains(page, form(later)) {
		t.Error("the appointment in two hours already asks for attendance")
	}
}
