package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
)

// mustHelpPoint records a help point of Hérault open on weekdays, with
// agents on duty.
func mustHelpPoint(tb testing.TB, s *Store, name string, agents int) booking.HelpPoint {
	tb.Helper()
	p := booking.HelpPoint{Type: booking.SubPrefecture, Name: name, Address: "Boulevard Édouard Herriot",
		PostalCode: "34500", Commune: "Béziers", INSEE: "34032", Lat: 43.344, Lon: 3.215, Phone: "04 67 36 60 00",
		Email: "pn-beziers@herault.example.fr", Services: []string{"Permis de conduire", "  Carte grise  ", ""},
		Accessibility: "Accès de plain-pied.", OpeningHours: "Mo-Fr 09:00-12:00,14:00-16:00; PH off", Agents: agents}
	if err := s.CreateHelpPoint(context.Background(), &p); err != nil {
		tb.Fatalf("CreateHelpPoint: %v", err)
	}
	return p
}

func mustKind(tb testing.TB, s *Store, code string, minutes int) booking.Kind {
	tb.Helper()
	k := booking.Kind{Code: code, Label: "Rendez-vous " + code, Minutes: minutes}
	if err := s.CreateKind(context.Background(), &k); err != nil {
		tb.Fatalf("CreateKind: %v", err)
	}
	return k
}

// at is a Paris wall-clock time on 16 March 2026, a Monday after testNow.
func at(hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-03-16 "+hm, date.Paris())
	if err != nil {
		panic(err)
	}
	return t
}

var uidSeq int

// newAppt is a confirmed appointment of person at hp for kind from start.
func newAppt(hp booking.HelpPoint, k booking.Kind, start time.Time, person string) booking.Appointment {
	uidSeq++
	return booking.Appointment{
		UID: fmt.Sprintf("uid-%d-%d", time.Now().UnixNano(), uidSeq), HelpPointID: hp.ID, KindID: k.ID,
		Start: start, End: start.Add(k.Duration()), Status: booking.Confirmed, Origin: booking.FromBooking,
		PersonKey: "email:" + person, Contact: booking.Contact{Name: person, Email: person + "@example.fr"},
		CreatedAt: testNow,
	}
}

func mustBook(tb testing.TB, s *Store, a booking.Appointment, capacity int) booking.Appointment {
	tb.Helper()
	if err := s.BookAppointment(context.Background(), &a, capacity); err != nil {
		tb.Fatalf("BookAppointment(%s %s): %v", a.PersonKey, a.Start.Format("15:04"), err)
	}
	return a
}

// wantConflict fails unless err is a conflict whose message contains msg.
func wantConflict(tb testing.TB, err error, msg string) {
	tb.Helper()
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.As(err).Message, msg) {
		tb.Fatalf("error %v, want a conflict saying %q", err, msg)
	}
}

