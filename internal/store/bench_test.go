package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"permis/internal/store/storetest"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// benchLicences is the size of the register the benchmarks run on.
const benchLicences = 100_000

// benchDBs runs fn on SQLite and, when PERMIS_TEST_POSTGRES_URL is set, on
// PostgreSQL, each holding a register of benchLicences licences.
func benchDBs(b *testing.B, fn func(b *testing.B, s *Store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, benchRegister(b, "sqlite", "")) })
	if u := os.Getenv("PERMIS_TEST_POSTGRES_URL"); u != "" {
		b.Run("postgres", func(b *testing.B) { fn(b, benchRegister(b, "postgres", u)) })
	}
}

// benchStores keeps one register per dialect for the whole benchmark run, so
// the import and its baseline are measured on the same database, in the same
// run (the machine is noisy).
var benchStores = map[string]*Store{}

func benchRegister(b *testing.B, name, u string) *Store {
	if s, ok := benchStores[name]; ok {
		return s
	}
	var (
		s   *Store
		err error
	)
	if name == "sqlite" {
		dir, derr := os.MkdirTemp("", "permis-bench")
		if derr != nil {
			b.Fatal(derr)
		}
		s, err = Open(context.Background(), dir+"/permis.db", Options{})
	} else {
		s = mustOpenPostgresNoCleanup(b, u)
	}
	if err != nil {
		b.Fatal(err)
	}
	benchStores[name] = mustBenchRegister(b, s)
	return s
}

func mustBenchRegister(b *testing.B, s *Store) *Store {
	b.Helper()
	start := time.Now()
	for i := 0; i < benchLicences; i += 10_000 {
		if err := s.BulkLoad(context.Background(), syntheticBatch(i, 10_000)); err != nil {
			b.Fatalf("BulkLoad: %v", err)
		}
	}
	b.Logf("%s: BulkLoad of %d licences in %v", s.Dialect(), benchLicences, time.Since(start).Round(time.Millisecond))
	return s
}

// benchNEPH is the NEPH of synthetic licence i.
func benchNEPH(i int) string { return fmt.Sprintf("%012d", 100000000000+i) }

// syntheticBatch returns n licence holders numbered from start, each with a
// B category, a card and two offences.
func syntheticBatch(start, n int) []BulkLicence {
	batch := make([]BulkLicence, n)
	obtained := date.MustParse("2015-03-01")
	for k := range batch {
		i := start + k
		batch[k] = BulkLicence{
			Person: licence.Person{FamilyName: "Nom" + fmt.Sprint(i), GivenNames: []string{"Prénom"},
				BirthDate: date.MustParse("1990-01-01").AddDays(i % 5000), BirthCountry: "FR", Sex: licence.SexMale},
			Licence: licence.Licence{NEPH: licence.NEPH(benchNEPH(i)), Obtained: obtained, Probation: points.ProbationNone,
				Departement: "75", State: licence.StateValid, StateSince: obtained,
				Categories: []licence.CategoryEntry{{Category: "B", Obtained: obtained}}},
			Titles: []licence.Title{{Number: licence.TitleNumber(fmt.Sprintf("T%09d", i)), Issued: obtained,
				Expires: obtained.AddYears(15), State: licence.TitleActive, StateSince: obtained}},
			Offences: []points.Offence{
				{ID: fmt.Sprintf("S%d-1", i), Committed: obtained.AddDays(400), Established: obtained.AddDays(430), Points: 1, Class: points.Class3},
				{ID: fmt.Sprintf("S%d-2", i), Committed: obtained.AddDays(900), Established: obtained.AddDays(930), Points: 2, Class: points.Class4},
			},
		}
	}
	return batch
}

const benchBatch = 10_000

// randomRows returns a batch of offences with random unique event ids on
// random licences of the register.
func randomRows(r *rand.Rand) []OffenceRow {
	rows := make([]OffenceRow, benchBatch)
	c := date.MustParse("2025-01-01")
	for i := range rows {
		rows[i] = OffenceRow{Line: i + 1, NEPH: licence.NEPH(benchNEPH(r.IntN(benchLicences))), Nature: "NATINF 12345",
			Offence: points.Offence{ID: fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()), Committed: c,
				Established: c.AddDays(20), Points: 1 + r.IntN(4), Class: points.Class4}}
	}
	return rows
}

// BenchmarkImportOffences imports batches of 10 000 new offences.
func BenchmarkImportOffences(b *testing.B) {
	benchDBs(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(1, 2))
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			rows := randomRows(r)
			b.StartTimer()
			res, err := s.ImportOffences(ctx, rows)
			if err != nil {
				b.Fatal(err)
			}
			if res[0].Outcome != Inserted {
				b.Fatalf("row 1: %+v", res[0])
			}
		}
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkBareInsert is the baseline: the same rows inserted with a plain
// prepared INSERT through the bare driver, licence ids known in advance, in
// one transaction per 10 000 rows.
func BenchmarkBareInsert(b *testing.B) {
	benchDBs(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(3, 4))
		q := s.d.rebind(`INSERT INTO point_events (event_id, licence_id, kind, committed, established, points, class, occasion, nature, recorded_at)
			VALUES (?, ?, 'offence', ?, ?, ?, ?, ?, ?, ?)`)
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			rows := randomRows(r)
			b.StartTimer()
			tx, err := s.w.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			now := s.d.ts(time.Now())
			for _, row := range rows {
				o := row.Offence
				var lid int64
				fmt.Sscan(string(row.NEPH), &lid)
				lid = lid - 100000000000 + 1 // synthetic licence ids follow the NEPH
				if _, err := st.ExecContext(ctx, o.ID, lid, o.Committed, o.Established, o.Points, string(o.Class), o.Occasion, row.Nature, now); err != nil {
					b.Fatal(err)
				}
			}
			st.Close()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "rows/s")
	})
}

// mustOpenPostgresNoCleanup opens a Store on a fresh schema for a benchmark.
func mustOpenPostgresNoCleanup(b *testing.B, rawURL string) *Store {
	s, err := Open(context.Background(), storetest.PostgresSchema(b, rawURL), Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
