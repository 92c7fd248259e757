package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"permis/internal/date"
	"permis/internal/licence"
)

// ImportOffences imports one batch of offences from the fines system, in one
// transaction, set-based, and says what became of each row (results are in
// the order of rows). The event id is the idempotency key: importing the same
// batch twice inserts nothing the second time. Within the batch the first
// occurrence of an event id wins; a later identical row is AlreadyPresent, a
// later different one ConflictingDuplicate. Rows for an unknown NEPH are
// reported and do not stop the others.
func (s *Store) ImportOffences(ctx context.Context, rows []OffenceRow) ([]RowResult, error) {
	results := make([]RowResult, len(rows))
	first := make(map[string]int, len(rows))
	unique := make([]int, 0, len(rows)) // indexes of first occurrences
	for i, r := range rows {
		results[i] = RowResult{Line: r.Line, EventID: r.Offence.ID}
		if j, ok := first[r.Offence.ID]; ok {
			if field := offenceRowDiff(rows[j], r); field != "" {
				results[i].Outcome = ConflictingDuplicate
				results[i].Detail = fmt.Sprintf("événement déjà présent ligne %d avec un autre %s", rows[j].Line, field)
			} else {
				results[i].Outcome = -1 // same as the first occurrence, resolved below
			}
			continue
		}
		first[r.Offence.ID] = i
		unique = append(unique, i)
	}
	if len(unique) > 0 {
		var existing map[string]existingEvent
		var inserted map[string]bool
		err := s.pgTransact(ctx, func(tx pgx.Tx) error {
			var err error
			inserted, existing, err = s.importCopy(ctx, tx, rows, unique)
			return err
		})
		if err == errNoNative {
			err = s.Transact(ctx, func(tx *Store) error {
				var err error
				inserted, existing, err = tx.importValues(ctx, rows, unique)
				return err
			})
		}
		if err != nil {
			return nil, err
		}
		for _, i := range unique {
			classify(&results[i], rows[i], inserted, existing)
		}
	}
	for i := range results {
		if results[i].Outcome == -1 {
			f := results[first[rows[i].Offence.ID]]
			results[i].Outcome, results[i].Detail = f.Outcome, f.Detail
			if f.Outcome == Inserted {
				results[i].Outcome, results[i].Detail = AlreadyPresent, fmt.Sprintf("en double dans le lot (ligne %d)", f.Line)
			}
		}
	}
	return results, nil
}

// existingEvent is an event already in the ledger, with its licence's NEPH.
type existingEvent struct {
	neph, kind, class, occasion string
	committed, established      date.Null
	points                      int
}

func classify(res *RowResult, r OffenceRow, inserted map[string]bool, existing map[string]existingEvent) {
	if inserted[r.Offence.ID] {
		res.Outcome = Inserted
		return
	}
	e, ok := existing[r.Offence.ID]
	if !ok {
		res.Outcome, res.Detail = UnknownNEPH, fmt.Sprintf("aucun permis de conduire avec le NEPH %s", r.NEPH)
		return
	}
	o := r.Offence
	var field string
	switch {
	case e.kind != KindOffence:
		field = "type d'événement (stage)"
	case e.neph != string(r.NEPH):
		field = "NEPH"
	case e.committed != date.Some(o.Committed):
		field = "date de l'infraction"
	case e.established != date.Some(o.Established):
		field = "date de réalité établie"
	case e.points != o.Points:
		field = "nombre de points"
	case e.class != string(o.Class):
		field = "classe"
	case e.occasion != o.Occasion:
		field = "occasion"
	}
	if field == "" {
		res.Outcome = AlreadyPresent
		return
	}
	res.Outcome = ConflictingDuplicate
	res.Detail = "événement déjà enregistré avec un autre champ : " + field
}

// offenceRowDiff names the first field in which two rows of the same event
// differ, or returns "".
func offenceRowDiff(a, b OffenceRow) string {
	switch {
	case a.NEPH != b.NEPH:
		return "NEPH"
	case a.Offence.Committed != b.Offence.Committed:
		return "date de l'infraction"
	case a.Offence.Established != b.Offence.Established:
		return "date de réalité établie"
	case a.Offence.Points != b.Offence.Points:
		return "nombre de points"
	case a.Offence.Class != b.Offence.Class:
		return "classe"
	case a.Offence.Occasion != b.Offence.Occasion:
		return "occasion"
	}
	return ""
}

const importCols = 9 // event_id, licence_id, committed, established, points, class, occasion, nature, recorded_at

