package directory

import (
	"fmt"
	"strings"

	"permis/internal/openinghours"
)

// Problem is one thing wrong in an imported file.
type Problem struct {
	// Line is the line of the file where the row or object starts (1 is
	// the CSV header); 0 for the file as a whole.
	Line int
	// Index is the position of the object in a JSON array, from 0; -1 in a
	// CSV file.
	Index int
	// Field is the column or field as named in the file ("code_postal",
	// "Code postal", "courriels"); "" for the row as a whole.
	Field string
	// Reason says in French what is wrong and, where it helps, what was
	// expected.
	Reason string
	// Warning is set when the row was imported all the same (an unknown
	// typology code dropped, an unreadable update date ignored, an unknown
	// column skipped).
	Warning bool
}

// String writes the problem on one line, as in the report:
// "ligne 12, code_postal : Code postal invalide « 3400 »…" or
// "élément 3 (ligne 40), horaires : Horaires illisibles, position 7…".
func (p Problem) String() string {
	var where string
	switch {
	case p.Index >= 0:
		where = fmt.Sprintf("élément %d (ligne %d)", p.Index, p.Line)
	case p.Line > 0:
		where = fmt.Sprintf("ligne %d", p.Line)
	default:
		where = "fichier"
	}
	if p.Field != "" {
		where += ", " + p.Field
	}
	if p.Warning {
		where += " (avertissement)"
	}
	return where + " : " + p.Reason
}

// Report tells what became of an imported file.
type Report struct {
	JSON     bool // the file was a JSON array (counts are of elements, not lines)
	Read     int  // rows or elements read, blank CSV rows not counted
	Imported int  // kept: valid, possibly with warnings
	Refused  int  // left out, each with at least one problem that is not a warning
	// StoppedAt is the line where reading stopped because the rest of the
	// file could not be read (an unclosed quote, broken JSON); 0 when the
	// whole file was read.
	StoppedAt int
	Problems  []Problem
}

// Warnings counts the problems that did not refuse a row.
func (r Report) Warnings() int {
	n := 0
	for _, p := range r.Problems {
		if p.Warning {
			n++
		}
	}
	return n
}

// Summary is the report in one French sentence: "42 lignes lues, 40
// importées, 2 refusées", with the warnings and an interrupted reading
// when there are any.
func (r Report) Summary() string {
	var s string
	if r.JSON {
		s = fmt.Sprintf("%s, %s, %s", count(r.Read, "élément lu", "éléments lus"),
			count(r.Imported, "importé", "importés"), count(r.Refused, "refusé", "refusés"))
	} else {
		s = fmt.Sprintf("%s, %s, %s", count(r.Read, "ligne lue", "lignes lues"),
			count(r.Imported, "importée", "importées"), count(r.Refused, "refusée", "refusées"))
	}
	if w := r.Warnings(); w > 0 {
		s += ", " + count(w, "avertissement", "avertissements")
	}
	if r.StoppedAt > 0 {
		s += fmt.Sprintf(" ; lecture interrompue à la ligne %d", r.StoppedAt)
	}
	return s
}

// String is the summary, then one problem a line.
func (r Report) String() string {
	var b strings.Builder
	b.WriteString(r.Summary())
	for _, p := range r.Problems {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}

// count writes n with the singular form for 0 and 1, as French does.
func count(n int, one, many string) string {
	if n >= 2 {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %s", n, one)
}

// Import is what an importer returns: the valid entries, normalised, in
// file order, and the report.
type Import struct {
	Entries []Entry
	Report  Report
}

// Options set what a file does not say.
type Options struct {
	// Source names the data's publisher when the file has no "source"
	// column or field, or leaves it empty: with the entry's id it is the
	// key that makes importing the same file again update rather than add.
	// Default: "csv" or "mediation".
	Source string
	// MaxBytes bounds the file's size (default 32 MiB).
	MaxBytes int64
}

// DefaultMaxBytes is the largest file an importer reads by default: the
// whole national mediation-places file is some 20 MB.
const DefaultMaxBytes = 32 << 20

// rowSink collects the outcome of rows: entries kept, problems, counts,
// and refuses a second entry with the same source and id.
type rowSink struct {
	imp   Import
	seen  map[[2]string]int // source, id → line of its first row
	names map[string]string // canonical field → the name in the file
}

// add validates e (already normalised) and keeps it or records why not.
// pre holds the problems found while reading the row's values.
func (s *rowSink) add(line, index int, e Entry, pre []Problem) {
	s.imp.Report.Read++
	probs := pre
	reported := map[string]bool{} // a value that could not be read is not also "missing"
	for _, p := range pre {
		reported[p.Field] = reported[p.Field] || !p.Warning
	}
	for _, fp := range e.Problems() {
		if f := s.name(fp.Field); !reported[f] {
			probs = append(probs, Problem{Line: line, Index: index, Field: f, Reason: fp.Message})
		}
	}
	if sch, err := openinghours.Parse(e.OpeningHours); err == nil && e.OpeningHours != "" {
		// Valid, read as the specification says, but probably not what was
		// meant: imported as written, with the likely intended value.
		for _, w := range sch.Warnings() {
			probs = append(probs, Problem{Line: line, Index: index, Field: s.name(FieldHours), Warning: true,
				Reason: "Horaires importés tels qu'écrits, mais " + w})
		}
	}
	key := [2]string{e.Source, e.SourceID}
	if first, dup := s.seen[key]; dup && e.SourceID != "" {
		probs = append(probs, Problem{Line: line, Index: index, Field: s.name(FieldSourceID),
			Reason: fmt.Sprintf("Identifiant %s déjà utilisé ligne %d pour la même source : chaque lieu doit avoir le sien.", quote(e.SourceID), first)})
	}
	refused := false
	for _, p := range probs {
		refused = refused || !p.Warning
	}
	s.imp.Report.Problems = append(s.imp.Report.Problems, probs...)
	if refused {
		s.imp.Report.Refused++
		return
	}
	if s.seen == nil {
		s.seen = map[[2]string]int{}
	}
	s.seen[key] = line
	s.imp.Report.Imported++
	s.imp.Entries = append(s.imp.Entries, e)
}

// name is how the file names a canonical field.
func (s *rowSink) name(field string) string {
	if n, ok := s.names[field]; ok {
		return n
	}
	return field
}