func TestHelpPointsKindsClosures(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Sous-préfecture de Béziers", 2)
		got, err := s.FindHelpPoint(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != p.Name || got.Departement() != "34" || strings.Join(got.Services, "|") != "Permis de conduire|Carte grise" ||
			got.Lat != 43.344 || got.Agents != 2 || got.Type != booking.SubPrefecture || !got.CreatedAt.Equal(testNow) {
			t.Fatalf("FindHelpPoint = %+v", got)
		}
		if _, err := s.FindHelpPoint(ctx, p.ID+100); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown help point: %v", err)
		}
		bad := "Mo-Fr 9h-12h"
		if _, err := s.UpdateHelpPoint(ctx, p.ID, HelpPointPatch{OpeningHours: &bad}); apperr.As(err).Fields["opening_hours"] == "" {
			t.Fatalf("bad hours: %v", err)
		}
		hours, agents := "Mo-Sa 09:00-12:00; PH off", 3
		if got, err = s.UpdateHelpPoint(ctx, p.ID, HelpPointPatch{OpeningHours: &hours, Agents: &agents}); err != nil ||
			got.OpeningHours != hours || got.Agents != 3 || got.Name != p.Name {
			t.Fatalf("UpdateHelpPoint = %+v, %v", got, err)
		}
		other := mustHelpPoint(t, s, "France Services Lodève", 1)

		k30, k60 := mustKind(t, s, "aide-permis", 30), mustKind(t, s, "accompagnement", 60)
		if err := s.CreateKind(ctx, &booking.Kind{Code: "aide-permis", Label: "Doublon", Minutes: 30}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("duplicate code: %v", err)
		}
		if err := s.CreateKind(ctx, &booking.Kind{Code: "x", Label: "x", Minutes: 7}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("7 minutes: %v", err)
		}
		for _, e := range []struct {
			p, k int64
			on   bool
		}{{p.ID, k30.ID, true}, {p.ID, k30.ID, true}, {p.ID, k60.ID, true}, {other.ID, k60.ID, true}, {p.ID, k60.ID, false}} {
			if err := s.EnableKind(ctx, e.p, e.k, e.on); err != nil {
				t.Fatalf("EnableKind: %v", err)
			}
		}
		kinds, err := s.ListKinds(ctx, p.ID)
		if err != nil || len(kinds) != 1 || kinds[0].Code != "aide-permis" {
			t.Fatalf("ListKinds(p) = %+v, %v", kinds, err)
		}
		if all, _ := s.ListKinds(ctx, 0); len(all) != 2 {
			t.Fatalf("ListKinds(all) = %+v", all)
		}
		if ok, _ := s.KindEnabled(ctx, other.ID, k60.ID); !ok {
			t.Fatal("KindEnabled(other, 60) = false")
		}
		if k, err := s.FindKindByCode(ctx, "accompagnement"); err != nil || k.ID != k60.ID || k.Minutes != 60 {
			t.Fatalf("FindKindByCode = %+v, %v", k, err)
		}
		list, err := s.ListHelpPoints(ctx, HelpPointFilter{Departement: "34", KindID: k60.ID})
		if err != nil || len(list) != 1 || list[0].ID != other.ID {
			t.Fatalf("ListHelpPoints(kind 60) = %+v, %v", list, err)
		}

		for _, c := range []booking.Closure{
			{HelpPointID: p.ID, From: date.MustParse("2026-04-01"), To: date.MustParse("2026-04-03"), Reason: "Travaux"},
			{HelpPointID: p.ID, From: date.MustParse("2026-05-01"), To: date.MustParse("2026-05-01"), Reason: "Formation"},
			{HelpPointID: other.ID, From: date.MustParse("2026-04-01"), To: date.MustParse("2026-04-30"), Reason: "Déménagement"},
		} {
			if err := s.CreateClosure(ctx, &c); err != nil {
				t.Fatalf("CreateClosure: %v", err)
			}
		}
		cs, err := s.ListClosures(ctx, p.ID, date.MustParse("2026-04-03"), date.MustParse("2026-04-30"))
		if err != nil || len(cs) != 1 || cs[0].Reason != "Travaux" || cs[0].To != date.MustParse("2026-04-03") {
			t.Fatalf("ListClosures = %+v, %v", cs, err)
		}
		if err := s.DeleteClosure(ctx, other.ID, cs[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("DeleteClosure of another help point: %v", err)
		}
		if err := s.DeleteClosure(ctx, p.ID, cs[0].ID); err != nil {
			t.Fatalf("DeleteClosure: %v", err)
		}
	})
}

