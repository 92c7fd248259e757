package exams

import (
	"context"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/statement"
	"permis/internal/store"
	"permis/internal/twoddoc"
)

// KindRegistrationAttestation is the statements' kind of an attestation
// d'inscription: recorded with the other signed documents, so /verifier
// recognises it.
const KindRegistrationAttestation = "inscription"

// DocTypeRegistration is the 2D-Doc document type of the attestation
// d'inscription: ours, ANTS defines none for it that we found
// (docs/exams.md, docs/2ddoc.md).
const DocTypeRegistration = "ZB"

// Attestation is a rendered attestation d'inscription.
type Attestation struct {
	Reference string
	PDF       []byte
	Filename  string
}

// RegistrationAttestation renders the attestation d'inscription of the
// signed-in citizen's accepted registration ref, with the NEPH and a 2D-Doc
// signed by the service, issued on the first download and recorded in
// statements (kind KindRegistrationAttestation, under the registration's
// reference) so that /verifier recognises it; later downloads print the
// same code. Another person's registration, or one not accepted, is
// not_found. The read is audited.
func (s *Service) RegistrationAttestation(ctx context.Context, req app.Request, ref string) (Attestation, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.Citizen {
		return Attestation{}, apperr.New(apperr.Forbidden, "Seul le candidat télécharge son attestation d'inscription.")
	}
	r, err := s.k.Store.FindExamRegistration(ctx, ref)
	if err != nil || r.UserID != me || r.State != store.RegistrationAccepted || r.DecidedAt == nil {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			err = apperr.New(apperr.NotFound, "Aucune attestation d'inscription sous cette référence : elle suit l'acceptation de l'inscription.")
		}
		return Attestation{}, err
	}
	if s.k.Issuer.Signer == nil {
		return Attestation{}, apperr.New(apperr.Unavailable, "La délivrance des documents signés est momentanément indisponible.")
	}
	u, err := s.k.Store.FindUser(ctx, me)
	if err != nil {
		return Attestation{}, err
	}
	holder := statement.Holder{FamilyName: u.FamilyName, GivenNames: strings.Fields(u.GivenName), BirthDate: u.BirthDate.Date, BirthPlace: u.BirthPlace}
	if twoddoc.Clean(holder.FamilyName) == "" || !u.BirthDate.Valid {
		return Attestation{}, apperr.New(apperr.Invalid,
			"Votre identité n'est pas connue du service : connectez-vous avec FranceConnect pour télécharger votre attestation.")
	}
	g, err := s.registrant(ctx, r)
	if err != nil {
		return Attestation{}, err
	}
	accepted := date.Today(*r.DecidedAt)
	d := exam.Registration{Theory: true, Practical: true, Probationary: true}
	if _, a, err := s.applicantFor(ctx, g); err == nil {
		d = exam.Register(a, accepted, s.cfg)
	}
	st, err := s.k.Store.FindStatementRequestedBy(ctx, KindRegistrationAttestation, "exam:"+r.Reference)
	if apperr.Is(err, apperr.NotFound) {
		st, err = s.issueAttestation(ctx, req, r, holder, accepted)
		if apperr.Is(err, apperr.Conflict) { // issued meanwhile by another download
			st, err = s.k.Store.FindStatementRequestedBy(ctx, KindRegistrationAttestation, "exam:"+r.Reference)
		}
	}
	if err != nil {
		return Attestation{}, err
	}
	sym, err := twoddoc.Modules(st.Barcode)
	if err != nil {
		return Attestation{}, apperr.Wrap(apperr.Internal, "Le code du document n'a pas pu être dessiné.", err)
	}
	out, err := statement.RenderExamRegistration(statement.ExamRegistration{
		Document: statement.Document{Reference: st.Reference, IssuedAt: st.IssuedAt, Issuer: s.k.IssuerName(), ServiceURL: s.k.PublicURL,
			Barcode: sym, BarcodeText: st.Barcode},
		Holder: holder,
		NEPH:   r.NEPH, Category: r.Category, Accepted: accepted, Theory: d.Theory, Practical: d.Practical, Probationary: d.Probationary,
	})
	if err != nil {
		return Attestation{}, apperr.Wrap(apperr.Internal, "Le document n'a pas pu être produit.", err)
	}
	if err := s.k.Audit(ctx, req, "exam.registration.attestation", "registration", r.Reference); err != nil {
		return Attestation{}, err
	}
	return Attestation{Reference: st.Reference, PDF: out.PDF,
		Filename: "attestation-inscription-" + strings.ToLower(r.Category) + "-" + r.NEPH + ".pdf"}, nil
}

// issueAttestation signs and records the attestation's 2D-Doc: version 04,
// our type ZB, perimeter 01. Our mapping (docs/exams.md): 6G family name,
// 60 given names, 69 birth date, AC NEPH, E6 category, D3 day of
// acceptance. The statement's reference is the registration's.
func (s *Service) issueAttestation(ctx context.Context, req app.Request, r store.ExamRegistration, p statement.Holder,
	accepted date.Date) (store.Statement, error) {
	d3, err := twoddoc.DateField("D3", accepted)
	if err != nil {
		return store.Statement{}, err
	}
	st := store.Statement{Reference: r.Reference, LicenceID: r.LicenceID, Kind: KindRegistrationAttestation,
		RequestedBy: "exam:" + r.Reference}
	return s.signCandidateDocument(ctx, req, DocTypeRegistration, p, r.NEPH, r.Category, []twoddoc.Field{d3}, st,
		"exam.registration.attestation.issue")
}
