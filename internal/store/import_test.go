package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

func offenceRow(line int, neph, id, committed string, pts int) OffenceRow {
	c := date.MustParse(committed)
	return OffenceRow{Line: line, NEPH: licence.NEPH(neph), Nature: "Excès de vitesse",
		Offence: points.Offence{ID: id, Committed: c, Established: c.AddDays(30), Points: pts, Class: points.Class4}}
}

func TestImportOffences(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreateLicence(t, s, "111111111111")
		mustCreateLicence(t, s, "222222222222")
		old1, old2 := offenceRow(0, "", "OLD1", "2024-01-01", 2).Offence, offenceRow(0, "", "OLD2", "2024-01-01", 2).Offence
		if err := s.AddPointEvents(ctx, []PointEvent{{LicenceID: a.ID, Offence: &old1}, {LicenceID: a.ID, Offence: &old2}}); err != nil {
			t.Fatal(err)
		}
		rows := []OffenceRow{
			offenceRow(1, "111111111111", "N1", "2024-02-01", 3),
			offenceRow(2, "999999999999", "U1", "2024-02-01", 3), // unknown NEPH
			offenceRow(3, "222222222222", "N2", "2024-02-02", 1),
			offenceRow(4, "111111111111", "OLD1", "2024-01-01", 2), // already in the ledger
			offenceRow(5, "111111111111", "OLD2", "2024-01-01", 4), // in the ledger with other points
			offenceRow(6, "111111111111", "N1", "2024-02-01", 3),   // repeated in the batch, identical
			offenceRow(7, "111111111111", "N2", "2024-02-02", 1),   // repeated in the batch, other NEPH
			offenceRow(8, "222222222222", "OLD1", "2024-01-01", 2), // in the ledger for another licence
		}
		want := []ImportOutcome{Inserted, UnknownNEPH, Inserted, AlreadyPresent, ConflictingDuplicate, AlreadyPresent, ConflictingDuplicate, ConflictingDuplicate}
		wantDetail := []string{"", "999999999999", "", "", "nombre de points", "ligne 1", "NEPH", "NEPH"}
		res, err := s.ImportOffences(ctx, rows)
		if err != nil {
			t.Fatalf("ImportOffences: %v", err)
		}
		for i, r := range res {
			if r.Line != rows[i].Line || r.EventID != rows[i].Offence.ID || r.Outcome != want[i] || !strings.Contains(r.Detail, wantDetail[i]) {
				t.Errorf("row %d = %+v, want outcome %d, detail with %q", i+1, r, want[i], wantDetail[i])
			}
		}
		l, err := s.LoadLedger(ctx, a.ID)
		if err != nil || len(l.Offences) != 3 {
			t.Fatalf("ledger after import = %+v, %v", l, err)
		}
		if n1 := l.Offences[2]; n1 != rows[0].Offence {
			t.Errorf("imported offence = %+v, want %+v", n1, rows[0].Offence)
		}

		// Idempotent: the same batch again inserts nothing.
		res, err = s.ImportOffences(ctx, rows)
		if err != nil {
			t.Fatalf("second ImportOffences: %v", err)
		}
		want2 := []ImportOutcome{AlreadyPresent, UnknownNEPH, AlreadyPresent, AlreadyPresent, ConflictingDuplicate, AlreadyPresent, ConflictingDuplicate, ConflictingDuplicate}
		for i, r := range res {
			if r.Outcome != want2[i] {
				t.Errorf("re-run row %d = %+v, want outcome %d", i+1, r, want2[i])
			}
		}
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM point_events`).Scan(&n); err != nil || n != 4 {
			t.Errorf("point_events = %d, %v; want 4", n, err)
		}
	})
}

func TestImportOffencesLargeBatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := mustCreateLicence(t, s, "111111111111")
		var rows []OffenceRow
		for i := range 9000 { // more than one chunk of the portable path
			neph := "111111111111"
			if i%10 == 9 {
				neph = "000000000000"
			}
			rows = append(rows, offenceRow(i+1, neph, fmt.Sprintf("EV%06d", i), "2024-02-01", 1))
		}
		for _, inTx := range []bool{true, false} {
			var res []RowResult
			var err error
			if inTx { // the portable path, also on PostgreSQL
				err = s.Transact(ctx, func(tx *Store) error { res, err = tx.ImportOffences(ctx, rows); return err })
			} else {
				res, err = s.ImportOffences(ctx, rows)
			}
			if err != nil {
				t.Fatal(err)
			}
			counts := map[ImportOutcome]int{}
			for _, r := range res {
				counts[r.Outcome]++
			}
			wantInserted, wantPresent := 8100, 0
			if !inTx {
				wantInserted, wantPresent = 0, 8100
			}
			if counts[Inserted] != wantInserted || counts[AlreadyPresent] != wantPresent || counts[UnknownNEPH] != 900 {
				t.Errorf("inTx=%v outcomes = %v", inTx, counts)
			}
		}
		led, err := s.LoadLedger(ctx, l.ID)
		if err != nil || len(led.Offences) != 8100 {
			t.Errorf("ledger has %d offences, %v", len(led.Offences), err)
		}
	})
}

// TestImportInsertsInLicenceOrder: a batch is written in licence-id order
// whatever the file's order, so that the indexes it touches are walked
// forward in a large register (BENCHMARKS.md, "Growth to 10 M licences").
// On SQLite the rowids show the order of the inserts.
func TestImportInsertsInLicenceOrder(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	var rows []OffenceRow
	for i := range 30 {
		neph := fmt.Sprintf("%012d", 900000000000-i*7919)
		mustCreateLicence(t, s, neph)
		// The file lists the licences from the last created to the first.
		rows = append([]OffenceRow{offenceRow(i+1, neph, fmt.Sprintf("ORD%03d", i), "2024-03-01", 1)}, rows...)
	}
	if _, err := s.ImportOffences(ctx, rows); err != nil {
		t.Fatal(err)
	}
	rs, err := s.WriteDB().QueryContext(ctx, `SELECT licence_id FROM point_events WHERE event_id LIKE 'ORD%' ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var got []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
	}
	if len(got) != 30 || !slices.IsSorted(got) {
		t.Errorf("licence ids in insert order = %v, want 30 in increasing order", got)
	}
}

