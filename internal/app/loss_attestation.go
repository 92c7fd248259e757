package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/licence"
	"permis/internal/statement"
	"permis/internal/twoddoc"
)

// LossAttestationPDF issues the owner's attestation de perte as a signed
// document, like the statements (REFERENCE §4, §5): a 2D-Doc carrying the
// holder, the NEPH, the state of the right, the categories held and the
// validity (D3, D4), recorded so that /verifier recognises it, and the PDF
// lists the categories and restrictions held. The checks of LossAttestation
// (the owner, a declared loss) apply.
func (a *App) LossAttestationPDF(ctx context.Context, req Request, id int64) (Issued, error) {
	la, err := a.LossAttestation(ctx, req, id)
	if err != nil {
		return Issued{}, err
	}
	l, err := a.store.FindLicenceByNEPH(ctx, licence.NEPH(la.NEPH))
	if err != nil {
		return Issued{}, err
	}
	lv, _, err := a.records(ctx, l)
	if err != nil {
		return Issued{}, err
	}
	from, err := twoddoc.DateField("D3", la.Issued)
	if err != nil {
		return Issued{}, err
	}
	until, err := twoddoc.DateField("D4", la.ValidUntil)
	if err != nil {
		return Issued{}, err
	}
	declaredAt := time.Time{}
	if r, err := a.store.FindRequest(ctx, id); err == nil && r.SubmittedAt != nil {
		declaredAt = *r.SubmittedAt
	}
	iss, err := a.issue(ctx, req, l, KindLoss, fmt.Sprintf("request:%d", id), func(doc statement.Document, _ time.Time) (statement.Rendered, error) {
		return statement.RenderLossAttestation(statement.LossAttestation{
			Document: doc, Licence: licenceOf(lv), Request: la.Reference, DeclaredAt: declaredAt,
			ValidFrom: la.Issued, ValidUntil: la.ValidUntil,
		})
	}, -1, from, until)
	iss.Filename = "attestation-de-perte-" + la.Reference + ".pdf"
	return iss, err
}

// fieldOf returns the field id among fields.
func fieldOf(fields []twoddoc.Field, id string) (twoddoc.Field, bool) {
	for _, f := range fields {
		if f.ID == id {
			return f, true
		}
	}
	return twoddoc.Field{}, false
}