func TestBookAppointmentSeats(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 2)
		k30, k60 := mustKind(t, s, "court", 30), mustKind(t, s, "long", 60)

		a := mustBook(t, s, newAppt(p, k30, at("10:00"), "a"), 2)
		b := mustBook(t, s, newAppt(p, k30, at("10:00"), "b"), 2)
		if a.Seat != 1 || b.Seat != 2 || a.ID == 0 || b.ID == a.ID {
			t.Fatalf("seats %d and %d (ids %d, %d), want 1 and 2", a.Seat, b.Seat, a.ID, b.ID)
		}
		c := newAppt(p, k30, at("10:00"), "c")
		err := s.BookAppointment(ctx, &c, 2)
		wantConflict(t, err, "vient d'être pris")
		if !errors.Is(err, ErrSlotTaken) || errors.Is(err, ErrAlreadyUpcoming) {
			t.Fatalf("cause of %v: want ErrSlotTaken", err)
		}
		if c.ID != 0 {
			t.Fatalf("refused booking has id %d", c.ID)
		}
		// A one-hour appointment from 09:30 overlaps 10:00-10:30 on both seats.
		d := newAppt(p, k60, at("09:30"), "d")
		wantConflict(t, s.BookAppointment(ctx, &d, 2), "vient d'être pris")
		// From 10:30 it fits, on seat 1.
		if e := mustBook(t, s, newAppt(p, k60, at("10:30"), "e"), 2); e.Seat != 1 {
			t.Fatalf("10:30 long on seat %d, want 1", e.Seat)
		}
		// A fixed seat already taken is refused even if another is free.
		f := newAppt(p, k30, at("11:00"), "f")
		f.Seat = 1
		wantConflict(t, s.BookAppointment(ctx, &f, 2), "vient d'être pris")
		// Seat 3 exists only when three agents are on duty.
		g := newAppt(p, k30, at("10:00"), "g")
		if err := s.BookAppointment(ctx, &g, 3); err != nil || g.Seat != 3 {
			t.Fatalf("third agent: seat %d, %v", g.Seat, err)
		}

		cells, err := s.TakenCells(ctx, p.ID, at("09:00"), at("12:00"))
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) != 6+6+12+6 {
			t.Fatalf("%d cells, want 30", len(cells))
		}
		got, err := s.FindAppointment(ctx, a.ID)
		if err != nil || !got.Start.Equal(at("10:00")) || got.Start.Location() != date.Paris() || got.Seat != 1 ||
			got.Status != booking.Confirmed || got.Name != "a" || got.UserID != 0 {
			t.Fatalf("FindAppointment = %+v, %v", got, err)
		}
		// A period off the 5-minute grain is a programming error.
		h := newAppt(p, k30, at("10:00").Add(time.Minute), "h")
		if err := s.BookAppointment(ctx, &h, 2); err == nil || apperr.Is(err, apperr.Conflict) {
			t.Fatalf("off-grain booking: %v", err)
		}
	})
}

func TestOneUpcomingAppointmentPerKind(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 2)
		other := mustHelpPoint(t, s, "Lodève", 1)
		k1, k2 := mustKind(t, s, "un", 30), mustKind(t, s, "deux", 30)

		first := mustBook(t, s, newAppt(p, k1, at("10:00"), "camille"), 2)
		again := newAppt(other, k1, at("14:00"), "camille") // another help point, same kind
		err := s.BookAppointment(ctx, &again, 1)
		wantConflict(t, err, "déjà un rendez-vous à venir")
		if !errors.Is(err, ErrAlreadyUpcoming) {
			t.Fatalf("cause of %v: want ErrAlreadyUpcoming", err)
		}
		mustBook(t, s, newAppt(p, k2, at("10:00"), "camille"), 2) // another kind
		// Cancelled: no longer blocks.
		if _, err := s.CancelAppointment(ctx, first.ID, testNow); err != nil {
			t.Fatal(err)
		}
		second := mustBook(t, s, newAppt(other, k1, at("14:00"), "camille"), 1)
		// Once it has started, it no longer counts: a booking made after its
		// start (CreatedAt is the booking's now) goes through.
		later := newAppt(p, k1, at("15:00"), "camille")
		later.CreatedAt = at("14:00")
		mustBook(t, s, later, 2)
		old, err := s.FindAppointment(ctx, second.ID)
		if err != nil || old.Status != booking.Confirmed {
			t.Fatalf("the started appointment: %+v, %v", old, err)
		}
		ups, _ := s.ListAppointments(ctx, AppointmentFilter{PersonKey: "email:camille"})
		if len(ups) != 4 {
			t.Fatalf("%d appointments of camille, want 4", len(ups))
		}
	})
}

