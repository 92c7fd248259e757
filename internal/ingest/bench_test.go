package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"permis/internal/store"
)

// benchInput returns n realistic rows in NDJSON and in CSV.
func benchInput(n int) (ndjson, csv []byte) {
	var nd, cs bytes.Buffer
	cs.WriteString(csvHeader)
	natures := []string{"excès de vitesse < 20 km/h", "franchissement de feu rouge", "usage du téléphone tenu en main"}
	for i := range n {
		id := fmt.Sprintf("AF2024%09d", i)
		neph := fmt.Sprintf("2303341%05d", i%100000)
		nature := natures[i%len(natures)]
		fmt.Fprintf(&nd, `{"event_id":"%s","neph":"%s","committed":"2024-01-05","established":"2024-02-01","points":%d,"class":"4","occasion":"K-%d","nature":"%s"}`+"\n",
			id, neph, i%7, i/2, nature)
		fmt.Fprintf(&cs, "%s,%s,2024-01-05,2024-02-01,%d,4,K-%d,%s\n", id, neph, i%7, i/2, nature)
	}
	return nd.Bytes(), cs.Bytes()
}

const benchRows = 100_000

// reportRates reports rows per wall-clock second and per CPU second (all
// threads, the garbage collector's included) since cpu0.
func reportRates(b *testing.B, cpu0 time.Duration) {
	rows := float64(benchRows) * float64(b.N)
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpu0; cpu > 0 && cpu0 > 0 {
		b.ReportMetric(rows/cpu.Seconds(), "rows/cpu-s")
	}
}

func benchParser(b *testing.B, input []byte, format Format) {
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		p, err := NewParser(bytes.NewReader(input), ParserOptions{Format: format})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := p.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRows {
			b.Fatalf("%d rows", n)
		}
	}
	reportRates(b, cpu0)
}

// BenchmarkParseNDJSON measures the parser as Import uses it: reading,
// decoding and validating, on one goroutine.
func BenchmarkParseNDJSON(b *testing.B) {
	nd, _ := benchInput(benchRows)
	benchParser(b, nd, FormatNDJSON)
}

func BenchmarkParseCSV(b *testing.B) {
	_, cs := benchInput(benchRows)
	benchParser(b, cs, FormatCSV)
}

// BenchmarkParseNDJSONStdlib is the road not taken: encoding/json into a
// struct with DisallowUnknownFields, one line at a time, then the same
// validation.
func BenchmarkParseNDJSONStdlib(b *testing.B) {
	nd, _ := benchInput(benchRows)
	b.SetBytes(int64(len(nd)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		for i, line := range bytes.Split(bytes.TrimSuffix(nd, []byte{'\n'}), []byte{'\n'}) {
			std, err := decodeStd(string(line))
			if err != nil {
				b.Fatal(err)
			}
			var raw rawRow
			for f, v := range []*string{std.EventID, std.NEPH, std.Committed, std.Established, nil, std.Class, std.Occasion, std.Nature} {
				if v != nil {
					raw.val[f], raw.set[f] = *v, true
				}
			}
			raw.val[fPoints], raw.set[fPoints] = fmt.Sprint(*std.Points), true
			if _, e := raw.validate(i + 1); e != nil {
				b.Fatal(e)
			}
		}
	}
	reportRates(b, cpu0)
}

// discardSink accepts everything, to measure the importer without a store.
type discardSink struct{ results []store.RowResult }

func (s *discardSink) ImportOffences(_ context.Context, rows []store.OffenceRow) ([]store.RowResult, error) {
	s.results = s.results[:0]
	for _, r := range rows {
		s.results = append(s.results, store.RowResult{Line: r.Line, EventID: r.Offence.ID, Outcome: store.Inserted})
	}
	return s.results, nil
}

// BenchmarkImportNDJSON measures Import end to end with a sink that costs
// nothing, progress bar on.
func BenchmarkImportNDJSON(b *testing.B) {
	nd, _ := benchInput(benchRows)
	b.SetBytes(int64(len(nd)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		sum, err := Import(context.Background(), bytes.NewReader(nd), &discardSink{}, Options{
			Progress: io.Discard, IsTerminal: true, Size: int64(len(nd)),
		})
		if err != nil || sum.Inserted != benchRows {
			b.Fatal(err, sum)
		}
	}
	reportRates(b, cpu0)
}

func TestBenchInputIsValid(t *testing.T) {
	nd, cs := benchInput(1000)
	for _, in := range [][]byte{nd, cs} {
		_, rows, bad, _ := parseAll(t, string(in), ParserOptions{})
		if len(rows) != 1000 || len(bad) != 0 {
			t.Fatalf("%d rows, bad %v", len(rows), bad)
		}
	}
	if _, err := decodeStd(strings.TrimSpace(string(nd[:bytes.IndexByte(nd, '\n')]))); err != nil {
		t.Fatal(err)
	}
}
