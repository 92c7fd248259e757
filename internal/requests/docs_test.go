package requests

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated tables of docs/requests.md from the Go catalogue")

const docsPath = "../../docs/requests.md"

// TestDocsMatchCatalogue keeps docs/requests.md's tables identical to the
// catalogue, the lifecycle and the configuration defaults, so the two can
// never drift. After changing the catalogue, run
//
//	go test ./internal/requests -run TestDocsMatchCatalogue -update
func TestDocsMatchCatalogue(t *testing.T) {
	raw, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	blocks := map[string]string{
		"catalogue":   renderCatalogue(),
		"documents":   renderDocuments(),
		"needs":       renderNeeds(),
		"statuses":    renderStatuses(),
		"transitions": renderTransitions(),
	}
	for _, name := range []string{"catalogue", "documents", "needs", "statuses", "transitions"} {
		begin, end := "<!-- generated:"+name+" -->\n", "<!-- end:"+name+" -->"
		i, j := strings.Index(doc, begin), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Errorf("docs/requests.md: markers %q … %q missing", strings.TrimSpace(begin), end)
			continue
		}
		got := doc[i+len(begin) : j]
		if got == blocks[name] {
			continue
		}
		if *update {
			doc = doc[:i+len(begin)] + blocks[name] + doc[j:]
			continue
		}
		t.Errorf("docs/requests.md: the %q table differs from the Go code; run\n"+
			"  go test ./internal/requests -run TestDocsMatchCatalogue -update\ngot:\n%s\nwant:\n%s", name, got, blocks[name])
	}
	if *update {
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// cell writes a condition for a table: "oui", "—", or "si …".
func cell(c Condition) string {
	switch c {
	case Always:
		return "oui"
	case Never:
		return "—"
	}
	return "si " + c.Label()
}

func stampCell(typ Type, cfg Config) string {
	if typ.Stamp == Never {
		return "—"
	}
	var amounts []string
	for _, r := range cfg.Fees {
		if r.Key != typ.Fee {
			continue
		}
		if r.Departement == "" {
			amounts = append([]string{r.Amount.String()}, amounts...)
		} else {
			amounts = append(amounts, r.Amount.String()+" en "+r.Departement)
		}
	}
	s := strings.Join(amounts, ", ") + " (`" + string(typ.Fee) + "`)"
	if typ.Stamp != Always {
		s += " si " + typ.Stamp.Label()
	}
	return strings.ReplaceAll(s, "\u00a0", " ")
}

func renderCatalogue() string {
	cfg := DefaultConfig()
	var b strings.Builder
	b.WriteString("| Code | Demande | Timbre fiscal | ePhoto | ASSR2 / ASR | Avis médical | Examen psychotechnique | Déclaration de perte | Déposée par |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, typ := range Types() {
		var filers []string
		for _, r := range typ.Filers {
			filers = append(filers, r.Label())
		}
		loss := "—"
		if typ.LossDeclaration {
			loss = fmt.Sprintf("oui (attestation de perte valable %d mois)", cfg.LossAttestationMonths)
		}
		ephoto := cell(typ.EPhoto)
		if typ.EPhoto == Always {
			ephoto = "oui (ou formulaire papier FPS)"
		}
		assr := cell(typ.RoadSafety())
		if r, ok := typ.Rule(DocRoadSafetyAM); ok {
			assr += " ; pour AM, " + cell(r.When) + " : ASSR1, ASSR2 ou ASR"
		}
		medical := cell(typ.Medical())
		if r, ok := typ.Rule(DocMedicalOpinion); ok && r.Optional {
			medical = "facultatif, " + medical
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", typ.Kind, typ.Label, stampCell(typ, cfg),
			ephoto, assr, medical, cell(typ.Psychotechnic()), loss, strings.Join(filers, ", "))
	}
	return b.String()
}

func renderNeeds() string {
	var b strings.Builder
	for _, typ := range Types() {
		fmt.Fprintf(&b, "**`%s` — %s.** %s\n\n", typ.Kind, typ.Label, typ.Description)
		for _, r := range typ.Documents {
			when := ""
			switch {
			case r.Optional && r.When != Always:
				when = " — facultatif, si " + r.When.Label()
			case r.Optional:
				when = " — facultatif"
			case r.When != Always:
				when = " — si " + r.When.Label()
			}
			or := ""
			if r.Or != "" {
				or = ", ou à défaut : " + r.Or.Label() + " (`" + string(r.Or) + "`)"
			}
			fmt.Fprintf(&b, "- %s (`%s`)%s%s\n", r.Doc.Label(), r.Doc, or, when)
		}
		fmt.Fprintf(&b, "\nSource: %s.\n\n", typ.Source)
	}
	return b.String()
}

func renderDocuments() string {
	var b strings.Builder
	b.WriteString("| Code | Pièce |\n|---|---|\n")
	seen := map[Document]bool{}
	add := func(d Document) {
		if !seen[d] {
			seen[d] = true
			fmt.Fprintf(&b, "| `%s` | %s |\n", d, d.Label())
		}
	}
	for _, typ := range Types() {
		for _, r := range typ.Documents {
			add(r.Doc)
			if r.Or != "" {
				add(r.Or)
			}
		}
	}
	return b.String()
}

func renderStatuses() string {
	cfg := DefaultConfig()
	var b strings.Builder
	b.WriteString("| Status | Libellé | Attend | Et ensuite (texte montré au demandeur) |\n|---|---|---|---|\n")
	for _, s := range Statuses() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s, s.Label(), s.WaitingOn().Label(), s.NextStep(cfg))
	}
	return b.String()
}

func renderTransitions() string {
	var b strings.Builder
	b.WriteString("| From | Event | To | By | History line |\n|---|---|---|---|---|\n")
	for _, tr := range Transitions() {
		fmt.Fprintf(&b, "| `%s` | `%s` | `%s` | %s | %s |\n", tr.From, tr.Event, tr.To, tr.By, tr.Label)
	}
	return b.String()
}