func TestCancelMoveAppointment(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 1)
		k30, k60 := mustKind(t, s, "court", 30), mustKind(t, s, "long", 60)
		a := mustBook(t, s, newAppt(p, k30, at("10:00"), "a"), 1)

		c, err := s.CancelAppointment(ctx, a.ID, testNow)
		if err != nil || c.Status != booking.Cancelled || c.Sequence != 1 || c.CancelledAt == nil || !c.CancelledAt.Equal(testNow) {
			t.Fatalf("CancelAppointment = %+v, %v", c, err)
		}
		if cells, _ := s.TakenCells(ctx, p.ID, at("09:00"), at("12:00")); len(cells) != 0 {
			t.Fatalf("%d cells left after the cancellation", len(cells))
		}
		_, err = s.CancelAppointment(ctx, a.ID, testNow)
		wantConflict(t, err, "n'est plus actif")
		if _, err := s.CancelAppointment(ctx, a.ID+1000, testNow); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("cancel unknown: %v", err)
		}
		// The seat is free again.
		b := mustBook(t, s, newAppt(p, k60, at("10:00"), "b"), 1)
		blocker := mustBook(t, s, newAppt(p, k30, at("11:30"), "x"), 1)

		// Move 10:00-11:00 to 10:30-11:30: overlaps its own old period, fits.
		due := at("10:30").Add(-48 * time.Hour)
		old, moved, err := s.MoveAppointment(ctx, b.ID, at("10:30"), at("11:30"), 1, &due)
		if err != nil {
			t.Fatalf("MoveAppointment: %v", err)
		}
		if !old.Start.Equal(at("10:00")) || !moved.Start.Equal(at("10:30")) || moved.Sequence != 1 || moved.ID != b.ID ||
			moved.UID != b.UID || moved.ReminderDueAt == nil || !moved.ReminderDueAt.Equal(due) {
			t.Fatalf("moved %+v from %+v", moved, old)
		}
		// To 11:00-12:00: overlaps the blocker, refused, and nothing changed.
		_, _, err = s.MoveAppointment(ctx, b.ID, at("11:00"), at("12:00"), 1, nil)
		wantConflict(t, err, "vient d'être pris")
		got, _ := s.FindAppointment(ctx, b.ID)
		cells, _ := s.TakenCells(ctx, p.ID, at("10:30"), at("11:30"))
		if !got.Start.Equal(at("10:30")) || got.Sequence != 1 || len(cells) != 12 {
			t.Fatalf("after a refused move: %+v, %d cells", got, len(cells))
		}
		// A second agent: the same move now fits on seat 2.
		if _, moved, err = s.MoveAppointment(ctx, b.ID, at("11:00"), at("12:00"), 2, nil); err != nil || moved.Seat != 2 || moved.Sequence != 2 {
			t.Fatalf("move with two agents: %+v, %v", moved, err)
		}
		if cells, _ := s.TakenCells(ctx, p.ID, at("10:00"), at("11:00")); len(cells) != 0 {
			t.Fatalf("old cells left: %v", cells)
		}
		// A cancelled appointment cannot be moved.
		if _, err := s.CancelAppointment(ctx, blocker.ID, testNow); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.MoveAppointment(ctx, blocker.ID, at("14:00"), at("14:30"), 1, nil)
		wantConflict(t, err, "n'est plus actif")
	})
}

