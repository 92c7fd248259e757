package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A citizen lets the help point see their open request for an appointment;
// the agents see its state; nobody can share someone else's request or
// appointment.
func TestShareRequestWithAppointment(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		now := f.c.Now()
		citizenID := mustUserID(t, f.citizen)
		if err := f.s.UpdateUser(ctx, citizenID, store.UserPatch{EmailVerifiedAt: &now}); err != nil {
			t.Fatal(err)
		}
		r := f.mustLossDraft(t, f.citizen, f.mustStamp(t), "")
		if _, err := f.a.Submit(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		hp, kind := mustBookablePoint(t, f.s, 1)
		appts := f.a.Appointments(booking.Config{})
		today := f.c.Now()
		slots, err := appts.Slots(ctx, hp.ID, kind.ID, dateOf(today).AddDays(1), dateOf(today).AddDays(8))
		if err != nil || len(slots) == 0 {
			t.Fatal(slots, err)
		}
		b, err := appts.Book(ctx, f.citizen, app.BookingRequest{HelpPointID: hp.ID, KindID: kind.ID, Start: slots[0].Start,
			Contact: booking.Contact{Name: "Camille Garnier", Email: "camille@example.fr"}})
		if err != nil || b.Pending {
			t.Fatalf("book: %+v %v", b, err)
		}
		open, err := appts.OpenRequests(ctx, f.citizen)
		if err != nil || len(open) != 1 || open[0].ID != r.ID {
			t.Fatalf("open requests %+v %v", open, err)
		}

		// Someone else can neither share into this appointment nor share
		// this request.
		otherID := f.mustCitizen(t, "zoe@example.fr", "000334100002")
		other := userReq(otherID, access.Citizen)
		if err := appts.ShareRequest(ctx, other, b.ID, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another citizen shares into the appointment: %v", err)
		}
		staff := userReq(f.mustStaff(t), access.Helpdesk)
		if _, ok, err := appts.SharedRequest(ctx, staff, b.ID); err != nil || ok {
			t.Fatalf("before sharing: %v %v", ok, err)
		}
		if err := appts.ShareRequest(ctx, f.citizen, b.ID, r.ID); err != nil {
			t.Fatal(err)
		}
		tv, ok, err := appts.SharedRequest(ctx, staff, b.ID)
		if err != nil || !ok || tv.Reference != r.Reference || tv.StatusLabel == "" {
			t.Fatalf("shared: %+v %v %v", tv, ok, err)
		}
		if _, _, err := appts.SharedRequest(ctx, f.citizen, b.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a citizen reads the agents' view: %v", err)
		}
	})
}

func mustUserID(t *testing.T, r app.Request) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(r.Actor.ID, "user:%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func dateOf(t time.Time) date.Date { return date.Today(t) }

// mustStaff records a help-desk account.
func (f *reqFixture) mustStaff(t *testing.T) int64 {
	t.Helper()
	u := store.User{Role: "helpdesk", Email: "accueil@example.fr", GivenName: "Inès", FamilyName: "Roux"}
	if err := f.s.CreateUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}
