package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"

	"permis/internal/date"
	"permis/internal/points"
	"permis/internal/store"
)

const goodLine = `{"event_id":"AF2024000000123","neph":"230334100123","committed":"2024-01-05","established":"2024-02-01","points":3,"class":"4","occasion":"K-0001","nature":"excès de vitesse 30-40 km/h"}`

var goodRow = store.OffenceRow{
	Line: 1,
	NEPH: "230334100123",
	Offence: points.Offence{
		ID:          "AF2024000000123",
		Committed:   date.MustParse("2024-01-05"),
		Established: date.MustParse("2024-02-01"),
		Points:      3,
		Class:       points.Class4,
		Occasion:    "K-0001",
	},
	Nature: "excès de vitesse 30-40 km/h",
}

// with returns the good line with field name set to the raw JSON value v,
// or removed when v is "".
func with(name, v string) string {
	fields := []struct{ k, v string }{
		{"event_id", `"AF2024000000123"`}, {"neph", `"230334100123"`}, {"committed", `"2024-01-05"`},
		{"established", `"2024-02-01"`}, {"points", `3`}, {"class", `"4"`},
	}
	var parts []string
	for _, f := range fields {
		if f.k == name {
			if v == "" {
				continue
			}
			f.v = v
		}
		parts = append(parts, `"`+f.k+`":`+f.v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestParseNDJSONLineAccepts(t *testing.T) {
	row, e := parseNDJSONLine(1, goodLine)
	if e != nil {
		t.Fatalf("good line rejected: %v", e)
	}
	if row != goodRow {
		t.Fatalf("got %+v, want %+v", row, goodRow)
	}

	tests := []struct {
		name, line string
		check      func(store.OffenceRow) bool
	}{
		{"optional fields absent", with("", ""), func(r store.OffenceRow) bool { return r.Offence.Occasion == "" && r.Nature == "" }},
		{"null optional", `{"event_id":"E","neph":"1234567890","committed":"2024-01-05","established":"2024-01-05","points":0,"class":"delit","occasion":null,"nature":null}`,
			func(r store.OffenceRow) bool { return r.Offence.Points == 0 && r.Offence.Class == points.Delit }},
		{"any key order and spaces", ` { "class" : "1" , "points" : 6 , "established":"2024-03-01","committed":"2024-02-29","neph":"1234567890123456789","event_id":"X" } `,
			func(r store.OffenceRow) bool { return r.Offence.Points == 6 && len(r.NEPH) == 19 }},
		{"escapes decoded", with("event_id", `"A\u0042\/C"`), func(r store.OffenceRow) bool { return r.Offence.ID == "AB/C" }},
		{"surrogate pair", `{"event_id":"E","neph":"1234567890","committed":"2024-01-05","established":"2024-01-05","points":1,"class":"2","nature":"\ud83d\ude97 voiture"}`,
			func(r store.OffenceRow) bool { return r.Nature == "🚗 voiture" }},
		{"NEPH separators stripped", with("neph", `"23 03 34 100 123"`), func(r store.OffenceRow) bool { return r.NEPH == "230334100123" }},
		{"NEPH with leading zero", with("neph", `"0503341001"`), func(r store.OffenceRow) bool { return r.NEPH == "0503341001" }},
		{"minus zero points", with("points", `-0`), func(r store.OffenceRow) bool { return r.Offence.Points == 0 }},
		{"established same day", with("established", `"2024-01-05"`), func(r store.OffenceRow) bool { return r.Offence.Established == r.Offence.Committed }},
		{"event id of 64 characters", with("event_id", `"`+strings.Repeat("é", 64)+`"`), func(r store.OffenceRow) bool { return len(r.Offence.ID) == 128 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row, e := parseNDJSONLine(7, tt.line)
			if e != nil {
				t.Fatalf("rejected: %v", e)
			}
			if row.Line != 7 || !tt.check(row) {
				t.Fatalf("unexpected row %+v", row)
			}
		})
	}
}

// Every reason a row can be refused, with the exact report line.
func TestParseNDJSONLineRejects(t *testing.T) {
	tests := []struct {
		name, line string
		kind       Kind
		want       string
	}{
		{"unknown field", strings.Replace(goodLine, `"nature"`, `"natinf"`, 1), KindUnknownField, "ligne 9 : natinf : champ inconnu"},
		{"unknown field with odd name", `{"a\nb":1}`, KindUnknownField, `ligne 9 : "a\nb" : champ inconnu`},
		{"duplicate field", strings.Replace(goodLine, `}`, `,"points":4}`, 1), KindDuplicateField, "ligne 9 : points : champ présent deux fois"},
		{"missing event_id", with("event_id", ""), KindMissingField, "ligne 9 : event_id : champ obligatoire absent"},
		{"missing neph", with("neph", ""), KindMissingField, "ligne 9 : neph : champ obligatoire absent"},
		{"missing committed", with("committed", ""), KindMissingField, "ligne 9 : committed : champ obligatoire absent"},
		{"missing established", with("established", ""), KindMissingField, "ligne 9 : established : champ obligatoire absent"},
		{"missing points", with("points", ""), KindMissingField, "ligne 9 : points : champ obligatoire absent"},
		{"missing class", with("class", ""), KindMissingField, "ligne 9 : class : champ obligatoire absent"},
		{"null required", with("class", "null"), KindMissingField, "ligne 9 : class : champ obligatoire absent"},
		{"malformed date", with("committed", `"05/01/2024"`), KindDateSyntax, "ligne 9 : committed : date mal formée, AAAA-MM-JJ attendu (05/01/2024)"},
		{"empty date", with("committed", `""`), KindDateSyntax, `ligne 9 : committed : date mal formée, AAAA-MM-JJ attendu ("")`},
		{"impossible date", with("established", `"2024-02-30"`), KindDateImpossible, "ligne 9 : established : date impossible (2024-02-30)"},
		{"not a leap year", with("committed", `"2023-02-29"`), KindDateImpossible, "ligne 9 : committed : date impossible (2023-02-29)"},
		{"established before committed", with("established", `"2024-01-04"`), KindDateOrder,
			"ligne 9 : established : constatation du 2024-01-04 antérieure à l'infraction du 2024-01-05"},
		{"points too many", with("points", "7"), KindPoints, "ligne 9 : points : 7 hors de l'intervalle 0 à 6"},
		{"points negative", with("points", "-1"), KindPoints, "ligne 9 : points : -1 hors de l'intervalle 0 à 6"},
		{"points huge", with("points", "99999999999999999999999"), KindPoints, "ligne 9 : points : 99999999999999999999999 hors de l'intervalle 0 à 6"},
		{"points fraction", with("points", "3.0"), KindPoints, "ligne 9 : points : nombre entier de 0 à 6 attendu (3.0)"},
		{"points exponent", with("points", "1e0"), KindPoints, "ligne 9 : points : nombre entier de 0 à 6 attendu (1e0)"},
		{"points as string", with("points", `"3"`), KindType, "ligne 9 : points : nombre attendu, pas une chaîne (3)"},
		{"neph as number", with("neph", `230334100123`), KindType, "ligne 9 : neph : chaîne attendue, pas un nombre (230334100123), les zéros initiaux seraient perdus"},
		{"class as number", with("class", `4`), KindType, "ligne 9 : class : chaîne attendue, pas un nombre (4)"},
		{"boolean", with("class", `true`), KindType, "ligne 9 : class : booléen refusé"},
		{"array", with("class", `["4"]`), KindType, "ligne 9 : class : objet ou tableau refusé"},
		{"unknown class", with("class", `"6"`), KindClass, "ligne 9 : class : classe inconnue (6), attendu 1, 2, 3, 4, 5 ou delit"},
		{"class in capitals", with("class", `"DELIT"`), KindClass, "ligne 9 : class : classe inconnue (DELIT), attendu 1, 2, 3, 4, 5 ou delit"},
		{"NEPH too short", with("neph", `"123456789"`), KindNEPH, "ligne 9 : neph : 9 chiffres, il en faut de 10 à 19 (12 en général) (123456789)"},
		{"NEPH too long", with("neph", `"12345678901234567890"`), KindNEPH, "ligne 9 : neph : 20 chiffres, il en faut de 10 à 19 (12 en général) (12345678901234567890)"},
		{"NEPH with a letter", with("neph", `"23033410012A"`), KindNEPH, "ligne 9 : neph : caractère 'A' en position 12, seuls les chiffres sont admis (23033410012A)"},
		{"event_id empty", with("event_id", `""`), KindEventID, "ligne 9 : event_id : identifiant vide"},
		{"event_id too long", with("event_id", `"`+strings.Repeat("A", 65)+`"`), KindEventID,
			"ligne 9 : event_id : 65 caractères, 64 au plus (" + strings.Repeat("A", 40) + "…)"},
		{"event_id control character", with("event_id", `"AF\u0001"`), KindEventID, `ligne 9 : event_id : caractère de contrôle U+0001 en position 3 ("AF\x01")`},
		{"event_id DEL", with("event_id", `"AF\u007f"`), KindEventID, `ligne 9 : event_id : caractère de contrôle U+007F en position 3 ("AF\x7f")`},
		{"occasion too long", strings.Replace(goodLine, `"K-0001"`, `"`+strings.Repeat("K", 65)+`"`, 1), KindText,
			"ligne 9 : occasion : 65 caractères, 64 au plus (" + strings.Repeat("K", 40) + "…)"},
		{"nature with newline", strings.Replace(goodLine, `30-40`, `30\n40`, 1), KindText,
			`ligne 9 : nature : caractère de contrôle U+000A en position 20 ("excès de vitesse 30\n40 km/h")`},
		{"not an object", `["AF"]`, KindSyntax, "ligne 9 : JSON invalide : objet {…} attendu en début de ligne"},
		{"truncated", goodLine[:60], KindSyntax, "ligne 9 : JSON invalide : chaîne non terminée en position 53"},
		{"trailing comma", strings.Replace(goodLine, `}`, `,}`, 1), KindSyntax, "ligne 9 : JSON invalide : nom de champ attendu en position 188"},
		{"two objects", goodLine + goodLine, KindSyntax, "ligne 9 : JSON invalide : texte après la fin de l'objet en position 188"},
		{"raw control character", with("event_id", "\"A\tB\""), KindSyntax, "ligne 9 : JSON invalide : caractère de contrôle non échappé en position 15"},
		{"invalid UTF-8", with("event_id", "\"A\xffB\""), KindSyntax, "ligne 9 : JSON invalide : UTF-8 invalide dans la chaîne en position 13"},
		{"bad escape", with("event_id", `"A\qB"`), KindSyntax, `ligne 9 : JSON invalide : échappement \q inconnu en position 15`},
		{"leading zero", with("points", "03"), KindSyntax, "ligne 9 : JSON invalide : « , » ou « } » attendu en position 115"},
		{"bad number", with("points", "-"), KindSyntax, "ligne 9 : JSON invalide : nombre mal formé en position 114"},
		{"missing colon", `{"event_id" "A"}`, KindSyntax, `ligne 9 : JSON invalide : « : » attendu après "event_id" en position 13`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := parseNDJSONLine(9, tt.line)
			if e == nil {
				t.Fatalf("accepted %s", tt.line)
			}
			if e.Kind != tt.kind || e.Error() != tt.want {
				t.Fatalf("got  %s (%s)\nwant %s (%s)", e, e.Kind, tt.want, tt.kind)
			}
		})
	}
}

// parseAll reads every row and row error of input; it fails on any other error.
func parseAll(t *testing.T, input string, opts ParserOptions) (Format, []store.OffenceRow, []*RowError, int) {
	t.Helper()
	p, err := NewParser(strings.NewReader(input), opts)
	if err != nil {
		t.Fatalf("NewParser: %v", err)
	}
	var rows []store.OffenceRow
	var bad []*RowError
	for {
		row, err := p.Next()
		var e *RowError
		switch {
		case err == io.EOF:
			return p.Format(), rows, bad, p.Lines()
		case errors.As(err, &e):
			bad = append(bad, e)
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			rows = append(rows, row)
		}
	}
}

func lines(rows []store.OffenceRow) []int {
	var out []int
	for _, r := range rows {
		out = append(out, r.Line)
	}
	return out
}

func TestParserNDJSONStream(t *testing.T) {
	input := "\xEF\xBB\xBF" + goodLine + "\r\n" +
		"\r\n" +
		"   \t\n" +
		with("points", "9") + "\n" +
		"\n" +
		strings.Replace(goodLine, "AF2024000000123", "AF2", 1) // no final newline
	format, rows, bad, n := parseAll(t, input, ParserOptions{})
	if format != FormatNDJSON {
		t.Errorf("format %v", format)
	}
	if got := lines(rows); len(got) != 2 || got[0] != 1 || got[1] != 6 {
		t.Errorf("row lines %v, want [1 6]", got)
	}
	if rows[0] != goodRow {
		t.Errorf("BOM and CRLF not stripped: %+v", rows[0])
	}
	if len(bad) != 1 || bad[0].Line != 4 || bad[0].Kind != KindPoints {
		t.Errorf("bad rows %v", bad)
	}
	if n != 6 {
		t.Errorf("Lines() = %d, want 6", n)
	}
}

func TestParserEmptyInput(t *testing.T) {
	for _, input := range []string{"", "\n\n", "\xEF\xBB\xBF"} {
		_, rows, bad, _ := parseAll(t, input, ParserOptions{})
		if len(rows)+len(bad) != 0 {
			t.Errorf("%q: %d rows, %d bad", input, len(rows), len(bad))
		}
	}
	_, rows, bad, _ := parseAll(t, "", ParserOptions{Format: FormatCSV})
	if len(rows)+len(bad) != 0 {
		t.Errorf("empty CSV: %d rows, %d bad", len(rows), len(bad))
	}
}

func TestParserLongLines(t *testing.T) {
	long := strings.Replace(goodLine, "excès", strings.Repeat(" ", 200_000)+"excès", 1) // valid JSON, nature too long
	huge := `{"nature":"` + strings.Repeat("x", 300_000) + `"}`
	input := goodLine + "\n" + long + "\n" + huge + "\n" + goodLine + "\n" + huge
	_, rows, bad, n := parseAll(t, input, ParserOptions{MaxLineBytes: 250_000})
	if got := lines(rows); len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Errorf("row lines %v, want [1 4]", got)
	}
	if len(bad) != 3 || bad[0].Kind != KindText || bad[1].Kind != KindLineTooLong || bad[1].Line != 3 || bad[2].Line != 5 {
		t.Fatalf("bad rows %v", bad)
	}
	if want := "ligne 3 : ligne de plus de 250000 octets"; bad[1].Error() != want {
		t.Errorf("got %q, want %q", bad[1], want)
	}
	if n != 5 {
		t.Errorf("Lines() = %d", n)
	}
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestParserGzip(t *testing.T) {
	ndjson := goodLine + "\n" + with("class", `"9"`) + "\n"
	format, rows, bad, _ := parseAll(t, gzipped(t, ndjson), ParserOptions{})
	if format != FormatNDJSON || len(rows) != 1 || len(bad) != 1 {
		t.Errorf("gzipped NDJSON: %v, %d rows, %d bad", format, len(rows), len(bad))
	}
	csv := "event_id,neph,committed,established,points,class\nE1,1234567890,2024-01-01,2024-01-02,1,3\n"
	format, rows, _, _ = parseAll(t, gzipped(t, csv), ParserOptions{})
	if format != FormatCSV || len(rows) != 1 || rows[0].Line != 2 {
		t.Errorf("gzipped CSV: %v, %+v", format, rows)
	}
	// Two gzip members one after the other (cat a.gz b.gz) are one file.
	format, rows, _, _ = parseAll(t, gzipped(t, goodLine+"\n")+gzipped(t, goodLine+"\n"), ParserOptions{})
	if format != FormatNDJSON || len(rows) != 2 || rows[1].Line != 2 {
		t.Errorf("multi-member gzip: %v, %+v", format, rows)
	}
}

func TestParserCorruptGzip(t *testing.T) {
	z := []byte(gzipped(t, strings.Repeat(goodLine+"\n", 100)))
	z[len(z)-6] ^= 0xff // damage the CRC
	p, err := NewParser(bytes.NewReader(z), ParserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		_, err = p.Next()
		var e *RowError
		if err == nil || errors.As(err, &e) {
			continue
		}
		break
	}
	if err == io.EOF || !errors.Is(err, gzip.ErrChecksum) {
		t.Fatalf("got %v, want a checksum error", err)
	}
	if _, err := NewParser(strings.NewReader("\x1f\x8bnot gzip"), ParserOptions{}); err == nil ||
		!strings.HasPrefix(err.Error(), "fichier gzip illisible") {
		t.Fatalf("bad header: %v", err)
	}
}