func TestConfirmExpireAttendance(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 1)
		k := mustKind(t, s, "court", 30)
		hold := testNow.Add(30 * time.Minute)
		pending := func(start time.Time, who string) booking.Appointment {
			a := newAppt(p, k, start, who)
			a.Status, a.HoldUntil, a.ConfirmHash = booking.Pending, &hold, []byte("confirm-"+who)
			return mustBook(t, s, a, 1)
		}
		a, b := pending(at("10:00"), "a"), pending(at("10:30"), "b")
		if got, err := s.FindAppointmentByConfirmHash(ctx, []byte("confirm-a")); err != nil || got.ID != a.ID {
			t.Fatalf("FindAppointmentByConfirmHash = %+v, %v", got, err)
		}
		due := at("10:00").Add(-48 * time.Hour)
		c, err := s.ConfirmAppointment(ctx, a.ID, testNow.Add(10*time.Minute), []byte("manage-a"), &due)
		if err != nil || c.Status != booking.Confirmed || c.ConfirmHash != nil || c.HoldUntil != nil || c.ReminderDueAt == nil {
			t.Fatalf("ConfirmAppointment = %+v, %v", c, err)
		}
		if got, err := s.FindAppointmentByManageHash(ctx, []byte("manage-a")); err != nil || got.ID != a.ID {
			t.Fatalf("FindAppointmentByManageHash = %+v, %v", got, err)
		}
		if _, err := s.FindAppointmentByConfirmHash(ctx, []byte("confirm-a")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("used confirmation link: %v", err)
		}

		late := testNow.Add(31 * time.Minute)
		_, err = s.ConfirmAppointment(ctx, b.ID, late, []byte("manage-b"), nil)
		wantConflict(t, err, "délai de confirmation est dépassé")
		if hs, _ := s.ListExpiredHolds(ctx, testNow.Add(29*time.Minute), 10); len(hs) != 0 {
			t.Fatalf("holds expired early: %+v", hs)
		}
		hs, err := s.ListExpiredHolds(ctx, late, 10)
		if err != nil || len(hs) != 1 || hs[0].ID != b.ID {
			t.Fatalf("ListExpiredHolds = %+v, %v", hs, err)
		}
		e, ok, err := s.ExpireAppointment(ctx, b.ID, late)
		if err != nil || !ok || e.Status != booking.Expired {
			t.Fatalf("ExpireAppointment = %+v %v %v", e, ok, err)
		}
		if _, ok, _ := s.ExpireAppointment(ctx, b.ID, late); ok {
			t.Fatal("expired twice")
		}
		if _, ok, _ := s.ExpireAppointment(ctx, a.ID, late); ok {
			t.Fatal("expired a confirmed appointment")
		}
		mustBook(t, s, newAppt(p, k, at("10:30"), "b2"), 1) // b's seat is free

		_, err = s.SetAttendance(ctx, a.ID, booking.Attended, at("09:59"))
		wantConflict(t, err, "à partir de l'heure du rendez-vous")
		got, err := s.SetAttendance(ctx, a.ID, booking.NoShow, at("10:20"))
		if err != nil || got.Status != booking.NoShow || got.AttendanceAt == nil {
			t.Fatalf("SetAttendance = %+v, %v", got, err)
		}
		if got, err = s.SetAttendance(ctx, a.ID, booking.Attended, at("10:25")); err != nil || got.Status != booking.Attended {
			t.Fatalf("corrected attendance = %+v, %v", got, err)
		}
		if cells, _ := s.TakenCells(ctx, p.ID, at("10:00"), at("10:30")); len(cells) != 6 {
			t.Fatalf("an attended appointment keeps its cells: %d", len(cells))
		}
		// No longer upcoming: the person may book that kind again.
		mustBook(t, s, newAppt(p, k, at("15:00"), "a"), 1)
		agenda, err := s.ListAppointments(ctx, AppointmentFilter{HelpPointID: p.ID, From: at("00:00"), To: at("23:59"),
			Statuses: []booking.Status{booking.Confirmed, booking.Attended}})
		if err != nil || len(agenda) != 3 || agenda[0].ID != a.ID {
			t.Fatalf("agenda = %+v, %v", agenda, err)
		}
	})
}

func TestReminderClaimedOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 2)
		k := mustKind(t, s, "court", 30)
		withDue := func(start time.Time, who string, due *time.Time) booking.Appointment {
			a := newAppt(p, k, start, who)
			a.ReminderDueAt = due
			return mustBook(t, s, a, 2)
		}
		d1, d2 := at("10:00").Add(-48*time.Hour), at("11:00").Add(-48*time.Hour)
		a := withDue(at("10:00"), "a", &d1)
		withDue(at("11:00"), "b", &d2)
		withDue(at("11:30"), "c", nil)
		now := d1.Add(time.Minute)
		due, err := s.ListDueReminders(ctx, now, 10)
		if err != nil || len(due) != 1 || due[0].ID != a.ID {
			t.Fatalf("ListDueReminders = %+v, %v", due, err)
		}
		if _, ok, err := s.ClaimReminder(ctx, a.ID, now); !ok || err != nil {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if _, ok, err := s.ClaimReminder(ctx, a.ID, now); ok || err != nil {
			t.Fatalf("second claim: %v %v", ok, err)
		}
		if due, _ := s.ListDueReminders(ctx, d2.Add(time.Hour), 10); len(due) != 1 || due[0].Name != "b" {
			t.Fatalf("due later: %+v", due)
		}
	})
}

