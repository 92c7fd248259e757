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
	return s.ScanPass(ctx, date.Null{}, 0, func(e PassLedger) error { return fn(e.LicenceID, e.Ledger) })
}

// PassLedger is one licence the nightly pass replays: its ledger and its
// due date as read with it (null without a points_due row: the same, since
// a change is marked in points_changed, not there).
type PassLedger struct {
	LicenceID int64
	Ledger    points.Ledger
	Due       date.Null
}

// PassMark returns the mark a nightly pass begins with: the last change
// appended to points_changed. The pass replays the licences changed up to
// it (ScanPass) and, once their snapshots are written, forgets those
// changes (ForgetChanges); a change appended meanwhile has a later seq and
// stays for the next pass. On PostgreSQL the mark is read under a SHARE
// lock, which waits for the transactions appending changes to end: an
// identity is drawn before its transaction commits, so without it a change
// below the mark could become visible after the pass had looked, and be
// forgotten unseen.
func (s *Store) PassMark(ctx context.Context) (int64, error) {
	const q = `SELECT COALESCE(max(seq), 0) FROM points_changed`
	var upto int64
	if !s.d.dollar {
		err := s.queryRow(ctx, q).Scan(&upto)
		return upto, s.d.translate(err)
	}
	// Inside a caller's transaction the lock lasts until it ends.
	err := s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `LOCK TABLE points_changed IN SHARE MODE`); err != nil {
			return err
		}
		return tx.queryRow(ctx, q).Scan(&upto)
	})
	return upto, s.d.translate(err)
}

// ForgetChanges deletes the appended changes up to a pass's mark, once the
// pass has written what it replayed; the changes of the licences in keep
// (whose replay failed) stay, so that the next pass tries them again.
func (s *Store) ForgetChanges(ctx context.Context, upto int64, keep []int64) error {
	if upto <= 0 {
		return nil
	}
	return s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM points_changed WHERE seq <= ?`, upto); err != nil {
			return err
		}
		row := `(?)`
		if tx.d.dollar {
			row = `(?::bigint)`
		}
		for chunk := range slices.Chunk(keep, tx.d.batchParams) {
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if _, err := tx.exec(ctx, `INSERT INTO points_changed (licence_id) VALUES `+rowsOf(len(chunk), row), args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// dueSet is the licences a pass on day ? replays: those whose due date has
// come, and those changed up to the pass's mark (?).
const dueSet = `SELECT licence_id FROM points_due WHERE due <= ? UNION SELECT licence_id FROM points_changed WHERE seq <= ?`

// ScanPass is ScanLedgers for the nightly pass: with dueOn set, it visits
// only the licences whose points_due date is dueOn or earlier (their next
// recovery, probation step or course credit has come), through the
// points_due index, and those whose ledger changed up to the pass's mark
// upto (PassMark), so the pass costs what changed, not the size of the
// register; with dueOn null, every licence (the full pass).
func (s *Store) ScanPass(ctx context.Context, dueOn date.Null, upto int64, fn func(PassLedger) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A correlated lookup of the mark, not a join: the licences stream in
	// primary-key order (a LEFT JOIN made PostgreSQL hash both tables and
	// sort a million rows before the first one came out).
	const dueCol = `(SELECT d.due FROM points_due d WHERE d.licence_id = l.id)`
	licQ := `SELECT l.id, l.obtained, l.probation, l.complementary_training, ` + reobtainedCol + `, ` + dueCol + `
		FROM licences l ORDER BY l.id`
	evQ := `SELECT e.licence_id, ` + eventCols + ` FROM point_events e ORDER BY e.licence_id`
	var args []any
	if dueOn.Valid {
		// The due licences are found by the partial index on due and in
		// the appended changes, then sorted by id (a sort of what changed,
		// not of the register).
		licQ = `WITH due (licence_id) AS (` + dueSet + `)
			SELECT l.id, l.obtained, l.probation, l.complementary_training, ` + reobtainedCol + `, ` + dueCol + `
			FROM due JOIN licences l ON l.id = due.licence_id ORDER BY due.licence_id`
		evQ = `WITH due (licence_id) AS (` + dueSet + `)
			SELECT e.licence_id, ` + eventCols + ` FROM due JOIN point_events e ON e.licence_id = due.licence_id
			ORDER BY due.licence_id`
		args = []any{dueOn.Date, upto}
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
			id  int64
			due date.Null
			l   licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained, &due); err != nil {
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
		if err := fn(PassLedger{LicenceID: id, Ledger: led, Due: due}); err != nil {
			return err
		}
	}
	return lic.Err()
}

func (s *Store) scanLedgersInTx(ctx context.Context, lic *sql.Rows, fn func(PassLedger) error) error {
	var ids []int64
	var dues []date.Null
	var heads []points.Licence
	for lic.Next() {
		var (
			id  int64
			due date.Null
			l   licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained, &due); err != nil {
			return err
		}
		ids, dues, heads = append(ids, id), append(dues, due), append(heads, pointsLicence(l))
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
		if err := fn(PassLedger{LicenceID: id, Ledger: led, Due: dues[i]}); err != nil {
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
	// never, unless its ledger changes. A change made since the pass read
	// the ledger is in points_changed after the pass's mark: the next pass
	// replays the licence whatever Due says.
	Due date.Null
	// DueUnchanged says points_due already holds Due (PassLedger.Due, read
	// with the ledger, is the same): the row is not written again, which
	// spares most of a full pass's writes.
	DueUnchanged bool
}

const (
	snapshotCols = 6
	dueCols      = 2
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

// setDue records when each licence is next due.
func (s *Store) setDue(ctx context.Context, snaps []Snapshot) error {
	row := `(?, ?)`
	if s.d.dollar {
		row = `(?::bigint, ?::date)`
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
			args = append(args, sn.LicenceID, sn.Due)
		}
		if _, err := s.exec(ctx, `INSERT INTO points_due (licence_id, due) VALUES `+rowsOf(len(chunk), row)+`
			ON CONFLICT (licence_id) DO UPDATE SET due = excluded.due`, args...); err != nil {
			return err
		}
	}
	return nil
}

// DueCount returns how many licences a pass on day on, with mark upto,
// would replay.
func (s *Store) DueCount(ctx context.Context, on date.Date, upto int64) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT count(*) FROM (`+dueSet+`) due`, on, upto).Scan(&n)
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
