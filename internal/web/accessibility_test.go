package web

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The statement's figures are the grid's: docs/accessibility-audit.md has
// one line per RGAA 4.1 criterion (106); the counts, the rate and the
// criteria left non-conform must be those of lastAudit, and the page and
// the footer must say them.
func TestAccessibilityStatementMatchesTheGrid(t *testing.T) {
	b, err := os.ReadFile("../../docs/accessibility-audit.md")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^\| (\d{1,2}\.\d{1,2}) \| [^|]+ \| (C|NC|NA|NT) \|`)
	count := map[string]int{}
	var nonConform []string
	seen := map[string]bool{}
	for _, m := range line.FindAllStringSubmatch(string(b), -1) {
		if seen[m[1]] {
			t.Errorf("criterion %s twice in the grid", m[1])
		}
		seen[m[1]] = true
		count[m[2]]++
		if m[2] == "NC" {
			nonConform = append(nonConform, m[1])
		}
	}
	// RGAA 4.1: 106 criteria in 13 themes.
	perTheme := []int{9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12}
	for th, n := range perTheme {
		for c := 1; c <= n; c++ {
			if id := fmt.Sprintf("%d.%d", th+1, c); !seen[id] {
				t.Errorf("criterion %s missing from the grid", id)
			}
		}
	}
	if len(seen) != 106 {
		t.Errorf("%d criteria in the grid, want 106", len(seen))
	}

	a := lastAudit()
	if count["C"] != a.Conform || count["NC"] != a.NonConform || count["NT"] != a.NotTested || a.Applicable != a.Conform+a.NonConform {
		t.Errorf("grid C %d, NC %d, NT %d; statement %+v", count["C"], count["NC"], count["NT"], a)
	}
	rate := strings.Replace(fmt.Sprintf("%.1f %%", 100*float64(count["C"])/float64(count["C"]+count["NC"])), ".", ",", 1)
	if a.Rate != rate {
		t.Errorf("statement rate %q, grid %q", a.Rate, rate)
	}
	var remaining []string
	for _, r := range a.Remaining {
		remaining = append(remaining, r.Criterion)
	}
	if strings.Join(remaining, " ") != strings.Join(nonConform, " ") {
		t.Errorf("statement lists non-conformities %v, grid %v", remaining, nonConform)
	}
	status := "partiellement"
	switch {
	case a.NonConform == 0 && a.NotTested == 0:
		status = "totalement"
	case 100*a.Conform < 50*a.Applicable:
		status = "non"
	}
	if a.Status != status {
		t.Errorf("status %q, want %q for this rate", a.Status, status)
	}

	// The page and every footer say it.
	r := mustRenderer(t, ThemeNeutral, nil)
	res, body := get(t, shell(r), "/accessibilite")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"<strong>" + status + " conforme</strong>", `<strong id="rate">` + rate + `</strong>`, "RGAA), version 4.1",
		"Défenseur des droits", "3400", `href="/rendez-vous"`, a.Date, "Accessibilité : " + status + " conforme",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("statement page lacks %q", want)
		}
	}
	for _, nc := range nonConform {
		if !strings.Contains(body, "Critère "+nc) {
			t.Errorf("statement page does not list criterion %s", nc)
		}
	}
}
