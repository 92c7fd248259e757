package portal

import (
	"net/http"
	"strings"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/requestpdf"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/statement"
	"permis/internal/store"
)

// The PDFs of a request its owner downloads from the request's page: the
// receipt of a submitted request and the attestation de perte. Both are
// read through the application, which checks the owner (anyone else's
// request is not_found).

// receiptOf builds the receipt of the owner's submitted request.
func receiptOf(v app.RequestView, issuer, service string, now time.Time) requestpdf.Receipt {
	rq := v.Request
	rc := requestpdf.Receipt{Issuer: issuer, ServiceURL: service, Reference: rq.Reference, Kind: v.Track.KindLabel,
		Applicant: strings.TrimSpace(rq.GivenNames + " " + rq.FamilyName), NEPH: rq.NEPH,
		Expected: rq.ExpectedDecision, Status: v.Track.StatusLabel, IssuedAt: now}
	if rq.SubmittedAt != nil {
		rc.SubmittedAt = *rq.SubmittedAt
	}
	if rq.BirthDate.Valid {
		rc.BirthDate = rq.BirthDate.Date
	}
	for _, d := range v.Documents {
		if d.State == store.DocProvided || d.State == store.DocAccepted {
			rc.Documents = append(rc.Documents, d.Document.Label())
		}
	}
	if rq.StampNumber != "" {
		rc.Stamp = "n° " + stamp.Number(rq.StampNumber).Grouped()
	}
	switch {
	case rq.EPhotoCode != "":
		rc.Photo = "code ePhoto fourni"
	case rq.PaperPhoto:
		rc.Photo = "formulaire photo-signature papier (FPS), à envoyer par courrier avec la référence " + rq.Reference
	}
	next := v.Track.NextStep
	if v.Track.NextDate.Valid {
		next += " Date prévue : " + v.Track.NextDate.Date.French() + "."
	}
	if next != "" {
		rc.NextSteps = append(rc.NextSteps, next)
	}
	rc.NextSteps = append(rc.NextSteps, v.Track.Waiting...)
	rc.NextSteps = append(rc.NextSteps, "Vous recevez un courriel à chaque étape de votre demande.")
	return rc
}

// requestReceipt renders the receipt of the owner's submitted request, in both
// forms (a draft has none).
func (p *Portal) requestReceipt(r *http.Request) (app.RequestView, statement.Rendered, error) {
	id, err := reqID(r)
	if err != nil {
		return app.RequestView{}, statement.Rendered{}, err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return app.RequestView{}, statement.Rendered{}, err
	}
	if v.Request.Status == requests.StatusDraft || v.Request.SubmittedAt == nil {
		return app.RequestView{}, statement.Rendered{}, apperr.New(apperr.NotFound, "Le récépissé est disponible une fois la demande envoyée.")
	}
	d, err := requestpdf.RenderReceiptDocument(receiptOf(v, p.issuerName(), p.app.PublicURL(), p.app.Now()))
	return v, d, err
}

// reqReceiptPDF sends the receipt of the owner's submitted request.
func (p *Portal) reqReceiptPDF(w http.ResponseWriter, r *http.Request) error {
	v, d, err := p.requestReceipt(r)
	if err != nil {
		return err
	}
	return sendPDF(w, app.Issued{Reference: v.Request.Reference, PDF: d.PDF, Filename: "recepisse-" + v.Request.Reference + ".pdf"})
}

// reqReceiptHTML shows the receipt's accessible version: what its PDF says,
// as a page (RGAA 13.3).
func (p *Portal) reqReceiptHTML(w http.ResponseWriter, r *http.Request) error {
	v, d, err := p.requestReceipt(r)
	if err != nil {
		return err
	}
	return p.documentView(w, r, d.Outline, v.Request.Reference, reqURL(v.Request.ID), "Retour à ma demande")
}

// reqLossHTML issues the attestation de perte, like its PDF, and shows its
// accessible version, with the same verification code.
func (p *Portal) reqLossHTML(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	is, err := p.app.LossAttestationPDF(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	return p.documentView(w, r, is.Outline, is.Reference, reqURL(id), "Retour à ma demande")
}

// reqLossPDF sends the owner's attestation de perte, signed like the
// statements (its 2D-Doc verifies on /verifier).
func (p *Portal) reqLossPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	is, err := p.app.LossAttestationPDF(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	return sendPDF(w, is)
}

// issuerName is the name printed on the PDFs (the configured issuer's).
func (p *Portal) issuerName() string {
	if n := p.app.IssuerName(); n != "" {
		return n
	}
	return "Service Permis de conduire"
}
