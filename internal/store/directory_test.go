package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/directory"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

var dirNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// forEachDirectoryStore runs fn on a fresh store on SQLite and, when
// PERMIS_TEST_POSTGRES_URL is set, on PostgreSQL.
func forEachDirectoryStore(t *testing.T, seed bool, fn func(t *testing.T, s *store.Store)) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, err := store.Open(context.Background(), dsn, store.Options{Clock: clock.NewFixed(dirNow), MaxConns: 4})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		if seed {
			if _, err := directory.LoadSeed(context.Background(), s); err != nil {
				t.Fatalf("LoadSeed: %v", err)
			}
		}
		fn(t, s)
	})
}

func names(hits []store.DirectoryHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Name
	}
	return out
}

func mustSearch(t *testing.T, s *store.Store, f store.DirectoryFilter) []store.DirectoryHit {
	t.Helper()
	hits, err := s.SearchDirectory(context.Background(), f)
	if err != nil {
		t.Fatalf("SearchDirectory(%+v): %v", f, err)
	}
	return hits
}

func paris(d string, h, m int) *time.Time {
	y, mo, day := date.MustParse(d).Civil()
	t := time.Date(y, mo, day, h, m, 0, 0, date.Paris())
	return &t
}

// TestDirectorySeedIdempotent: the seed loads once; loading it again, or
// importing the same file again, writes nothing; a changed row is updated
// in place.
func TestDirectorySeedIdempotent(t *testing.T) {
	forEachDirectoryStore(t, false, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seed, err := directory.Seed()
		if err != nil {
			t.Fatal(err)
		}
		first, err := directory.LoadSeed(ctx, s)
		if err != nil || first != (directory.UpsertResult{Inserted: len(seed)}) {
			t.Fatalf("first load = %+v, %v; want %d inserted", first, err, len(seed))
		}
		again, err := directory.LoadSeed(ctx, s)
		if err != nil || again != (directory.UpsertResult{Unchanged: len(seed)}) {
			t.Fatalf("second load = %+v, %v; want %d unchanged", again, err, len(seed))
		}
		counts, err := s.CountDirectory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[directory.Kind]int{}
		for _, e := range seed {
			want[e.Kind]++
		}
		if !reflect.DeepEqual(counts, want) {
			t.Fatalf("CountDirectory = %v, want %v", counts, want)
		}

		// The same CSV file twice, then with one row changed.
		csv := "type;nom;adresse;code_postal;commune;numero_agrement;id\n" +
			"photographe;Studio A;1 rue A;34000;Montpellier;EPH-1;a\nphotographe;Studio B;1 rue B;34000;Montpellier;EPH-2;b\n"
		for i, tc := range []struct {
			in   string
			want directory.UpsertResult
		}{
			{csv, directory.UpsertResult{Inserted: 2}},
			{csv, directory.UpsertResult{Unchanged: 2}},
			{strings.Replace(csv, "1 rue B", "3 rue B", 1), directory.UpsertResult{Updated: 1, Unchanged: 1}},
		} {
			imp, err := directory.ImportCSV(strings.NewReader(tc.in), directory.Options{Source: "fichier"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.UpsertDirectoryEntries(ctx, imp.Entries)
			if err != nil || got != tc.want {
				t.Fatalf("import %d = %+v, %v; want %+v", i, got, err, tc.want)
			}
		}
		hits := mustSearch(t, s, store.DirectoryFilter{Kinds: []directory.Kind{directory.Photographer}, Commune: "Montpellier"})
		if got := names(hits); !slices.Equal(got, []string{"Studio A", "Studio B", "Studio Lumière du Lez"}) || hits[1].Address != "3 rue B" {
			t.Fatalf("photographers in Montpellier: %v (%q)", got, hits[1].Address)
		}
	})
}

// TestDirectoryRoundTrip: an entry reads back as it was written.
func TestDirectoryRoundTrip(t *testing.T) {
	forEachDirectoryStore(t, false, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in := directory.Entry{
			Kind: directory.HelpPoint, Typology: []string{"RFS", "MUNI"}, Name: "France Services", Address: "1 place X",
			Complement: "Bât. B", PostalCode: "34400", Commune: "Lunel", INSEE: "34145", Position: &directory.Point{Lat: 43.6768, Lon: 4.1331},
			Phone: "04 65 71 20 01", Email: "a@x.example", Website: "https://x.example", OpeningHours: "Mo-Fr 09:00-12:00; PH off",
			Services: []string{"Imprimer", "Scanner"}, Accessibility: "Plain-pied", Appointment: "Sans rendez-vous",
			Source: "test", SourceID: "1", Updated: date.Some(date.MustParse("2025-11-03")),
		}
		noPos := in
		noPos.SourceID, noPos.Position, noPos.Typology, noPos.Services, noPos.Updated = "2", nil, nil, nil, date.Null{}
		if _, err := s.UpsertDirectoryEntries(ctx, []directory.Entry{in, noPos}); err != nil {
			t.Fatal(err)
		}
		hits := mustSearch(t, s, store.DirectoryFilter{Commune: "Lunel"})
		if len(hits) != 2 {
			t.Fatalf("%d hits", len(hits))
		}
		for i, want := range []directory.Entry{in, noPos} {
			got, err := s.FindDirectoryEntry(ctx, hits[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			want.ID = got.ID
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read back:\n got %+v\nwant %+v", got, want)
			}
		}
		_, err := s.FindDirectoryEntry(ctx, 999999)
		if ae := apperr.As(err); ae.Code != apperr.NotFound || ae.Message != "Ce lieu n'est pas dans l'annuaire." {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

// TestDirectoryUpsert: the last of two rows with one key wins, batches
// larger than a statement are written whole, bad entries are refused.
func TestDirectoryUpsert(t *testing.T) {
	forEachDirectoryStore(t, false, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var batch []directory.Entry
		for i := range 250 { // several multi-row statements on SQLite
			batch = append(batch, directory.Entry{Kind: directory.ApprovedDoctor, Name: fmt.Sprintf("Dr %03d", i),
				Address: "1 rue A", PostalCode: "34000", Commune: "Montpellier", ApprovalNumber: "MA", Source: "t", SourceID: fmt.Sprint(i)})
		}
		dup := batch[7]
		dup.Name = "Dr 007 bis"
		batch = append(batch, dup)
		res, err := s.UpsertDirectoryEntries(ctx, batch)
		if err != nil || res != (directory.UpsertResult{Inserted: 250}) {
			t.Fatalf("upsert = %+v, %v", res, err)
		}
		hits := mustSearch(t, s, store.DirectoryFilter{Commune: "Montpellier", Limit: 10})
		if len(hits) != 10 || hits[7].Name != "Dr 007 bis" {
			t.Fatalf("hits %v", names(hits))
		}
		bad := batch[0]
		bad.Source = ""
		if _, err := s.UpsertDirectoryEntries(ctx, []directory.Entry{bad}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("entry without source: %v", err)
		}
	})
}

// TestSearchDirectory runs searches on the seed data.
func TestSearchDirectory(t *testing.T) {
	lunel, _ := directory.LookupPlace("Lunel")
	sete, _ := directory.LookupPlace("34200")
	montpellier, _ := directory.LookupPlace("montpellier")
	tests := []struct {
		name   string
		filter store.DirectoryFilter
		want   []string
	}{
		{"commune without accents, any case", store.DirectoryFilter{Commune: "BEZIERS"},
			[]string{"Atelier Photo des Allées", "Dr Sophie Verdier", "Point numérique de la sous-préfecture de Béziers"}},
		{"commune with St for Saint", store.DirectoryFilter{Commune: "st mathieu de treviers"},
			[]string{"France Services du Grand Pic Saint-Loup"}},
		{"commune finds its Cedex codes; kinds filter", store.DirectoryFilter{Commune: "Montpellier",
			Kinds: []directory.Kind{directory.ApprovedDoctor, directory.MedicalCommission}},
			[]string{"Commission médicale primaire du permis de conduire de l'Hérault", "Dr Hélène Marty-Castel", "Dr Youssef Amrani"}},
		{"kinds filter alone", store.DirectoryFilter{Kinds: []directory.Kind{directory.PhotoBooth}},
			[]string{"Cabine photo agréée – hall du supermarché de la Méditerranée", "Cabine photo agréée – galerie marchande du Lez Sud",
				"Cabine photo agréée – Maison de la presse du Port"}},
		{"postal code prefix", store.DirectoryFilter{PostalCode: "340"},
			[]string{"Commission médicale primaire du permis de conduire de l'Hérault", "Dr Hélène Marty-Castel", "Dr Youssef Amrani",
				"Point numérique de la préfecture de l'Hérault", "Studio Lumière du Lez"}},
		{"postal code exact", store.DirectoryFilter{PostalCode: "34070"}, []string{"Dr Youssef Amrani"}},
		{"postal code prefix and kind", store.DirectoryFilter{PostalCode: "345", Kinds: []directory.Kind{directory.Photographer}},
			[]string{"Atelier Photo des Allées"}},
		{"unknown commune", store.DirectoryFilter{Commune: "Paris"}, nil},
		{"distance, closest first, within the radius", store.DirectoryFilter{Near: &lunel.Point, RadiusKm: 10},
			[]string{"Portraits du Pays Lunellois", "France Services de Lunel"}},
		{"distance and kinds", store.DirectoryFilter{Near: &montpellier.Point, RadiusKm: 15, Kinds: []directory.Kind{directory.HelpPoint}},
			[]string{"Point numérique de la préfecture de l'Hérault"}},
		{"distance and limit", store.DirectoryFilter{Near: &sete.Point, RadiusKm: 30, Limit: 3},
			[]string{"Espace numérique de la médiathèque du Môle", "Dr Marc Pujol", "Cabine photo agréée – Maison de la presse du Port"}},
		{"open now, Tuesday 15:00 in Montpellier", store.DirectoryFilter{Commune: "Montpellier", OpenAt: paris("2026-05-26", 15, 0)},
			[]string{"Dr Hélène Marty-Castel", "Point numérique de la préfecture de l'Hérault", "Studio Lumière du Lez"}},
		{"open now, Whit Monday: public holidays off", store.DirectoryFilter{Kinds: []directory.Kind{directory.HelpPoint}, OpenAt: paris("2026-05-25", 10, 0)}, nil},
		{"open now near Sète on Saturday morning", store.DirectoryFilter{Near: &sete.Point, RadiusKm: 30, OpenAt: paris("2026-05-30", 10, 30)},
			[]string{"Espace numérique de la médiathèque du Môle", "Cabine photo agréée – Maison de la presse du Port",
				"Cabine photo agréée – hall du supermarché de la Méditerranée", "Cabine photo agréée – galerie marchande du Lez Sud",
				"Dr Hélène Marty-Castel", "Studio Lumière du Lez"}}, // the préfecture, 27.6 km, is closed on Saturdays
		{"open now with a limit", store.DirectoryFilter{Kinds: []directory.Kind{directory.HelpPoint}, OpenAt: paris("2026-05-26", 10, 0), Limit: 2},
			[]string{"France Services du Pays d'Orb", "Point numérique de la sous-préfecture de Béziers"}}, // Bédarieux, Béziers
	}
	forEachDirectoryStore(t, true, func(t *testing.T, s *store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				hits := mustSearch(t, s, tt.filter)
				if got := names(hits); !slices.Equal(got, tt.want) {
					t.Fatalf("got  %q\nwant %q", got, tt.want)
				}
				for i, h := range hits {
					if tt.filter.Near == nil {
						if h.DistanceKm != 0 {
							t.Fatalf("distance %v without Near", h.DistanceKm)
						}
						continue
					}
					if d := directory.DistanceKm(*tt.filter.Near, *h.Position); h.DistanceKm != d || d > tt.filter.RadiusKm {
						t.Fatalf("%s: distance %v, want %v within %v", h.Name, h.DistanceKm, d, tt.filter.RadiusKm)
					}
					if i > 0 && h.DistanceKm < hits[i-1].DistanceKm {
						t.Fatalf("not in distance order: %v", hits)
					}
				}
			})
		}
	})
}

// TestSearchDirectoryNearMatchesBruteForce: on random places, the distance
// search (bounding box in SQL, haversine in Go) finds exactly what checking
// every place would, in the same order.
func TestSearchDirectoryNearMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	centre := directory.Point{Lat: 43.61, Lon: 3.88}
	var entries []directory.Entry
	for i := range 400 {
		p := directory.Point{Lat: centre.Lat + (rng.Float64()*2-1)*0.4, Lon: centre.Lon + (rng.Float64()*2-1)*0.5}
		entries = append(entries, directory.Entry{Kind: directory.HelpPoint, Name: fmt.Sprintf("Lieu %03d", i), Address: "1 rue A",
			PostalCode: "34000", Commune: "Montpellier", Position: &p, Source: "t", SourceID: fmt.Sprint(i)})
	}
	forEachDirectoryStore(t, false, func(t *testing.T, s *store.Store) {
		if _, err := s.UpsertDirectoryEntries(context.Background(), entries); err != nil {
			t.Fatal(err)
		}
		for _, r := range []float64{1, 5, 12.5, 25} {
			type hit struct {
				name string
				d    float64
			}
			var want []hit
			for _, e := range entries {
				if d := directory.DistanceKm(centre, *e.Position); d <= r {
					want = append(want, hit{e.Name, d})
				}
			}
			slices.SortFunc(want, func(a, b hit) int {
				if a.d != b.d {
					if a.d < b.d {
						return -1
					}
					return 1
				}
				return strings.Compare(a.name, b.name)
			})
			hits := mustSearch(t, s, store.DirectoryFilter{Near: &centre, RadiusKm: r, Limit: directory.MaxLimit})
			if len(want) > directory.MaxLimit {
				want = want[:directory.MaxLimit]
			}
			if len(hits) != len(want) {
				t.Fatalf("radius %v: %d hits, want %d", r, len(hits), len(want))
			}
			for i := range want {
				if hits[i].Name != want[i].name {
					t.Fatalf("radius %v, hit %d: %s, want %s", r, i, hits[i].Name, want[i].name)
				}
			}
		}
	})
}

func TestSearchDirectoryInvalid(t *testing.T) {
	far := directory.Point{Lat: 43, Lon: 200}
	here := directory.Point{Lat: 43, Lon: 3}
	tests := []struct {
		filter store.DirectoryFilter
		field  string
	}{
		{store.DirectoryFilter{Kinds: []directory.Kind{"garage"}}, "type"},
		{store.DirectoryFilter{PostalCode: "3A"}, "code_postal"},
		{store.DirectoryFilter{PostalCode: "340000"}, "code_postal"},
		{store.DirectoryFilter{Commune: "--"}, "commune"},
		{store.DirectoryFilter{Near: &far}, "position"},
		{store.DirectoryFilter{Near: &here, RadiusKm: -1}, "rayon"},
		{store.DirectoryFilter{Near: &here, RadiusKm: 500}, "rayon"},
	}
	forEachDirectoryStore(t, false, func(t *testing.T, s *store.Store) {
		for _, tt := range tests {
			_, err := s.SearchDirectory(context.Background(), tt.filter)
			if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields[tt.field] == "" {
				t.Errorf("%+v: %v, want invalid on %s", tt.filter, err, tt.field)
			}
		}
	})
}
