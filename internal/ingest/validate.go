package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/store"
)

// field is one column of the import formats, in the order rows are checked
// (so the first problem reported is always the same for a given row).
type field int

const (
	fEventID field = iota
	fNEPH
	fCommitted
	fEstablished
	fPoints
	fClass
	fOccasion
	fNature
	nFields
)

// Limits on the text fields (docs/import-format.md).
const (
	MaxEventIDLen  = 64  // characters of event_id
	MaxOccasionLen = 64  // characters of occasion
	MaxNatureLen   = 255 // characters of nature
	MaxPoints      = 6   // an offence never costs more than 6 points (REFERENCE §3.1)
)

// name returns the field's name in both formats.
func (f field) name() string {
	switch f {
	case fEventID:
		return "event_id"
	case fNEPH:
		return "neph"
	case fCommitted:
		return "committed"
	case fEstablished:
		return "established"
	case fPoints:
		return "points"
	case fClass:
		return "class"
	case fOccasion:
		return "occasion"
	case fNature:
		return "nature"
	}
	return "?"
}

func (f field) required() bool { return f != fOccasion && f != fNature }

// lookupField maps a field name to its field; the switch on string(b)
// allocates nothing.
func lookupField(name string) (field, bool) {
	switch name {
	case "event_id":
		return fEventID, true
	case "neph":
		return fNEPH, true
	case "committed":
		return fCommitted, true
	case "established":
		return fEstablished, true
	case "points":
		return fPoints, true
	case "class":
		return fClass, true
	case "occasion":
		return fOccasion, true
	case "nature":
		return fNature, true
	}
	return 0, false
}

// rawRow is a row as text, before validation: what both decoders produce.
// A field that is absent, null (NDJSON) or an empty cell (CSV) is not set.
type rawRow struct {
	val [nFields]string
	set [nFields]bool
}

func rowErr(line int, f field, k Kind, format string, args ...any) *RowError {
	return &RowError{Line: line, Field: f.name(), Kind: k, Reason: fmt.Sprintf(format, args...)}
}

// validate turns text into a row, or reports the first problem in field
// order. Every invariant of an accepted row is established here: valid
// dates, established ≥ committed, points 0–6, a known class, a NEPH of
// 10–19 digits, a usable event id.
func (raw *rawRow) validate(line int) (store.OffenceRow, *RowError) {
	for f := range nFields {
		if f.required() && !raw.set[f] {
			return store.OffenceRow{}, rowErr(line, f, KindMissingField, "champ obligatoire absent")
		}
	}
	row := store.OffenceRow{Line: line}
	o := &row.Offence
	var e *RowError
	if o.ID, e = checkText(line, fEventID, KindEventID, raw.val[fEventID], MaxEventIDLen); e != nil {
		return store.OffenceRow{}, e
	}
	if o.ID == "" {
		return store.OffenceRow{}, rowErr(line, fEventID, KindEventID, "identifiant vide")
	}
	if row.NEPH, e = parseNEPH(line, raw.val[fNEPH]); e != nil {
		return store.OffenceRow{}, e
	}
	if o.Committed, e = parseDate(line, fCommitted, raw.val[fCommitted]); e != nil {
		return store.OffenceRow{}, e
	}
	if o.Established, e = parseDate(line, fEstablished, raw.val[fEstablished]); e != nil {
		return store.OffenceRow{}, e
	}
	if o.Established.Before(o.Committed) {
		return store.OffenceRow{}, rowErr(line, fEstablished, KindDateOrder,
			"constatation du %s antérieure à l'infraction du %s", o.Established, o.Committed)
	}
	if o.Points, e = parsePoints(line, raw.val[fPoints]); e != nil {
		return store.OffenceRow{}, e
	}
	if o.Class, e = parseClass(line, raw.val[fClass]); e != nil {
		return store.OffenceRow{}, e
	}
	if o.Occasion, e = checkText(line, fOccasion, KindText, raw.val[fOccasion], MaxOccasionLen); e != nil {
		return store.OffenceRow{}, e
	}
	if row.Nature, e = checkText(line, fNature, KindText, raw.val[fNature], MaxNatureLen); e != nil {
		return store.OffenceRow{}, e
	}
	return row, nil
}

// checkText accepts valid UTF-8 of at most max characters without control
// characters: such a value fits one line of any report and one column of
// the register.
func checkText(line int, f field, k Kind, s string, max int) (string, *RowError) {
	if len(s) <= max && printableASCII(s) {
		return s, nil // the usual case, without decoding runes
	}
	if !utf8.ValidString(s) {
		return "", rowErr(line, f, k, "UTF-8 invalide (%s)", show(s))
	}
	n := 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) {
			return "", rowErr(line, f, k, "caractère de contrôle %U en position %d (%s)", r, n, show(s))
		}
	}
	if n > max {
		return "", rowErr(line, f, k, "%d caractères, %d au plus (%s)", n, max, show(s))
	}
	return s, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// parseNEPH takes the usual 12 digits, or 10 to 19, without copying; other
// input goes through licence.ParseNEPH, which also strips the separators
// people type and explains what is wrong.
func parseNEPH(line int, s string) (licence.NEPH, *RowError) {
	if n := len(s); n >= licence.NEPHMinLen && n <= licence.NEPHMaxLen && allDigits(s) {
		return licence.NEPH(s), nil
	}
	n, err := licence.ParseNEPH(s)
	if err != nil {
		reason := strings.TrimPrefix(err.Error(), licence.ErrNEPH.Error()+" : ")
		return "", rowErr(line, fNEPH, KindNEPH, "%s (%s)", reason, show(s))
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseDate(line int, f field, s string) (date.Date, *RowError) {
	d, err := date.Parse(s)
	switch {
	case err == nil:
		return d, nil
	case errors.Is(err, date.ErrImpossible):
		return 0, rowErr(line, f, KindDateImpossible, "date impossible (%s)", show(s))
	default:
		return 0, rowErr(line, f, KindDateSyntax, "date mal formée, AAAA-MM-JJ attendu (%s)", show(s))
	}
}

// parsePoints accepts an optional minus sign and digits, then checks the
// range; "3.0" or "1e0" are not integers in this format.
func parsePoints(line int, s string) (int, *RowError) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || !allDigits(digits) {
		return 0, rowErr(line, fPoints, KindPoints, "nombre entier de 0 à %d attendu (%s)", MaxPoints, show(s))
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxPoints {
		return 0, rowErr(line, fPoints, KindPoints, "%s hors de l'intervalle 0 à %d", show(s), MaxPoints)
	}
	return n, nil
}

// parseClass returns the package constants, so no row holds its own copy.
func parseClass(line int, s string) (points.Class, *RowError) {
	switch points.Class(s) {
	case points.Class1:
		return points.Class1, nil
	case points.Class2:
		return points.Class2, nil
	case points.Class3:
		return points.Class3, nil
	case points.Class4:
		return points.Class4, nil
	case points.Class5:
		return points.Class5, nil
	case points.Delit:
		return points.Delit, nil
	}
	return "", rowErr(line, fClass, KindClass, "classe inconnue (%s), attendu 1, 2, 3, 4, 5 ou delit", show(s))
}