// TestSortByLicence: the importer's window sort puts rows in licence order,
// unknown NEPHs first, stably; ImportOffences then files each row under the
// licence found by the sort, and looks up again a NEPH the sort did not
// know (a licence created in between).
func TestSortByLicence(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var ids []int64
		for i := range 5 { // NEPHs decrease as ids increase: NEPH order is not licence order
			ids = append(ids, mustCreateLicence(t, s, fmt.Sprintf("%012d", 800000000000-i)).ID)
		}
		neph := func(i int) string { return fmt.Sprintf("%012d", 800000000000-i) }
		rows := []OffenceRow{
			offenceRow(1, neph(3), "S1", "2024-03-01", 1),
			offenceRow(2, neph(0), "S2", "2024-03-01", 1),
			offenceRow(3, "700000000000", "S3", "2024-03-01", 1), // no licence yet
			offenceRow(4, neph(3), "S4", "2024-03-01", 1),
			offenceRow(5, neph(4), "S5", "2024-03-01", 1),
			offenceRow(6, neph(1), "S6", "2024-03-01", 1),
		}
		if err := s.SortByLicence(ctx, rows); err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, r := range rows {
			lines = append(lines, r.Line)
		}
		if want := []int{3, 2, 6, 1, 4, 5}; !slices.Equal(lines, want) {
			t.Fatalf("lines in sorted order %v, want %v", lines, want)
		}
		late := mustCreateLicence(t, s, "700000000000")
		res, err := s.ImportOffences(ctx, rows)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Outcome != Inserted {
				t.Errorf("line %d: %+v", r.Line, r)
			}
		}
		wantLicence := map[string]int64{"S1": ids[3], "S2": ids[0], "S3": late.ID, "S4": ids[3], "S5": ids[4], "S6": ids[1]}
		for ev, want := range wantLicence {
			var got int64
			if err := s.queryRow(ctx, `SELECT licence_id FROM point_events WHERE event_id = ?`, ev).Scan(&got); err != nil || got != want {
				t.Errorf("%s filed under licence %d, %v; want %d", ev, got, err, want)
			}
		}
	})
}
