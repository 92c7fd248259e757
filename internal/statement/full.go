package statement

import (
	"errors"
	"fmt"
	"permis/internal/pdftext"
	"slices"
	"strconv"
	"strings"
)

const (
	fullTitle = "Relevé d'information intégral"
	fullLegal = "Relevé communiqué au titulaire du permis de conduire ou à son mandataire (code de la route, " +
		"art. L225-3), et aux seules autorités que la loi désigne (art. L225-4 et L225-5). Un employeur ou un " +
		"assureur ne peut pas en exiger la communication : l'attestation de droits à conduire suffit."
)

// FullStatement writes the relevé d'information intégral (RII): everything
// the register holds about the licence, including the points balance and the
// movements of the last ten years as given in d.Points. Long histories run
// onto as many pages as needed.
func FullStatement(d Full) ([]byte, error) {
	r, err := RenderFull(d)
	return r.PDF, err
}

// RenderFull is FullStatement, with the statement's outline for its
// accessible version.
func RenderFull(d Full) (Rendered, error) {
	if err := checkDocument(d.Document); err != nil {
		return Rendered{}, err
	}
	if d.NEPH == "" {
		return Rendered{}, errors.New("statement: missing NEPH")
	}
	b := newBuilder(d.Document, meta{
		title:   fullTitle,
		subject: "Relevé d'information intégral du permis de conduire — dossier NEPH " + string(d.NEPH),
		issued:  "délivré",
		running: fullTitle + " — " + fullName(d.Holder) + " — NEPH " + string(d.NEPH),
		legal:   fullLegal,
	})
	err := b.titleBlock(fullTitle, "Permis de conduire — état complet du dossier", [][2]string{
		{"Référence", d.Reference},
		{"Délivré le", pdftext.FrenchDateTime(d.IssuedAt)},
		{"Dossier (NEPH)", string(d.NEPH)},
	})
	if err != nil {
		return Rendered{}, err
	}

	holder := civilStatus(d.Holder)
	if len(d.Holder.Address) > 0 {
		holder = append(holder, [2]string{"Adresse", strings.Join(d.Holder.Address, ", ")})
	}
	b.fieldsSection("Titulaire", holder)
	b.fieldsSection("Permis de conduire", licenceFacts(d))
	b.rightSection(d.Right)

	steps := []func(*builder, Full) error{
		fullCategories, fullRestrictions, fullTitles, fullPoints, fullMovements, fullUpcoming, fullLetters, fullMeasures,
	}
	for _, step := range steps {
		if err := step(b, d); err != nil {
			return Rendered{}, err
		}
	}
	return b.rendered()
}

func licenceFacts(d Full) [][2]string {
	rows := [][2]string{{"Numéro de dossier (NEPH)", string(d.NEPH)}}
	if d.Obtained != 0 {
		rows = append(rows, [2]string{"Premier permis obtenu le", d.Obtained.French()})
	}
	if d.Departement != "" {
		rows = append(rows, [2]string{"Département du dossier", d.Departement})
	}
	rows = append(rows, [2]string{"Permis probatoire", probation(d)})
	if d.Training.Valid {
		rows = append(rows, [2]string{"Formation complémentaire", "suivie le " + d.Training.Date.French()})
	}
	return rows
}

// probation says whether the licence is probationary on the day of the
// balance, and until when.
func probation(d Full) string {
	end := d.Points.ProbationEnd
	switch {
	case end.Valid && end.Date.After(d.Points.At):
		s := "oui, jusqu'au " + end.Date.French()
		if l := probationLabel(d.Probation); l != "" {
			s += " — " + l
		}
		return s
	case end.Valid:
		return "non ; période probatoire terminée le " + end.Date.French()
	}
	return "non"
}

func fullCategories(b *builder, d Full) error {
	return b.tableSection("Catégories", categoryColumns, categoryRows(d.Categories), "Aucune catégorie.")
}

