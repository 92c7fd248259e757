package contest

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"permis/internal/date"
	"permis/internal/jsondoc"
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
	top, err := jsondoc.Read(in, MaxInput)
	if err != nil {
		return Notice{}, Contest{}, err
	}
	if err := top.Allow("notice", "contest"); err != nil {
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

func decodeNotice(top jsondoc.Object) (n Notice, err error) {
	o, err := top.Object("notice", true)
	if err != nil {
		return n, err
	}
	if err := o.Allow("kind", "sent", "mail", "class", "fine", "holder", "committed", "points"); err != nil {
		return n, err
	}
	var kind, mail, holder string
	steps := []func() error{
		func() (err error) { kind, err = o.Str("kind", true); return },
		func() (err error) { n.Sent, err = o.Date("sent"); return },
		func() (err error) { mail, err = o.Str("mail", false); return },
		func() (err error) { n.Class, err = class(o, "class"); return },
		func() (err error) { n.Fine, err = o.Int("fine", true); return },
		func() (err error) { holder, err = o.Str("holder", true); return },
		func() (err error) { n.Committed, err = o.Date("committed"); return },
		func() (err error) { n.Points, err = o.Int("points", true); return },
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

func decodeContest(top jsondoc.Object) (c Contest, err error) {
	o, err := top.Object("contest", true)
	if err != nil {
		return c, err
	}
	if err := o.Allow("filed", "ground", "documents", "deposit", "paid", "payment_delay_requested"); err != nil {
		return c, err
	}
	var ground string
	steps := []func() error{
		func() (err error) { c.Filed, err = o.Date("filed"); return },
		func() (err error) { ground, err = o.Str("ground", true); return },
		func() (err error) { c.Documents, err = documents(o, "documents"); return },
		func() (err error) { c.Deposit, err = o.Int("deposit", false); return },
		func() (err error) { c.Paid, err = o.NullDate("paid"); return },
		func() (err error) { c.PaymentDelayRequested, err = o.Bool("payment_delay_requested"); return },
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

// class reads a class given as a number (4) or a string ("4", "delit").
func class(o jsondoc.Object, name string) (string, error) {
	v, err := o.Value(name, true)
	if err != nil {
		return "", err
	}
	if s, ok := jsondoc.Unquote(v); ok {
		return s, nil
	}
	if n, err := strconv.Atoi(string(v)); err == nil {
		return strconv.Itoa(n), nil
	}
	return "", inputErr(o.Field(name), "classe inconnue %s (1 à 5 ou \"delit\")", jsondoc.Truncate(v))
}

func documents(o jsondoc.Object, name string) ([]Document, error) {
	v, err := o.Value(name, false)
	if v == nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, inputErr(o.Field(name), "un tableau de chaînes est attendu")
	}
	out := make([]Document, len(items))
	for i, it := range items {
		s, ok := jsondoc.Unquote(it)
		if !ok {
			return nil, inputErr(fmt.Sprintf("%s[%d]", o.Field(name), i), "une chaîne est attendue")
		}
		out[i] = Document(s)
	}
	return out, nil
}
