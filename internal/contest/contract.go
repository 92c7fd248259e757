package contest

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

// This file is the public contract of `permis contest evaluate`
// (docs/contest-evaluate.md): one JSON document in, one out. Field names are
// never renamed.

// MaxInput bounds the input document (a contest is a few hundred bytes).
const MaxInput = 64 << 10

// Decode reads and validates a contract document. Every problem is an
// *InputError naming the field by its JSON path (contest.documents[1]):
// unknown fields, missing fields, wrong types, malformed or impossible
// dates, then the checks of Validate.
func Decode(in io.Reader) (Notice, Contest, error) {
	raw, err := io.ReadAll(io.LimitReader(in, MaxInput+1))
	switch {
	case err != nil:
		return Notice{}, Contest{}, inputErr("input", "lecture impossible : %v", err)
	case len(raw) > MaxInput:
		return Notice{}, Contest{}, inputErr("input", "document trop grand (plus de %d octets)", MaxInput)
	case len(bytes.TrimSpace(raw)) == 0:
		return Notice{}, Contest{}, inputErr("input", "document vide")
	}
	top, err := decodeTop(raw)
	if err != nil {
		return Notice{}, Contest{}, err
	}
	n, err := decodeNotice(top)
	if err != nil {
		return Notice{}, Contest{}, err
	}
	c, err := decodeContest(top)
	if err != nil {
		return Notice{}, Contest{}, err
	}
	return n, c, Validate(n, c)
}

func decodeTop(raw []byte) (obj, error) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return obj{}, inputErr("input", "JSON invalide : %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return obj{}, inputErr("input", "JSON invalide : données après la fin du document")
	}
	if m == nil {
		return obj{}, inputErr("input", "un objet JSON est attendu")
	}
	o := obj{m: m}
	return o, o.allow("notice", "contest")
}

func decodeNotice(top obj) (n Notice, err error) {
	o, err := top.object("notice")
	if err != nil {
		return n, err
	}
	if err := o.allow("kind", "sent", "mail", "class", "fine", "holder", "committed", "points"); err != nil {
		return n, err
	}
	var kind, mail, holder string
	steps := []func() error{
		func() (err error) { kind, err = o.str("kind", true); return },
		func() (err error) { n.Sent, err = o.date("sent"); return },
		func() (err error) { mail, err = o.str("mail", false); return },
		func() (err error) { n.Class, err = o.class("class"); return },
		func() (err error) { n.Fine, err = o.integer("fine", true); return },
		func() (err error) { holder, err = o.str("holder", true); return },
		func() (err error) { n.Committed, err = o.date("committed"); return },
		func() (err error) { n.Points, err = o.integer("points", true); return },
	}
	if err := first(steps); err != nil {
		return n, err
	}
	if mail == "" {
		mail = string(Ordinary)
	}
	n.Kind, n.Mail, n.Holder = Kind(kind), Mail(mail), Holder(holder)
	return n, nil
}

func decodeContest(top obj) (c Contest, err error) {
	o, err := top.object("contest")
	if err != nil {
		return c, err
	}
	if err := o.allow("filed", "ground", "documents", "deposit", "paid", "payment_delay_requested"); err != nil {
		return c, err
	}
	var ground string
	steps := []func() error{
		func() (err error) { c.Filed, err = o.date("filed"); return },
		func() (err error) { ground, err = o.str("ground", true); return },
		func() (err error) { c.Documents, err = o.documents("documents"); return },
		func() (err error) { c.Deposit, err = o.integer("deposit", false); return },
		func() (err error) { c.Paid, err = o.nullDate("paid"); return },
		func() (err error) { c.PaymentDelayRequested, err = o.boolean("payment_delay_requested"); return },
	}
	if err := first(steps); err != nil {
		return c, err
	}
	c.Ground = Ground(ground)
	return c, nil
}

// first runs steps in order and returns the first error: fields are
// checked in the order the contract lists them.
func first(steps []func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// Output is the output document; its field names are the contract.
type Output struct {
	Admissible      bool      `json:"admissible"`
	Reason          Reason    `json:"reason"`
	Deadline        date.Date `json:"deadline"`
	DepositRequired int       `json:"deposit_required"`
	PointsWithdrawn int       `json:"points_withdrawn"`
}

// Encode writes d as the contract's output document.
func Encode(w io.Writer, d Decision) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Output(d))
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

func (o obj) object(name string) (obj, error) {
	v, err := o.value(name, true)
	if err != nil {
		return obj{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return obj{}, inputErr(o.field(name), "un objet est attendu")
	}
	return obj{path: o.field(name), m: m}, nil
}

func (o obj) str(name string, required bool) (string, error) {
	v, err := o.value(name, required)
	if v == nil {
		return "", err
	}
	s, ok := unquote(v)
	if !ok {
		return "", inputErr(o.field(name), "une chaîne est attendue")
	}
	return s, nil
}

// unquote reads a JSON string. The document was already checked as JSON,
// so a string without escapes is its bytes between the quotes; the rest
// goes through encoding/json (a call per field was most of Decode's cost).
func unquote(v json.RawMessage) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !bytes.ContainsAny(v[1:len(v)-1], "\\\"") {
		return string(v[1 : len(v)-1]), true
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err == nil
}

func (o obj) integer(name string, required bool) (int, error) {
	v, err := o.value(name, required)
	if v == nil {
		return 0, err
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, inputErr(o.field(name), "un nombre entier est attendu, pas %s", truncate(v))
	}
	return n, nil
}

func (o obj) boolean(name string) (bool, error) {
	v, err := o.value(name, false)
	if v == nil {
		return false, err
	}
	switch string(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, inputErr(o.field(name), "true ou false est attendu, pas %s", truncate(v))
}

// class reads a class given as a number (4) or a string ("4", "delit").
func (o obj) class(name string) (string, error) {
	v, err := o.value(name, true)
	if err != nil {
		return "", err
	}
	if s, ok := unquote(v); ok {
		return s, nil
	}
	if n, err := strconv.Atoi(string(v)); err == nil {
		return strconv.Itoa(n), nil
	}
	return "", inputErr(o.field(name), "classe inconnue %s (1 à 5 ou \"delit\")", truncate(v))
}

func (o obj) date(name string) (date.Date, error) {
	s, err := o.str(name, true)
	if err != nil {
		return 0, err
	}
	return parseDate(o.field(name), s)
}

func (o obj) nullDate(name string) (date.Null, error) {
	v, err := o.value(name, false)
	if v == nil {
		return date.Null{}, err
	}
	s, err := o.str(name, true)
	if err != nil {
		return date.Null{}, err
	}
	d, err := parseDate(o.field(name), s)
	return date.Some(d), err
}

func (o obj) documents(name string) ([]Document, error) {
	v, err := o.value(name, false)
	if v == nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, inputErr(o.field(name), "un tableau de chaînes est attendu")
	}
	out := make([]Document, len(items))
	for i, it := range items {
		s, ok := unquote(it)
		if !ok {
			return nil, inputErr(fmt.Sprintf("%s[%d]", o.field(name), i), "une chaîne est attendue")
		}
		out[i] = Document(s)
	}
	return out, nil
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
