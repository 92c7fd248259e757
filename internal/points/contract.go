package points

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"permis/internal/date"
)

// This file is the public replay contract of `permis points replay`
// (docs/points-replay.md): one JSON document in, one out. Keep both stable.

// MaxReplayInput bounds the input document (a lifetime of events is a few KiB).
const MaxReplayInput = 4 << 20

// DecodeReplay reads a replay request. Every problem is an *InputError whose
// Field is the JSON path of the faulty value (events[2].points), checked in
// document order: unknown fields, missing fields, malformed or impossible
// dates, wrong types; then the rules of Validate, mapped to their event index.
func (r *Rules) DecodeReplay(in io.Reader) (Ledger, date.Date, error) {
	raw, err := io.ReadAll(io.LimitReader(in, MaxReplayInput+1))
	if err != nil {
		return Ledger{}, 0, inputErr("input", "lecture impossible : %v", err)
	}
	if len(raw) > MaxReplayInput {
		return Ledger{}, 0, inputErr("input", "document trop grand (plus de %d octets)", MaxReplayInput)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return Ledger{}, 0, inputErr("input", "document vide")
	}
	var top map[string]json.RawMessage
	if err := decodeOne(raw, &top); err != nil {
		return Ledger{}, 0, inputErr("input", "JSON invalide : %v", err)
	}
	if top == nil {
		return Ledger{}, 0, inputErr("input", "un objet JSON est attendu")
	}
	o := obj{path: "", m: top}
	if err := o.allow("licence", "events", "at"); err != nil {
		return Ledger{}, 0, err
	}
	var l Ledger
	lic, err := o.object("licence")
	if err != nil {
		return Ledger{}, 0, err
	}
	if err := lic.allow("obtained", "probation", "complementary_training", "reobtained"); err != nil {
		return Ledger{}, 0, err
	}
	if l.Licence.Obtained, err = lic.date("obtained"); err != nil {
		return Ledger{}, 0, err
	}
	p, err := lic.str("probation", true)
	if err != nil {
		return Ledger{}, 0, err
	}
	l.Licence.Probation = Probation(p)
	if l.Licence.ComplementaryTraining, err = lic.nullDate("complementary_training"); err != nil {
		return Ledger{}, 0, err
	}
	if l.Licence.Reobtained, err = lic.boolean("reobtained"); err != nil {
		return Ledger{}, 0, err
	}
	events, err := o.array("events")
	if err != nil {
		return Ledger{}, 0, err
	}
	index := make(map[string]int, len(events))
	for i, ev := range events {
		if err := decodeEvent(ev, &l); err != nil {
			return Ledger{}, 0, err
		}
		id := ev.m["id"]
		var s string
		_ = json.Unmarshal(id, &s)
		if _, dup := index[s]; dup {
			return Ledger{}, 0, inputErr(ev.path+".id", "identifiant %q en double (déjà utilisé par events[%d])", s, index[s])
		}
		index[s] = i
	}
	at, err := o.date("at")
	if err != nil {
		return Ledger{}, 0, err
	}
	if err := r.Validate(l); err != nil {
		var ie *InputError
		if errors.As(err, &ie) && ie.EventID != "" {
			return Ledger{}, 0, inputErr(fmt.Sprintf("events[%d].%s", index[ie.EventID], ie.Field), "%s", ie.Problem)
		}
		return Ledger{}, 0, err
	}
	return l, at, nil
}

