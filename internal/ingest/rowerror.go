package ingest

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Kind classifies why a row was rejected, so the summary can count rejects
// by reason. Its value is stable (it may appear in logs); Label is the French
// text people read.
type Kind string

// Reasons a row is rejected. The first group comes from the parser, the last
// two from the store.
const (
	KindSyntax         Kind = "syntax"          // not a JSON object, bad CSV quoting, wrong number of columns, invalid UTF-8
	KindLineTooLong    Kind = "line_too_long"   // longer than Options.MaxLineBytes
	KindUnknownField   Kind = "unknown_field"   // a field the format does not define
	KindDuplicateField Kind = "duplicate_field" // the same field twice in one object
	KindMissingField   Kind = "missing_field"   // a required field absent, null or empty
	KindType           Kind = "type"            // a number where a string is expected, or the reverse
	KindDateSyntax     Kind = "date_syntax"     // not YYYY-MM-DD
	KindDateImpossible Kind = "date_impossible" // 2024-02-30
	KindDateOrder      Kind = "date_order"      // established before committed
	KindPoints         Kind = "points"          // not an integer from 0 to 6
	KindClass          Kind = "class"           // not 1 to 5 nor delit
	KindNEPH           Kind = "neph"            // not 10 to 19 digits
	KindEventID        Kind = "event_id"        // empty, too long, control characters
	KindText           Kind = "text"            // occasion or nature too long or with control characters
	KindUnknownNEPH    Kind = "unknown_neph"    // store: no licence with that NEPH
	KindConflict       Kind = "conflict"        // store: same event id already recorded with other content
)

// Label returns the French name of the reason, as the summary prints it.
func (k Kind) Label() string {
	switch k {
	case KindSyntax:
		return "ligne illisible"
	case KindLineTooLong:
		return "ligne trop longue"
	case KindUnknownField:
		return "champ inconnu"
	case KindDuplicateField:
		return "champ en double"
	case KindMissingField:
		return "champ manquant"
	case KindType:
		return "type de valeur incorrect"
	case KindDateSyntax:
		return "date mal formée"
	case KindDateImpossible:
		return "date impossible"
	case KindDateOrder:
		return "constatation antérieure à l'infraction"
	case KindPoints:
		return "nombre de points hors de 0 à 6"
	case KindClass:
		return "classe inconnue"
	case KindNEPH:
		return "NEPH invalide"
	case KindEventID:
		return "identifiant d'événement invalide"
	case KindText:
		return "texte invalide"
	case KindUnknownNEPH:
		return "NEPH inconnu du registre"
	case KindConflict:
		return "événement déjà enregistré avec un contenu différent"
	}
	return string(k)
}

// RowError is a rejected row: the line it starts on, the field at fault
// ("" when the whole line is at fault) and the reason, in French. The
// importer reports it and carries on with the next row.
type RowError struct {
	Line   int
	Field  string
	Kind   Kind
	Reason string
}

// Error formats the error as one line of the rejects report:
// "ligne 42 : established : date impossible (2024-02-30)".
func (e *RowError) Error() string {
	b := make([]byte, 0, 32+len(e.Field)+len(e.Reason))
	b = append(b, "ligne "...)
	b = strconv.AppendInt(b, int64(e.Line), 10)
	b = append(b, " : "...)
	if e.Field != "" {
		b = append(b, e.Field...)
		b = append(b, " : "...)
	}
	b = append(b, e.Reason...)
	return string(b)
}

// maxShown is how many characters of an offending value a reason quotes.
const maxShown = 40

// show renders a value from the input for a reason: as is when it is short
// and printable (so "date impossible (2024-02-30)" reads naturally), quoted
// with Go escapes otherwise, and cut after maxShown characters. The rejects
// report stays one line per row whatever the input holds.
func show(s string) string {
	cut := false
	if utf8.RuneCountInString(s) > maxShown {
		n := 0
		for i := range s {
			if n == maxShown {
				s, cut = s[:i], true
				break
			}
			n++
		}
	}
	plain := s != "" && s[0] != ' ' && s[len(s)-1] != ' '
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			plain = false
			break
		}
	}
	if !plain {
		s = strconv.Quote(s)
	}
	if cut {
		s += "…"
	}
	return s
}
