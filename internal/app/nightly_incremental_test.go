package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// nightlyLicences is the register size of TestReevaluateIncrementalMatchesFull:
// 2 000 by default, PERMIS_TEST_NIGHTLY_LICENCES for the long run (100 000,
// BENCHMARKS.md).
func nightlyLicences(t *testing.T) int {
	if v := os.Getenv("PERMIS_TEST_NIGHTLY_LICENCES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			t.Fatalf("PERMIS_TEST_NIGHTLY_LICENCES=%q: want a number ≥ 10", v)
		}
		return n
	}
	if testing.Short() {
		return 300
	}
	return 2000
}

// TestReevaluateIncrementalMatchesFull simulates a year of days on two
// copies of one register: every day the same new offences and courses reach
// both (some established later than the day they are recorded, some on
// licences created during the year), register A runs the incremental nightly
// pass, and every 61 days register B runs the full pass; the snapshots of
// every licence must then be the same (balance, ceiling, validity, next
// change). Licences are probationary (standard and AAC, with and without the
// complementary training) and past probation, obtained over the last four
// years, so probation steps, 6-month, 2/3-year and 10-year recoveries and
// course credits fall during the year without any new event.
func TestReevaluateIncrementalMatchesFull(t *testing.T) {
	n := nightlyLicences(t)
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		other := storetest.SQLiteDSN(t)
		if strings.HasPrefix(dsn, "postgres") {
			other = storetest.PostgresSchema(t, os.Getenv(storetest.EnvPostgres))
		}
		start := date.MustParse("2025-01-01")
		c := clock.NewFixed(noon(start.String()))
		sa, a := mustOpen(t, dsn, c)
		sb, b := mustOpen(t, other, c)
		ctx := context.Background()
		r := rand.New(rand.NewPCG(15, 2026))

		reg := simulatedRegister(r, "I", n, start)
		for _, s := range []*store.Store{sa, sb} {
			for i := 0; i < len(reg); i += 5000 {
				if err := s.BulkLoad(ctx, cloneBulk(reg[i:min(i+5000, len(reg))])); err != nil {
					t.Fatalf("BulkLoad: %v", err)
				}
			}
		}
		total := len(reg)
		var replayed, days int
		seq := 0
		for day := start; day.Before(start.AddDays(366)); day = day.AddDays(1) {
			c.Set(noon(day.String()))
			evs := dailyEvents(r, total, day, &seq)
			if r.IntN(30) == 0 { // a new licence now and then
				total++
				nb := simulatedRegister(r, "N"+strconv.Itoa(total)+"-", 1, day)
				nb[0].Licence.NEPH = licence.NEPH(fmt.Sprintf("9%011d", total))
				nb[0].Person.FamilyName = "Nouveau" + strconv.Itoa(total)
				for _, s := range []*store.Store{sa, sb} {
					if err := s.BulkLoad(ctx, cloneBulk(nb)); err != nil {
						t.Fatalf("BulkLoad: %v", err)
					}
				}
			}
			for _, s := range []*store.Store{sa, sb} {
				if err := s.AddPointEvents(ctx, evs); err != nil {
					t.Fatalf("%s: AddPointEvents: %v", day, err)
				}
			}
			sum, err := a.Reevaluate(ctx, false, nil)
			if err != nil || sum.Refused != 0 || sum.Full {
				t.Fatalf("%s: incremental pass %+v, %v", day, sum, err)
			}
			if day != start {
				replayed += sum.Licences
				days++
			}
			if int(day-start)%61 == 60 || day == start.AddDays(365) {
				full, err := b.Reevaluate(ctx, true, nil)
				if err != nil || full.Refused != 0 || full.Licences != total {
					t.Fatalf("%s: full pass %+v, %v (want %d licences)", day, full, err, total)
				}
				compareSnapshots(t, day, sa, sb, total)
			}
		}
		// The incremental pass replays what changed: a few percent of the
		// register a day, not all of it (the first day replays everything).
		if avg := float64(replayed) / float64(days); avg > float64(total)/5 {
			t.Errorf("the incremental pass replayed %.0f licences a day on average, out of %d: not proportional to what changed", avg, total)
		} else {
			t.Logf("incremental pass: %.1f licences a day on average, out of %d", avg, total)
		}
	})
}

