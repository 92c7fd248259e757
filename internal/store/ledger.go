package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// Kinds of point events.
const (
	KindOffence = "offence"
	KindCourse  = "course"
)

// PointEvent is one entry of a licence's points ledger: an offence or a
// course (exactly one of Offence and Course is set).
type PointEvent struct {
	LicenceID int64
	Offence   *points.Offence
	Course    *points.Course
	Nature    string // for an offence: short description or NATINF code
}

// LicenceLedger is a licence header (without categories and restrictions)
// and its points ledger: what the API needs to answer a balance.
type LicenceLedger struct {
	Licence licence.Licence
	Ledger  points.Ledger
}

// eventCols are the point_events columns scanEvent reads.
const eventCols = `e.event_id, e.kind, e.committed, e.established, e.points, e.class, e.occasion`

// eventRow receives eventCols, which are NULL for a licence without events
// in a LEFT JOIN.
type eventRow struct {
	id, kind, class, occasion sql.NullString
	committed, established    date.Null
	points                    sql.NullInt64
}

func (e *eventRow) dest() []any {
	return []any{&e.id, &e.kind, &e.committed, &e.established, &e.points, &e.class, &e.occasion}
}

// addTo appends the event to l; it does nothing for an all-NULL row.
func (e *eventRow) addTo(l *points.Ledger) error {
	if !e.id.Valid {
		return nil
	}
	switch e.kind.String {
	case KindOffence:
		l.Offences = append(l.Offences, points.Offence{
			ID: e.id.String, Committed: e.committed.Date, Established: e.established.Date,
			Points: int(e.points.Int64), Class: points.Class(e.class.String), Occasion: e.occasion.String,
		})
	case KindCourse:
		l.Courses = append(l.Courses, points.Course{ID: e.id.String, LastDay: e.established.Date})
	default:
		return fmt.Errorf("store: point event %s: unknown kind %q", e.id.String, e.kind.String)
	}
	return nil
}