func decodeEvent(ev obj, l *Ledger) error {
	typ, err := ev.str("type", true)
	if err != nil {
		return err
	}
	id, err := ev.str("id", true)
	if err != nil {
		return err
	}
	if id == "" {
		return inputErr(ev.path+".id", "identifiant vide")
	}
	switch typ {
	case "offence":
		if err := ev.allow("id", "type", "committed", "established", "points", "class", "occasion", "measure"); err != nil {
			return err
		}
		o := Offence{ID: id}
		if o.Committed, err = ev.date("committed"); err != nil {
			return err
		}
		if o.Established, err = ev.date("established"); err != nil {
			return err
		}
		if o.Points, err = ev.integer("points"); err != nil {
			return err
		}
		if o.Class, err = ev.class("class"); err != nil {
			return err
		}
		if o.Occasion, err = ev.str("occasion", false); err != nil {
			return err
		}
		m, err := ev.str("measure", false)
		if err != nil {
			return err
		}
		o.Measure = Measure(m)
		l.Offences = append(l.Offences, o)
	case "course":
		if err := ev.allow("id", "type", "date"); err != nil {
			return err
		}
		c := Course{ID: id}
		if c.LastDay, err = ev.date("date"); err != nil {
			return err
		}
		l.Courses = append(l.Courses, c)
	case "invalidation_notice":
		if err := ev.allow("id", "type", "date"); err != nil {
			return err
		}
		n := Notice{ID: id}
		if n.Notified, err = ev.date("date"); err != nil {
			return err
		}
		l.Notices = append(l.Notices, n)
	default:
		return inputErr(ev.path+".type", "type inconnu %q (offence, course ou invalidation_notice)", typ)
	}
	return nil
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

func (o obj) allow(names ...string) error {
	for k := range o.m {
		known := false
		for _, n := range names {
			if k == n {
				known = true
				break
			}
		}
		if !known {
			return inputErr(o.field(k), "champ inconnu")
		}
	}
	return nil
}

func (o obj) required(name string) (json.RawMessage, error) {
	v, ok := o.m[name]
	if !ok || string(v) == "null" {
		return nil, inputErr(o.field(name), "champ obligatoire absent")
	}
	return v, nil
}

func (o obj) object(name string) (obj, error) {
	v, err := o.required(name)
	if err != nil {
		return obj{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return obj{}, inputErr(o.field(name), "un objet est attendu")
	}
	return obj{path: o.field(name), m: m}, nil
}

func (o obj) array(name string) ([]obj, error) {
	v, err := o.required(name)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, inputErr(o.field(name), "un tableau est attendu")
	}
	out := make([]obj, len(items))
	for i, it := range items {
		p := fmt.Sprintf("%s[%d]", o.field(name), i)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(it, &m); err != nil || m == nil {
			return nil, inputErr(p, "un objet est attendu")
		}
		out[i] = obj{path: p, m: m}
	}
	return out, nil
}

func (o obj) str(name string, required bool) (string, error) {
	v, ok := o.m[name]
	if !ok || string(v) == "null" {
		if required {
			return "", inputErr(o.field(name), "champ obligatoire absent")
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", inputErr(o.field(name), "une chaîne est attendue")
	}
	return s, nil
}

// boolean reads an optional true/false; absent or null is false.
func (o obj) boolean(name string) (bool, error) {
	v, ok := o.m[name]
	if !ok || string(v) == "null" {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, inputErr(o.field(name), "true ou false est attendu, pas %s", truncate(v))
	}
	return b, nil
}

func (o obj) date(name string) (date.Date, error) {
	s, err := o.str(name, true)
	if err != nil {
		return 0, err
	}
	return parseDate(o.field(name), s)
}

func (o obj) nullDate(name string) (date.Null, error) {
	s, err := o.str(name, false)
	if err != nil || s == "" {
		if _, present := o.m[name]; present && err == nil && string(o.m[name]) != "null" {
			return date.Null{}, inputErr(o.field(name), "date vide")
		}
		return date.Null{}, err
	}
	d, err := parseDate(o.field(name), s)
	return date.Some(d), err
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

func (o obj) integer(name string) (int, error) {
	v, err := o.required(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, inputErr(o.field(name), "un nombre entier est attendu, pas %s", truncate(v))
	}
	return n, nil
}

func (o obj) class(name string) (Class, error) {
	v, err := o.required(name)
	if err != nil {
		return "", err
	}
	var c Class
	var s string
	if json.Unmarshal(v, &s) == nil {
		c = Class(s)
	} else if n, err := strconv.Atoi(string(v)); err == nil {
		c = Class(strconv.Itoa(n))
	}
	if !c.Valid() {
		return "", inputErr(o.field(name), "classe inconnue %s (1 à 5, ou \"delit\")", truncate(v))
	}
	return c, nil
}

func truncate(v []byte) string {
	if len(v) > 40 {
		return string(v[:40]) + "…"
	}
	return string(v)
}

// decodeOne decodes exactly one JSON value: trailing data is an error.
func decodeOne(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("données après la fin du document")
	}
	return nil
}

// replayOutput is the output document; its field names are the contract.
type replayOutput struct {
	At        date.Date        `json:"at"`
	Balance   int              `json:"balance"`
	Ceiling   int              `json:"ceiling"`
	Valid     bool             `json:"valid"`
	Movements []movementOutput `json:"movements"`
	Letters   []letterOutput   `json:"letters"`
	Upcoming  []upcomingOutput `json:"upcoming"`
}

type movementOutput struct {
	Date    date.Date `json:"date"`
	Delta   int       `json:"delta"`
	Balance int       `json:"balance"`
	Kind    Kind      `json:"kind"`
	Ref     *string   `json:"ref"`
}

type letterOutput struct {
	Date date.Date  `json:"date"`
	Type LetterType `json:"type"`
	Ref  string     `json:"ref"`
}

type upcomingOutput struct {
	Date  date.Date `json:"date"`
	Delta int       `json:"delta"`
	Kind  Kind      `json:"kind"`
}

// EncodeReplay writes the output document of a replay.
func EncodeReplay(w io.Writer, res Result) error {
	out := replayOutput{
		At: res.At, Balance: res.Balance, Ceiling: res.Ceiling, Valid: res.Valid,
		Movements: make([]movementOutput, len(res.Movements)),
		Letters:   make([]letterOutput, len(res.Letters)),
		Upcoming:  make([]upcomingOutput, len(res.Upcoming)),
	}
	for i, m := range res.Movements {
		out.Movements[i] = movementOutput{Date: m.Date, Delta: m.Delta, Balance: m.Balance, Kind: m.Kind}
		if m.Ref != "" {
			ref := m.Ref
			out.Movements[i].Ref = &ref
		}
	}
	for i, l := range res.Letters {
		out.Letters[i] = letterOutput(l)
	}
	for i, u := range res.Upcoming {
		out.Upcoming[i] = upcomingOutput{Date: u.Date, Delta: u.Delta, Kind: u.Kind}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
