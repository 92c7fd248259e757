package jsondoc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"permis/internal/date"
)

// read decodes doc as a tiny contract: {"a": {"s": string, "n": int,
// "b": bool, "d": date, "o": optional date}}, and returns the first problem.
func read(doc string) error {
	top, err := Read(strings.NewReader(doc), 200)
	if err != nil {
		return err
	}
	if err := top.Allow("a"); err != nil {
		return err
	}
	a, err := top.Object("a", true)
	if err != nil {
		return err
	}
	if err := a.Allow("s", "n", "b", "d", "o"); err != nil {
		return err
	}
	if _, err := a.Str("s", true); err != nil {
		return err
	}
	if _, err := a.Int("n", false); err != nil {
		return err
	}
	if _, err := a.Bool("b"); err != nil {
		return err
	}
	if _, err := a.Date("d"); err != nil {
		return err
	}
	_, err = a.NullDate("o")
	return err
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		doc, field, problem string
	}{
		{`{"a": {"s": "x", "d": "2026-12-06"}}`, "", ""},
		{`{"a": {"s": "x", "n": 3, "b": true, "d": "2026-12-06", "o": null}}`, "", ""},
		{``, "input", "document vide"},
		{`   `, "input", "document vide"},
		{`{"a": ` + strings.Repeat(" ", 200) + `}`, "input", "document trop grand (plus de 200 octets)"},
		{`{"a": }`, "input", "JSON invalide"},
		{`{"a": {}} {}`, "input", "JSON invalide : données après la fin du document"},
		{`null`, "input", "un objet JSON est attendu"},
		{`{"a": {"s": "x", "d": "2026-12-06"}, "z": 1, "y": 2}`, "y", "champ inconnu"},
		{`{}`, "a", "champ obligatoire absent"},
		{`{"a": 3}`, "a", "un objet est attendu"},
		{`{"a": {"s": 3, "d": "2026-12-06"}}`, "a.s", "une chaîne est attendue, pas 3"},
		{`{"a": {"s": "x", "n": 1.5, "d": "2026-12-06"}}`, "a.n", "un nombre entier est attendu, pas 1.5"},
		{`{"a": {"s": "x", "b": "oui", "d": "2026-12-06"}}`, "a.b", `true ou false est attendu, pas "oui"`},
		{`{"a": {"s": "x", "d": "06/12/2026"}}`, "a.d", `date mal formée "06/12/2026" (format attendu AAAA-MM-JJ)`},
		{`{"a": {"s": "x", "d": "2026-02-30"}}`, "a.d", `date impossible "2026-02-30"`},
		{`{"a": {"s": "x", "d": "2026-12-06", "o": "2026-13-01"}}`, "a.o", `date`},
	} {
		err := read(c.doc)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.doc, err)
			}
			continue
		}
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != c.field || !strings.HasPrefix(ie.Problem, c.problem) {
			t.Errorf("%.60s: error %v, want %s : %s…", c.doc, err, c.field, c.problem)
		}
	}
}

func TestUnquoteAndNullDate(t *testing.T) {
	for raw, want := range map[string]string{`"abc"`: "abc", `"a\"b"`: `a"b`, `"\u00e9"`: "é"} {
		if got, ok := Unquote([]byte(raw)); !ok || got != want {
			t.Errorf("Unquote(%s) = %q, %v", raw, got, ok)
		}
	}
	if _, ok := Unquote([]byte(`12`)); ok {
		t.Error("Unquote(12) read a number as a string")
	}
	o := Object{M: map[string]json.RawMessage{"d": json.RawMessage(`"2026-12-06"`)}}
	if d, err := o.NullDate("d"); err != nil || !d.Valid || d.Date != date.MustParse("2026-12-06") {
		t.Errorf("NullDate = %v, %v", d, err)
	}
	if d, err := o.NullDate("absent"); err != nil || d.Valid {
		t.Errorf("absent NullDate = %v, %v", d, err)
	}
	if got := Truncate([]byte(strings.Repeat("x", 50))); got != strings.Repeat("x", 40)+"…" {
		t.Errorf("Truncate = %q", got)
	}
}
