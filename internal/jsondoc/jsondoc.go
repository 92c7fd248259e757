// Package jsondoc reads the JSON documents of the public command-line
// contracts (`permis contest evaluate`, `permis medical route`): strictly —
// unknown fields refused, required fields present, types checked, dates
// valid — and with every problem named by its JSON path and told in
// French, so that a contract can say "measure.months : …" and exit 2.
// Each contract decodes its own fields over these few readers; the
// reading, the limits and the messages exist once.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"permis/internal/date"
)

// InputError is a problem with a document: the JSON path of the faulty
// value and the problem, in French.
type InputError struct {
	Field   string
	Problem string
}

func (e *InputError) Error() string { return e.Field + " : " + e.Problem }

// Errorf returns an *InputError for field.
func Errorf(field, format string, args ...any) error {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Object is one JSON object being read, with its path for the messages.
// An optional object that was absent or null has a nil M.
type Object struct {
	Path string
	M    map[string]json.RawMessage
}

// Read reads one JSON object of at most max bytes from in: nothing after
// it, not empty, an object at the top.
func Read(in io.Reader, max int) (Object, error) {
	raw, err := io.ReadAll(io.LimitReader(in, int64(max)+1))
	switch {
	case err != nil:
		return Object{}, Errorf("input", "lecture impossible : %v", err)
	case len(raw) > max:
		return Object{}, Errorf("input", "document trop grand (plus de %d octets)", max)
	case len(bytes.TrimSpace(raw)) == 0:
		return Object{}, Errorf("input", "document vide")
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return Object{}, Errorf("input", "JSON invalide : %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Object{}, Errorf("input", "JSON invalide : données après la fin du document")
	}
	if m == nil {
		return Object{}, Errorf("input", "un objet JSON est attendu")
	}
	return Object{M: m}, nil
}

// Field is the path of the member name: "notice.sent".
func (o Object) Field(name string) string {
	if o.Path == "" {
		return name
	}
	return o.Path + "." + name
}

// Allow refuses any member not in names; with several, the first in
// alphabetical order, so that the message does not vary from run to run.
func (o Object) Allow(names ...string) error {
	unknown := ""
	for k := range o.M {
		if !slices.Contains(names, k) && (unknown == "" || k < unknown) {
			unknown = k
		}
	}
	if unknown != "" {
		return Errorf(o.Field(unknown), "champ inconnu")
	}
	return nil
}

// Value returns the raw value of name, or nil when it is absent or null;
// a required one is then an error.
func (o Object) Value(name string, required bool) (json.RawMessage, error) {
	v, ok := o.M[name]
	if !ok || string(v) == "null" {
		if required {
			return nil, Errorf(o.Field(name), "champ obligatoire absent")
		}
		return nil, nil
	}
	return v, nil
}

// Object reads the member object name; an optional one that is absent or
// null comes back with a nil M.
func (o Object) Object(name string, required bool) (Object, error) {
	v, err := o.Value(name, required)
	if v == nil {
		return Object{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil || m == nil {
		return Object{}, Errorf(o.Field(name), "un objet est attendu")
	}
	return Object{Path: o.Field(name), M: m}, nil
}

// Str reads a string ("" when optional and absent).
func (o Object) Str(name string, required bool) (string, error) {
	v, err := o.Value(name, required)
	if v == nil {
		return "", err
	}
	s, ok := Unquote(v)
	if !ok {
		return "", Errorf(o.Field(name), "une chaîne est attendue, pas %s", Truncate(v))
	}
	return s, nil
}

// Unquote reads a JSON string. The document was already checked as JSON,
// so a string without escapes is its bytes between the quotes; the rest
// goes through encoding/json (a call per field was most of a decode's
// cost).
func Unquote(v json.RawMessage) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !bytes.ContainsAny(v[1:len(v)-1], "\\\"") {
		return string(v[1 : len(v)-1]), true
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err == nil
}

// Int reads a whole number (0 when optional and absent).
func (o Object) Int(name string, required bool) (int, error) {
	v, err := o.Value(name, required)
	if v == nil {
		return 0, err
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, Errorf(o.Field(name), "un nombre entier est attendu, pas %s", Truncate(v))
	}
	return n, nil
}

// Bool reads an optional boolean (false when absent).
func (o Object) Bool(name string) (bool, error) {
	v, err := o.Value(name, false)
	if v == nil {
		return false, err
	}
	switch string(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, Errorf(o.Field(name), "true ou false est attendu, pas %s", Truncate(v))
}

// Date reads a required date, AAAA-MM-JJ.
func (o Object) Date(name string) (date.Date, error) {
	s, err := o.Str(name, true)
	if err != nil {
		return 0, err
	}
	return ParseDate(o.Field(name), s)
}

// NullDate reads an optional date (absent or null: not Valid).
func (o Object) NullDate(name string) (date.Null, error) {
	v, err := o.Value(name, false)
	if v == nil {
		return date.Null{}, err
	}
	d, err := o.Date(name)
	return date.Some(d), err
}

// ParseDate reads s, the value of field, as a date AAAA-MM-JJ.
func ParseDate(field, s string) (date.Date, error) {
	d, err := date.Parse(s)
	switch {
	case errors.Is(err, date.ErrImpossible):
		return 0, Errorf(field, "date impossible %q", s)
	case err != nil:
		return 0, Errorf(field, "date mal formée %q (format attendu AAAA-MM-JJ)", s)
	}
	return d, nil
}

// Truncate shortens a raw value quoted in a message.
func Truncate(v json.RawMessage) string {
	if len(v) > 40 {
		return string(v[:40]) + "…"
	}
	return string(v)
}
