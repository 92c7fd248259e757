package store

import (
	"context"
	"database/sql"
	"slices"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// ScanLedgers calls fn for every licence, in licence-id order, with its
// ledger, without loading the register in memory: two cursors ordered by
// licence id (licences, point events) are merged as they are read. Outside a
// transaction they run on two read connections, so a licence created during
// the scan may appear without its newest events; the nightly pass tolerates
// that (the next pass sees them). An error from fn stops the scan.
func (s *Store) ScanLedgers(ctx context.Context, fn func(licenceID int64, l points.Ledger) error) error {
	return s.ScanPass(ctx, date.Null{}, func(e PassLedger) error { return fn(e.LicenceID, e.Ledger) })
}

// PassLedger is one licence the nightly pass replays: its ledger and the
// change mark read with it (points_due.changes), which the pass hands back
// in its Snapshot so that a change made meanwhile is not forgotten.
type PassLedger struct {
	LicenceID int64
	Ledger    points.Ledger
	Mark      int64
	Due       date.Null // points_due.due as read with the ledger
}

// ScanPass is ScanLedgers for the nightly pass: with dueOn set, it visits
// only the licences whose points_due date is dueOn or earlier (their next
// recovery, probation step or course credit has come, or their ledger
// changed since the last pass), through the points_due index, so the pass
// costs what changed, not the size of the register; with dueOn null, every
// licence (the full pass).
func (s *Store) ScanPass(ctx context.Context, dueOn date.Null, fn func(PassLedger) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A correlated lookup of the mark, not a join: the licences stream in
	// primary-key order (a LEFT JOIN made PostgreSQL hash both tables and
	// sort a million rows before the first one came out).
	licQ := `SELECT l.id, l.obtained, l.probation, l.complementary_training, ` + reobtainedCol + `,
		COALESCE((SELECT d.changes FROM points_due d WHERE d.licence_id = l.id), 0),
		(SELECT d.due FROM points_due d WHERE d.licence_id = l.id)
		FROM licences l ORDER BY l.id`
	evQ := `SELECT e.licence_id, ` + eventCols + ` FROM point_events e ORDER BY e.licence_id`
	var args []any
	if dueOn.Valid {
		// The due licences are found by the partial index on due, then
		// sorted by id (a sort of what changed, not of the register).
		licQ = `SELECT l.id, l.obtained, l.probation, l.complementary_training, ` + reobtainedCol + `, d.changes, d.due
			FROM points_due d JOIN licences l ON l.id = d.licence_id WHERE d.due <= ? ORDER BY d.licence_id`
		evQ = `SELECT e.licence_id, ` + eventCols + ` FROM points_due d JOIN point_events e ON e.licence_id = d.licence_id
			WHERE d.due <= ? ORDER BY d.licence_id`
		args = []any{dueOn.Date}
	}
	lic, err := s.query(ctx, licQ, args...)
	if err != nil {
		return err
	}
	defer lic.Close()
	if s.tx != nil {
		// One connection cannot hold two cursors on PostgreSQL: read the
		// licences first (the caller chose a transaction).
		return s.scanLedgersInTx(ctx, lic, fn)
	}
	ev, err := s.query(ctx, evQ, args...)
	if err != nil {
		return err
	}
	defer ev.Close()
	var (
		pending   bool // ev holds a row not yet used
		evLicence int64
		row       eventRow
	)
	next := func() error {
		pending = ev.Next()
		if !pending {
			return ev.Err()
		}
		return ev.Scan(append([]any{&evLicence}, row.dest()...)...)
	}
	if err := next(); err != nil {
		return err
	}
	for lic.Next() {
		var (
			id   int64
			mark int64
			due  date.Null
			l    licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained, &mark, &due); err != nil {
			return err
		}
		led := points.Ledger{Licence: pointsLicence(l)}
		for pending && evLicence < id { // events of a licence deleted meanwhile
			if err := next(); err != nil {
				return err
			}
		}
		for pending && evLicence == id {
			if err := row.addTo(&led); err != nil {
				return err
			}
			if err := next(); err != nil {
				return err
			}
		}
		sortLedger(&led)
		if err := fn(PassLedger{LicenceID: id, Ledger: led, Mark: mark, Due: due}); err != nil {
			return err
		}
	}
	return lic.Err()
}

func (s *Store) scanLedgersInTx(ctx context.Context, lic *sql.Rows, fn func(PassLedger) error) error {
	var ids, marks []int64
	var dues []date.Null
	var heads []points.Licence
	for lic.Next() {
		var (
			id, mark int64
			due      date.Null
			l        licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained, &mark, &due); err != nil {
			return err
		}
		ids, marks, dues, heads = append(ids, id), append(marks, mark), append(dues, due), append(heads, pointsLicence(l))
	}
	if err := lic.Err(); err != nil {
		return err
	}
	lic.Close()
	for i, id := range ids {
		led, err := s.LoadLedger(ctx, id)
		if err != nil {
			return err
		}
		led.Licence = heads[i]
		if err := fn(PassLedger{LicenceID: id, Ledger: led, Mark: marks[i], Due: dues[i]}); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot is the cached result of the nightly evaluation of one licence:
// what the points engine said on EvaluatedOn. Never the source of truth.
type Snapshot struct {
	LicenceID   int64
	Balance     int
	Ceiling     int
	Valid       bool
	NextChange  date.Null
	EvaluatedOn date.Date
	// Due is when the licence must be replayed again (NextChange, or an
	// event of the ledger dated after EvaluatedOn if sooner); null for
	// never, unless its ledger changes.
	Due date.Null
	// Mark is PassLedger.Mark, the change count read with the ledger: Due
	// is written only if no change came since (otherwise the licence stays
	// due at once).
	Mark int64
	// DueUnchanged says points_due already holds Due (PassLedger.Due, read
	// with Mark, is the same): the row is not written again, which spares
	// most of a full pass's writes. A change since then marked the licence
	// due anyway.
	DueUnchanged bool
}

const (
	snapshotCols = 6
	dueCols      = 3
)

// UpsertSnapshots writes snapshots, replacing older ones, and each
// licence's next due date (points_due), in batched statements and one
// transaction.
func (s *Store) UpsertSnapshots(ctx context.Context, snaps []Snapshot) error {
	if len(snaps) == 0 {
		return nil
	}
	row := `(?, ?, ?, ?, ?, ?)`
	if s.d.dollar {
		row = `(?::bigint, ?::smallint, ?::smallint, ?::boolean, ?::date, ?::date)`
	}
	return s.Transact(ctx, func(tx *Store) error {
		for chunk := range slices.Chunk(snaps, tx.d.batchParams/snapshotCols) {
			args := make([]any, 0, len(chunk)*snapshotCols)
			for _, sn := range chunk {
				args = append(args, sn.LicenceID, sn.Balance, sn.Ceiling, sn.Valid, sn.NextChange, sn.EvaluatedOn)
			}
			if _, err := tx.exec(ctx, `INSERT INTO points_snapshots (licence_id, balance, ceiling, valid, next_change, evaluated_on)
				VALUES `+rowsOf(len(chunk), row)+`
				ON CONFLICT (licence_id) DO UPDATE SET balance = excluded.balance, ceiling = excluded.ceiling,
				valid = excluded.valid, next_change = excluded.next_change, evaluated_on = excluded.evaluated_on`, args...); err != nil {
				return err
			}
		}
		return tx.setDue(ctx, snaps)
	})
}

// setDue records when each licence is next due, unless its ledger changed
// since the pass read it (the conditional upsert leaves the mark set by the
// change triggers alone).
func (s *Store) setDue(ctx context.Context, snaps []Snapshot) error {
	row := `(?, ?, ?)`
	if s.d.dollar {
		row = `(?::bigint, ?::date, ?::bigint)`
	}
	changed := make([]Snapshot, 0, len(snaps))
	for _, sn := range snaps {
		if !sn.DueUnchanged {
			changed = append(changed, sn)
		}
	}
	for chunk := range slices.Chunk(changed, s.d.batchParams/dueCols) {
		args := make([]any, 0, len(chunk)*dueCols)
		for _, sn := range chunk {
			args = append(args, sn.LicenceID, sn.Due, sn.Mark)
		}
		if _, err := s.exec(ctx, `INSERT INTO points_due (licence_id, due, changes) VALUES `+rowsOf(len(chunk), row)+`
			ON CONFLICT (licence_id) DO UPDATE SET due = excluded.due WHERE points_due.changes = excluded.changes`, args...); err != nil {
			return err
		}
	}
	return nil
}

// DueCount returns how many licences the next pass on day on would replay.
func (s *Store) DueCount(ctx context.Context, on date.Date) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT count(*) FROM points_due WHERE due <= ?`, on).Scan(&n)
	return n, s.d.translate(err)
}

// FindSnapshot returns the cached evaluation of a licence, or a not_found error.
func (s *Store) FindSnapshot(ctx context.Context, licenceID int64) (Snapshot, error) {
	sn := Snapshot{LicenceID: licenceID}
	err := s.queryRow(ctx, `SELECT balance, ceiling, valid, next_change, evaluated_on FROM points_snapshots WHERE licence_id = ?`,
		licenceID).Scan(&sn.Balance, &sn.Ceiling, &sn.Valid, &sn.NextChange, &sn.EvaluatedOn)
	if err != nil {
		return Snapshot{}, notFound(s.d.translate(err), "Aucune évaluation du solde pour ce permis.")
	}
	return sn, nil
}
