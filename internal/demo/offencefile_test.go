package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// fileLine is one NDJSON row as an importer would read it.
type fileLine struct {
	EventID     string  `json:"event_id"`
	NEPH        string  `json:"neph"`
	Committed   string  `json:"committed"`
	Established string  `json:"established"`
	Points      int     `json:"points"`
	Class       string  `json:"class"`
	Occasion    *string `json:"occasion"`
	Nature      string  `json:"nature"`
}

func TestOffencesNDJSON(t *testing.T) {
	const n, count = 30_000, 20_000
	g := mustNew(t, 5, n)
	register := make(map[licence.NEPH]date.Date, n) // NEPH → first obtained
	registerEvents := make(map[string]struct{})
	err := g.Generate(1000, func(b []Record) error {
		for _, r := range b {
			register[r.Licence.NEPH] = r.Licence.Obtained
			for _, o := range r.Offences {
				registerEvents[o.ID] = struct{}{}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sum, err := WriteOffencesNDJSON(&buf, 99, g, count, FileOptions{BadFraction: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if _, err := WriteOffencesNDJSON(&again, 99, g, count, FileOptions{BadFraction: 0.05}); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("two writes with the same seed differ (err %v)", err)
	}

	var got FileSummary
	ids := make(map[string]struct{}, count)
	occasions := 0
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		got.Rows++
		var l fileLine
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v: %s", got.Rows, err, sc.Text())
		}
		if _, dup := ids[l.EventID]; dup {
			t.Fatalf("line %d: event id %s twice", got.Rows, l.EventID)
		}
		ids[l.EventID] = struct{}{}
		if _, clash := registerEvents[l.EventID]; clash {
			t.Fatalf("line %d: event id %s already in the register", got.Rows, l.EventID)
		}
		if l.Occasion != nil {
			occasions++
		}
		if (l.Points < 1 || l.Points > 6) || !points.Class(l.Class).Valid() || l.Nature == "" {
			t.Fatalf("line %d: %+v", got.Rows, l)
		}
		obtained, known := register[licence.NEPH(l.NEPH)]
		committed, err1 := date.Parse(l.Committed)
		established, err2 := date.Parse(l.Established)
		switch {
		case !known:
			got.UnknownNEPH++
		case err1 != nil || err2 != nil:
			if !errors.Is(err1, date.ErrImpossible) {
				t.Fatalf("line %d: bad date of the wrong kind: %v, %v", got.Rows, err1, err2)
			}
			got.BadDate++
		case established.Before(committed):
			got.Inverted++
		case established.After(testToday) || committed.Before(obtained):
			t.Fatalf("line %d: committed %s, established %s, licence %s, today %s", got.Rows, committed, established, obtained, testToday)
		}
	}
	if got != sum {
		t.Fatalf("file holds %+v, summary says %+v", got, sum)
	}
	if got.Rows != count || got.Bad() < count*3/100 || got.Bad() > count*7/100 || got.UnknownNEPH == 0 || got.BadDate == 0 || got.Inverted == 0 {
		t.Fatalf("summary %+v for %d rows at 5 %% bad", got, count)
	}
	if occasions == 0 {
		t.Fatal("no offence shares an occasion")
	}

	// Disjoint ranges give disjoint event ids.
	var next bytes.Buffer
	if _, err := WriteOffencesNDJSON(&next, 99, g, 1000, FileOptions{Start: count}); err != nil {
		t.Fatal(err)
	}
	sc = bufio.NewScanner(&next)
	for sc.Scan() {
		var l fileLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if _, dup := ids[l.EventID]; dup {
			t.Fatalf("event id %s in both files", l.EventID)
		}
	}
}

func TestOffencesNDJSONEmptyRegister(t *testing.T) {
	var buf bytes.Buffer
	if _, err := WriteOffencesNDJSON(&buf, 1, mustNew(t, 1, 0), 10, FileOptions{}); !errors.Is(err, ErrEmptyRegister) {
		t.Fatalf("got %v, want ErrEmptyRegister", err)
	}
}

func BenchmarkOffencesNDJSON(b *testing.B) {
	g := mustNew(b, 1, 1_000_000)
	var buf bytes.Buffer
	rows := 0
	for b.Loop() {
		buf.Reset()
		if _, err := WriteOffencesNDJSON(&buf, 1, g, 100_000, FileOptions{}); err != nil {
			b.Fatal(err)
		}
		rows += 100_000
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
