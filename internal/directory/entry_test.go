package directory

import (
	"math"
	"strings"
	"testing"

	"permis/internal/apperr"
)

// validEntry is a help point with every field right.
func validEntry() Entry {
	return Entry{
		Kind: HelpPoint, Typology: []string{"RFS"}, Name: "France Services de Lunel", Address: "8 avenue des Abrivados",
		PostalCode: "34400", Commune: "Lunel", INSEE: "34145", Position: &Point{43.6768, 4.1331},
		Phone: "04 65 71 20 01", Email: "fs@lunel.example", Website: "https://lunel.example",
		OpeningHours: "Mo-Fr 09:00-12:00; PH off", Source: "test", SourceID: "1",
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *Entry)
		field  string
		want   string // part of the message
	}{
		{"valid", func(e *Entry) {}, "", ""},
		{"no kind", func(e *Entry) { e.Kind = "" }, FieldKind, "Indiquez le type"},
		{"unknown kind", func(e *Entry) { e.Kind = "garage" }, FieldKind, "Type inconnu « garage »"},
		{"unknown typology", func(e *Entry) { e.Typology = []string{"XYZ"} }, FieldTypology, "« XYZ »"},
		{"typology of a doctor", func(e *Entry) { e.Kind, e.ApprovalNumber = ApprovedDoctor, "MA-1" }, FieldTypology, "ne s'applique qu'aux lieux d'aide"},
		{"no name", func(e *Entry) { e.Name = "" }, FieldName, "Indiquez le nom"},
		{"name too long", func(e *Entry) { e.Name = strings.Repeat("é", 201) }, FieldName, "201 caractères, 200 au plus"},
		{"no address", func(e *Entry) { e.Address = "" }, FieldAddress, "Indiquez l'adresse"},
		{"no postal code", func(e *Entry) { e.PostalCode = "" }, FieldPostalCode, "Indiquez le code postal"},
		{"postal code of 4 digits", func(e *Entry) { e.PostalCode = "1000" }, FieldPostalCode, "n'en a que 4"},
		{"postal code with a letter", func(e *Entry) { e.PostalCode = "34A00" }, FieldPostalCode, "Code postal invalide « 34A00 »"},
		{"postal code 96", func(e *Entry) { e.PostalCode = "96000" }, FieldPostalCode, "invalide"},
		{"no commune", func(e *Entry) { e.Commune = "" }, FieldCommune, "Indiquez la commune"},
		{"bad INSEE", func(e *Entry) { e.INSEE = "3414" }, FieldINSEE, "Code INSEE invalide"},
		{"latitude out of range", func(e *Entry) { e.Position = &Point{91, 3} }, FieldLatitude, "entre -90 et 90 (trouvé 91)"},
		{"latitude NaN", func(e *Entry) { e.Position = &Point{math.NaN(), 3} }, FieldLatitude, "entre -90 et 90"},
		{"longitude out of range", func(e *Entry) { e.Position = &Point{43, 181} }, FieldLongitude, "entre -180 et 180 (trouvé 181)"},
		{"swapped coordinates", func(e *Entry) { e.Position = &Point{4.1331, 43.6768} }, FieldLatitude, "inversées"},
		{"overseas position", func(e *Entry) { e.PostalCode, e.INSEE, e.Position = "97400", "97411", &Point{-20.88, 55.45} }, "", ""},
		{"bad phone", func(e *Entry) { e.Phone = "04 67 61" }, FieldPhone, "10 chiffres attendus"},
		{"phone with letters", func(e *Entry) { e.Phone = "04 67 61 61 6A" }, FieldPhone, "invalide"},
		{"bad e-mail", func(e *Entry) { e.Email = "fs@lunel.example, accueil" }, FieldEmail, "« accueil »"},
		{"bad website", func(e *Entry) { e.Website = "ftp://lunel.example" }, FieldWebsite, "https://"},
		{"bad opening hours", func(e *Entry) { e.OpeningHours = "Mo-Fr 8h30-12:00" }, FieldHours, "position 7 : heure attendue au format HH:MM"},
		{"doctor without approval", func(e *Entry) { e.Kind, e.Typology = ApprovedDoctor, nil }, FieldApproval, "obligatoire pour un médecin agréé"},
		{"booth without approval", func(e *Entry) { e.Kind, e.Typology = PhotoBooth, nil }, FieldApproval, "cabine photo agréée"},
		{"commission without approval", func(e *Entry) { e.Kind, e.Typology = MedicalCommission, nil }, "", ""},
		{"no source", func(e *Entry) { e.Source = "" }, FieldSource, "Indiquez la source"},
		{"no id", func(e *Entry) { e.SourceID = "" }, FieldSourceID, "Indiquez l'identifiant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.change(&e)
			ps := e.Problems()
			if tt.field == "" {
				if len(ps) != 0 {
					t.Fatalf("problems %v, want none", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Field != tt.field || !strings.Contains(ps[0].Message, tt.want) {
				t.Fatalf("problems %+v, want one on %s containing %q", ps, tt.field, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	if err := validEntry().Check(); err != nil {
		t.Fatalf("Check of a valid entry: %v", err)
	}
	e := validEntry()
	e.PostalCode, e.OpeningHours = "3400", "Mo 10:00"
	err := e.Check()
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid || len(ae.Fields) != 2 || ae.Fields[FieldHours] == "" || ae.Fields[FieldPostalCode] == "" {
		t.Fatalf("Check = %#v, want invalid with code_postal and horaires", ae)
	}
}

func TestNormalize(t *testing.T) {
	e := Entry{
		Name: "  France   Services\n de Lunel ", PostalCode: " 34 400", INSEE: "2a004",
		Phone: "+33 (0)4.67.61.61.61", Email: "a@b.example; c@d.example,", Website: "www.herault.gouv.fr",
		OpeningHours: "mo-fr 09:00–12:00 ; PH OFF", Services: []string{" Imprimer ", "", "Imprimer"},
		Typology: []string{"rfs", "RFS", " epn"},
	}
	e.Normalize()
	want := Entry{
		Name: "France Services de Lunel", PostalCode: "34400", INSEE: "2A004", Phone: "04 67 61 61 61",
		Email: "a@b.example, c@d.example", Website: "https://www.herault.gouv.fr",
		OpeningHours: "Mo-Fr 09:00-12:00; PH off", Services: []string{"Imprimer"}, Typology: []string{"RFS", "EPN"},
	}
	if e.Name != want.Name || e.PostalCode != want.PostalCode || e.INSEE != want.INSEE || e.Phone != want.Phone ||
		e.Email != want.Email || e.Website != want.Website || e.OpeningHours != want.OpeningHours ||
		strings.Join(e.Services, "|") != "Imprimer" || strings.Join(e.Typology, "|") != "RFS|EPN" {
		t.Fatalf("Normalize:\n got %+v\nwant %+v", e, want)
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0467616161", "04 67 61 61 61"},
		{"04.67.61.61.61", "04 67 61 61 61"},
		{"+33 4 67 61 61 61", "04 67 61 61 61"},
		{"0033467616161", "04 67 61 61 61"},
		{"+262 262 12 34 56", "02 62 12 34 56"},
		{"+590 590 12 34 56", "05 90 12 34 56"},
		{"3400", "3400"},
		{"+32 2 123 45 67", "+3221234567"},
		{"04 67 61 61", ""},
		{"00 67 61 61 61", ""},
		{"1234", ""},
		{"tel: 0467616161", ""},
	}
	for _, tt := range tests {
		got, ok := formatPhone(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("formatPhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestHelpLabel(t *testing.T) {
	tests := []struct {
		typology []string
		want     string
	}{
		{[]string{"MUNI", "RFS"}, "France Services"},
		{[]string{"PREF"}, "Point numérique de la préfecture ou sous-préfecture"},
		{[]string{"BIB", "EPN"}, "Espace public numérique"},
		{[]string{"BIB"}, "Bibliothèque, médiathèque"},
		{[]string{"CCAS"}, "Centre communal d'action sociale"},
		{nil, "Lieu de médiation numérique"},
	}
	for _, tt := range tests {
		if got := (Entry{Kind: HelpPoint, Typology: tt.typology}).HelpLabel(); got != tt.want {
			t.Errorf("HelpLabel(%v) = %q, want %q", tt.typology, got, tt.want)
		}
	}
	// The other kinds are named by their kind, never as a lieu de
	// médiation numérique.
	for _, k := range []Kind{Photographer, PhotoBooth, ApprovedDoctor, MedicalCommission} {
		if got := (Entry{Kind: k}).HelpLabel(); got != "" {
			t.Errorf("a %s has the help label %q", k, got)
		}
	}
}

func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
	}{
		{"photographe", Photographer}, {"Photographe agréé", Photographer}, {"photo_booth", PhotoBooth},
		{"Cabine photo", PhotoBooth}, {"MÉDECIN AGRÉÉ", ApprovedDoctor}, {"médecin", ApprovedDoctor},
		{"Commission médicale", MedicalCommission}, {"point_aide", HelpPoint}, {"help_point", HelpPoint},
		{"garage", ""},
	}
	for _, tt := range tests {
		got, ok := ParseKind(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, k := range Kinds() {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("kind %q: not valid or no label", k)
		}
	}
}

func TestFoldCommune(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Saint-Gély-du-Fesc", "SAINT GELY DU FESC"},
		{"st gely du fesc", "SAINT GELY DU FESC"},
		{"Ste-Croix", "SAINTE CROIX"},
		{"Montpellier Cedex 2", "MONTPELLIER"},
		{"MONTPELLIER CEDEX", "MONTPELLIER"},
		{"Clermont-l'Hérault", "CLERMONT L HERAULT"},
		{"Villeneuve-lès-Maguelone", "VILLENEUVE LES MAGUELONE"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := FoldCommune(tt.in); got != tt.want {
			t.Errorf("FoldCommune(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
