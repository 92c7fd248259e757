package directory

import (
	"context"
	"strings"
	"testing"
)

// TestSeed checks the demo data: it reads without a single problem, has
// what issue 5 asks for, and every place is in the Hérault with hours that
// close on public holidays.
func TestSeed(t *testing.T) {
	entries, err := Seed()
	if err != nil {
		t.Fatal(err)
	}
	count := map[Kind]int{}
	typ := map[string]int{}
	for _, e := range entries {
		count[e.Kind]++
		for _, c := range e.Typology {
			typ[c]++
		}
		if e.Departement() != "34" || e.Position == nil || e.Source != SeedSource {
			t.Errorf("%s: département %q, position %v, source %q", e.Name, e.Departement(), e.Position, e.Source)
		}
		if !strings.Contains(e.OpeningHours, "PH off") {
			t.Errorf("%s: hours %q do not close on public holidays", e.Name, e.OpeningHours)
		}
		if p, ok := LookupPlace(e.Commune); !ok || DistanceKm(p.Point, *e.Position) > 3 {
			t.Errorf("%s: %v is not in %s", e.Name, e.Position, e.Commune)
		}
	}
	if typ[TypologyPrefecture] != 3 || typ[TypologyFranceServices] < 8 || count[Photographer]+count[PhotoBooth] < 6 ||
		count[ApprovedDoctor] < 6 || count[MedicalCommission] != 1 {
		t.Fatalf("seed has kinds %v and typologies %v", count, typ)
	}
}

type fakeUpserter struct{ got []Entry }

func (f *fakeUpserter) UpsertDirectoryEntries(_ context.Context, es []Entry) (UpsertResult, error) {
	f.got = append(f.got, es...)
	return UpsertResult{Inserted: len(es)}, nil
}

func TestLoadSeed(t *testing.T) {
	var f fakeUpserter
	res, err := LoadSeed(context.Background(), &f)
	if err != nil || res.Inserted != len(f.got) || len(f.got) < 20 {
		t.Fatalf("LoadSeed = %+v, %v; %d entries", res, err, len(f.got))
	}
}
