package statement

import (
	"errors"

	"permis/internal/date"
	"permis/internal/pdftext"
)

const (
	registrationTitle = "Attestation d'inscription à l'examen du permis de conduire"
	registrationLegal = "Attestation délivrée après l'acceptation de l'inscription par le bureau de l'éducation routière. " +
		"Le numéro de dossier (NEPH) est donné une fois pour toute la vie du conducteur."
)

// ExamRegistration is the input of RenderExamRegistration: the attestation
// d'inscription with the candidate's NEPH (issue 14 §1), with the signed
// 2D-Doc of our document type ZB (docs/exams.md).
type ExamRegistration struct {
	Document
	Holder       Holder
	NEPH         string
	Category     string
	Accepted     date.Date // the agent's acceptance
	Theory       bool      // the theory test is to be taken
	Practical    bool      // the practical test is to be taken
	Probationary bool      // the licence it leads to is probationary
}

// RenderExamRegistration writes the attestation d'inscription: the
// candidate, the NEPH, the category and the tests to take; with its
// outline for the accessible version.
func RenderExamRegistration(d ExamRegistration) (Rendered, error) {
	if err := checkDocument(d.Document); err != nil {
		return Rendered{}, err
	}
	if d.NEPH == "" || d.Category == "" || d.Accepted == 0 {
		return Rendered{}, errors.New("statement: an attestation d'inscription needs the NEPH, the category and the acceptance day")
	}
	b := newBuilder(d.Document, meta{
		title:   registrationTitle,
		subject: "Inscription à l'examen de la catégorie " + d.Category + ", NEPH " + d.NEPH,
		issued:  "délivrée",
		running: "Attestation d'inscription — " + fullName(d.Holder) + " — NEPH " + d.NEPH,
		legal:   registrationLegal,
	})
	err := b.titleBlock(registrationTitle, "Numéro de dossier (NEPH) "+d.NEPH, [][2]string{
		{"Référence", d.Reference},
		{"Délivrée le", pdftext.FrenchDateTime(d.IssuedAt)},
		{"Catégorie", d.Category},
		{"Inscription acceptée le", d.Accepted.French()},
	})
	if err != nil {
		return Rendered{}, err
	}
	b.fieldsSection("Candidat", append(civilStatus(d.Holder), [2]string{"Numéro de dossier (NEPH)", d.NEPH}))
	tests := "épreuve théorique (code) et épreuve pratique"
	switch {
	case d.Theory && !d.Practical:
		tests = "épreuve théorique (code) seulement"
	case !d.Theory && d.Practical:
		tests = "épreuve pratique seulement"
	}
	rows := [][2]string{{"Épreuves à passer", tests}}
	if d.Probationary {
		rows = append(rows, [2]string{"Permis obtenu", "probatoire"})
	}
	b.fieldsSection("Examen", rows)
	b.paragraphSection("Utilisation", "Donnez votre numéro de dossier (NEPH) au centre où vous passez l'épreuve théorique, "+
		"puis réservez une place d'examen pratique dans votre espace sur "+trimSlash(d.ServiceURL)+". Vérifiez que cette attestation "+
		"est authentique en lisant le code 2D-Doc ou sur "+trimSlash(d.ServiceURL)+"/verifier.")
	return b.rendered()
}
