package medical

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"permis/internal/date"
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
type InputError struct {
	Field   string
	Problem string
}

func (e *InputError) Error() string { return e.Field + " : " + e.Problem }

func inputErr(field, format string, args ...any) error {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Decode reads and validates a contract document. Every problem is an
// *InputError naming the field by its JSON path (measure.months).
func Decode(in io.Reader) (Question, error) {
	var q Question
	raw, err := io.ReadAll(io.LimitReader(in, MaxInput+1))
	switch {
	case err != nil:
		return q, inputErr("input", "lecture impossible : %v", err)
	case len(raw) > MaxInput:
		return q, inputErr("input", "document trop grand (plus de %d octets)", MaxInput)
	case len(bytes.TrimSpace(raw)) == 0:
		return q, inputErr("input", "document vide")
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return q, inputErr("input", "JSON invalide : %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return q, inputErr("input", "JSON invalide : données après la fin du document")
	}
	if m == nil {
		return q, inputErr("input", "un objet JSON est attendu")
	}
	top := obj{m: m}
	if err := top.allow("measure", "previous_opinion", "at"); err != nil {
		return q, err
	}
	if q.Measure, err = decodeMeasure(top); err != nil {
		return q, err
	}
	if q.Previous, err = decodePrevious(top); err != nil {
		return q, err
	}
	s, err := top.str("at", true)
	if err != nil {
		return q, err
	}
	q.At, err = parseDate("at", s)
	return q, err
}

func decodeMeasure(top obj) (Measure, error) {
	var m Measure
	o, err := top.object("measure", true)
	if err != nil {
		return m, err
	}
	if err := o.allow("kind", "months", "cause"); err != nil {
		return m, err
	}
	kind, err := o.str("kind", true)
	if err != nil {
		return m, err
	}
	m.Kind = Kind(kind)
	if !slices.Contains(Kinds(), m.Kind) {
		return m, inputErr("measure.kind", "mesure inconnue %q (%s)", kind, list(Kinds()))
	}
	isMeasure := m.Kind == Suspension || m.Kind == Annulment || m.Kind == Invalidation
	v, err := o.value("months", m.Kind == Suspension)
	switch {
	case err != nil:
		return m, inputErr("measure.months", "champ obligatoire pour une suspension (sa durée en mois)")
	case v != nil && m.Kind != Suspension:
		return m, inputErr("measure.months", "seulement pour une suspension")
	case v != nil:
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return m, inputErr("measure.months", "un nombre entier de mois est attendu, pas %s", truncate(v))
		}
		if n < 0 || n > MaxSuspensionMonths {
			return m, inputErr("measure.months", "%d hors limites (de 0 à %d mois)", n, MaxSuspensionMonths)
		}
		m.Months = n
	}
	cause, err := o.str("cause", isMeasure)
	if err != nil {
		return m, err
	}
	m.Cause = Cause(cause)
	if cause != "" && !slices.Contains(Causes(), m.Cause) {
		return m, inputErr("measure.cause", "cause inconnue %q (%s)", cause, list(Causes()))
	}
	return m, nil
}

func decodePrevious(top obj) (*Previous, error) {
	o, err := top.object("previous_opinion", false)
	if err != nil || o.m == nil {
		return nil, err
	}
	if err := o.allow("by", "outcome"); err != nil {
		return nil, err
	}
	by, err := o.str("by", true)
	if err != nil {
		return nil, err
	}
	if Examiner(by) != Commission && Examiner(by) != ApprovedDoctor {
		return nil, inputErr("previous_opinion.by", "examinateur inconnu %q (commission ou approved_doctor)", by)
	}
	out, err := o.str("outcome", true)
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

// obj is one JSON object being read, with its path for error messages.
type obj struct {
	path string
	m    map[string]json.RawMessage
}

func (o obj) field(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

// allow refuses any field not in names; with several, the first in
// alphabetical order, so that the message does not vary from run to run.
func (o obj) allow(names ...string) error {
	unknown := ""
	for k := range o.m {
		if !slices.Contains(names, k) && (unknown == "" || k < unknown) {
			unknown = k
		}
	}
	if unknown != "" {
		return inputErr(o.field(unknown), "champ inconnu")
	}
	return nil
}

// value returns the raw value of name, or nil when it is absent or null;
// a required one is then an error.
func (o obj) value(name string, required bool) (json.RawMessage, error) {
	v, ok := o.m[name]
	if !ok || string(v) == "null" {
		if required {
			return nil, inputErr(o.field(name), "champ obligatoire absent")
		}
		return nil, nil
	}
	return v, nil
}

// object reads an object; an optional one that is absent or null comes
// back with a nil map.
func (o obj) object(name string, required bool) (obj, error) {
	v, err := o.value(name, required)
	if v == nil {
		return obj{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil || m == nil {
		return obj{}, inputErr(o.field(name), "un objet est attendu")
	}
	return obj{path: o.field(name), m: m}, nil
}

func (o obj) str(name string, required bool) (string, error) {
	v, err := o.value(name, required)
	if v == nil {
		return "", err
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", inputErr(o.field(name), "une chaîne est attendue, pas %s", truncate(v))
	}
	return s, nil
}

func parseDate(field, s string) (date.Date, error) {
	d, err := date.Parse(s)
	switch {
	case errors.Is(err, date.ErrImpossible):
		return 0, inputErr(field, "date impossible %q", s)
	case err != nil:
		return 0, inputErr(field, "date mal formée %q (format attendu AAAA-MM-JJ)", s)
	}
	return d, nil
}

func truncate(v json.RawMessage) string {
	if len(v) > 40 {
		return string(v[:40]) + "…"
	}
	return string(v)
}

// list writes values as "a, b ou c".
func list[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s[:len(s)-1], ", ") + " ou " + s[len(s)-1]
}
