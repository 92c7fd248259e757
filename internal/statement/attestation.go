package statement

import (
	"errors"
	"permis/internal/pdftext"

	"permis/internal/date"
)

const (
	attestationTitle = "Attestation de droits à conduire"
	attestationLegal = "Attestation établie à partir du fichier national des permis de conduire. Elle indique les " +
		"catégories détenues, leur validité, les mentions additionnelles et l'état du droit à conduire à la date de " +
		"délivrance ; elle ne comporte aucun historique. Valable quatre mois."
)

// Attestation writes the attestation de droits à conduire (ADCS): the
// categories and their validity, the restrictions, the state of the right,
// the NEPH and the holder's civil status, valid until d.ValidUntil. By the
// type of d it cannot show points, history or letters (see the package
// comment).
func Attestation(d RightsAttestation) ([]byte, error) {
	r, err := RenderAttestation(d)
	return r.PDF, err
}

// RenderAttestation is Attestation, with the attestation's outline for its
// accessible version.
func RenderAttestation(d RightsAttestation) (Rendered, error) {
	if err := checkDocument(d.Document); err != nil {
		return Rendered{}, err
	}
	if d.NEPH == "" {
		return Rendered{}, errors.New("statement: missing NEPH")
	}
	if !d.ValidUntil.After(date.FromTime(d.IssuedAt.In(pdftext.Paris))) {
		return Rendered{}, errors.New("statement: the attestation's end of validity is not after its issue")
	}
	b := newBuilder(d.Document, meta{
		title:   attestationTitle,
		subject: "Attestation de droits à conduire — dossier NEPH " + string(d.NEPH),
		issued:  "délivrée",
		running: attestationTitle + " — " + fullName(d.Holder) + " — NEPH " + string(d.NEPH),
		legal:   attestationLegal,
	})
	err := b.titleBlock(attestationTitle, "Permis de conduire — catégories, restrictions et état du droit", [][2]string{
		{"Référence", d.Reference},
		{"Délivrée le", pdftext.FrenchDateTime(d.IssuedAt)},
		{"Valable jusqu'au", d.ValidUntil.French()},
	})
	if err != nil {
		return Rendered{}, err
	}

	b.fieldsSection("Titulaire", append(civilStatus(d.Holder), [2]string{"Numéro de dossier (NEPH)", string(d.NEPH)}))
	b.rightSection(d.Right)
	if err := b.tableSection("Catégories", categoryColumns, categoryRows(d.Categories), "Aucune catégorie."); err != nil {
		return Rendered{}, err
	}
	err = b.tableSection("Mentions additionnelles et restrictives", restrictionColumns,
		restrictionRows(d.Restrictions), "Aucune mention.")
	if err != nil {
		return Rendered{}, err
	}
	b.paragraphSection("Validité de l'attestation", "Cette attestation est valable jusqu'au "+d.ValidUntil.French()+
		". Après cette date, demandez-en une nouvelle au titulaire. Vérifiez qu'elle est authentique en lisant "+
		"le code 2D-Doc ou sur "+trimSlash(d.ServiceURL)+"/verifier.")
	return b.rendered()
}
