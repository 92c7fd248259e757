package statement

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"permis/internal/pdftext/pdftest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt from the current output")

// goldenCases are the documents compared to testdata/<name>.golden.txt.
func goldenCases() []struct {
	name   string
	render func() ([]byte, error)
} {
	full := func(f func() Full) func() ([]byte, error) {
		return func() ([]byte, error) { return FullStatement(f()) }
	}
	att := func(f func() Full) func() ([]byte, error) {
		return func() ([]byte, error) { return Attestation(attestationOf(f())) }
	}
	return []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"full_no_offences", full(noOffences)},
		{"full_long_history", full(longHistory)},
		{"full_suspended", full(suspended)},
		{"full_accents", full(accents)},
		{"attestation_no_offences", att(noOffences)},
		{"attestation_suspended", att(suspended)},
		{"attestation_accents", att(accents)},
	}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			pdf, err := c.render()
			if err != nil {
				t.Fatal(err)
			}
			got := pdftest.PageText(t, pdf)
			path := filepath.Join("testdata", c.name+".golden.txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (run go test -update if the change is intended):\n%s",
					c.name, path, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

// TestLongHistoryFlows checks that a history longer than a page runs onto
// the next ones, each page repeating the table's header, with every
// movement printed once and every page numbered "Page n sur N".
func TestLongHistoryFlows(t *testing.T) {
	f := longHistory()
	pdf, err := FullStatement(f)
	if err != nil {
		t.Fatal(err)
	}
	runs := pdftest.ExtractRuns(t, pdf)
	pages := runs[len(runs)-1].Page
	if pages < 3 {
		t.Fatalf("%d movements on %d pages, want at least 3 pages", len(f.Points.Movements), pages)
	}
	text := pdftest.PageText(t, pdf)
	header := "Date | Opération | Détail | Points | Solde"
	perPage := strings.Split(text, "=== page ")[1:]
	withRows := 0
	for i, p := range perPage {
		if !strings.Contains(p, "Page "+strconv.Itoa(i+1)+" sur "+strconv.Itoa(pages)) {
			t.Errorf("page %d has no \"Page %d sur %d\"", i+1, i+1, pages)
		}
		rows := 0
		for _, m := range f.Points.Movements {
			rows += strings.Count(p, "\n"+m.Date.French()+" | "+kindLabel(m.Kind))
		}
		if rows > 0 {
			withRows++
			if !strings.Contains(p, "\n"+header+"\n") {
				t.Errorf("page %d has %d movements but no table header", i+1, rows)
			}
		}
	}
	for _, m := range f.Points.Movements {
		row := m.Date.French() + " | " + kindLabel(m.Kind)
		if n := strings.Count(text, row); n != 1 {
			t.Errorf("movement %q printed %d times, want once", row, n)
		}
	}
	if withRows < 2 {
		t.Errorf("the history is on %d page(s): it does not flow", withRows)
	}
	if n := strings.Count(text, "\n"+header+"\n"); n != withRows {
		t.Errorf("history header printed %d times for %d pages of history", n, withRows)
	}
}

// forbiddenInAttestation are words that would reveal points or history.
var forbiddenInAttestation = []string{"point", "solde", "capital", "infraction", "retrait", "lettre 48", "historique des"}

// TestAttestationShowsNoPoints renders the attestation of holders whose full
// statements show a balance, and checks that nothing about points appears.
func TestAttestationShowsNoPoints(t *testing.T) {
	for name, f := range map[string]Full{"no offences": noOffences(), "long history": longHistory(),
		"suspended": suspended(), "accents": accents()} {
		t.Run(name, func(t *testing.T) {
			full, err := FullStatement(f)
			if err != nil {
				t.Fatal(err)
			}
			balance := strconv.Itoa(f.Points.Balance) + " points sur " + strconv.Itoa(f.Points.Ceiling)
			if !strings.Contains(pdftest.PageText(t, full), balance) {
				t.Fatalf("the full statement does not show %q: the check below would prove nothing", balance)
			}
			pdf, err := Attestation(attestationOf(f))
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ToLower(pdftest.PageText(t, pdf))
			for _, w := range forbiddenInAttestation {
				if strings.Contains(text, w) {
					t.Errorf("the attestation contains %q", w)
				}
			}
			for _, m := range f.Points.Movements {
				if m.Label != "" && strings.Contains(text, strings.ToLower(m.Label)) {
					t.Errorf("the attestation shows the movement %q", m.Label)
				}
			}
		})
	}
}

// TestAttestationTypeHasNoPoints keeps the attestation's input free of any
// field that could carry points: no type from package points, no field
// named after the balance or the history, at any depth.
func TestAttestationTypeHasNoPoints(t *testing.T) {
	forbidden := []string{"point", "balance", "ceiling", "movement", "upcoming", "letter", "measure", "history"}
	var walk func(path string, typ reflect.Type, seen map[reflect.Type]bool)
	walk = func(path string, typ reflect.Type, seen map[reflect.Type]bool) {
		for typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if strings.HasSuffix(typ.PkgPath(), "internal/points") {
			t.Errorf("%s has type %s from package points", path, typ)
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.PkgPath() == "time" {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			for _, w := range forbidden {
				if strings.Contains(strings.ToLower(f.Name), w) {
					t.Errorf("%s.%s: an attestation must not carry %q", path, f.Name, w)
				}
			}
			walk(path+"."+f.Name, f.Type, seen)
		}
	}
	walk("RightsAttestation", reflect.TypeFor[RightsAttestation](), map[reflect.Type]bool{})
	// The check must be able to fail: the full statement's input has points.
	if _, ok := reflect.TypeFor[Full]().FieldByName("Points"); !ok {
		t.Fatal("Full has no Points field: the walk above is not checking what it should")
	}
}

// TestDeterministic renders each document twice, compressed as in
// production, and expects the same bytes; the PDF's dates are the issue time.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases() {
		a, err := c.render()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := c.render()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings of the same input differ", c.name)
		}
		info := pdftest.Parse(t, a).Info(t)
		if info["CreationDate"] != "D:20250312140500" || info["ModDate"] != "D:20250312140500" {
			t.Errorf("%s: dates %q, %q, want the issue time D:20250312140500", c.name, info["CreationDate"], info["ModDate"])
		}
	}
}

