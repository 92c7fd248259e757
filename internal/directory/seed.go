package directory

import (
	"bytes"
	"context"
	"embed"
	"fmt"
)

// The demo département's directory, in the two import formats: help points
// as the national mediation-places JSON, approved professionals as our
// CSV. The people, businesses, addresses, phone numbers (04 65 71 …) and
// approval numbers are invented; the communes, their postal and INSEE
// codes, and the préfecture's address and switchboard (REFERENCE §12) are
// real. docs/directory.md lists them.
//
//go:embed seed/lieux-mediation-34.json seed/professionnels-34.csv
var seedFiles embed.FS

// SeedSource is the source of the seed entries.
const SeedSource = "permis-demo-34"

// UpsertResult counts what an upsert did with each entry.
type UpsertResult struct {
	Inserted  int // new (source, id)
	Updated   int // known, with a changed content
	Unchanged int // known, same content: nothing written
}

// Upserter records entries, updating those whose source and id it already
// has (internal/store's Store is one).
type Upserter interface {
	UpsertDirectoryEntries(ctx context.Context, entries []Entry) (UpsertResult, error)
}

// Seed returns the demo département's entries, read from the embedded
// files through the importers. An entry with any problem, even a warning,
// is an error: the seed data is ours and must be clean.
func Seed() ([]Entry, error) {
	var all []Entry
	for _, f := range []struct {
		name string
		imp  func([]byte) (Import, error)
	}{
		{"seed/lieux-mediation-34.json", func(b []byte) (Import, error) {
			return ImportMediation(bytes.NewReader(b), Options{Source: SeedSource})
		}},
		{"seed/professionnels-34.csv", func(b []byte) (Import, error) {
			return ImportCSV(bytes.NewReader(b), Options{Source: SeedSource})
		}},
	} {
		data, err := seedFiles.ReadFile(f.name)
		if err != nil {
			return nil, err
		}
		imp, err := f.imp(data)
		if err != nil {
			return nil, fmt.Errorf("directory: seed %s: %w", f.name, err)
		}
		if len(imp.Report.Problems) > 0 {
			return nil, fmt.Errorf("directory: seed %s: %s", f.name, imp.Report)
		}
		all = append(all, imp.Entries...)
	}
	return all, nil
}

// LoadSeed records the seed entries in s. Running it again changes
// nothing: the entries are keyed by SeedSource and their ids.
func LoadSeed(ctx context.Context, s Upserter) (UpsertResult, error) {
	entries, err := Seed()
	if err != nil {
		return UpsertResult{}, err
	}
	return s.UpsertDirectoryEntries(ctx, entries)
}
