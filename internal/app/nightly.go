package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/points"
	"permis/internal/store"
)

// ReevaluationSummary reports a nightly pass.
type ReevaluationSummary struct {
	On          string // the day evaluated, YYYY-MM-DD
	Licences    int
	Invalid     int // licences whose balance is at zero
	WithChanges int // licences with a recovery or growth still to come
	Refused     int // ledgers the engine refused (a defect to investigate; logged)
	Elapsed     time.Duration
}

func (s ReevaluationSummary) String() string {
	return fmt.Sprintf("Réévaluation du %s : %d permis en %s (%.0f permis/s) ; %d à solde nul ; %d avec une récupération à venir ; %d relevé(s) refusé(s).",
		s.On, s.Licences, s.Elapsed.Round(time.Millisecond), float64(s.Licences)/max(s.Elapsed.Seconds(), 1e-9), s.Invalid, s.WithChanges, s.Refused)
}

// snapshotBatch is the number of snapshots written per transaction.
const snapshotBatch = 5000

// Reevaluate is the nightly recovery pass: it recomputes every licence's
// points today from its ledger and refreshes the points_snapshots cache
// (balance, ceiling, validity, next change), which lists and statistics
// read. The ledger stays the only source of truth. progress, when not nil,
// is called after each batch with the licences done so far.
func (a *App) Reevaluate(ctx context.Context, progress func(done int)) (ReevaluationSummary, error) {
	start := a.clock.Now()
	today := a.today()
	sum := ReevaluationSummary{On: today.String()}
	batch := make([]store.Snapshot, 0, snapshotBatch)
	flush := func() error {
		if err := a.store.UpsertSnapshots(ctx, batch); err != nil {
			return err
		}
		batch = batch[:0]
		if progress != nil {
			progress(sum.Licences)
		}
		return nil
	}
	err := a.store.ScanLedgers(ctx, func(id int64, l points.Ledger) error {
		sum.Licences++
		res, err := a.rules.Replay(l, today)
		if err != nil {
			sum.Refused++
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
		batch = append(batch, store.Snapshot{LicenceID: id, Balance: res.Balance, Ceiling: res.Ceiling, Valid: res.Valid, NextChange: next, EvaluatedOn: today})
		if len(batch) == snapshotBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	sum.Elapsed = a.clock.Now().Sub(start)
	return sum, err
}
