package exams_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A candidat libre with a theory pass books a place opened an hour ago;
// the refusals of the rules come back with their stable codes; a late
// cancellation blocks a new booking for 40 days; an absence too, until an
// agent excuses it.
func TestBookCancelBlock(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 2, now.Add(-time.Hour))
		f.mustPublish(t, "2027-01-12", 2, now.Add(-time.Hour))
		lea, neph := f.mustCandidate(t, 1, "2026-10-01")
		noTheory, _ := f.mustCandidate(t, 2, "")

		_, err := f.svc.Book(ctx, noTheory, libre(f.slot("2026-12-10")))
		if apperr.As(err).Fields[exam.RefuseNoTheory] == "" {
			t.Fatalf("without the code: %v", err)
		}
		in := libre(f.slot("2026-12-10"))
		in.Companion.Instructor = true
		if _, err := f.svc.Book(ctx, lea, in); apperr.As(err).Fields[exam.RefuseInstructor] == "" {
			t.Fatalf("an instructor as companion: %v", err)
		}
		b, err := f.svc.Book(ctx, lea, libre(f.slot("2026-12-10")))
		if err != nil || b.Queued || b.Booking.NEPH != neph || !strings.HasPrefix(b.Booking.Reference, "RDV-") {
			t.Fatalf("Book = %+v, %v", b, err)
		}
		if _, err := f.svc.Book(ctx, lea, libre(f.slot("2027-01-12"))); apperr.As(err).Fields[exam.RefusePending] == "" {
			t.Fatalf("a second pending place: %v", err)
		}
		late, err := f.svc.Cancel(ctx, lea, b.Booking.Reference)
		if err != nil || !late {
			t.Fatalf("cancel 3 days before: late %v, %v", late, err)
		}
		_, err = f.svc.Book(ctx, lea, libre(f.slot("2027-01-12")))
		if msg := apperr.As(err).Fields[exam.RefuseBlocked]; !strings.Contains(msg, "à partir du 19/01/2027") {
			t.Fatalf("after a late cancellation: %v (want free again on 19/01/2027, 40 days after 10/12/2026)", err)
		}
		if err := f.svc.Excuse(ctx, f.agent, b.Booking.Reference); err != nil {
			t.Fatalf("excuse: %v", err)
		}
		b2, err := f.svc.Book(ctx, lea, libre(f.slot("2027-01-12")))
		if err != nil {
			t.Fatalf("after force majeure: %v", err)
		}
		if _, err := f.svc.Cancel(ctx, noTheory, b2.Booking.Reference); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another candidate cancels: %v, want not_found", err)
		}
		if err := f.svc.RecordResult(ctx, f.agent, b2.Booking.Reference, exam.Favourable); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("result before the exam day: %v", err)
		}
		f.c.Set(time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC))
		if err := f.svc.RecordResult(ctx, lea, b2.Booking.Reference, exam.Favourable); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the candidate records their result: %v", err)
		}
		if err := f.svc.RecordResult(ctx, f.agent, b2.Booking.Reference, exam.Absent); err != nil {
			t.Fatalf("absent: %v", err)
		}
		if err := f.svc.RecordResult(ctx, f.agent, b2.Booking.Reference, exam.Favourable); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second result: %v", err)
		}
		f.mustPublish(t, "2027-02-01", 1, f.c.Now().Add(-time.Hour))
		if _, err := f.svc.Book(ctx, lea, libre(f.slot("2027-02-01"))); apperr.As(err).Fields[exam.RefuseBlocked] == "" {
			t.Fatalf("after an absence: %v", err)
		}
		mails, err := f.s.ListMail(ctx, store.MailFilter{To: "candidat1@example.fr"})
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range mails {
			subjects = append(subjects, m.Subject)
		}
		// Newest first: the absence, the second place, the late cancellation,
		// the first place; nothing for the refused attempts.
		if len(mails) != 4 || !strings.HasPrefix(subjects[0], "Résultat") || !strings.HasPrefix(subjects[2], "Place d'examen annulée") ||
			!strings.Contains(mails[2].Text, "avant le 19/01/2027") {
			t.Fatalf("mails to the candidate: %q", subjects)
		}
	})
}

