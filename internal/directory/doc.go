// Package directory is the directories of issue 5: approved ePhoto
// photographers and photo booths, approved doctors (médecins agréés) and
// medical commissions for the driving-licence medical check, and help points
// (the préfecture's and sous-préfectures' points numériques, France
// Services, public digital spaces, libraries…) where people get help with
// the online procedures.
//
// It is a domain package: no database, no network, no clock. It holds
//
//   - Entry, one place of a directory, its validation with a French message
//     per field (Problems, Check) and its normalisation (Normalize);
//   - the two importers, ImportCSV (our CSV format, French and English column
//     names) and ImportMediation (the national "lieux de médiation
//     numérique" schema as JSON, REFERENCE §14.1), which keep the good rows
//     and report the bad ones (Report);
//   - geography: DistanceKm (haversine), BoxAround (the bounding box a
//     database prefilters on), the département of a postal code (Corsica
//     and overseas included) and a table of the Hérault communes the demo
//     needs (LookupPlace);
//   - "open now": Entry.OpenAt evaluates the OpenStreetMap opening_hours
//     value with the public holidays of the entry's département;
//   - the demo département's seed data, embedded in the import formats and
//     loaded through the importers (LoadSeed).
//
// Storage lives in internal/store (UpsertDirectoryEntries, SearchDirectory,
// FindDirectoryEntry, CountDirectory); docs/directory.md describes the
// formats, the report, the search and the seed data.
package directory
