package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// TestBookingRace is issue 5's check: 200 clients race for 20 seats (10
// slots × 2 agents) through two server instances (two Store and App pairs
// opened on the same database: two pools, as two processes would have).
// Exactly 20 bookings succeed, every other client gets the conflict "Ce
// créneau vient d'être pris…", and nothing is half written: 20
// appointments, 120 seat cells, 20 mails, one audit entry each. Only the
// postgres half can catch a missing seat guard (storetest.ForEachRace).
func TestBookingRace(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		const clients, slots, agents = 200, 10, 2
		ctx := context.Background()
		c := clock.NewFixed(apptNow)
		s1, a1 := mustOpenPortal(t, dsn, c)
		hp, k := mustBookablePoint(t, s1, agents)
		_, a2 := mustOpenPortal(t, dsn, c)
		instances := []*app.Appointments{a1.Appointments(booking.Config{}), a2.Appointments(booking.Config{})}

		day := date.MustParse("2026-06-03")
		all, err := instances[0].Slots(ctx, hp.ID, k.ID, day, day)
		if err != nil || len(all) != slots {
			t.Fatalf("%d slots on %s, want %d: %v", len(all), day, slots, err)
		}
		var (
			wg        sync.WaitGroup
			start     = make(chan struct{})
			mu        sync.Mutex
			won       []booking.Appointment
			conflicts int
		)
		for i := range clients {
			wg.Go(func() {
				<-start
				in := app.BookingRequest{HelpPointID: hp.ID, KindID: k.ID, Start: all[i%slots].Start,
					Contact: booking.Contact{Name: fmt.Sprintf("Client %d", i), Email: fmt.Sprintf("client%d@example.fr", i)}}
				b, err := instances[i%2].Book(ctx, anonymous(fmt.Sprintf("198.51.100.%d", i)), in)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won = append(won, b.Appointment)
				case apperr.Is(err, apperr.Conflict) && strings.Contains(apperr.As(err).Message, "vient d'être pris"):
					conflicts++
				default:
					t.Errorf("client %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(won) != slots*agents || conflicts != clients-slots*agents {
			t.Fatalf("%d bookings and %d conflicts, want %d and %d", len(won), conflicts, slots*agents, clients-slots*agents)
		}

		// Each slot has its two seats, once each.
		seats := map[string]bool{}
		for _, b := range won {
			key := fmt.Sprintf("%s/%d", b.Start.Format(time.RFC3339), b.Seat)
			if seats[key] || b.Seat < 1 || b.Seat > agents {
				t.Fatalf("seat %s given twice or out of range", key)
			}
			seats[key] = true
		}
		rows, err := s1.ListAppointments(ctx, store.AppointmentFilter{HelpPointID: hp.ID})
		if err != nil || len(rows) != slots*agents {
			t.Fatalf("%d appointment rows, want %d: %v", len(rows), slots*agents, err)
		}
		cells, err := s1.TakenCells(ctx, hp.ID, all[0].Start, all[slots-1].End)
		if err != nil || len(cells) != slots*agents*6 {
			t.Fatalf("%d seat cells, want %d: %v", len(cells), slots*agents*6, err)
		}
		mails, err := s1.ListMail(ctx, store.MailFilter{Limit: 1000})
		if err != nil || len(mails) != slots*agents {
			t.Fatalf("%d mails in the outbox, want %d: %v", len(mails), slots*agents, err)
		}
		winners := map[string]bool{}
		for _, b := range won {
			winners[b.Email] = true
			if got := auditActions(t, s1, b.ID); got != "appointment.book" {
				t.Fatalf("appointment %d: audit %q", b.ID, got)
			}
		}
		for _, m := range mails {
			if !winners[m.To] {
				t.Fatalf("a mail to %s, who did not get a seat", m.To)
			}
		}
		left, _ := instances[1].Slots(ctx, hp.ID, k.ID, day, day)
		for _, sl := range left {
			if sl.Free != 0 {
				t.Fatalf("slot %v still shows %d free", sl.Start, sl.Free)
			}
		}
	})
}
