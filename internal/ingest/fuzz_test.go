package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"permis/internal/date"
	"permis/internal/store"
)

// stdRow is the same format decoded by encoding/json: the reference the
// hand-written decoder is checked against, and the alternative measured in
// BenchmarkParseNDJSONStdlib.
type stdRow struct {
	EventID     *string `json:"event_id"`
	NEPH        *string `json:"neph"`
	Committed   *string `json:"committed"`
	Established *string `json:"established"`
	Points      *int    `json:"points"`
	Class       *string `json:"class"`
	Occasion    *string `json:"occasion"`
	Nature      *string `json:"nature"`
}

// decodeStd decodes a line with encoding/json, unknown fields refused.
func decodeStd(line string) (stdRow, error) {
	var r stdRow
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return r, errors.New("trailing data")
	}
	return r, nil
}

// checkInvariants fails if an accepted row breaks a rule of the format.
func checkInvariants(t *testing.T, row store.OffenceRow) {
	t.Helper()
	o := row.Offence
	for _, d := range []date.Date{o.Committed, o.Established} {
		if _, err := date.Parse(d.String()); err != nil {
			t.Fatalf("invalid date %v", d)
		}
	}
	if o.Established.Before(o.Committed) {
		t.Fatalf("established %v before committed %v", o.Established, o.Committed)
	}
	if o.Points < 0 || o.Points > MaxPoints {
		t.Fatalf("points %d", o.Points)
	}
	if !o.Class.Valid() {
		t.Fatalf("class %q", o.Class)
	}
	if n := len(row.NEPH); n < 10 || n > 19 || !allDigits(string(row.NEPH)) {
		t.Fatalf("NEPH %q", row.NEPH)
	}
	for _, s := range []struct {
		v   string
		min int
		max int
	}{{o.ID, 1, MaxEventIDLen}, {o.Occasion, 0, MaxOccasionLen}, {row.Nature, 0, MaxNatureLen}} {
		n := utf8.RuneCountInString(s.v)
		if !utf8.ValidString(s.v) || n < s.min || n > s.max || strings.IndexFunc(s.v, unicode.IsControl) >= 0 {
			t.Fatalf("text %q", s.v)
		}
	}
}

func FuzzParseNDJSONLine(f *testing.F) {
	f.Add(goodLine)
	f.Add(with("", ""))
	f.Add(with("event_id", `"A\u00e9\ud83d\ude97\"\\"`))
	f.Add(with("points", "-0"))
	f.Add(with("points", "1e0"))
	f.Add(with("neph", `"23 03 34-100.123"`))
	f.Add(`{"event_id":"E","neph":"1234567890","committed":"2024-02-29","established":"2024-02-29","points":0,"class":"delit","occasion":null}`)
	f.Add(`{"a":1}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, line string) {
		row, e := parseNDJSONLine(1, line)
		if e != nil {
			if e.Line != 1 || e.Reason == "" || e.Kind.Label() == string(e.Kind) || strings.ContainsAny(e.Error(), "\n\r") {
				t.Fatalf("bad report %#v", e)
			}
			return
		}
		checkInvariants(t, row)
		// Whatever is accepted, encoding/json reads the same way.
		std, err := decodeStd(line)
		if err != nil {
			t.Fatalf("accepted, but encoding/json says %v", err)
		}
		if *std.EventID != row.Offence.ID || *std.Points != row.Offence.Points || *std.Class != string(row.Offence.Class) ||
			*std.Committed != row.Offence.Committed.String() || *std.Established != row.Offence.Established.String() {
			t.Fatalf("decoded %+v, encoding/json %+v", row, std)
		}
		if got := deref(std.Occasion); got != row.Offence.Occasion {
			t.Fatalf("occasion %q, encoding/json %q", row.Offence.Occasion, got)
		}
		if got := deref(std.Nature); got != row.Nature {
			t.Fatalf("nature %q, encoding/json %q", row.Nature, got)
		}
	})
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func FuzzParseCSV(f *testing.F) {
	f.Add(csvHeader + "AF1,230334100123,2024-01-05,2024-02-01,3,4,K-0001,excès\n")
	f.Add("class,points,established,committed,neph,event_id\r\n5,6,2024-03-01,2024-02-29,\"0503341001\",\"E,\"\"1\"\"\"\r\n")
	f.Add(csvHeader + "AF1,230334100123,2024-01-05,2024-02-01,3,4,,\"a\nb\"\n\n")
	f.Add(csvHeader + "\"oops\n")
	f.Fuzz(func(t *testing.T, input string) {
		p, err := NewParser(strings.NewReader(input), ParserOptions{Format: FormatCSV, MaxLineBytes: 4096})
		if err != nil {
			return
		}
		last := 0
		for range len(input) + 1 {
			row, err := p.Next()
			var e *RowError
			switch {
			case err == io.EOF:
				return
			case errors.As(err, &e):
				if e.Line <= 0 || e.Line > bytes.Count([]byte(input), []byte{'\n'})+1 || strings.ContainsAny(e.Error(), "\n\r") {
					t.Fatalf("bad report %#v", e)
				}
				continue
			case err != nil:
				return // a fatal error ends the file, as documented
			}
			checkInvariants(t, row)
			if row.Line <= last {
				t.Fatalf("line %d after %d", row.Line, last)
			}
			last = row.Line
		}
		t.Fatal("more rows than bytes: the parser does not advance")
	})
}