func fullRestrictions(b *builder, d Full) error {
	return b.tableSection("Mentions additionnelles et restrictives", restrictionColumns,
		restrictionRows(d.Restrictions), "Aucune mention.")
}

func fullTitles(b *builder, d Full) error {
	if len(d.Titles) == 0 {
		return nil
	}
	rows := make([][]string, len(d.Titles))
	for i, t := range d.Titles {
		rows[i] = []string{string(t.Number), t.Issued.French(), t.Expires.French(), capital(t.State.Label())}
	}
	return b.tableSection("Titres de conduite (cartes)", []column{
		{"Numéro du titre", 50, "L"}, {"Délivré le", 30, "L"}, {"Expire le", 30, "L"}, {"État", 70, "L"},
	}, rows, "")
}

func fullPoints(b *builder, d Full) error {
	p := d.Points
	rows := [][2]string{
		{"Solde au " + p.At.French(), fmt.Sprintf("%d %s sur %d", p.Balance, plural(p.Balance, "point", "points"), p.Ceiling)},
	}
	if !p.Valid {
		rows = append(rows, [2]string{"Validité", "solde nul : le permis a perdu sa validité (lettre 48SI)"})
	}
	b.fieldsSection("Solde de points", rows)
	return nil
}

var movementColumns = []column{
	{"Date", 19, "L"}, {"Opération", 54, "L"}, {"Détail", 78, "L"}, {"Points", 12, "R"}, {"Solde", 17, "R"},
}

func fullMovements(b *builder, d Full) error {
	return b.tableSection("Historique des points (10 dernières années)", movementColumns,
		movementRows(d.Points.Movements),
		"Aucun retrait ni aucune restitution de points au cours des dix dernières années.")
}

func movementRows(ms []Movement) [][]string {
	rows := make([][]string, len(ms))
	for i, m := range ms {
		detail := m.Label
		if detail == "" && m.Ref != "" {
			detail = "Référence " + m.Ref
		}
		rows[i] = []string{m.Date.French(), kindLabel(m.Kind), detail, signed(m.Delta), strconv.Itoa(m.Balance)}
	}
	return rows
}

func fullUpcoming(b *builder, d Full) error {
	if len(d.Points.Upcoming) == 0 {
		return nil
	}
	cols := slices.Clone(movementColumns)
	cols[2].width -= 8 // room for the longer title
	cols[4].width += 8
	cols[4].title = "Solde prévu"
	return b.tableSection("Restitutions à venir en l'absence de nouvelle infraction", cols,
		movementRows(d.Points.Upcoming), "")
}

func fullLetters(b *builder, d Full) error {
	rows := make([][]string, len(d.Points.Letters))
	for i, l := range d.Points.Letters {
		ref := ""
		if l.Ref != "" {
			ref = "Référence " + l.Ref
		}
		rows[i] = []string{l.Date.French(), "Lettre " + string(l.Type), letterLabel(l.Type), ref}
	}
	return b.tableSection("Lettres du ministère de l'Intérieur", []column{
		{"Date", 20, "L"}, {"Lettre", 24, "L"}, {"Objet", 86, "L"}, {"Infraction", 50, "L"},
	}, rows, "Aucune lettre.")
}

func fullMeasures(b *builder, d Full) error {
	rows := make([][]string, len(d.Measures))
	for i, m := range d.Measures {
		rows[i] = []string{m.Date.French(), capital(m.Kind.Label()), nullDate(m.Until), m.Detail}
	}
	return b.tableSection("Mesures sur le droit à conduire", []column{
		{"Date", 20, "L"}, {"Mesure", 62, "L"}, {"Jusqu'au", 22, "L"}, {"Précision", 76, "L"},
	}, rows, "Aucune mesure de rétention, de suspension, d'invalidation ou d'annulation.")
}

func plural(n int, one, many string) string {
	if n == 0 || n == 1 || n == -1 {
		return one
	}
	return many
}
