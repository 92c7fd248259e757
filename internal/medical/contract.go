package medical

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"permis/internal/date"
	"permis/internal/jsondoc"
)

// This file is the public contract of `permis medical route`
// (docs/medical-route.md): one JSON document in, one out. Field names are
// never renamed.

// MaxInput bounds the input document (a question is a few hundred bytes).
const MaxInput = 64 << 10

// MaxSuspensionMonths bounds a suspension's length: a judicial suspension
// lasts at most 10 years (L234-2, L235-1 among others).
const MaxSuspensionMonths = 120

// Question is a decoded input document.
type Question struct {
	Measure  Measure
	Previous *Previous
	At       date.Date
}

// InputError is a problem with a contract document: the JSON path of the
// faulty value and the problem, in French.
type InputError = jsondoc.InputError

func inputErr(field, format string, args ...any) error { return jsondoc.Errorf(field, format, args...) }

// Decode reads and validates a contract document. Every problem is an
// *InputError naming the field by its JSON path (measure.months).
func Decode(in io.Reader) (Question, error) {
	var q Question
	top, err := jsondoc.Read(in, MaxInput)
	if err != nil {
		return q, err
	}
	if err := top.Allow("measure", "previous_opinion", "at"); err != nil {
		return q, err
	}
	if q.Measure, err = decodeMeasure(top); err != nil {
		return q, err
	}
	if q.Previous, err = decodePrevious(top); err != nil {
		return q, err
	}
	s, err := top.Str("at", true)
	if err != nil {
		return q, err
	}
	q.At, err = jsondoc.ParseDate("at", s)
	return q, err
}

func decodeMeasure(top jsondoc.Object) (Measure, error) {
	var m Measure
	o, err := top.Object("measure", true)
	if err != nil {
		return m, err
	}
	if err := o.Allow("kind", "months", "cause"); err != nil {
		return m, err
	}
	kind, err := o.Str("kind", true)
	if err != nil {
		return m, err
	}
	m.Kind = Kind(kind)
	if !slices.Contains(Kinds(), m.Kind) {
		return m, inputErr("measure.kind", "mesure inconnue %q (%s)", kind, list(Kinds()))
	}
	isMeasure := m.Kind == Suspension || m.Kind == Annulment || m.Kind == Invalidation
	v, err := o.Value("months", m.Kind == Suspension)
	switch {
	case err != nil:
		return m, inputErr("measure.months", "champ obligatoire pour une suspension (sa durée en mois)")
	case v != nil && m.Kind != Suspension:
		return m, inputErr("measure.months", "seulement pour une suspension")
	case v != nil:
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return m, inputErr("measure.months", "un nombre entier de mois est attendu, pas %s", jsondoc.Truncate(v))
		}
		if n < 0 || n > MaxSuspensionMonths {
			return m, inputErr("measure.months", "%d hors limites (de 0 à %d mois)", n, MaxSuspensionMonths)
		}
		m.Months = n
	}
	cause, err := o.Str("cause", isMeasure)
	if err != nil {
		return m, err
	}
	m.Cause = Cause(cause)
	if cause != "" && !slices.Contains(Causes(), m.Cause) {
		return m, inputErr("measure.cause", "cause inconnue %q (%s)", cause, list(Causes()))
	}
	return m, nil
}

func decodePrevious(top jsondoc.Object) (*Previous, error) {
	o, err := top.Object("previous_opinion", false)
	if err != nil || o.M == nil {
		return nil, err
	}
	if err := o.Allow("by", "outcome"); err != nil {
		return nil, err
	}
	by, err := o.Str("by", true)
	if err != nil {
		return nil, err
	}
	if Examiner(by) != Commission && Examiner(by) != ApprovedDoctor {
		return nil, inputErr("previous_opinion.by", "examinateur inconnu %q (commission ou approved_doctor)", by)
	}
	out, err := o.Str("outcome", true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Outcomes(), Outcome(out)) {
		return nil, inputErr("previous_opinion.outcome", "avis inconnu %q (%s)", out, list(Outcomes()))
	}
	return &Previous{By: Examiner(by), Outcome: Outcome(out)}, nil
}

// Output is the output document; its field names are the contract.
type Output struct {
	Required      bool      `json:"required"`
	Examiner      *Examiner `json:"examiner"`
	Psychotechnic bool      `json:"psychotechnic"`
	Fee           Fee       `json:"fee"`
}

// Encode writes r as the contract's output document.
func Encode(w io.Writer, r Route) error {
	out := Output{Required: r.Required, Psychotechnic: r.Psychotechnic, Fee: r.Fee}
	if r.Examiner != "" {
		e := r.Examiner
		out.Examiner = &e
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// list writes values as "a, b ou c".
func list[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s[:len(s)-1], ", ") + " ou " + s[len(s)-1]
}
