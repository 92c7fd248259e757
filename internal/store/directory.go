package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/directory"
	"permis/internal/openinghours"
)

// directoryCols are the columns an entry is written to, in the order of
// directoryRow; content_hash, revision and the timestamps follow.
var directoryCols = []string{"source", "source_id", "kind", "typology", "name", "name_key", "address", "complement",
	"postal_code", "commune", "commune_key", "insee", "lat", "lon", "phone", "email", "website", "opening_hours",
	"services", "accessibility", "appointment", "approval_number", "updated_on"}

// directorySelect is what a read selects, in the order of scanDirectoryEntry.
const directorySelect = `id, source, source_id, kind, typology, name, address, complement, postal_code, commune,
	insee, lat, lon, phone, email, website, opening_hours, services, accessibility, appointment, approval_number, updated_on`

// directoryUpsertTail makes the insert an upsert on the entry's identity,
// writing only entries whose content changed, and returns the revision of
// each row written: 1 for a new entry, more for an updated one.
var directoryUpsertTail = func() string {
	var set []string
	for _, c := range directoryCols[2:] {
		set = append(set, c+" = excluded."+c)
	}
	return ` ON CONFLICT (source, source_id) DO UPDATE SET ` + strings.Join(set, ", ") + `,
		content_hash = excluded.content_hash, revision = directory_entries.revision + 1, changed_at = excluded.changed_at
		WHERE directory_entries.content_hash <> excluded.content_hash
		RETURNING revision`
}()

// UpsertDirectoryEntries records entries (from an importer: normalised and
// valid), keyed by their source and source id: a new key is inserted, a
// known one updated when its content changed and left alone otherwise, so
// importing the same file twice writes nothing the second time. When the
// same key comes twice, the last one counts. All the entries are written in
// one transaction, in multi-row statements.
func (s *Store) UpsertDirectoryEntries(ctx context.Context, entries []directory.Entry) (directory.UpsertResult, error) {
	var res directory.UpsertResult
	last := make(map[[2]string]int, len(entries))
	for i, e := range entries {
		if e.Source == "" || e.SourceID == "" || !e.Kind.Valid() || e.Position != nil && !e.Position.Valid() {
			return res, apperr.New(apperr.Invalid, fmt.Sprintf("Le lieu « %s » n'a pas de source, d'identifiant, de type ou de position valable.", e.Name))
		}
		last[[2]string{e.Source, e.SourceID}] = i
	}
	now := s.d.ts(s.now())
	rows := make([][]any, 0, len(last))
	for i, e := range entries {
		if last[[2]string{e.Source, e.SourceID}] == i {
			rows = append(rows, append(directoryRow(e), now, now))
		}
	}
	cols := append(slices.Clone(directoryCols), "content_hash", "created_at", "changed_at")
	head := `INSERT INTO directory_entries (` + strings.Join(cols, ", ") + `) VALUES `
	row := "(" + placeholders(len(cols)) + ")"
	per := s.d.batchParams / len(cols)
	err := s.Transact(ctx, func(tx *Store) error {
		res = directory.UpsertResult{}
		args := make([]any, 0, per*len(cols))
		for chunk := range slices.Chunk(rows, per) {
			args = args[:0]
			for _, r := range chunk {
				args = append(args, r...)
			}
			rs, err := tx.writer().QueryContext(ctx, tx.d.rebind(head+rowsOf(len(chunk), row)+directoryUpsertTail), args...)
			if err != nil {
				return tx.d.translate(err)
			}
			written := 0
			for rs.Next() {
				var rev int
				if err := rs.Scan(&rev); err != nil {
					rs.Close()
					return err
				}
				if rev == 1 {
					res.Inserted++
				} else {
					res.Updated++
				}
				written++
			}
			if err := rs.Close(); err != nil {
				return tx.d.translate(err)
			}
			if err := rs.Err(); err != nil {
				return tx.d.translate(err)
			}
			res.Unchanged += len(chunk) - written
		}
		return nil
	})
	return res, err
}