// TestCompressedSameText checks that production output (compressed) shows
// the same text as the uncompressed output the golden files are made from.
func TestCompressedSameText(t *testing.T) {
	f := longHistory()
	plain, err := FullStatement(f)
	if err != nil {
		t.Fatal(err)
	}
	f.Uncompressed = false
	packed, err := FullStatement(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(packed) >= len(plain) {
		t.Errorf("compressed %d bytes, uncompressed %d: compression is off", len(packed), len(plain))
	}
	if got, want := pdftest.PageText(t, packed), pdftest.PageText(t, plain); got != want {
		t.Errorf("compressed text differs:\n%s", lineDiff(want, got))
	}
}

func TestMetadata(t *testing.T) {
	full, err := FullStatement(noOffences())
	if err != nil {
		t.Fatal(err)
	}
	att, err := Attestation(attestationOf(noOffences()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pdf  []byte
		want map[string]string
	}{
		{"full", full, map[string]string{
			"Title":   "Relevé d'information intégral — RII-7KM4-PQ2X",
			"Subject": "Relevé d'information intégral du permis de conduire — dossier NEPH 230334100123",
			"Author":  "Service Permis — démonstration", "Creator": "Permis",
		}},
		{"attestation", att, map[string]string{
			"Title":   "Attestation de droits à conduire — ADCS-7KM4-PQ2X",
			"Subject": "Attestation de droits à conduire — dossier NEPH 230334100123",
			"Author":  "Service Permis — démonstration", "Creator": "Permis",
		}},
	}
	for _, tt := range tests {
		f := pdftest.Parse(t, tt.pdf)
		info := f.Info(t)
		for k, v := range tt.want {
			if info[k] != v {
				t.Errorf("%s: /%s = %q, want %q", tt.name, k, info[k], v)
			}
		}
		catalog, _ := f.Object(t, pdftest.Ref(t, f.Trailer, "/Root"))
		if !strings.Contains(catalog, "/Lang (fr)") {
			t.Errorf("%s: catalog %q has no /Lang (fr)", tt.name, catalog)
		}
		if !bytes.Contains(tt.pdf, []byte("/MediaBox [0 0 595.28 841.89]")) {
			t.Errorf("%s: not A4", tt.name)
		}
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name   string
		render func() ([]byte, error)
		want   string
	}{
		{"no reference", func() ([]byte, error) { f := noOffences(); f.Reference = " "; return FullStatement(f) }, "reference"},
		{"no issue time", func() ([]byte, error) { f := noOffences(); f.IssuedAt = time.Time{}; return FullStatement(f) }, "issue time"},
		{"no NEPH", func() ([]byte, error) { f := noOffences(); f.NEPH = ""; return FullStatement(f) }, "NEPH"},
		{"no service URL", func() ([]byte, error) {
			a := attestationOf(noOffences())
			a.ServiceURL = ""
			return Attestation(a)
		}, "service URL"},
		{"attestation already expired", func() ([]byte, error) {
			a := attestationOf(noOffences())
			a.ValidUntil = date.FromTime(a.IssuedAt)
			return Attestation(a)
		}, "end of validity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := tt.render()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one about %q", err, tt.want)
			}
			if pdf != nil {
				t.Error("a refused document still has bytes")
			}
		})
	}
}
