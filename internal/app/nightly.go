package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/date"
	"permis/internal/points"
	"permis/internal/store"
)

// ReevaluationSummary reports a nightly pass.
type ReevaluationSummary struct {
	On          string // the day evaluated, YYYY-MM-DD
	Full        bool   // every licence replayed, not only the due ones
	Licences    int    // licences replayed
	Invalid     int    // licences whose balance is at zero
	WithChanges int    // licences with a recovery or growth still to come
	Refused     int    // ledgers the engine refused (a defect to investigate; logged)
	Elapsed     time.Duration
}

func (s ReevaluationSummary) String() string {
	mode := "permis dont le solde pouvait changer"
	if s.Full {
		mode = "permis (passe complète)"
	}
	return fmt.Sprintf("Réévaluation du %s : %d "+mode+" en %s (%.0f permis/s) ; %d à solde nul ; %d avec une récupération à venir ; %d relevé(s) refusé(s).",
		s.On, s.Licences, s.Elapsed.Round(time.Millisecond), float64(s.Licences)/max(s.Elapsed.Seconds(), 1e-9), s.Invalid, s.WithChanges, s.Refused)
}

// snapshotBatch is the number of snapshots written per transaction.
const snapshotBatch = 5000

// Reevaluate is the nightly recovery pass: it recomputes licences' points
// today from their ledgers and refreshes the points_snapshots cache
// (balance, ceiling, validity, next change), which lists and statistics
// read. The ledger stays the only source of truth. Unless full, only the
// licences due today are replayed: those whose next change (recovery,
// probation step, course credit, event dated later) has come and those whose
// ledger changed since their last replay (store.ScanPass); the others'
// snapshots are still right. full replays the whole register (after a change
// of the points rules, or to check). progress, when not nil, is called after
// each batch with the licences done so far and the number to do (counted
// at the start).
func (a *App) Reevaluate(ctx context.Context, full bool, progress func(done, total int64)) (ReevaluationSummary, error) {
	start := a.clock.Now()
	today := a.today()
	sum := ReevaluationSummary{On: today.String(), Full: full}
	dueOn := date.Some(today)
	if full {
		dueOn = date.Null{}
	}
	upto, err := a.store.PassMark(ctx)
	if err != nil {
		return sum, err
	}
	var total int64
	if progress != nil {
		var err error
		if full {
			total, err = a.store.CountLicences(ctx)
		} else {
			total, err = a.store.DueCount(ctx, today, upto)
		}
		if err != nil {
			return sum, err
		}
	}
	batch := make([]store.Snapshot, 0, snapshotBatch)
	flush := func() error {
		if err := a.store.UpsertSnapshots(ctx, batch); err != nil {
			return err
		}
		batch = batch[:0]
		if progress != nil {
			progress(int64(sum.Licences), total)
		}
		return nil
	}
	var refused []int64 // replayed again by the next pass
	err = a.store.ScanPass(ctx, dueOn, upto, func(p store.PassLedger) error {
		id, l := p.LicenceID, p.Ledger
		sum.Licences++
		res, err := a.rules.Replay(l, today)
		if err != nil {
			sum.Refused++
			refused = append(refused, id)
			a.log.Error("réévaluation : relevé refusé", "licence_id", id, "err", err)
			return nil
		}
		next := res.NextChange()
		if !res.Valid {
			sum.Invalid++
		}
		if next.Valid {
			sum.WithChanges++
		}
		due := points.NextReplay(l, res, today)
		batch = append(batch, store.Snapshot{LicenceID: id, Balance: res.Balance, Ceiling: res.Ceiling, Valid: res.Valid,
			NextChange: next, EvaluatedOn: today, Due: due, DueUnchanged: due == p.Due})
		if len(batch) == snapshotBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err == nil {
		// Every licence changed up to the mark is replayed and written:
		// forget those changes (a change made since stays).
		err = a.store.ForgetChanges(ctx, upto, refused)
	}
	sum.Elapsed = a.clock.Now().Sub(start)
	return sum, err
}
