// Package ingest imports established offences from the fines system (ANTAI)
// in bulk: `permis import offences FILE`. The file formats (NDJSON or CSV,
// optionally gzipped), the rejects report and the summary are specified in
// docs/import-format.md.
//
// A Parser streams rows from the file, one line in memory at a time, and
// validates each one into a store.OffenceRow or a *RowError that names the
// line, the field and the problem in French. Import sends the good rows to a
// Sink (the store) in batches, writes the bad ones to the rejects report, and
// returns a Summary.
//
// # Why a killed import can simply be run again
//
// A run killed at any moment (kill -9, power cut) and run again on the same
// file ends with exactly the register one clean run would have produced:
//
//  1. Each batch is one call to Sink.ImportOffences, which the store runs as
//     one transaction: after a crash a batch is either entirely in the
//     register or not at all, never half in. Anything the store derives
//     from an insertion (a letter to send, say) must be written in that same
//     transaction for this to hold.
//  2. The importer keeps no state of its own: no checkpoint, no "last line
//     done" file that could disagree with the register. The register is the
//     only record of progress, so there is nothing to get out of step.
//  3. The store is idempotent by event id: a row whose event id is already
//     recorded with the same content comes back AlreadyPresent and changes
//     nothing. On the second run, the batches committed by the first run are
//     all AlreadyPresent and the others are inserted, so the union is the
//     file, once.
//  4. The order in which rows reach the store is a function of the file
//     alone (with the register unchanged), and the first occurrence of an
//     event id always reaches it before the later ones. The rows are read by
//     windows of Options.WindowRows, in file order; when the store can sort
//     (LicenceSorter), a window goes out as its first occurrences of each
//     event id in licence order (licences are never renumbered), then its
//     later occurrences in file order, each part cut in batches. So if the
//     file holds the same event id twice with different content, the first
//     occurrence wins in a clean run, and also in an interrupted one (it
//     precedes the second in every run, so it is the one recorded), the
//     second is a ConflictingDuplicate either way.
//  5. Points balances are not stored counters but recomputed from the ledger
//     (package points), so no total can be counted twice.
//
// "The same register" means the same events with the same content; a
// timestamp of the import, if the store keeps one, differs as it would
// between any two runs. What else differs between the two histories is the
// reports: the second
// run's summary counts as "already present" what the first one inserted, and
// the rejects of the windows the first run finished appear in both reports
// (those of the window it was killed in, only in the second).
// Cancelling the context (Ctrl-C handled by the command) is a gentler case of
// the same thing: Import stops between batches.
package ingest
