package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMedicalRouteAnswersTheLaw runs `permis medical route` on the
// documents of testdata/medical, checks the answer the law gives, then the
// whole output against its .out.json.
func TestMedicalRouteAnswersTheLaw(t *testing.T) {
	for _, tc := range []struct {
		file          string
		law           string
		required      bool
		examiner      string // "" for null
		psychotechnic bool
		fee           float64
	}{
		{"alcohol_suspension_4_months", "R224-22, arrêté 31/07/2012 art. 5 I (L234-1)", true, "commission", false, 50},
		{"speed_suspension_1_month", "R224-22 (more than one month)", false, "", false, 0},
		{"speed_suspension_6_months", "arrêté 31/07/2012 art. 5 II, R224-21", true, "approved_doctor", true, 36},
		{"annulment_homicide", "arrêté 31/07/2012 art. 1 1° b, art. 5 I, R224-21", true, "commission", true, 50},
		{"invalidation_points", "arrêté 31/07/2012 art. 5 II, R224-21", true, "approved_doctor", true, 36},
		{"heavy_renewal_after_commission", "arrêté 31/07/2012 art. 5 III", true, "commission", false, 50},
		{"heavy_renewal_2016", "R221-11, arrêté du 1er février 2016 art. 1", true, "approved_doctor", false, 33},
		{"nothing", "no measure, no previous opinion", false, "", false, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			in := filepath.Join("testdata", "medical", tc.file+".json")
			r := runPermis(t, "", "medical", "route", in)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var got struct {
				Required      bool    `json:"required"`
				Examiner      *string `json:"examiner"`
				Psychotechnic bool    `json:"psychotechnic"`
				Fee           float64 `json:"fee"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			examiner := ""
			if got.Examiner != nil {
				examiner = *got.Examiner
			}
			if got.Required != tc.required || examiner != tc.examiner || got.Psychotechnic != tc.psychotechnic || got.Fee != tc.fee {
				t.Errorf("%s: got %s", tc.law, r.stdout)
			}
			want, err := os.ReadFile(strings.TrimSuffix(in, ".json") + ".out.json")
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, r.stdout, string(want))
		})
	}
}

// TestMedicalRouteDocumentedExamples checks every input/output pair of
// docs/medical-route.md.
func TestMedicalRouteDocumentedExamples(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "medical-route.md"))
	if err != nil {
		t.Fatalf("read the contract: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) < 4 || len(blocks)%2 != 0 {
		t.Fatalf("docs/medical-route.md has %d json blocks, want input/output pairs", len(blocks))
	}
	for i := 0; i < len(blocks); i += 2 {
		in, out := blocks[i][1], blocks[i+1][1]
		for _, args := range [][]string{{"medical", "route", "-"}, {"medical", "route"}} {
			r := runPermis(t, in, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("example %d: exit %d, stderr %q", i/2+1, r.code, r.stderr)
			}
			sameJSON(t, r.stdout, out)
		}
	}
}

func TestMedicalRouteBadInput(t *testing.T) {
	doc := func(measure, rest string) string {
		return `{"measure":{` + measure + `}` + rest + `,"at":"2026-01-10"}`
	}
	const susp = `"kind":"suspension","months":4,"cause":"alcohol"`
	for _, tc := range []struct {
		name, doc string
		field     string
		problem   string
	}{
		{"unknown top field", doc(susp, `,"x":1`), "x", "champ inconnu"},
		{"unknown measure field", doc(susp+`,"days":3`, ""), "measure.days", "champ inconnu"},
		{"missing measure", `{"previous_opinion":null,"at":"2026-01-10"}`, "measure", "absent"},
		{"measure not an object", `{"measure":"suspension","at":"2026-01-10"}`, "measure", "objet"},
		{"missing kind", doc(`"months":4`, ""), "measure.kind", "absent"},
		{"unknown kind", doc(`"kind":"retention"`, ""), "measure.kind", "retention"},
		{"suspension without months", doc(`"kind":"suspension","cause":"alcohol"`, ""), "measure.months", "obligatoire"},
		{"months on an annulment", doc(`"kind":"annulment","months":3,"cause":"speed"`, ""), "measure.months", "suspension"},
		{"months as a string", doc(`"kind":"suspension","months":"4","cause":"alcohol"`, ""), "measure.months", "entier"},
		{"months negative", doc(`"kind":"suspension","months":-1,"cause":"alcohol"`, ""), "measure.months", "hors limites"},
		{"months fractional", doc(`"kind":"suspension","months":1.5,"cause":"alcohol"`, ""), "measure.months", "entier"},
		{"missing cause", doc(`"kind":"suspension","months":4`, ""), "measure.cause", "absent"},
		{"unknown cause", doc(`"kind":"suspension","months":4,"cause":"phone"`, ""), "measure.cause", "phone"},
		{"previous not an object", doc(susp, `,"previous_opinion":"fit"`), "previous_opinion", "objet"},
		{"previous without by", doc(susp, `,"previous_opinion":{"outcome":"fit"}`), "previous_opinion.by", "absent"},
		{"previous unknown by", doc(susp, `,"previous_opinion":{"by":"gp","outcome":"fit"}`), "previous_opinion.by", "gp"},
		{"previous unknown outcome", doc(susp, `,"previous_opinion":{"by":"commission","outcome":"ok"}`), "previous_opinion.outcome", "ok"},
		{"previous unknown field", doc(susp, `,"previous_opinion":{"by":"commission","outcome":"fit","until":"2027-01-01"}`), "previous_opinion.until", "champ inconnu"},
		{"missing at", `{"measure":{` + susp + `}}`, "at", "absent"},
		{"malformed at", `{"measure":{` + susp + `},"at":"10/01/2026"}`, "at", "mal formée"},
		{"impossible at", `{"measure":{` + susp + `},"at":"2026-02-30"}`, "at", "impossible"},
		{"not JSON", `not json`, "input", "JSON invalide"},
		{"trailing data", doc(susp, "") + ` {}`, "input", "après la fin"},
		{"empty", ``, "input", "vide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, tc.doc, "medical", "route", "-")
			if r.code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Fatalf("stdout %q, want nothing", r.stdout)
			}
			lines := r.stderrLines()
			if len(lines) != 1 || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("stderr %q, want exactly one line", r.stderr)
			}
			if want := "permis: " + tc.field + " : "; !strings.HasPrefix(lines[0], want) {
				t.Fatalf("stderr %q, want it to start with %q", lines[0], want)
			}
			if !strings.Contains(lines[0], tc.problem) {
				t.Fatalf("stderr %q does not say %q", lines[0], tc.problem)
			}
		})
	}
}
