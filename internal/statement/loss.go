package statement

import (
	"errors"
	"time"

	"permis/internal/date"
	"permis/internal/pdftext"
)

const (
	lossTitle = "Attestation de perte du permis de conduire"
	lossLegal = "Attestation délivrée à la suite d'une déclaration de perte du permis de conduire faite dans une " +
		"demande de nouveau titre. Elle permet à son titulaire de conduire en France, pour les catégories qu'elle " +
		"indique, jusqu'à la date de fin de validité imprimée, en attendant le nouveau permis."
)

// LossAttestation is the input of RenderLossAttestation: the attestation de
// perte that lets the holder of a lost licence drive for two months
// (REFERENCE §5), with the same signed 2D-Doc and verification as the
// statements, and the categories held.
type LossAttestation struct {
	Document
	Licence
	Request    string    // the reference of the request that declared the loss
	DeclaredAt time.Time // when that request was sent
	ValidFrom  date.Date // first day of validity
	ValidUntil date.Date // last day of validity, included
}

// RenderLossAttestation writes the attestation de perte: its validity, the
// holder, the state of the right, the categories held and their
// restrictions, the declaration it comes from, and how to verify it; with
// its outline for the accessible version.
func RenderLossAttestation(d LossAttestation) (Rendered, error) {
	if err := checkDocument(d.Document); err != nil {
		return Rendered{}, err
	}
	if d.NEPH == "" || d.Request == "" {
		return Rendered{}, errors.New("statement: a loss attestation needs the NEPH and the request's reference")
	}
	if d.ValidFrom == 0 || d.ValidUntil.Before(d.ValidFrom) {
		return Rendered{}, errors.New("statement: the loss attestation's validity ends before it starts")
	}
	until := d.ValidUntil.French()
	b := newBuilder(d.Document, meta{
		title:   lossTitle,
		subject: "Attestation de perte du permis n° " + string(d.NEPH) + ", demande " + d.Request,
		issued:  "délivrée",
		running: "Attestation de perte — " + fullName(d.Holder) + " — NEPH " + string(d.NEPH),
		legal:   lossLegal,
	})
	err := b.titleBlock(lossTitle, "Permet de conduire en France jusqu'au "+until+" inclus, en attendant le nouveau permis", [][2]string{
		{"Référence", d.Reference},
		{"Délivrée le", pdftext.FrenchDateTime(d.IssuedAt)},
		{"Valable du", d.ValidFrom.French() + " au " + until + " inclus"},
		{"Demande", d.Request},
	})
	if err != nil {
		return Rendered{}, err
	}
	b.fieldsSection("Titulaire", append(civilStatus(d.Holder), [2]string{"Numéro de dossier (NEPH)", string(d.NEPH)}))
	b.rightSection(d.Right)
	if err := b.tableSection("Catégories détenues", categoryColumns, categoryRows(d.Categories), "Aucune catégorie."); err != nil {
		return Rendered{}, err
	}
	err = b.tableSection("Mentions additionnelles et restrictives", restrictionColumns,
		restrictionRows(d.Restrictions), "Aucune mention.")
	if err != nil {
		return Rendered{}, err
	}
	declared := [][2]string{{"Demande de nouveau permis", d.Request}}
	if !d.DeclaredAt.IsZero() {
		declared = append(declared, [2]string{"Perte déclarée le", pdftext.FrenchDateTime(d.DeclaredAt)})
	}
	b.fieldsSection("Déclaration de perte", declared)
	b.paragraphSection("Validité et contrôle", "Cette attestation est valable du "+d.ValidFrom.French()+" au "+until+
		" inclus. Présentez-la avec une pièce d'identité en cas de contrôle ; au-delà de cette date, elle n'a plus "+
		"de valeur. Vérifiez qu'elle est authentique en lisant le code 2D-Doc ou sur "+trimSlash(d.ServiceURL)+"/verifier.")
	return b.rendered()
}
