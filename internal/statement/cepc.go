package statement

import (
	"errors"

	"permis/internal/date"
	"permis/internal/pdftext"
)

const (
	cepcTitle = "Certificat d'examen du permis de conduire (CEPC)"
	cepcLegal = "Certificat délivré à la suite d'un résultat favorable à l'épreuve pratique de l'examen du permis de " +
		"conduire. Il permet à son titulaire de conduire en France, dans la catégorie indiquée, jusqu'à la date de fin " +
		"de validité imprimée, en attendant son permis. La demande de premier permis le retrouve d'elle-même."
)

// ExamCertificate is the input of RenderExamCertificate: the CEPC
// (REFERENCE §6.3), valid 4 months in France, with the signed 2D-Doc of
// ANTS document type AD.
type ExamCertificate struct {
	Document
	Holder     Holder
	NEPH       string
	Category   string
	Centre     string    // the exam centre
	Booking    string    // the place's reference
	Passed     date.Date // the favourable practical exam
	ValidUntil date.Date // last day of validity, included
}

// RenderExamCertificate writes the CEPC: the holder, the category, the
// exam, the validity, and how to verify it; with its outline for the
// accessible version.
func RenderExamCertificate(d ExamCertificate) (Rendered, error) {
	if err := checkDocument(d.Document); err != nil {
		return Rendered{}, err
	}
	if d.NEPH == "" || d.Category == "" || d.Passed == 0 || d.ValidUntil.Before(d.Passed) {
		return Rendered{}, errors.New("statement: a CEPC needs the NEPH, the category and a validity after the exam")
	}
	until := d.ValidUntil.French()
	b := newBuilder(d.Document, meta{
		title:   cepcTitle,
		subject: "CEPC de la catégorie " + d.Category + ", NEPH " + d.NEPH,
		issued:  "délivré",
		running: "CEPC — " + fullName(d.Holder) + " — NEPH " + d.NEPH,
		legal:   cepcLegal,
	})
	err := b.titleBlock(cepcTitle, "Permet de conduire en France jusqu'au "+until+" inclus, en attendant le permis", [][2]string{
		{"Référence", d.Reference},
		{"Délivré le", pdftext.FrenchDateTime(d.IssuedAt)},
		{"Catégorie", d.Category},
		{"Valable jusqu'au", until + " inclus"},
	})
	if err != nil {
		return Rendered{}, err
	}
	b.fieldsSection("Titulaire", append(civilStatus(d.Holder), [2]string{"Numéro de dossier (NEPH)", d.NEPH}))
	b.fieldsSection("Examen", [][2]string{
		{"Épreuve pratique", "résultat favorable le " + d.Passed.French()},
		{"Centre d'examen", d.Centre},
		{"Place", d.Booking},
	})
	b.paragraphSection("Validité et contrôle", "Ce certificat est valable jusqu'au "+until+" inclus, en France seulement. "+
		"Présentez-le avec une pièce d'identité en cas de contrôle. Vérifiez qu'il est authentique en lisant le code 2D-Doc "+
		"ou sur "+trimSlash(d.ServiceURL)+"/verifier.")
	return b.rendered()
}
