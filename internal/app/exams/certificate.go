package exams

import (
	"context"
	"strings"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/secret"
	"permis/internal/statement"
	"permis/internal/store"
	"permis/internal/twoddoc"
)

// KindCertificate is the statements' kind of a CEPC: it is recorded with
// the other signed documents, so /verifier recognises it.
const KindCertificate = "cepc"

// Certificate is an issued CEPC.
type Certificate struct {
	Reference  string
	PDF        []byte
	Outline    statement.Outline
	Filename   string
	ValidUntil date.Date
}

// Certificate returns the CEPC of the actor's favourable exam (booking
// ref), issuing it on first download: a PDF with a 2D-Doc of ANTS type AD
// signed by the service, valid 4 months (exam.Config), recorded so that
// /verifier recognises it. Another person's booking, or one without a
// favourable result, is not_found.
func (s *Service) Certificate(ctx context.Context, req app.Request, ref string) (Certificate, error) {
	b, err := s.ownBooking(ctx, req, ref)
	if err != nil {
		return Certificate{}, err
	}
	if b.Result != string(exam.Favourable) {
		return Certificate{}, apperr.New(apperr.NotFound, "Aucun certificat d'examen pour cette place : il suit un résultat favorable.")
	}
	c, err := s.certificateOf(ctx, req, b)
	if err != nil {
		return Certificate{}, err
	}
	return c, s.k.Audit(ctx, req, "exam.certificate.read", "neph", b.NEPH)
}

func (s *Service) certificateOf(ctx context.Context, req app.Request, b store.ExamBooking) (Certificate, error) {
	if s.k.Issuer.Signer == nil {
		return Certificate{}, apperr.New(apperr.Unavailable, "La délivrance des documents signés est momentanément indisponible.")
	}
	licenceID, p, err := s.holderOf(ctx, b.NEPH)
	if err != nil {
		return Certificate{}, err
	}
	until := exam.CertificateValidUntil(b.Slot.Day, date.Null{}, s.cfg)
	st, err := s.k.Store.FindStatementRequestedBy(ctx, KindCertificate, "exam:"+b.Reference)
	if apperr.Is(err, apperr.NotFound) {
		st, err = s.issueCertificate(ctx, req, b, licenceID, p, until)
	}
	if err != nil {
		return Certificate{}, err
	}
	sym, err := twoddoc.Modules(st.Barcode)
	if err != nil {
		return Certificate{}, apperr.Wrap(apperr.Internal, "Le code du document n'a pas pu être dessiné.", err)
	}
	r, err := statement.RenderExamCertificate(statement.ExamCertificate{
		Document: statement.Document{Reference: st.Reference, IssuedAt: st.IssuedAt, Issuer: s.k.IssuerName(), ServiceURL: s.k.PublicURL,
			Barcode: sym, BarcodeText: st.Barcode},
		Holder: p,
		NEPH:   b.NEPH, Category: b.Category, Centre: b.CentreName, Booking: b.Reference, Passed: b.Slot.Day, ValidUntil: until,
	})
	if err != nil {
		return Certificate{}, apperr.Wrap(apperr.Internal, "Le document n'a pas pu être produit.", err)
	}
	return Certificate{Reference: st.Reference, PDF: r.PDF, Outline: r.Outline, ValidUntil: until,
		Filename: "cepc-" + strings.ToLower(b.Category) + "-" + b.NEPH + ".pdf"}, nil
}

// studentNEPH is the NEPH a driving school's first-licence request for the
// student of mandate m carries, so that it finds the student's CEPC and is
// prefilled with its category (app.StartRequest): the mandate's NEPH when
// the person it names in the register or the exam registrations (holderOf)
// is the mandate's student — same family name and birth date —, "" otherwise
// (no NEPH, a NEPH nobody holds, or another person's: a NEPH the school
// typed is not taken on trust).
func (s *Service) studentNEPH(ctx context.Context, m store.Mandate) (string, error) {
	if m.NEPH == "" {
		return "", nil
	}
	_, p, err := s.holderOf(ctx, m.NEPH)
	switch {
	case apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Invalid):
		return "", nil
	case err != nil:
		return "", err
	case !licence.SameName(p.FamilyName, m.FamilyName) || p.BirthDate != m.BirthDate:
		return "", nil
	}
	return m.NEPH, nil
}