// importValues is the portable path (SQLite): the NEPHs are resolved to
// licence ids first, in NEPH order, then the rows are inserted in licence-id
// order with multi-row INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING,
// chunked under the parameter limit, then the rows that were not inserted
// are read back. The two orders keep each B-tree's accesses local in a
// large register: the NEPH index is walked in order, and the inserts (the
// licence_id index, the foreign-key look-up of the licence) move forward
// through their pages instead of jumping to a random page per row (issue 15,
// item 2; BENCHMARKS.md). The change marks are appended to points_changed by
// the triggers, on its last page.
func (s *Store) importValues(ctx context.Context, rows []OffenceRow, unique []int) (map[string]bool, map[string]existingEvent, error) {
	ids, err := s.licenceIDs(ctx, s.writer(), unresolved(rows, unique))
	if err != nil {
		return nil, nil, err
	}
	type keyed struct {
		licence int64
		row     int
	}
	known := make([]keyed, 0, len(unique))
	for _, i := range unique {
		if id := rows[i].licence(ids); id != 0 {
			known = append(known, keyed{id, i})
		}
	}
	slices.SortStableFunc(known, func(a, b keyed) int { return cmp.Compare(a.licence, b.licence) })
	recorded := s.d.ts(s.now())
	inserted := make(map[string]bool, len(unique))
	row := `(?, ?, 'offence', ?, ?, ?, ?, ?, ?, ?)`
	if s.d.dollar {
		row = `(?, ?, 'offence', ?::date, ?::date, ?::smallint, ?, ?, ?, ?)`
	}
	for chunk := range slices.Chunk(known, s.d.batchParams/importCols) {
		args := make([]any, 0, len(chunk)*importCols)
		for _, k := range chunk {
			r := &rows[k.row]
			o := r.Offence
			args = append(args, o.ID, k.licence, o.Committed, o.Established, o.Points, string(o.Class), o.Occasion, r.Nature, recorded)
		}
		q := `INSERT INTO point_events (event_id, licence_id, kind, committed, established, points, class, occasion, nature, recorded_at)
			VALUES ` + rowsOf(len(chunk), row) + `
			ON CONFLICT (event_id) DO NOTHING RETURNING event_id`
		if err := s.collectIDs(ctx, q, args, inserted); err != nil {
			return nil, nil, err
		}
	}
	var rest []string
	for _, i := range unique {
		if id := rows[i].Offence.ID; !inserted[id] {
			rest = append(rest, id)
		}
	}
	existing := make(map[string]existingEvent)
	for chunk := range slices.Chunk(rest, s.d.batchParams) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := s.readExisting(ctx, `WHERE e.event_id IN (`+placeholders(len(chunk))+`)`, args, existing); err != nil {
			return nil, nil, err
		}
	}
	return inserted, existing, nil
}

// SortByLicence puts rows in the order of their licences in the register,
// then of their lines, the rows whose NEPH is unknown first, and keeps each
// row's licence for ImportOffences, which then does not look it up again.
// The importer
// calls it on a window of many batches (package ingest): the batches then
// cover disjoint ranges of licences, and each page of the licence-ordered
// B-trees (the licence_id index of point_events, the licences looked up for
// the foreign key) is written or read by one transaction of the window,
// not once per row (issue 15, item 2; BENCHMARKS.md). It only reads.
func (s *Store) SortByLicence(ctx context.Context, rows []OffenceRow) error {
	nephs := make([]string, len(rows))
	for i := range rows {
		nephs[i] = string(rows[i].NEPH)
	}
	ids, err := s.licenceIDs(ctx, s.reader(), nephs)
	if err != nil {
		return err
	}
	for i := range rows {
		rows[i].licenceID = ids[rows[i].NEPH]
	}
	// Lines are unique in a file: licence then line is a total order, and
	// the unstable sort moves the 128-byte rows far less than a stable one.
	slices.SortFunc(rows, func(a, b OffenceRow) int {
		return cmp.Or(cmp.Compare(a.licenceID, b.licenceID), cmp.Compare(a.Line, b.Line))
	})
	return nil
}

// unresolved returns the NEPHs of the unique rows SortByLicence did not
// resolve (all of them when it was not called).
func unresolved(rows []OffenceRow, unique []int) []string {
	var nephs []string
	for _, i := range unique {
		if rows[i].licenceID == 0 {
			nephs = append(nephs, string(rows[i].NEPH))
		}
	}
	return nephs
}

// licence returns the row's licence: the one SortByLicence found, else the
// one in ids; 0 when its NEPH is unknown.
func (r *OffenceRow) licence(ids map[licence.NEPH]int64) int64 {
	if r.licenceID != 0 {
		return r.licenceID
	}
	return ids[r.NEPH]
}