// directoryRow is an entry's values for directoryCols, then its content hash.
func directoryRow(e directory.Entry) []any {
	var lat, lon any
	if e.Position != nil {
		lat, lon = e.Position.Lat, e.Position.Lon
	}
	v := []any{e.Source, e.SourceID, string(e.Kind), directoryListJSON(e.Typology), e.Name, directory.FoldName(e.Name),
		e.Address, e.Complement, e.PostalCode, e.Commune, directory.FoldCommune(e.Commune), e.INSEE, lat, lon,
		e.Phone, e.Email, e.Website, e.OpeningHours, directoryListJSON(e.Services), e.Accessibility, e.Appointment,
		e.ApprovalNumber, e.Updated}
	b, _ := json.Marshal(v) // plain values: cannot fail
	h := sha256.Sum256(b)
	return append(v, hex.EncodeToString(h[:16]))
}

func directoryListJSON(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func scanDirectoryEntry(sc scanner) (directory.Entry, error) {
	var (
		e              directory.Entry
		kind, typ, svc string
		lat, lon       sql.NullFloat64
	)
	err := sc.Scan(&e.ID, &e.Source, &e.SourceID, &kind, &typ, &e.Name, &e.Address, &e.Complement, &e.PostalCode,
		&e.Commune, &e.INSEE, &lat, &lon, &e.Phone, &e.Email, &e.Website, &e.OpeningHours, &svc, &e.Accessibility,
		&e.Appointment, &e.ApprovalNumber, &e.Updated)
	if err != nil {
		return e, err
	}
	e.Kind = directory.Kind(kind)
	if lat.Valid && lon.Valid {
		e.Position = &directory.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	if err := json.Unmarshal([]byte(typ), &e.Typology); err != nil {
		return e, fmt.Errorf("store: directory entry %d typology: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(svc), &e.Services); err != nil {
		return e, fmt.Errorf("store: directory entry %d services: %w", e.ID, err)
	}
	if len(e.Typology) == 0 {
		e.Typology = nil
	}
	if len(e.Services) == 0 {
		e.Services = nil
	}
	return e, nil
}

const errUnknownDirectoryEntry = "Ce lieu n'est pas dans l'annuaire."

// FindDirectoryEntry returns the entry with that id, or a not_found error.
func (s *Store) FindDirectoryEntry(ctx context.Context, id int64) (directory.Entry, error) {
	e, err := scanDirectoryEntry(s.queryRow(ctx, `SELECT `+directorySelect+` FROM directory_entries WHERE id = ?`, id))
	return e, notFound(s.d.translate(err), errUnknownDirectoryEntry)
}

// CountDirectory counts the entries of each kind; every kind is in the
// map, with 0 when there is none.
func (s *Store) CountDirectory(ctx context.Context) (map[directory.Kind]int, error) {
	out := make(map[directory.Kind]int)
	for _, k := range directory.Kinds() {
		out[k] = 0
	}
	rows, err := s.query(ctx, `SELECT kind, count(*) FROM directory_entries GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k string
			n int
		)
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[directory.Kind(k)] = n
	}
	return out, s.d.translate(rows.Err())
}

// directoryOpenChecker answers "open at t" for many entries, parsing each distinct
// opening_hours value once.
type directoryOpenChecker struct {
	t     time.Time
	cache map[string]*openinghours.Schedule
}

func (o *directoryOpenChecker) open(hours, insee, postalCode string) bool {
	if hours == "" {
		return false
	}
	sch, ok := o.cache[hours]
	if !ok {
		sch, _ = openinghours.Parse(hours) // nil (always closed) when unreadable
		o.cache[hours] = sch
	}
	return sch.OpenAt(o.t, directory.Entry{INSEE: insee, PostalCode: postalCode}.Departement())
}
