package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/secret"
	"permis/internal/statement"
	"permis/internal/store"
	"permis/internal/twoddoc"
)

// AttestationValidity is how long a driving-rights attestation is valid
// (ADCS, REFERENCE.md §4): four months from its issue.
const AttestationValidity = 4

// Issuer signs the statements: the 2D-Doc key (its CA and certificate ids
// come with it) and the name printed as the issuer. The keyring holds the
// keys the public verification trusts, ours included.
type Issuer struct {
	Name    string
	Signer  *twoddoc.Signer
	Keyring *twoddoc.Keyring
}

// Statement kinds.
const (
	KindFull        = "rii"
	KindAttestation = "adcs"
	KindLoss        = "perte" // the attestation de perte of a request (loss_attestation.go)
)

// Issued is a generated statement.
type Issued struct {
	Reference string
	Kind      string
	PDF       []byte
	Outline   statement.Outline // what the PDF says, for its accessible (HTML) version
	Barcode   string
	Filename  string
}

// rightCodes is the E5 ("état du permis") value of each state. Only "50"
// (valide) is attested by the public specimens; the others are ours until
// the specification's table is available (docs/2ddoc.md).
var rightCodes = map[licence.RightState]string{
	licence.StateValid:          "50",
	licence.StateRetained:       "61",
	licence.StateSuspendedAdmin: "62",
	licence.StateSuspendedCourt: "63",
	licence.StateInvalidated:    "64",
	licence.StateAnnulled:       "65",
}

// MyFullStatement issues the citizen's full statement (relevé
// d'information intégral). Like Mes points permis, it is only given to
// people signed in through the identity provider, whose identity the
// provider vouches for (REFERENCE.md §4).
func (a *App) MyFullStatement(ctx context.Context, req Request, acct Account) (Issued, error) {
	if !acct.ViaOIDC {
		return Issued{}, apperr.New(apperr.Forbidden,
			"Le relevé d'information intégral n'est délivré qu'aux personnes connectées avec leur identité numérique. Déconnectez-vous, puis reconnectez-vous avec le bouton d'identité numérique.")
	}
	u, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return Issued{}, err
	}
	lv, pv, err := a.records(ctx, l)
	if err != nil {
		return Issued{}, err
	}
	return a.issue(ctx, req, l, KindFull, fmt.Sprintf("user:%d", u.ID), func(doc statement.Document, now time.Time) (statement.Rendered, error) {
		return statement.RenderFull(fullOf(doc, lv, pv))
	}, pv.Balance)
}

// MyAttestation issues the citizen's driving-rights attestation.
func (a *App) MyAttestation(ctx context.Context, req Request) (Issued, error) {
	u, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return Issued{}, err
	}
	return a.attestation(ctx, req, l, fmt.Sprintf("user:%d", u.ID))
}

// CheckAttestation is the attestation a third party downloads with a check
// code (the check is recorded by CheckRights).
func (a *App) CheckAttestation(ctx context.Context, req Request, code, ending, organisation string) (Issued, error) {
	_, l, err := a.CheckRights(ctx, req, code, ending, organisation, "pdf")
	if err != nil {
		return Issued{}, err
	}
	return a.attestation(ctx, req, l, "check")
}

func (a *App) attestation(ctx context.Context, req Request, l licence.Licence, by string) (Issued, error) {
	lv, _, err := a.records(ctx, l)
	if err != nil {
		return Issued{}, err
	}
	return a.issue(ctx, req, l, KindAttestation, by, func(doc statement.Document, now time.Time) (statement.Rendered, error) {
		return statement.RenderAttestation(statement.RightsAttestation{
			Document: doc, Licence: licenceOf(lv), ValidUntil: date.Today(now).AddMonths(AttestationValidity),
		})
	}, -1)
}

// records loads what statements print.
func (a *App) records(ctx context.Context, l licence.Licence) (LicenceView, PointsView, error) {
	p, err := a.store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return LicenceView{}, PointsView{}, err
	}
	titles, err := a.store.ListTitles(ctx, l.ID)
	if err != nil {
		return LicenceView{}, PointsView{}, err
	}
	ll, err := a.store.LoadLicenceLedgerByNEPH(ctx, l.NEPH)
	if err != nil {
		return LicenceView{}, PointsView{}, err
	}
	res, err := a.rules.Replay(ll.Ledger, a.today())
	if err != nil {
		return LicenceView{}, PointsView{}, apperr.Wrap(apperr.Internal, "Le relevé de points ne peut pas être calculé.", err)
	}
	return licenceView(l, p, titles, a.today()), pointsView(l.NEPH, res), nil
}

