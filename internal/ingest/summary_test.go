package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSummaryString(t *testing.T) {
	sum := Summary{
		Format: FormatNDJSON, Lines: 1_000_002, Records: 1_000_000, Inserted: 990_000, AlreadyPresent: 9_000,
		Rejected: map[Kind]int{KindUnknownNEPH: 900, KindDateImpossible: 99, KindPoints: 1},
		Batches:  200, Elapsed: 12300 * time.Millisecond,
	}
	want := "Import NDJSON : 1 000 002 lignes lues, 1 000 000 événements en 12,3 s (81 300 lignes/s), 200 lots.\n" +
		"  insérés : 990 000\n" +
		"  déjà enregistrés : 9 000\n" +
		"  rejetés : 1 000\n" +
		"    NEPH inconnu du registre : 900\n" +
		"    date impossible : 99\n" +
		"    nombre de points hors de 0 à 6 : 1\n"
	if got := sum.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryConclusion(t *testing.T) {
	tests := []struct {
		name string
		sum  Summary
		want string
	}{
		{"something inserted", Summary{Records: 3, Inserted: 1, AlreadyPresent: 2}, ""},
		{"all already there", Summary{Records: 1500, AlreadyPresent: 1500}, "Aucune modification : les 1 500 événements étaient déjà enregistrés."},
		{"one already there", Summary{Records: 1, AlreadyPresent: 1}, "Aucune modification : l'événement était déjà enregistré."},
		{"empty file", Summary{}, "Aucune modification : le fichier ne contient aucun événement."},
		{"all rejected", Summary{Records: 2, Rejected: map[Kind]int{KindSyntax: 2}}, "Aucune modification : toutes les lignes ont été rejetées."},
		{"some of each", Summary{Records: 5, AlreadyPresent: 4, Rejected: map[Kind]int{KindSyntax: 1}},
			"Aucune modification : 4 événements étaient déjà enregistrés, 1 ligne a été rejetée."},
		{"interrupted", Summary{Records: 5, Inserted: 2, Interrupted: true},
			"Import interrompu avant la fin du fichier : relancez-le sur le même fichier, les événements déjà enregistrés ne seront pas ajoutés deux fois."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sum.conclusion(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if tt.want != "" && !strings.HasSuffix(tt.sum.String(), tt.want+"\n") {
				t.Errorf("String() does not end with the conclusion:\n%s", tt.sum.String())
			}
		})
	}
}

func TestFrenchFormats(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1 000", -1234567: "-1 234 567"} {
		if got := frenchInt(n); got != want {
			t.Errorf("frenchInt(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond: "850 ms", 12340 * time.Millisecond: "12,3 s",
		125 * time.Second: "2 min 05 s", 3720 * time.Second: "1 h 02 min",
	} {
		if got := frenchDuration(d); got != want {
			t.Errorf("frenchDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// manualClock is a clock the test moves.
type manualClock struct{ t time.Time }

func (c *manualClock) now() time.Time { return c.t }

func TestProgressTerminal(t *testing.T) {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	var out strings.Builder
	p := newProgress(&out, true, 10_000_000, start)
	p.update(start.Add(50*time.Millisecond), 100_000, 1000) // too soon: nothing
	if out.Len() != 0 {
		t.Fatalf("drawn too soon: %q", out.String())
	}
	p.update(start.Add(2*time.Second), 5_000_000, 1_000_000)
	want := "\r[############------------]  50 % (5,0 Mo / 10,0 Mo)  1 000 000 lignes  500 000 lignes/s  reste 2 s"
	if out.String() != want {
		t.Fatalf("got  %q\nwant %q", out.String(), want)
	}
	p.update(start.Add(2050*time.Millisecond), 6_000_000, 1_100_000) // within 100 ms: nothing
	out.Reset()
	p.finish(start.Add(4*time.Second), 9_999_000, 2_000_000, true)
	want = "\r[########################] 100 % (10,0 Mo / 10,0 Mo)  2 000 000 lignes  500 000 lignes/s" + strings.Repeat(" ", 10) + "\n"
	if out.String() != want {
		t.Fatalf("got  %q\nwant %q", out.String(), want)
	}
}

func TestProgressTerminalUnknownSizePadsShorterLines(t *testing.T) {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	var out strings.Builder
	p := newProgress(&out, true, 0, start)
	p.update(start.Add(time.Second), 12_345_678, 1_000_000)
	p.update(start.Add(10*time.Second), 12_345_679, 1_000_001)
	want := "\r12,3 Mo lus  1 000 000 lignes  1 000 000 lignes/s" + "\r12,3 Mo lus  1 000 001 lignes  100 000 lignes/s  "
	if out.String() != want {
		t.Fatalf("got  %q\nwant %q", out.String(), want)
	}
}

func TestProgressPlain(t *testing.T) {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	var out strings.Builder
	p := newProgress(&out, false, 1_000_000, start)
	for s := 1; s <= 12; s++ {
		p.update(start.Add(time.Duration(s)*time.Second), int64(s)*10_000, s*1000)
	}
	p.finish(start.Add(13*time.Second), 1_000_000, 13_000, true)
	want := "import :   5 % (0,1 Mo / 1,0 Mo)  5 000 lignes  1 000 lignes/s  reste 1 min 35 s\n" +
		"import :  10 % (0,1 Mo / 1,0 Mo)  10 000 lignes  1 000 lignes/s  reste 1 min 30 s\n"
	if out.String() != want {
		t.Fatalf("got  %q\nwant %q", out.String(), want)
	}
}

// Import draws the bar through Options.Progress with its clock. The bar
// follows the rows sent to the register, not the rows read ahead into the
// window: one redraw per batch, 10, 20 … 50 rows, and 100 % only at the end,
// whether the sink sorts the window or not.
func TestImportProgress(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString(offenceLine(fmt.Sprint("E", i), neph1, 1) + "\n")
	}
	for _, sorted := range []bool{false, true} {
		clock := &manualClock{t: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)}
		var sink Sink
		tick := func(int) { clock.t = clock.t.Add(time.Second) }
		if sorted {
			s := newSortingSink(neph1)
			s.onBatch, sink = tick, s
		} else {
			s := newSink(neph1)
			s.onBatch, sink = tick, s
		}
		var out strings.Builder
		sum, err := Import(context.Background(), strings.NewReader(b.String()), sink, Options{
			BatchSize: 10, Progress: &out, IsTerminal: true, Size: int64(b.Len()), Now: clock.now,
		})
		if err != nil {
			t.Fatal(err)
		}
		draws := strings.Split(strings.Trim(out.String(), "\r\n"), "\r")
		if len(draws) != 6 { // one per batch, and the final one
			t.Fatalf("sorted=%v: %d draws in %q", sorted, len(draws), out.String())
		}
		for i, d := range draws[:5] {
			if want := fmt.Sprintf(" %d lignes ", 10*(i+1)); !strings.Contains(d, want) {
				t.Errorf("sorted=%v: draw %d = %q, want %q", sorted, i+1, d, want)
			}
			if i < 4 && strings.Contains(d, "100 %") {
				t.Errorf("sorted=%v: draw %d = %q: 100 %% before the last batch", sorted, i+1, d)
			}
		}
		if !strings.HasSuffix(out.String(), "100 % (0,0 Mo / 0,0 Mo)  50 lignes  10 lignes/s\n") {
			t.Errorf("sorted=%v: last draw %q", sorted, out.String())
		}
		if sum.Elapsed != 5*time.Second || sum.RowsPerSecond() != 10 {
			t.Errorf("sorted=%v: elapsed %v, %v rows/s", sorted, sum.Elapsed, sum.RowsPerSecond())
		}
	}
}
