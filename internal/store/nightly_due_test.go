package store

import (
	"context"
	"testing"

	"permis/internal/date"
	"permis/internal/points"
)

// dueIDs returns the licences ScanPass visits on day on.
func dueIDs(t *testing.T, s *Store, on date.Date) map[int64]int64 {
	t.Helper()
	got := map[int64]int64{}
	if err := s.ScanPass(context.Background(), date.Some(on), func(p PassLedger) error {
		got[p.LicenceID] = p.Mark
		return nil
	}); err != nil {
		t.Fatalf("ScanPass: %v", err)
	}
	return got
}

// TestPointsDue: a new licence is due at once; a snapshot's Due hides it
// until that day; a new event, a new restriction or a deleted event makes it
// due again; and a pass that read the ledger before a change does not clear
// the change's mark when it writes its snapshot.
func TestPointsDue(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		day := date.MustParse("2026-03-15")
		l1, l2 := mustCreateLicence(t, s, "111111111111"), mustCreateLicence(t, s, "222222222222")
		due := dueIDs(t, s, day)
		if len(due) != 2 || due[l1.ID] == 0 || due[l2.ID] == 0 {
			t.Fatalf("new licences due = %v, want both with a mark", due)
		}
		later := date.Some(day.AddDays(10))
		snap := func(id, mark int64, d date.Null) Snapshot {
			return Snapshot{LicenceID: id, Balance: 12, Ceiling: 12, Valid: true, EvaluatedOn: day, Due: d, Mark: mark}
		}
		if err := s.UpsertSnapshots(ctx, []Snapshot{snap(l1.ID, due[l1.ID], later), snap(l2.ID, due[l2.ID], date.Null{})}); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(t, s, day.AddDays(9)); len(got) != 0 {
			t.Fatalf("due before the next change = %v, want none", got)
		}
		if got := dueIDs(t, s, later.Date); len(got) != 1 || got[l1.ID] == 0 {
			t.Fatalf("due on l1's next change = %v, want l1 only", got)
		}
		if n, err := s.DueCount(ctx, later.Date); err != nil || n != 1 {
			t.Fatalf("DueCount = %d, %v, want 1", n, err)
		}

		// l2 gets an offence while a pass is between reading and writing:
		// the pass read mark m, the change makes it m+1, so the pass's write
		// leaves the licence due.
		before := dueIDs(t, s, later.Date)
		o := points.Offence{ID: "E1", Committed: day, Established: day, Points: 1, Class: points.Class4}
		if err := s.AddPointEvents(ctx, []PointEvent{{LicenceID: l2.ID, Offence: &o}}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertSnapshots(ctx, []Snapshot{snap(l1.ID, before[l1.ID], date.Null{})}); err != nil {
			t.Fatal(err)
		}
		got := dueIDs(t, s, day)
		if len(got) != 1 || got[l2.ID] == 0 {
			t.Fatalf("due after l2's new offence = %v, want l2 only", got)
		}
		stale := got[l2.ID]
		if _, err := s.exec(ctx, `DELETE FROM point_events WHERE event_id = 'E1'`); err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertSnapshots(ctx, []Snapshot{snap(l2.ID, stale, date.Null{})}); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(t, s, day); len(got) != 1 || got[l2.ID] <= stale {
			t.Fatalf("due after a pass with a stale mark = %v, want l2 still due with a newer mark than %d", got, stale)
		}
		// A restriction (the reobtained code changes the probation) marks it too.
		if err := s.UpsertSnapshots(ctx, []Snapshot{snap(l2.ID, dueIDs(t, s, day)[l2.ID], date.Null{})}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.exec(ctx, `INSERT INTO licence_restrictions (licence_id, code, category, detail) VALUES (?, '99.01', '', '')`, l1.ID); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(t, s, day); len(got) != 1 || got[l1.ID] == 0 {
			t.Fatalf("due after a new restriction = %v, want l1 only", got)
		}
	})
}
