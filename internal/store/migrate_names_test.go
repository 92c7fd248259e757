package store

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// Migrations apply in name order and are recorded by name, so the two
// dialects must hold the same names, and a new migration must take a number
// of its own: parallel work gave three 0015 and two 0016 and 0021, which
// apply correctly (their names differ) but read as a fork. Those stay (a
// renamed migration would run again on every existing database); no other
// number may be shared.
func TestMigrationNames(t *testing.T) {
	shared := map[string]int{"0015": 3, "0016": 2, "0021": 2} // landed in December 2026; never add to this list
	var names [2][]string
	for i, dialect := range []string{"sqlite", "postgres"} {
		entries, err := fs.ReadDir(migrationFS, "migrations/"+dialect)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			n := e.Name()
			if !strings.HasSuffix(n, ".sql") {
				continue
			}
			names[i] = append(names[i], n)
			num, _, ok := strings.Cut(n, "_")
			if !ok || len(num) != 4 {
				t.Errorf("%s/%s: a migration is named NNNN_what.sql", dialect, n)
			}
			count[num]++
		}
		for num, k := range count {
			if k > 1 && shared[num] != k {
				t.Errorf("%s: %d migrations numbered %s; give the new one the next free number", dialect, k, num)
			}
		}
	}
	if !slices.Equal(names[0], names[1]) {
		t.Errorf("the dialects' migrations differ:\nsqlite   %v\npostgres %v", names[0], names[1])
	}
}