// issue signs the 2D-Doc, renders the PDF and records the statement, with
// its audit entry, in one transaction. balance < 0 leaves the points out of
// the barcode (attestation).
func (a *App) issue(ctx context.Context, req Request, l licence.Licence, kind, by string,
	render func(statement.Document, time.Time) (statement.Rendered, error), balance int, extra ...twoddoc.Field) (Issued, error) {
	if a.issuer.Signer == nil {
		return Issued{}, apperr.New(apperr.Unavailable, "La délivrance des documents signés est momentanément indisponible.")
	}
	now := a.clock.Now()
	ref := "REL-" + secret.FormatCode(secret.NewCode(12), 4)
	lv, err := a.licenceViewOf(ctx, l)
	if err != nil {
		return Issued{}, err
	}
	code, err := a.sealStatement(lv, kind, now, balance, extra...)
	if err != nil {
		return Issued{}, apperr.Wrap(apperr.Internal, "Le document n'a pas pu être signé.", err)
	}
	sym, err := twoddoc.Modules(code)
	if err != nil {
		return Issued{}, apperr.Wrap(apperr.Internal, "Le code du document n'a pas pu être dessiné.", err)
	}
	doc, err := render(statement.Document{
		Reference: ref, IssuedAt: now, Issuer: a.issuer.Name, ServiceURL: a.publicURL, Barcode: sym, BarcodeText: code,
	}, now)
	if err != nil {
		return Issued{}, apperr.Wrap(apperr.Internal, "Le document n'a pas pu être produit.", err)
	}
	st := store.Statement{Reference: ref, LicenceID: l.ID, Kind: kind, IssuedAt: now, Barcode: code, RequestedBy: by}
	switch kind {
	case KindAttestation:
		st.ValidUntil = date.Some(date.Today(now).AddMonths(AttestationValidity))
	case KindLoss:
		if f, ok := fieldOf(extra, "D4"); ok {
			if d, err := twoddoc.ParseDate(f.Value); err == nil {
				st.ValidUntil = date.Some(d)
			}
		}
	}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateStatement(ctx, &st); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "statement.issue_"+kind, "licence", string(l.NEPH))
	})
	if err != nil {
		return Issued{}, err
	}
	name := "releve-integral-" + string(l.NEPH) + ".pdf"
	switch kind {
	case KindAttestation:
		name = "attestation-droits-a-conduire-" + string(l.NEPH) + ".pdf"
	case KindLoss:
		name = "attestation-de-perte-" + string(l.NEPH) + ".pdf"
	}
	return Issued{Reference: ref, Kind: kind, PDF: doc.PDF, Outline: doc.Outline, Barcode: code, Filename: name}, nil
}

func (a *App) licenceViewOf(ctx context.Context, l licence.Licence) (LicenceView, error) {
	p, err := a.store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return LicenceView{}, err
	}
	return licenceView(l, p, nil, a.today()), nil
}

// sealStatement builds and signs the AB ("relevé d'information") 2D-Doc:
// civil status, NEPH, kind, state, categories valid today, the date of the
// register's data, and the balance on the full statement only.
func (a *App) sealStatement(lv LicenceView, kind string, now time.Time, balance int, extra ...twoddoc.Field) (string, error) {
	today := date.Today(now)
	var cats []string
	for _, c := range lv.Categories {
		if c.ValidToday {
			cats = append(cats, string(c.Category))
		}
	}
	e4 := "APC"
	switch kind {
	case KindFull:
		e4 = "RII"
	case KindLoss:
		e4 = "ADP"
	}
	fields := []twoddoc.Field{
		{ID: "6G", Value: twoddoc.Clean(lv.Holder.FamilyName)},
		{ID: "60", Value: twoddoc.Clean(strings.Join(lv.Holder.GivenNames, "/"))},
		{ID: "69", Value: twoddoc.FormatDate(lv.Holder.BirthDate)},
		{ID: "6A", Value: truncate(twoddoc.Clean(lv.Holder.BirthPlace), 32)},
		{ID: "AC", Value: string(lv.NEPH)},
		{ID: "E4", Value: e4},
		{ID: "E5", Value: rightCodes[lv.State]},
		{ID: "E8", Value: now.In(date.Paris()).Format("020120061504")},
	}
	if balance >= 0 {
		fields = append(fields, twoddoc.Field{ID: "AG", Value: strings.ToUpper(fmt.Sprintf("%x", balance))})
	}
	fields = append(fields, twoddoc.Field{ID: "E6", Value: truncate(strings.Join(cats, " "), 65)})
	fields = append(fields, extra...)
	return a.issuer.Signer.Issue(twoddoc.Header{
		Version: 4, IssueDate: date.Some(today), SignatureDate: date.Some(today), DocType: "AB", Perimeter: "01", Country: "FR",
	}, fields)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return strings.TrimSpace(s[:n])
	}
	return s
}