// sortLedger orders events by established date then id, whatever order they
// were read in.
func sortLedger(l *points.Ledger) {
	slices.SortFunc(l.Offences, func(a, b points.Offence) int {
		return cmp.Or(cmp.Compare(a.Established, b.Established), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(l.Courses, func(a, b points.Course) int {
		return cmp.Or(cmp.Compare(a.LastDay, b.LastDay), cmp.Compare(a.ID, b.ID))
	})
}

// eventArgs returns the values of the point_events columns (event_id,
// licence_id, kind, committed, established, points, class, occasion, nature).
func eventArgs(e PointEvent) ([]any, error) {
	switch {
	case e.Offence != nil && e.Course == nil:
		o := e.Offence
		return []any{o.ID, e.LicenceID, KindOffence, o.Committed, o.Established, o.Points, string(o.Class), o.Occasion, e.Nature}, nil
	case e.Course != nil && e.Offence == nil:
		c := e.Course
		return []any{c.ID, e.LicenceID, KindCourse, nil, c.LastDay, 0, "", "", e.Nature}, nil
	}
	return nil, fmt.Errorf("store: a point event is an offence or a course")
}

// AddPointEvents adds events to ledgers, in one statement per chunk and one
// transaction. An event id already recorded is a conflict: use
// ImportOffences for idempotent imports.
func (s *Store) AddPointEvents(ctx context.Context, events []PointEvent) error {
	const cols = 10
	return s.Transact(ctx, func(tx *Store) error {
		recorded := tx.d.ts(tx.now())
		for chunk := range slices.Chunk(events, tx.d.batchParams/cols) {
			args := make([]any, 0, len(chunk)*cols)
			for _, e := range chunk {
				a, err := eventArgs(e)
				if err != nil {
					return err
				}
				args = append(append(args, a...), recorded)
			}
			q := `INSERT INTO point_events (event_id, licence_id, kind, committed, established, points, class, occasion,
				nature, recorded_at) VALUES ` + rowsOf(len(chunk), tx.d.eventValues())
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// eventValues is one row of placeholders for the point_events columns, typed
// where PostgreSQL cannot infer the type.
func (d *dialect) eventValues() string {
	if d.dollar {
		return `(?, ?::bigint, ?, ?::date, ?::date, ?::smallint, ?, ?, ?, ?::timestamptz)`
	}
	return `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
}

// rowsOf repeats a row of placeholders n times, comma separated.
func rowsOf(n int, row string) string {
	b := make([]byte, 0, n*(len(row)+2))
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, row...)
	}
	return string(b)
}

// LoadLedger returns the points ledger of a licence, or a not_found error.
func (s *Store) LoadLedger(ctx context.Context, licenceID int64) (points.Ledger, error) {
	ll, err := s.loadLicenceLedger(ctx, "", `l.id = ?`, licenceID)
	return ll.Ledger, err
}

// LoadLicenceLedgerByNEPH returns a licence header and its ledger in one
// query (the API's hot path), or a not_found error.
func (s *Store) LoadLicenceLedgerByNEPH(ctx context.Context, neph licence.NEPH) (LicenceLedger, error) {
	return s.loadLicenceLedger(ctx, "", `l.neph = ?`, string(neph))
}

// AuditsInRead reports whether LoadLicenceLedgerAudited stores the read's
// audit entry in the read's own statement: on PostgreSQL, outside a
// transaction. On SQLite the entry goes to the audit file through the
// group-commit writer instead (AppendReadAudit).
func (s *Store) AuditsInRead() bool { return s.d.dollar && s.tx == nil }

// LoadLicenceLedgerAudited is LoadLicenceLedgerByNEPH storing the read's
// audit entry in the same statement (PostgreSQL only, AuditsInRead): a
// data-modifying WITH inserts the entry, and the statement's implicit
// transaction commits before the rows are handed over, since they are read
// to the end and closed, which waits for the server's ReadyForQuery, sent
// after the commit. So the entry is stored before the read is answered, as
// through the group writer, without its extra round trip and hand-offs
// (docs/decisions.md, "On PostgreSQL the points read writes its own audit
// entry"). The commit waits for its WAL flush or not as
// Options.ReadAuditDurability says (readAuditInsert). The entry is stored
// even when the NEPH is unknown: the attempt is audited.
func (s *Store) LoadLicenceLedgerAudited(ctx context.Context, neph licence.NEPH, e AuditEntry) (LicenceLedger, error) {
	if !s.AuditsInRead() {
		return LicenceLedger{}, fmt.Errorf("store: LoadLicenceLedgerAudited on %s", s.d.name)
	}
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	return s.loadLicenceLedger(ctx, `WITH logged AS (`+s.readAuditInsert(1)+`) `, `l.neph = ?`,
		s.d.ts(at), e.Actor, e.ActorRole, e.Action, e.SubjectType, e.SubjectID, e.Reason, e.RequestID, string(neph))
}

// loadLicenceLedger reads one licence and its events, selected by where;
// with, when not empty, is a WITH clause put before the SELECT. args are
// with's then where's.
func (s *Store) loadLicenceLedger(ctx context.Context, with, where string, args ...any) (LicenceLedger, error) {
	rows, err := s.query(ctx, with+`SELECT `+licenceCols+`, `+eventCols+`
		FROM licences l LEFT JOIN point_events e ON e.licence_id = l.id
		WHERE `+where, args...) // sorted here, not by a temporary B-tree per read
	if err != nil {
		return LicenceLedger{}, err
	}
	defer rows.Close()
	var (
		ll    LicenceLedger
		found bool
		ev    eventRow
	)
	dest := append(licenceDest(&ll.Licence), ev.dest()...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return LicenceLedger{}, err
		}
		found = true
		if err := ev.addTo(&ll.Ledger); err != nil {
			return LicenceLedger{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return LicenceLedger{}, s.d.translate(err)
	}
	// Closing waits for the end of the statement, its commit included.
	if err := rows.Close(); err != nil {
		return LicenceLedger{}, s.d.translate(err)
	}
	if !found {
		return LicenceLedger{}, notFound(sql.ErrNoRows, msgLicenceNotFound)
	}
	ll.Ledger.Licence = pointsLicence(ll.Licence)
	sortLedger(&ll.Ledger)
	return ll, nil
}
