package designation

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"permis/internal/date"
)

// today is the day the files below are read.
var today = date.MustParse("2026-12-06")

const heading = "numero_avis;immatriculation;nom;prenoms;date_naissance;adresse;code_postal;commune;numero_permis;courriel\n"

// line is a valid designation of notice n.
func line(n string) string {
	return n + ";AB-123-CD;Lefèvre;Hélène Marie;14/03/1985;12 rue de l'Aiguillerie;34000;Montpellier;030334110003;\n"
}

func TestNormalPlate(t *testing.T) {
	for _, tc := range []struct {
		law, in, want string
		ok            bool
	}{
		{"arrêté du 9 février 2009 (SIV)", "ab-123-cd", "AB-123-CD", true},
		{"arrêté du 9 février 2009 (SIV)", "AB 123 CD", "AB-123-CD", true},
		{"arrêté du 9 février 2009 (SIV)", "AB123CD", "AB-123-CD", true},
		{"arrêté du 9 février 2009: no I, O, U", "AI-123-CD", "", false},
		{"arrêté du 9 février 2009: no U", "AB-123-UD", "", false},
		{"arrêté du 9 février 2009: 000 is not issued", "AB-000-CD", "", false},
		{"former FNI", "123 abc 34", "123 ABC 34", true},
		{"former FNI, Corsica", "45-AB-2A", "45 AB 2A", true},
		{"former FNI, overseas", "9999 ZZ 974", "9999 ZZ 974", true},
		{"neither", "ABC-12-DE", "", false},
		{"empty", "", "", false},
	} {
		got, ok := NormalPlate(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: NormalPlate(%q) = %q, %v; want %q, %v", tc.law, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCheck(t *testing.T) {
	good := Input{FamilyName: " Lefèvre ", GivenNames: "Hélène  Marie", BirthDate: "14/03/1985", Email: " Helene.Lefevre@example.fr ",
		Address: "12 rue de l'Aiguillerie", PostalCode: "34 000", Commune: "Montpellier", Licence: "0303 3411 0003"}
	d, ps := Check(good, today)
	if len(ps) != 0 {
		t.Fatalf("Check(good) problems %+v", ps)
	}
	if d.FamilyName != "Lefèvre" || d.GivenNames != "Hélène Marie" || d.BirthDate != date.MustParse("1985-03-14") ||
		d.PostalCode != "34000" || d.Licence != "030334110003" || d.Name() != "Hélène Marie Lefèvre" ||
		d.Email != "helene.lefevre@example.fr" || d.PostalAddress() != "12 rue de l'Aiguillerie, 34000 Montpellier" {
		t.Errorf("Check(good) = %+v", d)
	}
	with := func(f func(*Input)) Input { in := good; f(&in); return in }
	for _, tc := range []struct {
		law   string // what requires the value
		name  string
		in    Input
		field Field
		msg   string // part of the message
	}{
		{"CPP 529-10 2° (identité)", "no family name", with(func(in *Input) { in.FamilyName = "  " }), FieldFamilyName, "Indiquez le nom de famille"},
		{"CPP 529-10 2° (identité)", "digits in a name", with(func(in *Input) { in.GivenNames = "Jean2" }), FieldGivenNames, "retirez « 2 »"},
		{"CPP 529-10 2° (identité)", "birth date as typed in the US", with(func(in *Input) { in.BirthDate = "1985/03/14" }), FieldBirthDate, "JJ/MM/AAAA"},
		{"CPP 529-10 2° (identité)", "30 February", with(func(in *Input) { in.BirthDate = "30/02/1985" }), FieldBirthDate, "n'existe pas"},
		{"C. route R221-5 (AM from 14)", "13 years old", with(func(in *Input) { in.BirthDate = "07/12/2012" }), FieldBirthDate, "moins de 14 ans"},
		{"CPP 529-10 2° (adresse)", "no address", with(func(in *Input) { in.Address = "" }), FieldAddress, "Indiquez l'adresse"},
		{"CPP 529-10 2° (adresse)", "postal code of 4 digits", with(func(in *Input) { in.PostalCode = "3400" }), FieldPostalCode, "5 chiffres"},
		{"CPP 529-10 2° (référence du permis)", "no licence number", with(func(in *Input) { in.Licence = "" }), FieldLicence, "Indiquez le numéro du permis"},
		{"CPP 529-10 2°; REFERENCE §1.2", "neither a NEPH nor a card number", with(func(in *Input) { in.Licence = "12-AB-3" }), FieldLicence, "n'est pas valide"},
		{"optional email", "an email with a name", with(func(in *Input) { in.Email = "Hélène <h@example.fr>" }), FieldEmail, "camille.durand@example.fr"},
		{"letter lines", "address too long", with(func(in *Input) { in.Address = strings.Repeat("a", 101) }), FieldAddress, "100 caractères au plus"},
	} {
		_, ps := Check(tc.in, today)
		if len(ps) != 1 || ps[0].Field != tc.field || !strings.Contains(ps[0].Message, tc.msg) || ps[0].Line != 0 {
			t.Errorf("%s: %s: problems %+v, want one on %s saying %q", tc.law, tc.name, ps, tc.field, tc.msg)
		}
	}
}

func TestParseCSV(t *testing.T) {
	utf8File := heading + line("1234567890") + line("2234567890")
	w1252, err := charmap.Windows1252.NewEncoder().String(utf8File)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line  int
		field Field
		msg   string
	}
	for _, tc := range []struct {
		name     string
		data     string
		rows     int
		encoding string
		problems []want
	}{
		{"UTF-8 without a byte-order mark", utf8File, 2, "UTF-8", nil},
		{"UTF-8 with Excel's byte-order mark", "\xEF\xBB\xBF" + utf8File, 2, "UTF-8", nil},
		{"Windows-1252, Excel's French CSV", w1252, 2, "Windows-1252", nil},
		{"Windows line ends, headings in capitals with accents", strings.ReplaceAll(
			"Numéro_avis;IMMATRICULATION;Nom;Prénoms;Date_naissance;Adresse;Code_postal;Commune;Numéro_permis;Courriel\n"+line("1234567890"), "\n", "\r\n"),
			1, "UTF-8", nil},
		{"blank lines and Excel's empty rows are skipped", heading + "\n" + line("1234567890") + ";;;;;;;;;\n" + line("2234567890"), 2, "UTF-8", nil},
		{"a value in quotes with a semicolon", heading + `1234567890;AB-123-CD;Lefèvre;Hélène;14/03/1985;"Bât. A; 12 rue Foch";34000;Montpellier;030334110003;` + "\n", 1, "UTF-8", nil},
		{"UTF-16 refused", "\xFF\xFEn\x00", 0, "", []want{{0, "", "UTF-16"}}},
		{"comma separator refused", strings.ReplaceAll(heading, ";", ",") + strings.ReplaceAll(line("1234567890"), ";", ","), 0, "", []want{{1, "", "points-virgules"}}},
		{"a column missing", "numero_avis;immatriculation;nom\n", 0, "", []want{{1, "", "Il manque la colonne « prenoms » (colonne 4)"}}},
		{"a column misnamed", strings.Replace(heading, "commune", "ville", 1) + line("1234567890"), 0, "", []want{{1, "", "La colonne 8 s'appelle « ville » au lieu de « commune »"}}},
		{"a column too many", strings.TrimSuffix(heading, "\n") + ";email\n" + line("1234567890"), 0, "", []want{{1, "", "La colonne 11 (« email ») n'est pas attendue"}}},
		{"empty file", "", 0, "", []want{{0, "", "vide"}}},
		{"heading only", heading, 0, "", []want{{0, "", "aucune désignation"}}},
		{"a line with too few columns", heading + line("1234567890") + "2234567890;AB-123-CD\n", 1, "UTF-8", []want{{3, "", "2 colonnes au lieu de 10"}}},
		{"every bad value of every line reported", heading +
			"12;AB-123-CD;Lefèvre;Hélène;14/03/1985;12 rue Foch;34000;Montpellier;030334110003;\n" +
			line("1234567890") +
			"2234567890;AB-12-CD;Lefèvre;Hélène;31/02/1985;12 rue Foch;3400;Montpellier;24AB12345;\n",
			1, "UTF-8", []want{{2, FieldNotice, "que des chiffres"}, {4, FieldPlate, "AB-123-CD"}, {4, FieldBirthDate, "n'existe pas"}, {4, FieldPostalCode, "5 chiffres"}}},
		{"the same notice twice", heading + line("1234567890") + line("12 3456 7890"), 1, "UTF-8", []want{{3, FieldNotice, "déjà désigné à la ligne 2"}}},
		{"an unclosed quote", heading + line("1234567890") + `2234567890;"AB-123-CD;x` + "\n", 1, "UTF-8", []want{{3, "", "guillemet"}}},
		{"line numbers count the lines of a value on two lines", heading +
			"1234567890;AB-123-CD;Lefèvre;Hélène;14/03/1985;\"Bât. A\n12 rue Foch\";34000;Montpellier;030334110003;\n" +
			"2234567890;AB-123-CD;Lefèvre;Hélène;14/03/1985;12 rue Foch;34000;Montpellier;;\n",
			1, "UTF-8", []want{{4, FieldLicence, "Indiquez le numéro du permis"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := ParseCSV([]byte(tc.data), today)
			if len(rep.Rows) != tc.rows {
				t.Errorf("%d rows, want %d (problems %+v)", len(rep.Rows), tc.rows, rep.Problems)
			}
			if tc.encoding != "" && rep.Encoding != tc.encoding {
				t.Errorf("encoding %q, want %q", rep.Encoding, tc.encoding)
			}
			if len(rep.Problems) != len(tc.problems) {
				t.Fatalf("problems %+v, want %+v", rep.Problems, tc.problems)
			}
			for i, w := range tc.problems {
				p := rep.Problems[i]
				if p.Line != w.line || p.Field != w.field || !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %d = %+v, want line %d, field %q, saying %q", i, p, w.line, w.field, w.msg)
				}
			}
			if rep.OK() != (len(tc.problems) == 0) {
				t.Errorf("OK() = %v with problems %+v", rep.OK(), rep.Problems)
			}
		})
	}
}

func TestParseCSVReadsTheValues(t *testing.T) {
	w1252, _ := charmap.Windows1252.NewEncoder().String(heading + line("12-3456-7890"))
	rep := ParseCSV([]byte(w1252), today)
	if !rep.OK() {
		t.Fatalf("problems %+v", rep.Problems)
	}
	r := rep.Rows[0]
	if r.Line != 2 || r.Notice != "1234567890" || r.Plate != "AB-123-CD" || r.Driver.FamilyName != "Lefèvre" ||
		r.Driver.GivenNames != "Hélène Marie" || r.Driver.Address != "12 rue de l'Aiguillerie" || r.Driver.Licence != "030334110003" {
		t.Errorf("row %+v", r)
	}
}

func TestParseCSVLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(heading)
	for i := range MaxRows + 1 {
		b.WriteString(line(fmt.Sprintf("1%09d", i)))
	}
	rep := ParseCSV([]byte(b.String()), today)
	if rep.OK() || len(rep.Problems) != 1 || rep.Problems[0].Line != MaxRows+2 || !strings.Contains(rep.Problems[0].Message, "plus de 1000") {
		t.Errorf("%d rows: problems %+v", MaxRows+1, rep.Problems)
	}
	big := heading + strings.Repeat(" ", MaxBytes)
	if rep := ParseCSV([]byte(big), today); rep.OK() || !strings.Contains(rep.Problems[0].Message, "1 Mo") {
		t.Errorf("over 1 MiB: %+v", rep.Problems)
	}
}