// Verification is what the public verification page shows of a 2D-Doc.
type Verification struct {
	Verdict twoddoc.Verdict
	// Issued is true when the code is one of our statements, as recorded
	// when it was issued.
	Issued    bool
	Reference string
	Kind      string
	IssuedAt  time.Time
}

// KindLabel names the kind of an issued statement in French.
func (v Verification) KindLabel() string {
	switch v.Kind {
	case KindFull:
		return "relevé d'information intégral"
	case KindAttestation:
		return "attestation de droits à conduire"
	case KindLoss:
		return "attestation de perte du permis de conduire"
	case "cepc": // internal/app/exams.KindCertificate
		return "certificat d'examen du permis de conduire (CEPC)"
	case "inscription": // internal/app/exams.KindRegistrationAttestation
		return "attestation d'inscription au permis de conduire"
	}
	return v.Kind
}

// VerifyDocument decodes and checks a 2D-Doc's text against the trusted
// keys. Anyone may verify a document: the code carries what is printed.
func (a *App) VerifyDocument(ctx context.Context, req Request, text string) (Verification, error) {
	if strings.TrimSpace(text) == "" {
		return Verification{}, apperr.Field("code", "Collez le texte du code 2D-Doc lu sur le document.")
	}
	if len(text) > 4096 {
		return Verification{}, apperr.Field("code", "Ce texte est trop long pour être un code 2D-Doc (4 096 caractères au plus).")
	}
	kr := a.issuer.Keyring
	if kr == nil {
		kr = twoddoc.NewKeyring()
	}
	// The text as printed on our documents, wrapped over several lines,
	// copied or typed with its line breaks.
	v := Verification{Verdict: kr.VerifyPrinted(text)}
	if v.Verdict.Status == twoddoc.Valid && a.issuer.Signer != nil &&
		v.Verdict.Doc.Header.CA == a.issuer.Signer.CA && v.Verdict.Doc.Header.Cert == a.issuer.Signer.Cert {
		if f, ok := v.Verdict.Doc.Field("AC"); ok {
			_ = a.audit.Record(ctx, a.entry(req, "statement.verify", "licence", f.Value))
		}
		st, err := a.store.FindStatementByBarcode(ctx, v.Verdict.Doc.Text)
		switch {
		case err == nil:
			v.Issued, v.Reference, v.Kind, v.IssuedAt = true, st.Reference, st.Kind, st.IssuedAt
		case !apperr.Is(err, apperr.NotFound):
			return Verification{}, err
		}
	}
	return v, nil
}

func licenceOf(lv LicenceView) statement.Licence {
	out := statement.Licence{
		NEPH: lv.NEPH,
		Holder: statement.Holder{
			FamilyName: lv.Holder.FamilyName, UsageName: lv.Holder.UsageName, GivenNames: lv.Holder.GivenNames,
			BirthDate: lv.Holder.BirthDate, BirthPlace: lv.Holder.BirthPlace, BirthCountry: lv.Holder.BirthCountry,
		},
		Right: statement.Right{State: lv.State, Since: lv.StateSince, Until: lv.StateUntil},
	}
	for _, c := range lv.Categories {
		out.Categories = append(out.Categories, statement.Category{
			Category: c.Category, Obtained: c.Obtained, ValidUntil: c.ValidUntil, MedicalUntil: c.MedicalUntil, Valid: c.ValidToday,
		})
	}
	for _, r := range lv.Restrictions {
		out.Restrictions = append(out.Restrictions, statement.Restriction{Code: r.Code, Category: r.Category, Label: r.Label, Detail: r.Detail})
	}
	return out
}

func fullOf(doc statement.Document, lv LicenceView, pv PointsView) statement.Full {
	f := statement.Full{
		Document: doc, Licence: licenceOf(lv), Obtained: lv.Obtained, Departement: lv.Departement,
		Probation: lv.Probation, Training: lv.Training,
		Points: statement.Points{At: pv.At, Balance: pv.Balance, Ceiling: pv.Ceiling, Valid: pv.Valid, ProbationEnd: pv.ProbationEnd},
	}
	for _, t := range lv.Titles {
		f.Titles = append(f.Titles, statement.Title{Number: t.Number, Issued: t.Issued, Expires: t.Expires, State: t.State})
	}
	for _, m := range pv.Movements {
		f.Points.Movements = append(f.Points.Movements, statement.Movement{Date: m.Date, Kind: m.Kind, Delta: m.Delta, Balance: m.Balance, Ref: m.Ref})
	}
	for _, m := range pv.Upcoming {
		f.Points.Upcoming = append(f.Points.Upcoming, statement.Movement{Date: m.Date, Kind: m.Kind, Delta: m.Delta, Balance: m.Balance})
	}
	for _, l := range pv.Letters {
		f.Points.Letters = append(f.Points.Letters, statement.Letter{Date: l.Date, Type: l.Type, Ref: l.Ref})
	}
	return f
}
