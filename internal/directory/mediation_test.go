package directory

import (
	"strings"
	"testing"

	"permis/internal/apperr"
)

func TestImportMediation(t *testing.T) {
	tests := []struct {
		name                    string
		in                      string
		read, imported, refused int
		problems                []want // line and field; the index is checked below
		indexes                 []int
	}{
		{
			name: "schema v1",
			in: `[
  {"id": "a1", "nom": "France Services de Lunel", "adresse": "1 place X", "code_postal": "34400", "commune": "Lunel",
   "code_insee": "34145", "latitude": 43.6768, "longitude": 4.1331, "typologie": "RFS;MUNI",
   "telephone": "+33467000001", "courriel": "fs@lunel.example", "site_web": "https://lunel.example",
   "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off", "services": "Imprimer;Scanner",
   "accessibilite": "https://acceslibre.example/fs", "prise_rdv": "https://rdv.example/fs", "source": "Hérault",
   "date_maj": "2025-11-03", "presentation_resume": "ignoré", "conditions_acces": "Gratuit"}
]`,
			read: 1, imported: 1,
		},
		{
			name: "newer field names, numbers as text, arrays, a label that makes it a France Services",
			in: `[{"id": 42, "pivot": "12345678900011", "nom": "Maison de services", "adresse": "2 rue Y", "code_postal": 34190,
  "commune": "Ganges", "latitude": "43.9351", "longitude": "3.7094", "courriels": ["a@g.example", "b@g.example"],
  "fiche_acces_libre": "https://acceslibre.example/g", "dispositif_programmes_nationaux": "France Services;Aidants Connect",
  "frais_a_charge": "Gratuit", "itinerance": "Fixe", "horaires": "Mo-Fr 09:00-12:00", "services": ["Imprimer"]}]`,
			read: 1, imported: 1,
		},
		{
			name: "bad elements, each reported with its index and line; the good ones kept",
			in: `[
  {"id": "1", "nom": "Bon", "adresse": "1 rue A", "code_postal": "34000", "commune": "Montpellier"},
  {"id": "2", "nom": "Mauvais code postal", "adresse": "1 rue B", "code_postal": "3400", "commune": "Montpellier"},
  {"id": "3", "nom": "Mauvais horaires", "adresse": "1 rue C", "code_postal": "34000", "commune": "Montpellier",
   "horaires": "Mo-Fr 09:00-12:00; Sa 9-12"},
  "pas un objet",
  {"id": "5", "nom": {"fr": "objet"}, "adresse": "1 rue E", "code_postal": "34000", "commune": "Montpellier"},
  {"id": "6", "nom": "Sans longitude", "adresse": "1 rue F", "code_postal": "34000", "commune": "Montpellier", "latitude": 43.6},
  {"id": "1", "nom": "Même id", "adresse": "1 rue G", "code_postal": "34000", "commune": "Montpellier"},
  {"id": "8", "nom": "Typologie inconnue", "adresse": "1 rue H", "code_postal": "34000", "commune": "Montpellier",
   "typologie": "RFS;ZZZ", "date_maj": "hier"}
]`,
			read: 8, imported: 2, refused: 6,
			problems: []want{
				{3, "code_postal", "n'en a que 4", false},
				{4, "horaires", "position 23 : heure attendue au format HH:MM", false},
				{6, "", "n'est pas un objet", false},
				{7, "nom", "un texte ou un nombre est attendu", false},
				{8, "longitude", "La longitude manque", false},
				{9, "id", "déjà utilisé ligne 2", false},
				{10, "date_maj", "« hier »", true},
				{10, "typologie", "« ZZZ »", true},
			},
			indexes: []int{1, 2, 3, 4, 5, 6, 7, 7},
		},
		{
			name: "broken JSON stops the reading and keeps what was read",
			in: `[
  {"id": "1", "nom": "Bon", "adresse": "1 rue A", "code_postal": "34000", "commune": "Montpellier"},
  {"id": "2", "nom": "Cassé" "adresse": "1 rue B", "code_postal": "34000", "commune": "Montpellier"},
  {"id": "3", "nom": "Jamais lu", "adresse": "1 rue C", "code_postal": "34000", "commune": "Montpellier"}
]`,
			read: 1, imported: 1,
			problems: []want{{3, "", "JSON illisible", false}},
			indexes:  []int{1},
		},
		{
			name: "an empty array",
			in:   "\uFEFF[]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := ImportMediation(strings.NewReader(tt.in), Options{Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, imp.Report, tt.read, tt.imported, tt.refused, tt.problems)
			for i, idx := range tt.indexes {
				if imp.Report.Problems[i].Index != idx {
					t.Errorf("problem %d index %d, want %d", i, imp.Report.Problems[i].Index, idx)
				}
			}
			for _, e := range imp.Entries {
				if e.Kind != HelpPoint || e.SourceID == "" || e.Source == "" {
					t.Errorf("entry %+v", e)
				}
			}
		})
	}
}

