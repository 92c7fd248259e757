package app_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The appointment benchmarks, on SQLite and (with PERMIS_TEST_POSTGRES_URL)
// PostgreSQL, each beside its baseline measured in the same run:
//
//	go test ./internal/app -run XXX -bench 'SlotSearch|TakenCells|Book' -benchtime 2s
//
// Each reports req/s (or bookings/s): operations per second of wall time,
// all goroutines together.

func benchDSNs(b *testing.B, fn func(b *testing.B, dsn string)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLiteDSN(b)) })
	if u := os.Getenv(storetest.EnvPostgres); u != "" {
		b.Run("postgres", func(b *testing.B) { fn(b, storetest.PostgresSchema(b, u)) })
	}
}

// benchNow is the start of the booked year: Thursday 1 January 2026, 08:00.
var benchNow = parisTime("2026-01-01 08:00")

// yearConfig opens bookings a year ahead, so that a search can span it.
var yearConfig = booking.Config{HorizonDays: 366, BookingsPerClient: 1 << 30}

// benchYear returns appointments over a help point whose year is half
// booked: the hours of the national data's example (two periods on
// weekdays, the first Saturday, holidays closed), two agents, 30-minute
// slots, seat 1 taken in every slot of the year (about 3 200 appointments).
func benchYear(b *testing.B, dsn string) (*store.Store, *app.Appointments, booking.HelpPoint, booking.Kind) {
	b.Helper()
	ctx := context.Background()
	c := clock.NewFixed(benchNow)
	s, err := store.Open(ctx, dsn, store.Options{Clock: c})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	a := app.New(app.Config{Store: s, Clock: c})
	b.Cleanup(func() { a.Close() })
	hp := booking.HelpPoint{Type: booking.Prefecture, Name: "Préfecture de l'Hérault", Address: "Place des Martyrs de la Résistance",
		PostalCode: "34062", Commune: "Montpellier", INSEE: "34172", Lat: 43.611, Lon: 3.877,
		OpeningHours: "Mo-Fr 08:30-12:00,13:30-16:30; Sa[1] 09:00-12:00; PH off", Agents: 2}
	if err := s.CreateHelpPoint(ctx, &hp); err != nil {
		b.Fatal(err)
	}
	k := booking.Kind{Code: "aide-permis", Label: "Aide à une demande de permis", Minutes: 30}
	if err := s.CreateKind(ctx, &k); err != nil {
		b.Fatal(err)
	}
	if err := s.EnableKind(ctx, hp.ID, k.ID, true); err != nil {
		b.Fatal(err)
	}
	site, _ := booking.NewSite(hp, nil)
	slots := booking.Slots(site, k, date.Today(benchNow), date.Today(benchNow).AddDays(365))
	start := time.Now()
	err = s.Transact(ctx, func(tx *store.Store) error {
		for i, sl := range slots {
			ap := booking.Appointment{UID: fmt.Sprintf("bench-%d", i), HelpPointID: hp.ID, KindID: k.ID, Start: sl.Start, End: sl.End,
				Seat: 1, Status: booking.Confirmed, Origin: booking.FromBooking, PersonKey: fmt.Sprintf("email:p%d@example.fr", i),
				Contact: booking.Contact{Name: "P", Email: fmt.Sprintf("p%d@example.fr", i)}, CreatedAt: benchNow}
			if err := tx.BookAppointment(ctx, &ap, hp.Agents); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d appointments booked in %v", s.Dialect(), len(slots), time.Since(start).Round(time.Millisecond))
	return s, a.Appointments(yearConfig), hp, k
}

func reportRate(b *testing.B, unit string, n int64) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), unit)
}

// BenchmarkSlotSearch is the search a booking page makes: the free slots
// of one kind at one help point over a week and over the whole year, on a
// help point with a year of appointments, from concurrent clients.
func BenchmarkSlotSearch(b *testing.B) {
	benchDSNs(b, func(b *testing.B, dsn string) {
		_, ap, hp, k := benchYear(b, dsn)
		for _, span := range []struct {
			name string
			days int
		}{{"week", 7}, {"year", 365}} {
			b.Run(span.name, func(b *testing.B) {
				from := date.MustParse("2026-03-02")
				if span.days == 365 {
					from = date.Today(benchNow)
				}
				var slots atomic.Int64
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						ss, err := ap.Slots(context.Background(), hp.ID, k.ID, from, from.AddDays(span.days-1))
						if err != nil || len(ss) == 0 {
							b.Errorf("Slots: %d, %v", len(ss), err)
							return
						}
						slots.Store(int64(len(ss)))
					}
				})
				reportRate(b, "req/s", int64(b.N))
				b.ReportMetric(float64(slots.Load()), "slots/req")
			})
		}
	})
}

