package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/directory"
	"permis/internal/openinghours"
)

// DirectoryFilter says which entries SearchDirectory returns. Every field
// set narrows the search; the zero value lists everything, by commune.
type DirectoryFilter struct {
	Kinds []directory.Kind // any of these kinds; all when empty
	// Commune matches the commune's folded form exactly
	// (directory.FoldCommune): "beziers" finds "Béziers", "Montpellier"
	// finds "Montpellier Cedex 2", "Lunel" does not find "Lunel-Viel".
	Commune string
	// PostalCode is a prefix of one to five digits: "34" is the whole
	// Hérault, "34000" one code.
	PostalCode string
	// Near orders the results by distance from this point, closest first,
	// and keeps those within RadiusKm (directory.DefaultRadiusKm when 0,
	// directory.MaxRadiusKm at most). Entries without a position are left
	// out.
	Near     *directory.Point
	RadiusKm float64
	// OpenAt keeps the entries whose opening hours say open at that
	// instant ("open now"), with the public holidays of each entry's
	// département. Unknown ("sur rendez-vous", no hours) is not open.
	OpenAt *time.Time
	// Limit bounds the results (directory.DefaultLimit when 0, at most
	// directory.MaxLimit).
	Limit int
}

// DirectoryHit is one result of SearchDirectory.
type DirectoryHit struct {
	directory.Entry
	DistanceKm float64 // from DirectoryFilter.Near; 0 without it
}

// SearchDirectory returns the entries that match f. Without Near they come
// by commune then name (folded, so accents do not move a name), with Near
// by distance. A distance search prefilters in SQL on the bounding box of
// the circle (an index on lat, lon), computes the exact haversine distance
// of each candidate in Go, keeps those within the radius and sorts them;
// only the entries returned are then read in full. "Open now" is decided in
// Go on the candidates in their final order, until Limit are found.
func (s *Store) SearchDirectory(ctx context.Context, f DirectoryFilter) ([]DirectoryHit, error) {
	f, err := f.check()
	if err != nil {
		return nil, err
	}
	where, args := f.where()
	var oc *directoryOpenChecker
	if f.OpenAt != nil {
		oc = &directoryOpenChecker{t: *f.OpenAt, cache: map[string]*openinghours.Schedule{}}
	}
	if f.Near == nil {
		return s.searchByCommune(ctx, f, where, args, oc)
	}
	return s.searchNear(ctx, f, where, args, oc)
}

// check validates the filter and fills in the defaults.
func (f DirectoryFilter) check() (DirectoryFilter, error) {
	for _, k := range f.Kinds {
		if !k.Valid() {
			return f, apperr.Field("type", fmt.Sprintf("Type de lieu inconnu « %s ».", k))
		}
	}
	if c := strings.TrimSpace(f.Commune); c != "" && directory.FoldCommune(c) == "" {
		return f, apperr.Field("commune", "Saisissez le nom d'une commune.")
	}
	f.PostalCode = strings.Join(strings.Fields(f.PostalCode), "")
	if f.PostalCode != "" && (len(f.PostalCode) > 5 || strings.Trim(f.PostalCode, "0123456789") != "") {
		return f, apperr.Field("code_postal", "Saisissez un code postal, ou son début, en chiffres : 34 ou 34000.")
	}
	if f.Near != nil {
		if !f.Near.Valid() {
			return f, apperr.Field("position", "La position doit avoir une latitude entre -90 et 90 et une longitude entre -180 et 180.")
		}
		if f.RadiusKm == 0 {
			f.RadiusKm = directory.DefaultRadiusKm
		}
		if !(f.RadiusKm > 0 && f.RadiusKm <= directory.MaxRadiusKm) {
			return f, apperr.Field("rayon", fmt.Sprintf("Le rayon doit être compris entre 0 et %d km.", directory.MaxRadiusKm))
		}
	}
	switch {
	case f.Limit <= 0:
		f.Limit = directory.DefaultLimit
	case f.Limit > directory.MaxLimit:
		f.Limit = directory.MaxLimit
	}
	return f, nil
}

