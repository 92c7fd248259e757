package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A signed-in citizen sees their upcoming appointment in their space and
// cancels it there; another citizen cannot cancel it.
func TestMyAppointments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		s := e.Citizen(t, "48m", true)
		if res := e.Do(t, s, http.MethodGet, "/mon-espace/rendez-vous", nil); !strings.Contains(read(t, res), "no-appointment") {
			t.Fatal("an empty list is not said")
		}
		hps, err := e.Store.ListHelpPoints(ctx, store.HelpPointFilter{})
		if err != nil || len(hps) == 0 {
			t.Fatal(hps, err)
		}
		kinds, _ := e.Store.ListKinds(ctx, hps[0].ID)
		appts := e.App.Appointments(booking.Config{})
		today := date.Today(e.Clock.Now())
		slots, err := appts.Slots(ctx, hps[0].ID, kinds[0].ID, today.AddDays(1), today.AddDays(14))
		if err != nil || len(slots) == 0 {
			t.Fatal(slots, err)
		}
		var free booking.Slot
		for _, sl := range slots {
			if sl.Free > 0 {
				free = sl
				break
			}
		}
		b, err := appts.Book(ctx, s.Request, app.BookingRequest{HelpPointID: hps[0].ID, KindID: kinds[0].ID, Start: free.Start,
			Contact: booking.Contact{Name: "Camille Garnier", Email: "camille.garnier@example.fr"}})
		if err != nil {
			t.Fatal(err)
		}
		body := read(t, e.Do(t, s, http.MethodGet, "/mon-espace/rendez-vous", nil))
		if !strings.Contains(body, booking.FrenchDay(free.Start)) {
			t.Fatalf("the appointment is not listed:\n%s", body)
		}
		cancel := fmt.Sprintf("/mon-espace/rendez-vous/%d/annulation", b.ID)
		other := e.Citizen(t, "twelve", true)
		if res := e.Do(t, other, http.MethodPost, cancel, map[string]string{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("another citizen cancels: %d", res.StatusCode)
		}
		// post/redirect/get: the cancellation answers 303 to the list,
		// which then says it is done.
		if res := e.Do(t, s, http.MethodPost, cancel, map[string]string{}); res.StatusCode != http.StatusSeeOther ||
			res.Header.Get("Location") != "/mon-espace/rendez-vous?fait=annule" {
			t.Fatalf("cancel: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if body := read(t, e.Do(t, s, http.MethodGet, "/mon-espace/rendez-vous?fait=annule", nil)); !strings.Contains(body, "Rendez-vous annulé") {
			t.Error("the list after cancelling does not say the appointment is cancelled")
		}
		if ap, _ := e.Store.FindAppointment(ctx, b.ID); ap.Status != booking.Cancelled {
			t.Errorf("after cancelling: %s", ap.Status)
		}
	})
}
