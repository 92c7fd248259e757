package store

import (
	"context"
	"os"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/points"
	"permis/internal/store/storetest"
)

// dueIDs returns the licences a pass on day on with mark upto visits.
func dueIDs(t *testing.T, s *Store, on date.Date, upto int64) map[int64]bool {
	t.Helper()
	got := map[int64]bool{}
	if err := s.ScanPass(context.Background(), date.Some(on), upto, func(p PassLedger) error {
		got[p.LicenceID] = true
		return nil
	}); err != nil {
		t.Fatalf("ScanPass: %v", err)
	}
	return got
}

// passMark is PassMark or a failed test.
func passMark(t *testing.T, s *Store) int64 {
	t.Helper()
	m, err := s.PassMark(context.Background())
	if err != nil {
		t.Fatalf("PassMark: %v", err)
	}
	return m
}

// pass writes the snapshots of a pass that began with mark upto and
// forgets the changes up to it, as App.Reevaluate does.
func pass(t *testing.T, s *Store, upto int64, snaps ...Snapshot) {
	t.Helper()
	if err := s.UpsertSnapshots(context.Background(), snaps); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetChanges(context.Background(), upto, nil); err != nil {
		t.Fatal(err)
	}
}

// TestPointsDue: a new licence is due at once; a snapshot's Due hides it
// until that day; a new event, a deleted event or a new restriction makes it
// due again; a change made while a pass runs (after its mark) survives the
// pass; a licence whose replay failed stays due.
func TestPointsDue(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		day := date.MustParse("2026-03-15")
		l1, l2 := mustCreateLicence(t, s, "111111111111"), mustCreateLicence(t, s, "222222222222")
		m := passMark(t, s)
		if due := dueIDs(t, s, day, m); len(due) != 2 || !due[l1.ID] || !due[l2.ID] {
			t.Fatalf("new licences due = %v, want both", due)
		}
		if got := dueIDs(t, s, day, 0); len(got) != 0 {
			t.Fatalf("due with a mark before their creation = %v, want none", got)
		}
		later := date.Some(day.AddDays(10))
		snap := func(id int64, d date.Null) Snapshot {
			return Snapshot{LicenceID: id, Balance: 12, Ceiling: 12, Valid: true, EvaluatedOn: day, Due: d}
		}
		pass(t, s, m, snap(l1.ID, later), snap(l2.ID, date.Null{}))
		m = passMark(t, s)
		if got := dueIDs(t, s, day.AddDays(9), m); len(got) != 0 {
			t.Fatalf("due before the next change = %v, want none", got)
		}
		if got := dueIDs(t, s, later.Date, m); len(got) != 1 || !got[l1.ID] {
			t.Fatalf("due on l1's next change = %v, want l1 only", got)
		}
		if n, err := s.DueCount(ctx, later.Date, m); err != nil || n != 1 {
			t.Fatalf("DueCount = %d, %v, want 1", n, err)
		}

		// l2 gets an offence while a pass of l1 is between its mark and
		// its writes: the change is after the mark, and survives the pass.
		o := points.Offence{ID: "E1", Committed: day, Established: day, Points: 1, Class: points.Class4}
		if err := s.AddPointEvents(ctx, []PointEvent{{LicenceID: l2.ID, Offence: &o}}); err != nil {
			t.Fatal(err)
		}
		pass(t, s, m, snap(l1.ID, date.Null{}))
		m = passMark(t, s)
		if got := dueIDs(t, s, day, m); len(got) != 1 || !got[l2.ID] {
			t.Fatalf("due after l2's new offence = %v, want l2 only", got)
		}
		pass(t, s, m, snap(l2.ID, date.Null{}))
		if got := dueIDs(t, s, day, passMark(t, s)); len(got) != 0 {
			t.Fatalf("due after the pass of l2 = %v, want none", got)
		}
		// Deleting an event marks its licence.
		if _, err := s.exec(ctx, `DELETE FROM point_events WHERE event_id = 'E1'`); err != nil {
			t.Fatal(err)
		}
		m = passMark(t, s)
		if got := dueIDs(t, s, day, m); len(got) != 1 || !got[l2.ID] {
			t.Fatalf("due after a deleted event = %v, want l2 only", got)
		}
		// A replay that failed: its change is kept for the next pass.
		if err := s.UpsertSnapshots(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.ForgetChanges(ctx, m, []int64{l2.ID}); err != nil {
			t.Fatal(err)
		}
		m = passMark(t, s)
		if got := dueIDs(t, s, day, m); len(got) != 1 || !got[l2.ID] {
			t.Fatalf("due after a refused replay = %v, want l2 still", got)
		}
		pass(t, s, m, snap(l2.ID, date.Null{}))
		// A restriction (the reobtained code changes the probation) marks it too.
		if _, err := s.exec(ctx, `INSERT INTO licence_restrictions (licence_id, code, category, detail) VALUES (?, '99.01', '', '')`, l1.ID); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(t, s, day, passMark(t, s)); len(got) != 1 || !got[l1.ID] {
			t.Fatalf("due after a new restriction = %v, want l1 only", got)
		}
	})
}

// On PostgreSQL a change's seq is drawn before its transaction commits: a
// pass's mark read while an earlier-numbered change is still uncommitted
// must not let the pass forget that change unseen. PassMark waits for the
// writers in flight (a SHARE lock), so the change is in the pass.
func TestPassMarkWaitsForChangesInFlight(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	ctx := context.Background()
	day := date.MustParse("2026-03-15")
	l1, l2 := mustCreateLicence(t, s, "111111111111"), mustCreateLicence(t, s, "222222222222")
	pass(t, s, passMark(t, s), Snapshot{LicenceID: l1.ID, EvaluatedOn: day}, Snapshot{LicenceID: l2.ID, EvaluatedOn: day})

	slow, err := s.w.BeginTx(ctx, nil) // draws the lower seq, commits last
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.ExecContext(ctx, `INSERT INTO point_events (event_id, licence_id, kind, committed, established, points, recorded_at)
		VALUES ('SLOW', $1, 'offence', '2026-03-01', '2026-03-02', 1, now())`, l1.ID); err != nil {
		t.Fatal(err)
	}
	o := points.Offence{ID: "FAST", Committed: day, Established: day, Points: 1, Class: points.Class4}
	if err := s.AddPointEvents(ctx, []PointEvent{{LicenceID: l2.ID, Offence: &o}}); err != nil {
		t.Fatal(err)
	}
	marks := make(chan int64, 1)
	go func() {
		m, err := s.PassMark(ctx)
		if err != nil {
			t.Error(err)
		}
		marks <- m
	}()
	var seen map[int64]bool
	var m int64
	select {
	case m = <-marks: // the mark did not wait: the pass runs before the slow change commits
		seen = dueIDs(t, s, day, m)
		if err := slow.Commit(); err != nil {
			t.Fatal(err)
		}
	case <-time.After(500 * time.Millisecond): // waiting, as it should: let the slow change commit
		if err := slow.Commit(); err != nil {
			t.Fatal(err)
		}
		m = <-marks
		seen = dueIDs(t, s, day, m)
	}
	if err := s.ForgetChanges(ctx, m, nil); err != nil {
		t.Fatal(err)
	}
	if !seen[l1.ID] && !dueIDs(t, s, day, passMark(t, s))[l1.ID] {
		t.Fatalf("the slow change to licence %d was neither in the pass (%v) nor left for the next one", l1.ID, seen)
	}
}
