package store

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/directory"
	"permis/internal/openinghours"
	"permis/internal/store/storetest"
)

// benchDirectoryEntries is the size of the directory the distance search
// is measured on: some ten times the help points, photographers, booths and
// doctors a large département has.
const benchDirectoryEntries = 10_000

// BenchmarkDirectoryNear measures SearchDirectory near Montpellier (20 km,
// 20 results) over 10 000 entries spread over the Hérault, beside the
// baseline of reading every row and filtering in Go, on the same database
// in the same run; with and without "open now".
//
//	go test ./internal/store -run XXX -bench DirectoryNear -benchmem -count 5
func BenchmarkDirectoryNear(b *testing.B) {
	dbs := map[string]func(testing.TB) string{"sqlite": storetest.SQLiteDSN}
	if u := os.Getenv(storetest.EnvPostgres); u != "" {
		dbs["postgres"] = func(tb testing.TB) string { return storetest.PostgresSchema(tb, u) }
	}
	for _, name := range []string{"sqlite", "postgres"} {
		dsn, ok := dbs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			s, err := Open(context.Background(), dsn(b), Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			if _, err := s.UpsertDirectoryEntries(context.Background(), benchDirectory()); err != nil {
				b.Fatal(err)
			}
			centre := directory.Point{Lat: 43.611, Lon: 3.877}
			tue := time.Date(2026, 5, 26, 10, 0, 0, 0, date.Paris())
			for _, open := range []*time.Time{nil, &tue} {
				suffix := ""
				if open != nil {
					suffix = "_open_now"
				}
				f := DirectoryFilter{Near: &centre, RadiusKm: 20, Limit: 20, OpenAt: open}
				checkBaseline(b, s, f)
				b.Run("search"+suffix, func(b *testing.B) {
					for b.Loop() {
						if _, err := s.SearchDirectory(context.Background(), f); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run("baseline"+suffix, func(b *testing.B) {
					for b.Loop() {
						if _, err := s.directoryBaseline(context.Background(), f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// benchDirectory makes entries at random in the Hérault's box, of every
// kind, with a few usual opening hours.
func benchDirectory() []directory.Entry {
	rng := rand.New(rand.NewPCG(34, 34))
	hours := []string{"Mo-Fr 09:00-12:00,14:00-17:00; PH off", "Tu-Sa 09:30-12:30,14:00-19:00; PH off",
		"Tu,Th 14:00-18:00; PH off", "Mo-Sa 08:30-20:00; PH off", ""}
	kinds := directory.Kinds()
	out := make([]directory.Entry, benchDirectoryEntries)
	for i := range out {
		p := directory.Point{Lat: 43.2 + rng.Float64()*0.8, Lon: 2.5 + rng.Float64()*1.75}
		out[i] = directory.Entry{Kind: kinds[rng.IntN(len(kinds))], Name: fmt.Sprintf("Lieu %05d", i),
			Address: "1 rue de la Gare", PostalCode: "34000", Commune: "Montpellier", INSEE: "34172", Position: &p,
			Phone: "04 65 71 00 00", OpeningHours: hours[rng.IntN(len(hours))], Services: []string{"Photo et signature numériques"},
			ApprovalNumber: "X-1", Source: "bench", SourceID: fmt.Sprint(i)}
	}
	return out
}

// directoryBaseline is the search done without the database's help: every
// row read in full, distance, radius and "open now" in Go.
func (s *Store) directoryBaseline(ctx context.Context, f DirectoryFilter) ([]DirectoryHit, error) {
	rows, err := s.query(ctx, `SELECT `+directorySelect+` FROM directory_entries`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	oc := &directoryOpenChecker{cache: map[string]*openinghours.Schedule{}}
	if f.OpenAt != nil {
		oc.t = *f.OpenAt
	}
	var hits []DirectoryHit
	for rows.Next() {
		e, err := scanDirectoryEntry(rows)
		if err != nil {
			return nil, err
		}
		if e.Position == nil {
			continue
		}
		d := directory.DistanceKm(*f.Near, *e.Position)
		if d > f.RadiusKm || f.OpenAt != nil && !oc.open(e.OpeningHours, e.INSEE, e.PostalCode) {
			continue
		}
		hits = append(hits, DirectoryHit{Entry: e, DistanceKm: d})
	}
	slices.SortFunc(hits, func(a, b DirectoryHit) int {
		return cmp.Or(cmp.Compare(a.DistanceKm, b.DistanceKm), strings.Compare(directory.FoldName(a.Name), directory.FoldName(b.Name)))
	})
	return hits[:min(len(hits), f.Limit)], rows.Err()
}

// checkBaseline makes sure the two ways give the same answer before they
// are timed.
func checkBaseline(b *testing.B, s *Store, f DirectoryFilter) {
	b.Helper()
	got, err := s.SearchDirectory(context.Background(), f)
	if err != nil {
		b.Fatal(err)
	}
	want, err := s.directoryBaseline(context.Background(), f)
	if err != nil {
		b.Fatal(err)
	}
	if len(got) != f.Limit || len(got) != len(want) {
		b.Fatalf("%d hits, baseline %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			b.Fatalf("hit %d: %s, baseline %s", i, got[i].Name, want[i].Name)
		}
	}
}