func TestWaitingList(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := mustHelpPoint(t, s, "Béziers", 1)
		k := mustKind(t, s, "court", 30)
		q := func(min int) *time.Time { t := testNow.Add(time.Duration(min) * time.Minute); return &t }
		entry := func(who string, from, to string, status booking.WaitingStatus, queued *time.Time) booking.WaitingEntry {
			e := booking.WaitingEntry{HelpPointID: p.ID, KindID: k.ID, PersonKey: "email:" + who,
				Contact: booking.Contact{Name: who, Email: who + "@example.fr"}, From: date.MustParse(from), To: date.MustParse(to),
				Status: status, QueuedAt: queued, ManageHash: []byte("leave-" + who + from)}
			if status == booking.WaitingUnconfirmed {
				e.HoldUntil, e.ConfirmHash = q(30), []byte("confirm-"+who)
			}
			if err := s.CreateWaitingEntry(ctx, &e); err != nil {
				t.Fatalf("CreateWaitingEntry(%s): %v", who, err)
			}
			return e
		}
		a := entry("a", "2026-03-16", "2026-03-20", booking.Waiting, q(5))
		b := entry("b", "2026-03-16", "2026-03-16", booking.Waiting, q(1)) // queued first
		c := entry("c", "2026-03-17", "2026-03-20", booking.Waiting, q(0)) // first, but not on the 16th
		u := entry("u", "2026-03-16", "2026-03-20", booking.WaitingUnconfirmed, nil)
		dup := booking.WaitingEntry{HelpPointID: p.ID, KindID: k.ID, PersonKey: "email:a", From: a.From, To: a.To, Status: booking.Waiting}
		wantConflict(t, s.CreateWaitingEntry(ctx, &dup), "déjà inscrit")

		day := date.MustParse("2026-03-16")
		got, err := s.ClaimNextWaiting(ctx, p.ID, k.ID, day)
		if err != nil || got.ID != b.ID || got.Status != booking.Offered {
			t.Fatalf("first claim = %+v, %v (want b)", got, err)
		}
		if got, err = s.ClaimNextWaiting(ctx, p.ID, k.ID, day); err != nil || got.ID != a.ID {
			t.Fatalf("second claim = %+v, %v (want a)", got, err)
		}
		if _, err := s.ClaimNextWaiting(ctx, p.ID, k.ID, day); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("third claim: %v (u is unconfirmed, c is not free on the 16th)", err)
		}
		if err := s.SetWaitingAppointment(ctx, a.ID, 42); err != nil {
			t.Fatal(err)
		}
		if e, ok, err := s.SetWaitingStatus(ctx, a.ID, booking.Served, booking.Offered); !ok || err != nil || e.AppointmentID != 42 {
			t.Fatalf("served: %+v %v %v", e, ok, err)
		}
		if _, ok, _ := s.SetWaitingStatus(ctx, a.ID, booking.Lapsed, booking.Offered); ok {
			t.Fatal("lapsed a served entry")
		}
		// a is served: a new entry for a is allowed.
		entry("a", "2026-03-18", "2026-03-20", booking.Waiting, q(9))

		if e, err := s.FindWaitingByConfirmHash(ctx, []byte("confirm-u")); err != nil || e.ID != u.ID {
			t.Fatalf("FindWaitingByConfirmHash = %+v, %v", e, err)
		}
		if _, err := s.ConfirmWaitingEntry(ctx, u.ID, testNow.Add(31*time.Minute)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("late confirmation: %v", err)
		}
		n, err := s.LapseWaitingEntries(ctx, testNow.Add(31*time.Minute), date.MustParse("2026-03-17"))
		if err != nil || n != 1 { // u lapses; b is offered, not waiting
			t.Fatalf("LapseWaitingEntries = %d, %v", n, err)
		}
		if e, err := s.FindWaitingByManageHash(ctx, []byte("leave-c2026-03-17")); err != nil || e.ID != c.ID || e.Status != booking.Waiting {
			t.Fatalf("FindWaitingByManageHash = %+v, %v", e, err)
		}
		line, err := s.ListWaiting(ctx, WaitingFilter{HelpPointID: p.ID, KindID: k.ID, Statuses: []booking.WaitingStatus{booking.Waiting}})
		if err != nil || len(line) != 2 || line[0].ID != c.ID {
			t.Fatalf("ListWaiting = %+v, %v", line, err)
		}
	})
}