// TestImportMediationValues checks what the two schema versions become.
func TestImportMediationValues(t *testing.T) {
	in := `[{"id": "a1", "nom": "FS", "adresse": "1 place X", "code_postal": "34400", "commune": "Lunel",
   "code_insee": "34145", "latitude": 43.6768, "longitude": 4.1331, "typologie": "rfs;MUNI",
   "telephone": "+33467000001", "courriel": "fs@lunel.example", "site_web": "https://lunel.example;https://autre.example",
   "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; PH off", "services": "Imprimer;Scanner",
   "accessibilite": "https://acceslibre.example/fs", "prise_rdv": "https://rdv.example/fs", "source": "Hérault",
   "date_maj": "2025-11-03T08:00:00.000Z"},
  {"pivot": "12345678900011", "nom": "MS", "adresse": "2 rue Y", "code_postal": 34190, "commune": "Ganges",
   "latitude": "43,9351", "longitude": "3,7094", "courriels": ["a@g.example", "b@g.example"],
   "fiche_acces_libre": "Plain-pied", "labels_nationaux": ["France Services"]}]`
	imp, err := ImportMediation(strings.NewReader(in), Options{Source: "anct"})
	if err != nil || len(imp.Entries) != 2 {
		t.Fatalf("%v: %s", err, imp.Report)
	}
	a, b := imp.Entries[0], imp.Entries[1]
	checks := []struct{ got, want string }{
		{a.SourceID, "a1"}, {a.Source, "Hérault"}, {strings.Join(a.Typology, "|"), "RFS|MUNI"}, {a.Phone, "04 67 00 00 01"},
		{a.Website, "https://lunel.example"}, {strings.Join(a.Services, "|"), "Imprimer|Scanner"},
		{a.Accessibility, "https://acceslibre.example/fs"}, {a.Appointment, "https://rdv.example/fs"},
		{a.Updated.Date.String(), "2025-11-03"}, {a.INSEE, "34145"},
		{b.SourceID, "12345678900011"}, {b.Source, "anct"}, {b.PostalCode, "34190"}, {b.Email, "a@g.example, b@g.example"},
		{b.Accessibility, "Plain-pied"}, {strings.Join(b.Typology, "|"), "RFS"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: %q, want %q", i, c.got, c.want)
		}
	}
	if a.Position == nil || *a.Position != (Point{43.6768, 4.1331}) || b.Position == nil || *b.Position != (Point{43.9351, 3.7094}) {
		t.Errorf("positions %v %v", a.Position, b.Position)
	}
}

func TestImportMediationFileErrors(t *testing.T) {
	for _, in := range []string{"", `{"nom": "x"}`, `"x"`, "nimporte"} {
		_, err := ImportMediation(strings.NewReader(in), Options{})
		if ae := apperr.As(err); ae.Code != apperr.Invalid || !strings.Contains(ae.Message, "tableau JSON") {
			t.Errorf("%q: error %v, want invalid about a JSON array", in, err)
		}
	}
}
