package directory

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/date"
)

// readAll reads the whole file within the size limit, drops a UTF-8 byte
// order mark and refuses text that is not UTF-8, naming the first line
// where it is not.
func readAll(r io.Reader, opt Options) ([]byte, error) {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "Le fichier n'a pas pu être lu.", err)
	}
	if int64(len(data)) > limit {
		return nil, apperr.New(apperr.Invalid, fmt.Sprintf("Le fichier dépasse la taille permise (%d Mo).", limit>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		line := 1
		for len(data) > 0 {
			r, n := utf8.DecodeRune(data)
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			data = data[n:]
		}
		return nil, apperr.New(apperr.Invalid, fmt.Sprintf("Le fichier n'est pas encodé en UTF-8 (ligne %d) : "+
			"il a sans doute été enregistré en Windows-1252 ou Latin-1. Enregistrez-le au format « CSV UTF-8 » et importez-le à nouveau.", line))
	}
	return data, nil
}

// parseCoord reads a latitude or longitude: a decimal number with a point
// or, as French spreadsheets write it, a comma.
func parseCoord(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" || strings.ContainsAny(s, "xXeEiInN_") { // no hex, exponents, Inf or NaN
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// position reads the two coordinate values of a row: both or neither.
func position(lat, lon string, at func(field, reason string)) *Point {
	lat, lon = strings.TrimSpace(lat), strings.TrimSpace(lon)
	if lat == "" && lon == "" {
		return nil
	}
	ok := true
	var p Point
	for _, c := range []struct {
		field, v, what string
		dst            *float64
	}{{FieldLatitude, lat, "La latitude", &p.Lat}, {FieldLongitude, lon, "La longitude", &p.Lon}} {
		if c.v == "" {
			at(c.field, c.what+" manque alors que l'autre coordonnée est donnée : indiquez les deux, ou aucune.")
			ok = false
			continue
		}
		f, good := parseCoord(c.v)
		if !good {
			at(c.field, fmt.Sprintf("%s doit être un nombre décimal en degrés, par exemple 43.6109 (trouvé %s).", c.what, quote(c.v)))
			ok = false
		}
		*c.dst = f
	}
	if !ok {
		return nil
	}
	return &p
}

// updated reads the date of last update: an ISO date, possibly with a
// time ("2024-05-17" or "2024-05-17T09:12:00Z"). A value it cannot read is
// ignored with a warning: it is information, not the place.
func updated(s string, warn func(field, reason string)) date.Null {
	s = strings.TrimSpace(s)
	if s == "" {
		return date.Null{}
	}
	v := s
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	d, err := date.Parse(v)
	if err != nil {
		warn(FieldUpdated, fmt.Sprintf("Date de mise à jour illisible %s (attendu AAAA-MM-JJ, par exemple 2025-03-14) : elle est ignorée.", quote(s)))
		return date.Null{}
	}
	return date.Some(d)
}

// typology reads typology codes, dropping unknown ones with a warning.
func typology(items []string, warn func(field, reason string)) []string {
	var out []string
	for _, it := range items {
		for _, code := range splitList(it, ";,|") {
			c, ok := ParseTypology(code)
			if !ok {
				warn(FieldTypology, fmt.Sprintf("Code de typologie inconnu %s : il est ignoré.", quote(code)))
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// derivedID is the id of a row that has none: a digest of what identifies
// the place (kind, name, address, postal code, folded), so that importing
// the same file again finds the same entries. Changing one of these makes
// a new entry; give ids to avoid that.
func derivedID(e Entry) string {
	h := sha256.Sum256([]byte(strings.Join([]string{string(e.Kind), FoldName(e.Name), FoldName(e.Address), e.PostalCode}, "|")))
	return "h-" + hex.EncodeToString(h[:8])
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