// compareSnapshots checks that the two registers' snapshots agree on every
// licence (ids are the same: both were loaded in the same order).
func compareSnapshots(t *testing.T, day date.Date, sa, sb *store.Store, total int) {
	t.Helper()
	ctx := context.Background()
	bad := 0
	for id := int64(1); id <= int64(total); id++ {
		ga, errA := sa.FindSnapshot(ctx, id)
		gb, errB := sb.FindSnapshot(ctx, id)
		if errA != nil || errB != nil {
			t.Fatalf("%s: licence %d: FindSnapshot: %v / %v", day, id, errA, errB)
		}
		if ga.Balance != gb.Balance || ga.Ceiling != gb.Ceiling || ga.Valid != gb.Valid || ga.NextChange != gb.NextChange {
			if bad++; bad <= 5 {
				t.Errorf("%s: licence %d: incremental %+v, full %+v", day, id, ga, gb)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d licences differ between the incremental and the full pass", day, bad)
	}
}

// simulatedRegister returns n licence holders obtained over the four years
// before start (at least 61 days before, so that the day's offences, committed
// up to 60 days ago, come after it), a third past probation, with up to three offences.
func simulatedRegister(r *rand.Rand, prefix string, n int, start date.Date) []store.BulkLicence {
	reg := make([]store.BulkLicence, n)
	for i := range reg {
		obtained := start.AddDays(-61 - r.IntN(4*365-61))
		l := licence.Licence{NEPH: licence.NEPH(fmt.Sprintf("%012d", 100000000000+i)), Obtained: obtained,
			Departement: "75", State: licence.StateValid, StateSince: obtained,
			Categories: []licence.CategoryEntry{{Category: "B", Obtained: obtained}}}
		switch i % 3 {
		case 0:
			l.Probation = points.ProbationNone
		case 1:
			l.Probation = points.ProbationStandard
		default:
			l.Probation = points.ProbationAAC
		}
		if l.Probation != points.ProbationNone && r.IntN(3) == 0 {
			l.ComplementaryTraining = date.Some(obtained.AddDays(190 + r.IntN(150)))
			if l.ComplementaryTraining.Date.After(start) {
				l.ComplementaryTraining = date.Null{}
			}
		}
		b := store.BulkLicence{
			Person: licence.Person{FamilyName: "Nom" + strconv.Itoa(i), GivenNames: []string{"Prénom"},
				BirthDate: date.MustParse("1990-01-01").AddDays(i % 5000), BirthCountry: "FR", Sex: licence.SexMale},
			Licence: l,
		}
		for k := range r.IntN(4) {
			committed := obtained.AddDays(r.IntN(max(1, int(start-obtained))))
			b.Offences = append(b.Offences, randomOffence(r, fmt.Sprintf("%s%d-%d", prefix, i, k), committed))
		}
		reg[i] = b
	}
	return reg
}

// randomOffence is an offence committed on committed and established 0 to
// 90 days later, possibly after today (the fines system reports it later).
func randomOffence(r *rand.Rand, id string, committed date.Date) points.Offence {
	classes := []points.Class{points.Class1, points.Class2, points.Class3, points.Class4, points.Class5, points.Delit}
	return points.Offence{ID: id, Committed: committed, Established: committed.AddDays(r.IntN(90)),
		Points: r.IntN(5), Class: classes[r.IntN(len(classes))], Occasion: ""}
}

// dailyEvents returns the day's new events: offences on about 0.5 % of the
// register (committed up to 60 days ago, some established after today) and
// a few courses.
func dailyEvents(r *rand.Rand, licences int, day date.Date, seq *int) []store.PointEvent {
	var evs []store.PointEvent
	for range max(1, licences/200) {
		*seq++
		id := int64(1 + r.IntN(licences))
		if r.IntN(20) == 0 {
			evs = append(evs, store.PointEvent{LicenceID: id, Course: &points.Course{ID: fmt.Sprintf("C%d", *seq), LastDay: day.AddDays(r.IntN(3))}})
			continue
		}
		o := randomOffence(r, fmt.Sprintf("D%d", *seq), day.AddDays(-r.IntN(60)))
		evs = append(evs, store.PointEvent{LicenceID: id, Offence: &o, Nature: "NATINF 1"})
	}
	return evs
}

// cloneBulk copies a batch, which BulkLoad updates (ids).
func cloneBulk(b []store.BulkLicence) []store.BulkLicence {
	out := make([]store.BulkLicence, len(b))
	for i, x := range b {
		x.Licence.Categories = append([]licence.CategoryEntry(nil), x.Licence.Categories...)
		x.Offences = append([]points.Offence(nil), x.Offences...)
		out[i] = x
	}
	return out
}
