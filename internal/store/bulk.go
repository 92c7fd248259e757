package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// BulkLicence is one licence holder for BulkLoad: the person, the licence
// with its categories and restrictions, its cards and its ledger.
type BulkLicence struct {
	Person   licence.Person
	Licence  licence.Licence
	Titles   []licence.Title
	Offences []points.Offence
	Courses  []points.Course
}

// BulkLoad writes many licence holders at once, for synthetic registers
// (permis demo): one transaction, multi-row inserts on SQLite, COPY on
// PostgreSQL. It assigns the ids (person, licence, titles) in batch, which
// it updates. Callers load a large register in batches of some 10 000.
func (s *Store) BulkLoad(ctx context.Context, batch []BulkLicence) error {
	if len(batch) == 0 {
		return nil
	}
	err := s.pgTransact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE persons, licences, titles IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		b, err := s.bulkIDs(ctx, func(q string) (int64, error) {
			var n int64
			err := tx.QueryRow(ctx, q).Scan(&n)
			return n, err
		}, batch)
		if err != nil {
			return err
		}
		for _, t := range b.tables(batch, s.now(), true) {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("store: copy %s: %w", t.name, err)
			}
		}
		for _, tbl := range []string{"persons", "licences", "titles"} {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'), (SELECT max(id) FROM `+tbl+`))`); err != nil {
				return err
			}
		}
		return nil
	})
	if err != errNoNative {
		return err
	}
	return s.Transact(ctx, func(tx *Store) error {
		b, err := s.bulkIDs(ctx, func(q string) (int64, error) {
			var n int64
			err := tx.queryRow(ctx, q).Scan(&n)
			return n, err
		}, batch)
		if err != nil {
			return err
		}
		for _, t := range b.tables(batch, s.now(), false) {
			if err := tx.insertRows(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
}

type bulkBase struct{ person, licence, title int64 }

// bulkIDs assigns ids after the current maxima.
func (s *Store) bulkIDs(ctx context.Context, one func(q string) (int64, error), batch []BulkLicence) (bulkBase, error) {
	var b bulkBase
	var err error
	for _, x := range []struct {
		p     *int64
		table string
	}{{&b.person, "persons"}, {&b.licence, "licences"}, {&b.title, "titles"}} {
		if *x.p, err = one(`SELECT coalesce(max(id), 0) FROM ` + x.table); err != nil {
			return b, err
		}
	}
	p, l, t := b.person, b.licence, b.title
	for i := range batch {
		p++
		l++
		batch[i].Person.ID = p
		batch[i].Licence.ID, batch[i].Licence.PersonID = l, p
		for j := range batch[i].Titles {
			t++
			batch[i].Titles[j].ID, batch[i].Titles[j].LicenceID = t, l
		}
	}
	return b, nil
}

// bulkTable is rows for one table.
type bulkTable struct {
	name string
	cols []string
	rows [][]any
}

// tables turns the batch into rows; copy selects the value forms COPY's
// binary encoding wants (time.Time dates) over the database/sql ones.
func (bulkBase) tables(batch []BulkLicence, now time.Time, copy bool) []bulkTable {
	dv := func(d date.Date) any { return d }
	nv := func(n date.Null) any { return n }
	ts := any(now.UTC().Format(sqliteTime))
	if copy {
		dv, nv, ts = copyDate, copyNullDate, copyTime(now)
	}
	persons := bulkTable{name: "persons", cols: []string{"id", "family_name", "usage_name", "given_names", "birth_date",
		"birth_place", "birth_country", "sex", "email", "address_line1", "address_line2", "postal_code", "city", "country", "created_at"}}
	licences := bulkTable{name: "licences", cols: []string{"id", "neph", "person_id", "obtained", "probation",
		"complementary_training", "departement", "state", "state_since", "state_until", "created_at"}}
	cats := bulkTable{name: "licence_categories", cols: []string{"licence_id", "category", "obtained", "valid_until", "medical_until"}}
	restr := bulkTable{name: "licence_restrictions", cols: []string{"licence_id", "code", "category", "detail"}}
	titles := bulkTable{name: "titles", cols: []string{"id", "licence_id", "number", "mrz", "issued", "expires", "state", "state_since"}}
	measures := bulkTable{name: "right_measures", cols: []string{"licence_id", "kind", "start_date", "end_date", "reason", "ref"}}
	events := bulkTable{name: "point_events", cols: []string{"event_id", "licence_id", "kind", "committed", "established",
		"points", "class", "occasion", "nature", "recorded_at"}}
	for _, x := range batch {
		p, l := x.Person, x.Licence
		given, _ := json.Marshal(nonNil(p.GivenNames))
		persons.rows = append(persons.rows, []any{p.ID, p.FamilyName, p.UsageName, string(given), dv(p.BirthDate),
			p.BirthPlace, p.BirthCountry, string(p.Sex), p.Email, p.Address.Line1, p.Address.Line2, p.Address.PostalCode,
			p.Address.City, p.Address.Country, ts})
		licences.rows = append(licences.rows, []any{l.ID, string(l.NEPH), l.PersonID, dv(l.Obtained), string(l.Probation),
			nv(l.ComplementaryTraining), l.Departement, string(l.State), dv(l.StateSince), nv(l.StateUntil), ts})
		if m, ok := CurrentMeasure(l); ok {
			measures.rows = append(measures.rows, []any{l.ID, m.Kind, dv(m.Start), nv(m.End), m.Reason, m.Ref})
		}
		for _, c := range l.Categories {
			cats.rows = append(cats.rows, []any{l.ID, string(c.Category), dv(c.Obtained), nv(c.ValidUntil), nv(c.MedicalUntil)})
		}
		for _, r := range l.Restrictions {
			restr.rows = append(restr.rows, []any{l.ID, r.Code, string(r.Category), r.Detail})
		}
		for _, t := range x.Titles {
			titles.rows = append(titles.rows, []any{t.ID, l.ID, string(t.Number), t.MRZ, dv(t.Issued), dv(t.Expires),
				string(t.State), dv(t.StateSince)})
		}
		for _, o := range x.Offences {
			events.rows = append(events.rows, []any{o.ID, l.ID, KindOffence, dv(o.Committed), dv(o.Established),
				int16(o.Points), string(o.Class), o.Occasion, "", ts})
		}
		for _, c := range x.Courses {
			events.rows = append(events.rows, []any{c.ID, l.ID, KindCourse, nil, dv(c.LastDay), int16(0), "", "", "", ts})
		}
	}
	return []bulkTable{persons, licences, cats, restr, titles, measures, events}
}

// insertRows writes a table's rows with multi-row INSERTs under the
// parameter limit.
func (s *Store) insertRows(ctx context.Context, t bulkTable) error {
	if len(t.rows) == 0 {
		return nil
	}
	row := "(" + placeholders(len(t.cols)) + ")"
	per := s.d.batchParams / len(t.cols)
	head := `INSERT INTO ` + t.name + ` (` + strings.Join(t.cols, ", ") + `) VALUES `
	full := head + rowsOf(per, row)
	args := make([]any, 0, per*len(t.cols))
	for chunk := range slices.Chunk(t.rows, per) {
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := full
		if len(chunk) < per {
			q = head + rowsOf(len(chunk), row)
		}
		if _, err := s.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: bulk %s: %w", t.name, err)
		}
	}
	return nil
}
