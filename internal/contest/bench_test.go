package contest

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"permis/internal/date"
)

// benchDocument is the example of docs/contest-evaluate.md.
const benchDocument = `{"notice": {"kind": "aco", "sent": "2025-03-03", "mail": "ordinary", "class": 4, "fine": 135,
            "holder": "person", "committed": "2025-02-01", "points": 1},
 "contest": {"filed": "2025-04-17", "ground": "sold", "documents": ["sale_declaration", "sale_acknowledgement"],
             "deposit": 0, "paid": null, "payment_delay_requested": false}}`

// BenchmarkEvaluate is the rule alone: one contest decided per iteration,
// cycling through six grounds and both kinds of notice (BENCHMARKS.md,
// "Contests").
func BenchmarkEvaluate(b *testing.B) {
	cfg := DefaultConfig()
	n, a := aco(), afm()
	a.Mail = Registered
	cases := []struct {
		n Notice
		c Contest
	}{
		{n, sold("2025-04-17")},
		{n, Contest{Filed: date.MustParse("2025-03-20"), Ground: OtherDriver, Documents: []Document{DriverDesignation}}},
		{n, Contest{Filed: date.MustParse("2025-03-20"), Ground: ContestOffence}},
		{n, Contest{Filed: date.MustParse("2025-04-18"), Ground: Stolen, Documents: []Document{TheftReport}}},
		{a, Contest{Filed: date.MustParse("2025-08-20"), Ground: ContestOffence, Deposit: 375}},
		{a, Contest{Filed: date.MustParse("2025-06-20"), Ground: Destroyed, Documents: []Document{DestructionDeclaration}}},
	}
	var admissible int
	for i := 0; b.Loop(); i++ {
		tc := cases[i%len(cases)]
		if Evaluate(cfg, tc.n, tc.c).Admissible {
			admissible++
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contests/s")
	if admissible == 0 {
		b.Fatal("no contest admissible")
	}
}

// BenchmarkEvaluateDocument is the whole contract of `permis contest
// evaluate` without the process: decode and validate the document, decide,
// encode the answer.
func BenchmarkEvaluateDocument(b *testing.B) {
	cfg := DefaultConfig()
	var out bytes.Buffer
	for b.Loop() {
		n, c, err := Decode(bytes.NewReader([]byte(benchDocument)))
		if err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if err := Encode(&out, Evaluate(cfg, n, c)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contests/s")
}

// BenchmarkDecodeBaseline is the floor of BenchmarkEvaluateDocument: the
// same document read by encoding/json into a plain struct, with no check
// and no decision.
func BenchmarkDecodeBaseline(b *testing.B) {
	var doc struct {
		Notice struct {
			Kind, Sent, Mail, Holder, Committed string
			Class, Fine, Points                 int
		}
		Contest struct {
			Filed, Ground         string
			Documents             []string
			Deposit               int
			Paid                  *string
			PaymentDelayRequested bool `json:"payment_delay_requested"`
		}
	}
	for b.Loop() {
		raw, _ := io.ReadAll(bytes.NewReader([]byte(benchDocument)))
		if err := json.Unmarshal(raw, &doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contests/s")
}