// holderOf returns who holds the NEPH: the licence's holder (and the
// licence) when the NEPH is in the licence register; otherwise the
// candidate of the accepted exam registration that gave it, as their
// account's verified identity (FranceConnect) says, or the mandate's for a
// school's student not matched to an account yet (licence 0): a candidate
// who holds no licence yet (docs/exams.md).
func (s *Service) holderOf(ctx context.Context, neph string) (int64, statement.Holder, error) {
	l, err := s.k.Store.FindLicenceByNEPH(ctx, licence.NEPH(neph))
	if err == nil {
		p, err := s.k.Store.FindPerson(ctx, l.PersonID)
		return l.ID, statement.Holder{FamilyName: p.FamilyName, UsageName: p.UsageName, GivenNames: p.GivenNames, BirthDate: p.BirthDate,
			BirthPlace: p.BirthPlace, BirthCountry: p.BirthCountry}, err
	}
	if !apperr.Is(err, apperr.NotFound) {
		return 0, statement.Holder{}, err
	}
	r, err := s.k.Store.ExamRegistrationOfNEPH(ctx, neph)
	if err != nil {
		return 0, statement.Holder{}, err
	}
	if r.UserID == 0 && r.MandateID != 0 {
		// filed by a driving school for a student not yet matched to an
		// account: the civil status on the signed mandate
		m, err := s.k.Store.FindMandate(ctx, r.MandateID)
		return 0, statement.Holder{FamilyName: m.FamilyName, GivenNames: strings.Fields(m.GivenNames), BirthDate: m.BirthDate}, err
	}
	u, err := s.k.Store.FindUser(ctx, r.UserID)
	if err != nil {
		return 0, statement.Holder{}, err
	}
	if strings.TrimSpace(u.FamilyName) == "" || !u.BirthDate.Valid {
		return 0, statement.Holder{}, apperr.New(apperr.Invalid,
			"Votre identité n'est pas connue du service : connectez-vous avec FranceConnect pour télécharger votre certificat.")
	}
	return 0, statement.Holder{FamilyName: u.FamilyName, GivenNames: strings.Fields(u.GivenName), BirthDate: u.BirthDate.Date,
		BirthPlace: u.BirthPlace}, nil
}

// issueCertificate signs and records the CEPC. Our mapping of the AD
// document's fields (docs/exams.md): 6G family name, 60 given names, 69
// birth date, AC NEPH, E6 category, D3 exam day, D4 last valid day.
func (s *Service) issueCertificate(ctx context.Context, req app.Request, b store.ExamBooking, licenceID int64,
	p statement.Holder, until date.Date) (store.Statement, error) {
	d3, err := twoddoc.DateField("D3", b.Slot.Day)
	if err != nil {
		return store.Statement{}, err
	}
	d4, err := twoddoc.DateField("D4", until)
	if err != nil {
		return store.Statement{}, err
	}
	st := store.Statement{Reference: "CEPC-" + secret.FormatCode(secret.NewCode(12), 4), LicenceID: licenceID,
		Kind: KindCertificate, ValidUntil: date.Some(until), RequestedBy: "exam:" + b.Reference}
	return s.signCandidateDocument(ctx, req, "AD", p, b.NEPH, b.Category, []twoddoc.Field{d3, d4}, st, "exam.certificate.issue")
}

// signCandidateDocument signs an exam document's 2D-Doc — version 04,
// perimeter 01, the candidate's fields 6G family name (38 characters at
// most), 60 given names (60), 69 birth date, AC NEPH, E6 category, then
// dates — and records it as st, dated now, naming the NEPH when the holder
// has no licence, with its audit entry action, in one transaction.
func (s *Service) signCandidateDocument(ctx context.Context, req app.Request, docType string, p statement.Holder,
	neph, category string, dates []twoddoc.Field, st store.Statement, action string) (store.Statement, error) {
	now := s.k.Clock.Now()
	family := twoddoc.Clean(p.FamilyName)
	if len(family) > 38 {
		family = family[:38]
	}
	given := twoddoc.Clean(strings.Join(p.GivenNames, "/"))
	if len(given) > 60 {
		given = given[:60]
	}
	fields := append([]twoddoc.Field{{ID: "6G", Value: family}, {ID: "60", Value: given},
		{ID: "69", Value: twoddoc.FormatDate(p.BirthDate)}, {ID: "AC", Value: neph}, {ID: "E6", Value: category}}, dates...)
	code, err := s.k.Issuer.Signer.Issue(twoddoc.Header{Version: 4, IssueDate: date.Some(date.Today(now)),
		SignatureDate: date.Some(date.Today(now)), DocType: docType, Perimeter: "01", Country: "FR"}, fields)
	if err != nil {
		return store.Statement{}, apperr.Wrap(apperr.Internal, "Le document n'a pas pu être signé.", err)
	}
	st.IssuedAt, st.Barcode = now, code
	if st.LicenceID == 0 {
		st.NEPH = neph // the holder has no licence: the registration's NEPH names them
	}
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateStatement(ctx, &st); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, action, "neph", neph)
	})
	return st, err
}