// licenceIDs resolves NEPHs to licence ids, walking the NEPH index in
// order; an unknown NEPH is absent from the map. It sorts nephs.
func (s *Store) licenceIDs(ctx context.Context, q querier, nephs []string) (map[licence.NEPH]int64, error) {
	slices.Sort(nephs)
	nephs = slices.Compact(nephs)
	ids := make(map[licence.NEPH]int64, len(nephs))
	for chunk := range slices.Chunk(nephs, s.d.batchParams) {
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n
		}
		rs, err := q.QueryContext(ctx, s.d.rebind(`SELECT neph, id FROM licences WHERE neph IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return nil, s.d.translate(err)
		}
		for rs.Next() {
			var neph string
			var id int64
			if err := rs.Scan(&neph, &id); err != nil {
				rs.Close()
				return nil, err
			}
			ids[licence.NEPH(neph)] = id
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, s.d.translate(err)
		}
	}
	return ids, nil
}

func (s *Store) collectIDs(ctx context.Context, q string, args []any, into map[string]bool) error {
	res, err := s.writer().QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return s.d.translate(err)
	}
	defer res.Close()
	for res.Next() {
		var id string
		if err := res.Scan(&id); err != nil {
			return err
		}
		into[id] = true
	}
	return s.d.translate(res.Err())
}

const existingSelect = `SELECT e.event_id, l.neph, e.kind, e.committed, e.established, e.points, e.class, e.occasion
	FROM point_events e JOIN licences l ON l.id = e.licence_id `

func (s *Store) readExisting(ctx context.Context, where string, args []any, into map[string]existingEvent) error {
	rs, err := s.writer().QueryContext(ctx, s.d.rebind(existingSelect+where), args...)
	if err != nil {
		return s.d.translate(err)
	}
	defer rs.Close()
	for rs.Next() {
		var (
			id string
			e  existingEvent
		)
		if err := rs.Scan(&id, &e.neph, &e.kind, &e.committed, &e.established, &e.points, &e.class, &e.occasion); err != nil {
			return err
		}
		into[id] = e
	}
	return rs.Err()
}

// importCopy is the PostgreSQL path: the NEPHs SortByLicence did not
// resolve are looked up in one statement, the rows are copied with their
// licence into a temporary staging table (COPY), then one INSERT … SELECT
// … ON CONFLICT DO NOTHING RETURNING in licence order, then one read of
// the staged events that were already there.
func (s *Store) importCopy(ctx context.Context, tx pgx.Tx, rows []OffenceRow, unique []int) (map[string]bool, map[string]existingEvent, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS import_stage (
		event_id TEXT, licence_id BIGINT, committed DATE, established DATE, points SMALLINT, class TEXT, occasion TEXT, nature TEXT
	) ON COMMIT DELETE ROWS`); err != nil {
		return nil, nil, err
	}
	if _, err := tx.Exec(ctx, `TRUNCATE import_stage`); err != nil { // left over by a rolled-back import
		return nil, nil, err
	}
	nephs := unresolved(rows, unique)
	ids := make(map[licence.NEPH]int64, len(nephs))
	if len(nephs) > 0 {
		slices.Sort(nephs)
		rs, err := tx.Query(ctx, `SELECT neph, id FROM licences WHERE neph = ANY($1)`, slices.Compact(nephs))
		if err != nil {
			return nil, nil, err
		}
		for rs.Next() {
			var neph string
			var id int64
			if err := rs.Scan(&neph, &id); err != nil {
				rs.Close()
				return nil, nil, err
			}
			ids[licence.NEPH(neph)] = id
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, nil, err
		}
	}
	n := 0
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"},
		[]string{"event_id", "licence_id", "committed", "established", "points", "class", "occasion", "nature"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if n == len(unique) {
				return nil, nil
			}
			r := rows[unique[n]]
			n++
			o := r.Offence
			var id any // NULL: unknown NEPH, staged for the read of existing events
			if known := r.licence(ids); known != 0 {
				id = known
			}
			return []any{o.ID, id, copyDate(o.Committed), copyDate(o.Established), int16(o.Points),
				string(o.Class), o.Occasion, r.Nature}, nil
		}))
	if err != nil {
		return nil, nil, fmt.Errorf("store: copy offences: %w", err)
	}
	inserted := make(map[string]bool, len(unique))
	rs, err := tx.Query(ctx, `INSERT INTO point_events (event_id, licence_id, kind, committed, established, points, class, occasion, nature, recorded_at)
		SELECT v.event_id, v.licence_id, 'offence', v.committed, v.established, v.points, v.class, v.occasion, v.nature, $1
		FROM import_stage v WHERE v.licence_id IS NOT NULL
		ORDER BY v.licence_id -- index inserts and the trigger's marks move forward through their pages
		ON CONFLICT (event_id) DO NOTHING RETURNING event_id`, s.now().UTC())
	if err != nil {
		return nil, nil, err
	}
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			rs.Close()
			return nil, nil, err
		}
		inserted[id] = true
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, nil, err
	}
	existing := make(map[string]existingEvent)
	if len(inserted) == len(unique) {
		return inserted, existing, nil
	}
	rs, err = tx.Query(ctx, existingSelect+`JOIN import_stage v ON v.event_id = e.event_id`)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	for rs.Next() {
		var (
			id string
			e  existingEvent
		)
		if err := rs.Scan(&id, &e.neph, &e.kind, &e.committed, &e.established, &e.points, &e.class, &e.occasion); err != nil {
			return nil, nil, err
		}
		if !inserted[id] {
			existing[id] = e
		}
	}
	return inserted, existing, rs.Err()
}
