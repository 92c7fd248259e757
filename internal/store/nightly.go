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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lic, err := s.query(ctx, `SELECT l.id, l.obtained, l.probation, l.complementary_training, `+reobtainedCol+` FROM licences l ORDER BY l.id`)
	if err != nil {
		return err
	}
	defer lic.Close()
	if s.tx != nil {
		// One connection cannot hold two cursors on PostgreSQL: read the
		// licences first (the caller chose a transaction).
		return s.scanLedgersInTx(ctx, lic, fn)
	}
	ev, err := s.query(ctx, `SELECT e.licence_id, `+eventCols+` FROM point_events e ORDER BY e.licence_id`)
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
			id int64
			l  licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained); err != nil {
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
		if err := fn(id, led); err != nil {
			return err
		}
	}
	return lic.Err()
}

func (s *Store) scanLedgersInTx(ctx context.Context, lic *sql.Rows, fn func(int64, points.Ledger) error) error {
	var ids []int64
	var heads []points.Licence
	for lic.Next() {
		var (
			id int64
			l  licence.Licence
		)
		if err := lic.Scan(&id, &l.Obtained, (*string)(&l.Probation), &l.ComplementaryTraining, &l.Reobtained); err != nil {
			return err
		}
		ids, heads = append(ids, id), append(heads, pointsLicence(l))
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
		if err := fn(id, led); err != nil {
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
}

const snapshotCols = 6

// UpsertSnapshots writes snapshots, replacing older ones, in batched
// statements and one transaction.
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
		return nil
	})
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