// where is the SQL condition of the filter's kinds, commune, postal code
// and, with Near, bounding box.
func (f DirectoryFilter) where() (string, []any) {
	var (
		conds []string
		args  []any
	)
	if len(f.Kinds) > 0 {
		conds = append(conds, "kind IN ("+placeholders(len(f.Kinds))+")")
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	if key := directory.FoldCommune(f.Commune); key != "" {
		conds = append(conds, "commune_key = ?")
		args = append(args, key)
	}
	if p := f.PostalCode; len(p) == 5 {
		conds = append(conds, "postal_code = ?")
		args = append(args, p)
	} else if p != "" {
		// A range, not LIKE: the index serves it in both databases
		// (postal_code is in the C collation on PostgreSQL).
		conds = append(conds, "postal_code >= ?")
		args = append(args, p)
		if next, ok := nextPrefix(p); ok {
			conds = append(conds, "postal_code < ?")
			args = append(args, next)
		}
	}
	if f.Near != nil {
		b := directory.BoxAround(*f.Near, f.RadiusKm)
		conds = append(conds, "lat IS NOT NULL AND lat >= ? AND lat <= ?")
		args = append(args, b.MinLat, b.MaxLat)
		if !b.AllLongitudes() {
			conds = append(conds, "lon >= ? AND lon <= ?")
			args = append(args, b.MinLon, b.MaxLon)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// nextPrefix is the smallest digit string of the same length after p ("34"
// → "35", "349" → "350"); false for "9", "99"…, which have none.
func nextPrefix(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b), true
		}
		b[i] = '0'
	}
	return "", false
}

// searchByCommune reads the entries in commune and name order. With OpenAt
// it reads until Limit open entries are found, since the database cannot
// tell which are open.
func (s *Store) searchByCommune(ctx context.Context, f DirectoryFilter, where string, args []any, oc *directoryOpenChecker) ([]DirectoryHit, error) {
	q := `SELECT ` + directorySelect + ` FROM directory_entries` + where + ` ORDER BY commune_key, name_key, id`
	if oc == nil {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DirectoryHit
	for len(out) < f.Limit && rows.Next() {
		e, err := scanDirectoryEntry(rows)
		if err != nil {
			return nil, err
		}
		if oc == nil || oc.open(e.OpeningHours, e.INSEE, e.PostalCode) {
			out = append(out, DirectoryHit{Entry: e})
		}
	}
	return out, s.d.translate(rows.Err())
}

// directoryCandidate is an entry in the box of a distance search, before it is read
// in full.
type directoryCandidate struct {
	id                       int64
	dist                     float64
	nameKey                  string
	hours, insee, postalCode string
}

// searchNear runs a distance search: candidates from the box, exact
// distance, radius, order, open now, limit; then the full entries.
func (s *Store) searchNear(ctx context.Context, f DirectoryFilter, where string, args []any, oc *directoryOpenChecker) ([]DirectoryHit, error) {
	cols := `id, lat, lon, name_key`
	if oc != nil {
		cols += `, opening_hours, insee, postal_code`
	}
	rows, err := s.query(ctx, `SELECT `+cols+` FROM directory_entries`+where, args...)
	if err != nil {
		return nil, err
	}
	var cands []directoryCandidate
	for rows.Next() {
		var (
			c directoryCandidate
			p directory.Point
		)
		dest := []any{&c.id, &p.Lat, &p.Lon, &c.nameKey}
		if oc != nil {
			dest = append(dest, &c.hours, &c.insee, &c.postalCode)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, err
		}
		if c.dist = directory.DistanceKm(*f.Near, p); c.dist <= f.RadiusKm {
			cands = append(cands, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.d.translate(err)
	}
	slices.SortFunc(cands, func(a, b directoryCandidate) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), strings.Compare(a.nameKey, b.nameKey), cmp.Compare(a.id, b.id))
	})
	kept := cands[:0]
	for _, c := range cands {
		if len(kept) == f.Limit {
			break
		}
		if oc == nil || oc.open(c.hours, c.insee, c.postalCode) {
			kept = append(kept, c)
		}
	}
	return s.directoryHits(ctx, kept)
}

// directoryHits reads the entries of the candidates in full, in their
// order, with their distances.
func (s *Store) directoryHits(ctx context.Context, cands []directoryCandidate) ([]DirectoryHit, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	// The id list is padded to a power of two (repeating the last id), so
	// that a handful of statement shapes serve every result size.
	n := 1
	for n < len(cands) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = cands[min(i, len(cands)-1)].id
	}
	rows, err := s.query(ctx, `SELECT `+directorySelect+` FROM directory_entries WHERE id IN (`+placeholders(n)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]directory.Entry, len(cands))
	for rows.Next() {
		e, err := scanDirectoryEntry(rows)
		if err != nil {
			return nil, err
		}
		byID[e.ID] = e
	}
	if err := rows.Err(); err != nil {
		return nil, s.d.translate(err)
	}
	out := make([]DirectoryHit, 0, len(cands))
	for _, c := range cands {
		if e, ok := byID[c.id]; ok {
			out = append(out, DirectoryHit{Entry: e, DistanceKm: c.dist})
		}
	}
	return out, nil
}