// In the window after the opening, requests queue; at its end one draw
// gives the places in random order, each candidate at most one; a second
// draw does nothing.
func TestReleaseQueueAndDraw(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		opens := now.Add(time.Minute)
		rel := f.mustPublish(t, "2027-01-12", 3, opens)
		_, err := f.svc.Book(ctx, mustNew(t, f, 99), libre(f.slot("2027-01-12")))
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "ouvrent le 07/12/2026 à 10h01") {
			t.Fatalf("before the opening: %v", err)
		}
		f.c.Set(opens.Add(30 * time.Second))
		var cands []string
		for i := range 8 {
			req, neph := f.mustCandidate(t, 10+i, "2026-10-01")
			cands = append(cands, neph)
			b, err := f.svc.Book(ctx, req, libre(f.slot("2027-01-12")))
			if err != nil || !b.Queued || !b.DrawAt.Equal(opens.Add(exam.ReleaseWindow)) {
				t.Fatalf("in the window: %+v, %v", b, err)
			}
			if i == 0 {
				if _, err := f.svc.Book(ctx, req, libre(f.slot("2027-01-12"))); !errors.Is(err, store.ErrAlreadyQueued) {
					t.Fatalf("twice in the queue: %v", err)
				}
			}
		}
		if err := f.svc.Draw(ctx, rel.ID); err != nil {
			t.Fatal(err)
		}
		if q, _ := f.s.ListExamQueue(ctx, rel.ID); q[0].Outcome != "" {
			t.Fatal("drawn before the window closed")
		}
		f.c.Set(opens.Add(exam.ReleaseWindow))
		// Nobody books after the window: the first look at a page draws.
		if _, err := f.svc.BureauPage(ctx, f.agent); err != nil {
			t.Fatal(err)
		}
		if r, _ := f.s.FindExamRelease(ctx, rel.ID); r.DrawnAt == nil {
			t.Fatal("the bureau's page did not draw the release due")
		}
		if err := f.svc.Draw(ctx, rel.ID); err != nil {
			t.Fatal(err)
		}
		q, _ := f.s.ListExamQueue(ctx, rel.ID)
		booked := 0
		for _, e := range q {
			switch e.Outcome {
			case "booked":
				booked++
			case "no_place":
			default:
				t.Errorf("entry %s: outcome %q", e.NEPH, e.Outcome)
			}
		}
		if booked != 3 {
			t.Fatalf("%d places given by the draw, want 3", booked)
		}
		total := 0
		for _, n := range cands {
			bs, _ := f.s.ListExamBookings(ctx, n)
			total += len(bs)
		}
		if total != 3 {
			t.Fatalf("%d bookings, want 3", total)
		}
	})
}

func mustNew(t *testing.T, f *fixture, i int) appRequest {
	req, _ := f.mustCandidate(t, i, "2026-10-01")
	return req
}

// TestPlacesRace is issue 14's check: 200 clients race for 20 places
// through two instances (two Store and App pairs on the same database) once
// the release's window is over. Exactly 20 bookings succeed, every other
// client gets the conflict, and the database holds 20 active bookings for
// 20 distinct places. Only the postgres half can see a race.
func TestPlacesRace(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		const clients, places = 200, 20
		ctx := context.Background()
		f := newFixture(t, dsn)
		_, svc2 := mustOpen(t, dsn, f.c)
		instances := []*examsService{f.svc, svc2}
		f.mustPublish(t, "2027-01-12", places, now.Add(-time.Hour))
		reqs := make([]appRequest, clients)
		for i := range clients {
			reqs[i], _ = f.mustCandidate(t, 1000+i, "2026-10-01")
		}
		var (
			wg        sync.WaitGroup
			start     = make(chan struct{})
			mu        sync.Mutex
			won       = map[int64]bool{}
			conflicts int
			other     []error
		)
		for i := range clients {
			wg.Go(func() {
				<-start
				b, err := instances[i%2].Book(ctx, reqs[i], libre(f.slot("2027-01-12")))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					if won[b.Booking.PlaceID] {
						t.Errorf("place %d booked twice", b.Booking.PlaceID)
					}
					won[b.Booking.PlaceID] = true
				case errors.Is(err, store.ErrNoFreePlace):
					conflicts++
				default:
					other = append(other, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(won) != places || conflicts != clients-places || len(other) > 0 {
			t.Fatalf("%d places won, %d conflicts, other errors %v; want %d and %d", len(won), conflicts, other, places, clients-places)
		}
		vs, err := f.s.ListExamSlots(ctx, f.centre.ID, "B", f.slot("2027-01-12").Day)
		if err != nil || len(vs) != 1 || vs[0].Free != 0 || vs[0].Places != places {
			t.Fatalf("slots %+v, %v", vs, err)
		}
		active := 0
		for i := range clients {
			bs, _ := f.s.ListExamBookings(ctx, fmt.Sprintf("2612341%05d", 1000+i))
			active += len(bs)
		}
		if active != places {
			t.Fatalf("%d bookings stored, want %d", active, places)
		}
	})
}

// A slot's form value reads back; anything else is refused.
func TestSlotKey(t *testing.T) {
	for _, id := range []int64{1, 9, 10, 12345} {
		day := now
		k := exams.SlotKey(id, date.FromTime(day), "pm")
		s, err := exams.ParseSlotKey(k)
		if err != nil || s.CentreID != id || s.Day != date.FromTime(day) || s.Half != "pm" || s.Category != "B" {
			t.Errorf("%q → %+v, %v", k, s, err)
		}
	}
	for _, bad := range []string{"", "1-2026-12-07-xx", "a-2026-12-07-am", "0-2026-12-07-am", "1-2026-13-07-am", "1_2026-12-07-am", "12026-12-07-am"} {
		if _, err := exams.ParseSlotKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
