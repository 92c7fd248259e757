package ingest

import (
	"strings"
	"testing"

	"permis/internal/points"
)

const csvHeader = "event_id,neph,committed,established,points,class,occasion,nature\n"

func TestParserCSV(t *testing.T) {
	input := "\xEF\xBB\xBF" + csvHeader +
		"AF2024000000123,230334100123,2024-01-05,2024-02-01,3,4,K-0001,excès de vitesse 30-40 km/h\r\n" +
		" \t \r\n" +
		`AF2,230334100123,2024-01-05,2024-02-01,1,1,,"feu ""rouge"", franchi"` + "\n" +
		`AF3,230334100123,2024-01-05,2024-02-01,1,1,,"sur deux` + "\n" + `lignes"` + "\n" +
		"AF4,230334100123,2024-01-05,2024-02-01,1,1\n" +
		"AF5,230334100123,2024-01-05,2024-02-01,1,7,,\n" +
		`AF6,230334100123,2024-01-05,2024-02-01,1,1,,feu "rouge"` + "\n" +
		"AF7,230334100123,2024-01-05,2024-02-01,,1,,\n" +
		"AF8,230334100123,2024-01-05,2024-02-01,2,delit,,"
	format, rows, bad, n := parseAll(t, input, ParserOptions{})
	if format != FormatCSV {
		t.Fatalf("format %v", format)
	}
	if got := lines(rows); len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 11 {
		t.Fatalf("row lines %v, want [2 4 11]", got)
	}
	first := goodRow
	first.Line = 2
	if rows[0] != first {
		t.Errorf("first row %+v", rows[0])
	}
	if rows[1].Nature != `feu "rouge", franchi` || rows[1].Offence.Occasion != "" {
		t.Errorf("quoted field: %+v", rows[1])
	}
	if rows[2].Offence.Class != points.Delit || rows[2].Nature != "" {
		t.Errorf("last row without newline: %+v", rows[2])
	}
	want := []string{
		// A quoted field may span lines, but nature refuses control characters.
		`ligne 5 : nature : caractère de contrôle U+000A en position 9 ("sur deux\nlignes")`,
		"ligne 7 : CSV invalide : 6 colonnes au lieu de 8",
		"ligne 8 : class : classe inconnue (7), attendu 1, 2, 3, 4, 5 ou delit",
		"ligne 9 : CSV invalide : guillemet dans un champ qui n'est pas entre guillemets",
		"ligne 10 : points : champ obligatoire absent",
	}
	if len(bad) != len(want) {
		t.Fatalf("bad rows %v, want %v", bad, want)
	}
	for i := range want {
		if bad[i].Error() != want[i] {
			t.Errorf("got  %s\nwant %s", bad[i], want[i])
		}
	}
	if n != 11 {
		t.Errorf("Lines() = %d, want 11", n)
	}
}

func TestParserCSVColumnsInAnyOrder(t *testing.T) {
	input := "  \n class , points,established,committed,neph,event_id\n" +
		"5,6,2024-03-01,2024-02-29,\"0503341001\",E\n"
	_, rows, bad, _ := parseAll(t, input, ParserOptions{})
	if len(bad) != 0 || len(rows) != 1 {
		t.Fatalf("rows %+v, bad %v", rows, bad)
	}
	o := rows[0].Offence
	if o.Class != points.Class5 || o.Points != 6 || o.ID != "E" || rows[0].NEPH != "0503341001" || o.Committed.String() != "2024-02-29" {
		t.Errorf("row %+v", rows[0])
	}
}

func TestParserCSVBadHeader(t *testing.T) {
	tests := []struct{ header, want string }{
		{"event_id,neph,committed,established,points,class,natinf",
			"ligne 1 : en-tête CSV : colonne inconnue natinf (colonnes admises : event_id, neph, committed, established, points, class, occasion, nature)"},
		{"event_id,neph,committed,established,points,class,neph", "ligne 1 : en-tête CSV : colonne neph présente deux fois"},
		{"event_id,neph,committed,established,class", "ligne 1 : en-tête CSV : colonne obligatoire points absente"},
		{"\n\nevent_id;neph;committed;established;points;class", "ligne 3 : en-tête CSV : le séparateur est la virgule, pas le point-virgule (event_id;neph;committed;established;poin…)"},
		{`"event_id,neph`, "ligne 1 : en-tête CSV illisible : guillemet mal placé ou non fermé dans un champ entre guillemets"},
	}
	for _, tt := range tests {
		_, err := NewParser(strings.NewReader(tt.header+"\n"), ParserOptions{Format: FormatCSV})
		if err == nil || err.Error() != tt.want {
			t.Errorf("header %q:\ngot  %v\nwant %s", tt.header, err, tt.want)
		}
	}
}

func TestParserCSVUnclosedQuote(t *testing.T) {
	// An unclosed quote swallows the rest of the file: within the line
	// limit it is one bad row, beyond it the file is refused.
	row := "AF1,230334100123,2024-01-05,2024-02-01,1,1,,ok\n"
	input := csvHeader + row + `AF2,230334100123,2024-01-05,2024-02-01,1,1,,"oops` + "\n" + row + row
	_, rows, bad, _ := parseAll(t, input, ParserOptions{})
	if len(rows) != 1 || len(bad) != 1 || bad[0].Error() != "ligne 3 : CSV invalide : guillemet mal placé ou non fermé dans un champ entre guillemets" {
		t.Fatalf("rows %v, bad %v", rows, bad)
	}

	input = csvHeader + row + `AF2,230334100123,2024-01-05,2024-02-01,1,1,,"oops` + "\n" + strings.Repeat(row, 10_000)
	p, err := NewParser(strings.NewReader(input), ParserOptions{MaxLineBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Next(); err != nil {
		t.Fatalf("first row: %v", err)
	}
	_, err = p.Next()
	want := "après la ligne 2 : enregistrement CSV trop long, plus de 65536 octets (guillemet non fermé ?)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestParserCSVInvalidUTF8(t *testing.T) {
	input := csvHeader + "AF1,230334100123,2024-01-05,2024-02-01,1,1,,caf\xe9\n"
	_, _, bad, _ := parseAll(t, input, ParserOptions{})
	if len(bad) != 1 || bad[0].Error() != `ligne 2 : nature : UTF-8 invalide ("caf\xe9")` {
		t.Fatalf("bad %v", bad)
	}
}
