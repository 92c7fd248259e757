package directory

import (
	"strings"
	"testing"

	"permis/internal/apperr"
)

// want is an expected problem: line, field as named in the file, part of
// the reason, and whether it is a warning.
type want struct {
	line    int
	field   string
	reason  string
	warning bool
}

func checkReport(t *testing.T, r Report, read, imported, refused int, problems []want) {
	t.Helper()
	if r.Read != read || r.Imported != imported || r.Refused != refused {
		t.Errorf("counts read/imported/refused = %d/%d/%d, want %d/%d/%d", r.Read, r.Imported, r.Refused, read, imported, refused)
	}
	if len(r.Problems) != len(problems) {
		t.Fatalf("%d problems, want %d:\n%s", len(r.Problems), len(problems), r)
	}
	for i, w := range problems {
		p := r.Problems[i]
		if p.Line != w.line || p.Field != w.field || !strings.Contains(p.Reason, w.reason) || p.Warning != w.warning {
			t.Errorf("problem %d = %q, want line %d field %q containing %q (warning %v)", i, p, w.line, w.field, w.reason, w.warning)
		}
	}
}

const csvHeader = "type,nom,adresse,code_postal,commune,latitude,longitude,horaires,numero_agrement,id\n"

func TestImportCSV(t *testing.T) {
	tests := []struct {
		name                    string
		in                      string
		read, imported, refused int
		problems                []want
		firstName, firstCommune string
	}{
		{
			name: "good rows, comma separated",
			in: csvHeader +
				`photographe,Studio A,1 rue A,34000,Montpellier,43.61,3.87,"Tu-Sa 09:00-12:00; PH off",EPH-1,a` + "\n" +
				`medecin_agree,Dr B,2 rue B,34500,Béziers,43.34,3.21,,MA-2,b` + "\n",
			read: 2, imported: 2, firstName: "Studio A", firstCommune: "Montpellier",
		},
		{
			name: "semicolon, French spreadsheet: comma decimals, accents and case in the header, BOM, CRLF",
			in: "\uFEFFType;Nom;Adresse;Code Postal;Commune;Latitude;Longitude;Téléphone;Numéro d'agrément\r\n" +
				"Cabine photo;Cabine du port;2 quai A;34200;Sète;43,40;3,69;04.67.00.00.00;CAB-1\r\n",
			read: 1, imported: 1, firstName: "Cabine du port", firstCommune: "Sète",
		},
		{
			name: "tab separated, English column names",
			in: "kind\tname\taddress\tpostal_code\tcity\tlat\tlon\n" +
				"help_point\tFrance Services\t1 place X\t34400\tLunel\t43.67\t4.13\n",
			read: 1, imported: 1, firstName: "France Services", firstCommune: "Lunel",
		},
		{
			name: "each kind of bad row, with its line and column",
			in: csvHeader +
				`photographe,Studio A,1 rue A,3400,Montpellier,43.61,3.87,,EPH-1,a` + "\n" + // 2: postal code
				`photographe,Studio B,1 rue B,34000,Montpellier,43.61,3.87,Mo-Fr 8h30-12:00,EPH-2,b` + "\n" + // 3: hours
				`medecin_agree,Dr C,1 rue C,34000,Montpellier,43.61,3.87,,,c` + "\n" + // 4: approval
				`garage,Garage D,1 rue D,34000,Montpellier,43.61,3.87,,,d` + "\n" + // 5: type
				`point_aide,Lieu E,1 rue E,34000,Montpellier,43.61,,,,e` + "\n" + // 6: longitude missing
				`point_aide,Lieu F,1 rue F,34000,Montpellier,nord,3.87,,,f` + "\n" + // 7: latitude not a number
				`point_aide,Lieu G,1 rue G,34000,Montpellier,3.87,43.61,,,g` + "\n" + // 8: swapped
				`point_aide,Lieu H,1 rue H,34000,Montpellier,43.61,3.87,,,h,extra` + "\n" + // 9: column count
				`point_aide,,1 rue I,34000,Montpellier,43.61,3.87,,,i` + "\n" + // 10: no name
				`point_aide,Lieu J,1 rue J,34000,Montpellier,43.61,3.87,,,j` + "\n" + // 11: good
				`point_aide,Lieu K,1 rue K,34000,Montpellier,43.61,3.87,,,j` + "\n", // 12: id used on line 11
			read: 11, imported: 1, refused: 10, firstName: "Lieu J",
			problems: []want{
				{2, "code_postal", "n'en a que 4", false},
				{3, "horaires", "position 7 : heure attendue au format HH:MM", false},
				{4, "numero_agrement", "obligatoire pour un médecin agréé", false},
				{5, "type", "Type inconnu « garage »", false},
				{6, "longitude", "La longitude manque", false},
				{7, "latitude", "nombre décimal", false},
				{8, "latitude", "inversées", false},
				{9, "", "11 colonnes alors que l'en-tête en a 10", false},
				{10, "nom", "Indiquez le nom", false},
				{12, "id", "déjà utilisé ligne 11", false},
			},
		},
		{
			name: "a quoted value over two lines: later lines keep their file numbers",
			in: csvHeader +
				"point_aide,\"Lieu\nsur deux lignes\",1 rue A,34000,Montpellier,43.61,3.87,,,a\n" +
				"point_aide,Lieu B,1 rue B,34000,Montpellier,43.61,3.87,Mo 10:00,,b\n",
			read: 2, imported: 1, refused: 1, firstName: "Lieu sur deux lignes",
			problems: []want{{4, "horaires", "position 9", false}},
		},
		{
			name: "unknown column, unknown typology code, bad update date: warnings, rows kept",
			in: "type,nom,adresse,code_postal,commune,typologie,date_maj,remarque\n" +
				"point_aide,Lieu A,1 rue A,34000,Montpellier,RFS;XYZ,14/03/2025,rien\n",
			read: 1, imported: 1, firstName: "Lieu A",
			problems: []want{
				{1, "remarque", "Colonne inconnue", true},
				{2, "date_maj", "illisible « 14/03/2025 »", true},
				{2, "typologie", "« XYZ »", true},
			},
		},
		{
			name: "blank spreadsheet rows are skipped, not counted",
			in:   csvHeader + ",,,,,,,,,\n" + `photographe,Studio A,1 rue A,34000,Montpellier,,,,EPH-1,a` + "\n" + ",,,,,,,,,\n",
			read: 1, imported: 1, firstName: "Studio A",
		},
		{
			name: "an unclosed quote stops the reading and keeps the rows before",
			in: csvHeader +
				`photographe,Studio A,1 rue A,34000,Montpellier,,,,EPH-1,a` + "\n" +
				`photographe,"Studio B,1 rue B,34000,Montpellier,,,,EPH-2,b` + "\n" +
				`photographe,Studio C,1 rue C,34000,Montpellier,,,,EPH-3,c` + "\n",
			read: 1, imported: 1, firstName: "Studio A",
			problems: []want{{3, "", "Guillemet ouvert et jamais fermé", false}},
		},
		{
			name: "a stray quote refuses its row only",
			in: csvHeader +
				`photographe,Studio "A",1 rue A,34000,Montpellier,,,,EPH-1,a` + "\n" +
				`photographe,"Studio "B"",1 rue B,34000,Montpellier,,,,EPH-2,b` + "\n" +
				`photographe,"Studio ""C""",1 rue C,34000,Montpellier,,,,EPH-3,c` + "\n",
			read: 3, imported: 1, refused: 2, firstName: `Studio "C"`,
			problems: []want{{2, "", "Guillemet mal placé", false}, {3, "", "Guillemet mal placé", false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := ImportCSV(strings.NewReader(tt.in), Options{Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, imp.Report, tt.read, tt.imported, tt.refused, tt.problems)
			if len(imp.Entries) != tt.imported {
				t.Fatalf("%d entries, want %d", len(imp.Entries), tt.imported)
			}
			if e := imp.Entries[0]; e.Name != tt.firstName || tt.firstCommune != "" && e.Commune != tt.firstCommune || e.Source != "test" || e.SourceID == "" {
				t.Fatalf("first entry = %+v", e)
			}
		})
	}
}

// TestImportCSVValues checks what a good row becomes.
func TestImportCSVValues(t *testing.T) {
	in := "type;nom;adresse;complement_adresse;code_postal;commune;code_insee;latitude;longitude;telephone;courriel;site_web;horaires;services;accessibilite;prise_rdv;numero_agrement;source;id;date_maj;typologie\n" +
		"point_aide;France Services;1 place X;Bât. B;34400;Lunel;34145;43,6768;4,1331;+33 4 67 00 00 01;a@x.example;x.example;\"mo-fr 09:00-12:00; PH off\";Imprimer|Scanner;Plain-pied;Sans rendez-vous;;mairie;fs-1;2025-11-03;\"RFS;muni\"\n"
	imp, err := ImportCSV(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Entries) != 1 {
		t.Fatalf("report: %s", imp.Report)
	}
	e := imp.Entries[0]
	got := []string{string(e.Kind), e.Name, e.Address, e.Complement, e.PostalCode, e.Commune, e.INSEE, e.Phone, e.Email,
		e.Website, e.OpeningHours, strings.Join(e.Services, "|"), e.Accessibility, e.Appointment, e.Source, e.SourceID,
		e.Updated.Date.String(), strings.Join(e.Typology, "|")}
	wantVals := []string{"help_point", "France Services", "1 place X", "Bât. B", "34400", "Lunel", "34145", "04 67 00 00 01",
		"a@x.example", "https://x.example", "Mo-Fr 09:00-12:00; PH off", "Imprimer|Scanner", "Plain-pied", "Sans rendez-vous",
		"mairie", "fs-1", "2025-11-03", "RFS|MUNI"}
	for i := range got {
		if got[i] != wantVals[i] {
			t.Errorf("value %d = %q, want %q", i, got[i], wantVals[i])
		}
	}
	if e.Position == nil || *e.Position != (Point{43.6768, 4.1331}) || !e.Updated.Valid {
		t.Errorf("position %v, updated %v", e.Position, e.Updated)
	}
}

// TestImportCSVDerivedID: a file without ids gets the same ids each time,
// from what identifies the place, and a source by default.
func TestImportCSVDerivedID(t *testing.T) {
	in := "type,nom,adresse,code_postal,commune,numero_agrement\nphotographe,Studio A,1 rue A,34000,Montpellier,EPH-1\nphotographe,Studio B,1 rue A,34000,Montpellier,EPH-2\n"
	a, _ := ImportCSV(strings.NewReader(in), Options{})
	b, _ := ImportCSV(strings.NewReader(strings.ReplaceAll(in, "Studio A", "STUDIO  a")), Options{})
	if len(a.Entries) != 2 || len(b.Entries) != 2 {
		t.Fatalf("reports: %s / %s", a.Report, b.Report)
	}
	if a.Entries[0].SourceID != b.Entries[0].SourceID || a.Entries[0].SourceID == a.Entries[1].SourceID || a.Entries[0].Source != "csv" {
		t.Fatalf("ids %q %q %q, source %q", a.Entries[0].SourceID, b.Entries[0].SourceID, a.Entries[1].SourceID, a.Entries[0].Source)
	}
}

func TestImportCSVFileErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "vide"},
		{"required column missing", "type,nom,adresse,commune\nphotographe,A,1 rue A,Montpellier\n", "absentes de la première ligne : code_postal"},
		{"a column twice", "type,nom,adresse,code_postal,commune,cp\n", "« code_postal » et « cp »"},
		{"not UTF-8", "type,nom,adresse,code_postal,commune\nphotographe,A,1 rue A,34000,B\xe9ziers\n", "pas encodé en UTF-8 (ligne 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportCSV(strings.NewReader(tt.in), Options{})
			if ae := apperr.As(err); ae.Code != apperr.Invalid || !strings.Contains(ae.Message, tt.want) {
				t.Fatalf("error %v, want invalid containing %q", err, tt.want)
			}
		})
	}
	_, err := ImportCSV(strings.NewReader(csvHeader+strings.Repeat("x", 2000)), Options{MaxBytes: 1000})
	if ae := apperr.As(err); ae.Code != apperr.Invalid || !strings.Contains(ae.Message, "dépasse") {
		t.Fatalf("too big: %v", err)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		r    Report
		want string
	}{
		{Report{Read: 42, Imported: 40, Refused: 2}, "42 lignes lues, 40 importées, 2 refusées"},
		{Report{Read: 1, Imported: 1}, "1 ligne lue, 1 importée, 0 refusée"},
		{Report{JSON: true, Read: 3, Imported: 2, Refused: 1}, "3 éléments lus, 2 importés, 1 refusé"},
		{Report{Read: 2, Imported: 2, Problems: []Problem{{Warning: true}, {Warning: true}}}, "2 lignes lues, 2 importées, 0 refusée, 2 avertissements"},
		{Report{Read: 1, Imported: 1, StoppedAt: 3}, "1 ligne lue, 1 importée, 0 refusée ; lecture interrompue à la ligne 3"},
	}
	for _, tt := range tests {
		if got := tt.r.Summary(); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
	p := Problem{Line: 40, Index: 3, Field: "horaires", Reason: "Horaires illisibles."}
	if got := p.String(); got != "élément 3 (ligne 40), horaires : Horaires illisibles." {
		t.Errorf("Problem.String = %q", got)
	}
	p = Problem{Line: 12, Index: -1, Field: "code_postal", Reason: "Code postal invalide.", Warning: true}
	if got := p.String(); got != "ligne 12, code_postal (avertissement) : Code postal invalide." {
		t.Errorf("Problem.String = %q", got)
	}
}

// Issue 11 item 14: hours with a times-only rule after ";" are imported as
// written (the specification's reading), with a warning in the report that
// gives the likely intended value.
func TestImportCSVWarnsAboutTimesOnlyRule(t *testing.T) {
	in := "type;nom;adresse;code_postal;commune;code_insee;horaires;source;id\n" +
		"point_aide;France Services;1 place X;34400;Lunel;34145;\"Mo-Fr 08:30-12:00 ; 13:30-16:30\";mairie;fs-1\n"
	imp, err := ImportCSV(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Entries) != 1 || imp.Entries[0].OpeningHours != "Mo-Fr 08:30-12:00; 13:30-16:30" {
		t.Fatalf("entries %+v, report %s", imp.Entries, imp.Report)
	}
	if len(imp.Report.Problems) != 1 || !imp.Report.Problems[0].Warning || imp.Report.Problems[0].Field != "horaires" ||
		!strings.Contains(imp.Report.Problems[0].Reason, `vouliez-vous écrire "Mo-Fr 08:30-12:00,13:30-16:30" ?`) {
		t.Fatalf("problems %+v, want one warning on horaires with the likely intended value", imp.Report.Problems)
	}
}