// BenchmarkTakenCells is BenchmarkSlotSearch's baseline: the bare indexed
// SELECT of the taken seat cells over the same week and year, which every
// search makes once, without loading the help point, evaluating its hours
// or counting free seats.
func BenchmarkTakenCells(b *testing.B) {
	benchDSNs(b, func(b *testing.B, dsn string) {
		s, _, hp, _ := benchYear(b, dsn)
		for _, span := range []struct {
			name     string
			from, to time.Time
		}{
			{"week", parisTime("2026-03-02 00:00"), parisTime("2026-03-09 00:00")},
			{"year", benchNow, benchNow.AddDate(1, 0, 0)},
		} {
			b.Run(span.name, func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if cells, err := s.TakenCells(context.Background(), hp.ID, span.from, span.to); err != nil || len(cells) == 0 {
							b.Errorf("TakenCells: %d, %v", len(cells), err)
							return
						}
					}
				})
				reportRate(b, "req/s", int64(b.N))
			})
		}
	})
}

// BenchmarkBook books through the whole use case (rate limit, checks, the
// seat, the audit entry and the mail in one transaction), every booking on
// a free seat, each slot's two seats taken by two consecutive bookings:
// "uncontended" is one client at a time, "contended" 32 clients at once on
// the same help point and the same slots (the single SQLite writer, the
// same index pages and rows on PostgreSQL). Each has its own help point,
// open Monday to Saturday 08:00-20:00 with two agents (about 15 000 seats a
// year).
func BenchmarkBook(b *testing.B) {
	benchDSNs(b, func(b *testing.B, dsn string) {
		c := clock.NewFixed(benchNow)
		s, a := mustOpenBench(b, dsn, c)
		ap := a.Appointments(yearConfig)
		b.Run("uncontended", func(b *testing.B) {
			book := bookingBench(b, s, ap, "seul")
			for b.Loop() {
				if !book() {
					return
				}
			}
			reportRate(b, "bookings/s", int64(b.N))
		})
		b.Run("contended", func(b *testing.B) {
			book := bookingBench(b, s, ap, "foule")
			b.SetParallelism(16) // 32 goroutines on 2 CPUs
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if !book() {
						return
					}
				}
			})
			reportRate(b, "bookings/s", int64(b.N))
		})
	})
}

// benchRound numbers the help points of BenchmarkBook's rounds.
var benchRound atomic.Int64

// bookingBench records a help point and a kind named after name and the
// benchmark round, and returns a function that books its next seat.
func bookingBench(b *testing.B, s *store.Store, ap *app.Appointments, name string) func() bool {
	ctx := context.Background()
	round := fmt.Sprintf("%s-%d", name, benchRound.Add(1))
	hp := booking.HelpPoint{Type: booking.FranceServices, Name: "France Services " + round, Address: "Rue de la Mairie",
		PostalCode: "34190", Commune: "Ganges", INSEE: "34111", OpeningHours: "Mo-Sa 08:00-20:00; PH off", Agents: 2}
	if err := s.CreateHelpPoint(ctx, &hp); err != nil {
		b.Fatal(err)
	}
	k := booking.Kind{Code: "k-" + round, Label: "Aide", Minutes: 30}
	if err := s.CreateKind(ctx, &k); err != nil {
		b.Fatal(err)
	}
	if err := s.EnableKind(ctx, hp.ID, k.ID, true); err != nil {
		b.Fatal(err)
	}
	site, _ := booking.NewSite(hp, nil)
	slots := booking.Slots(site, k, date.Today(benchNow).AddDays(1), date.Today(benchNow).AddDays(365))
	var next atomic.Int64 // booking n takes a seat of slot n/2
	return func() bool {
		n := next.Add(1) - 1
		if int(n/2) >= len(slots) {
			b.Errorf("out of slots after %d bookings", n)
			return false
		}
		in := app.BookingRequest{HelpPointID: hp.ID, KindID: k.ID, Start: slots[n/2].Start,
			Contact: booking.Contact{Name: "Client", Email: fmt.Sprintf("%s-%d@example.fr", round, n)}}
		if _, err := ap.Book(ctx, anonymous(fmt.Sprintf("%s-%d", round, n)), in); err != nil {
			b.Errorf("Book %d: %v", n, err)
			return false
		}
		return true
	}
}

func mustOpenBench(b *testing.B, dsn string, c *clock.Fixed) (*store.Store, *app.App) {
	b.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	a := app.New(app.Config{Store: s, Clock: c, PublicURL: "https://permis.test"})
	b.Cleanup(func() { a.Close() })
	return s, a
}
