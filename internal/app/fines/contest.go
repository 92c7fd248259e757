package fines

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/files"
	"permis/internal/payment"
	"permis/internal/secret"
	"permis/internal/store"
)

// GroundLabel is the French label of a ground, as the form offers it.
func GroundLabel(g contest.Ground) string {
	return map[contest.Ground]string{
		contest.Sold:           "J'avais vendu (cédé) le véhicule avant l'infraction",
		contest.OtherDriver:    "Je n'étais pas le conducteur : je désigne la personne qui conduisait",
		contest.Stolen:         "Le véhicule m'avait été volé",
		contest.Destroyed:      "Le véhicule avait été détruit",
		contest.UsurpedPlate:   "Mes plaques d'immatriculation ont été usurpées",
		contest.ContestOffence: "Je conteste l'infraction elle-même",
	}[g]
}

// DocumentLabel is the French name of a document.
func DocumentLabel(d contest.Document) string {
	return map[contest.Document]string{
		contest.TheftReport:            "le récépissé du dépôt de plainte",
		contest.DestructionDeclaration: "la déclaration de destruction du véhicule",
		contest.SaleDeclaration:        "la déclaration de cession du véhicule",
		contest.SaleAcknowledgement:    "l'accusé d'enregistrement de la cession dans le système d'immatriculation",
		contest.DriverDesignation:      "la désignation du conducteur",
	}[d]
}

// DocumentInput is one piece of a contest: an uploaded file (Body set) or
// one declared sent by post (Body nil).
type DocumentInput struct {
	Kind contest.Document
	Name string    // the file's name as the browser gave it
	Body io.Reader // nil: declared, sent by post
}

// ContestInput is a requête en exonération (ACO) or a réclamation (AFM).
// The ground other_driver is a designation: use DesignateDriver.
type ContestInput struct {
	Number, Plate string
	Ground        contest.Ground
	Reasons       string // required when the offence itself is contested
	Documents     []DocumentInput
	Deposit       int    // euros the person consigns (the fine's amount when contesting the offence)
	Email         string // where the decision is written
}

// ContestResult is a contest filed, and, when it needs a consignation,
// where to send the browser to pay it (nil otherwise, or when payments
// are unavailable: StartDepositPayment tries again).
type ContestResult struct {
	Contest store.Contest
	Deposit *payment.Session
}

// Contest files a contest of a notice, for whoever holds the paper notice.
// The contest rules (contest.Evaluate) decide first: a late contest, one
// without the documents its ground needs or without its consignation is
// refused as invalid, with a French message per field, and nothing is
// written. An admissible one moves the notice to contested in the same
// conditional change a payment racing it would need, so only one of them
// wins. Contesting the offence needs a consignation: the contest waits in
// deposit_due until the provider confirms it (PaymentNotified), and only
// then reaches the OMP's queue. returnPath is where the provider sends the
// browser back after the consignation.
func (s *Service) Contest(ctx context.Context, req app.Request, in ContestInput, returnPath string) (ContestResult, error) {
	if in.Ground == contest.OtherDriver {
		return ContestResult{}, apperr.Field("ground", "Pour désigner le conducteur, utilisez le formulaire de désignation : il demande son identité, son adresse et son numéro de permis.")
	}
	if err := checkContestInput(in); err != nil {
		return ContestResult{}, err
	}
	n, err := s.k.Store.FindNoticeByNumber(ctx, in.Number, in.Plate)
	if err != nil {
		return ContestResult{}, err
	}
	if err := contestable(n); err != nil {
		return ContestResult{}, err
	}
	today := s.today()
	kinds := make([]contest.Document, len(in.Documents))
	for i, d := range in.Documents {
		kinds[i] = d.Kind
	}
	dec := contest.Evaluate(s.cfg.Rules, n.Rule(), contest.Contest{Filed: today, Ground: in.Ground, Documents: kinds, Deposit: in.Deposit})
	if !dec.Admissible {
		return ContestResult{}, refusal(in.Ground, kinds, dec)
	}
	if dec.DepositRequired > 0 && s.k.Payments == nil {
		return ContestResult{}, errNoPayments
	}
	docs, err := s.accept(ctx, in.Documents)
	if err != nil {
		return ContestResult{}, err
	}
	c := store.Contest{Reference: "CT-" + secret.NewCode(10), NoticeID: n.ID, Ground: in.Ground,
		Reasons: strings.TrimSpace(in.Reasons), Deposit: dec.DepositRequired, Filed: today, Deadline: dec.Deadline,
		Email: strings.ToLower(strings.TrimSpace(in.Email)), State: store.ContestPending, Documents: docs}
	if dec.DepositRequired > 0 {
		c.State = store.ContestDepositDue
	}
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.SetNoticeState(ctx, n.ID, store.NoticeOpen, store.NoticeContested, date.Null{}); err != nil {
			return err
		}
		if err := tx.CreateContest(ctx, &c); err != nil {
			return err
		}
		if err := s.mail(ctx, tx, c.Email, mailContestFiled(n, c)); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, "fine.contest", "fine_contest", c.Reference)
	})
	if err != nil {
		s.deleteFiles(ctx, docs)
		return ContestResult{}, err
	}
	out := ContestResult{Contest: c}
	if c.State == store.ContestDepositDue {
		if sess, err := s.startDeposit(ctx, n, c, returnPath); err == nil {
			out.Deposit = &sess
		}
	}
	return out, nil
}

// contestable refuses a notice that is no longer open, saying why.
func contestable(n store.Notice) error {
	switch n.State {
	case store.NoticeOpen:
		return nil
	case store.NoticePaid, store.NoticeEstablished:
		return apperr.New(apperr.Conflict, "Cet avis est déjà payé ou l'infraction est établie : il ne peut plus être contesté (article 529 du code de procédure pénale).")
	case store.NoticeContested:
		return apperr.New(apperr.Conflict, "Une contestation de cet avis est déjà en cours d'examen.")
	}
	return apperr.New(apperr.Conflict, "Cet avis est clos : "+lower(stateLabels[n.State])+".")
}

// checkContestInput checks the form's fields, each with its French message.
func checkContestInput(in ContestInput) error {
	fields := map[string]string{}
	if err := numberAndPlate(in.Number, in.Plate); err != nil {
		fields = apperr.As(err).Fields
	}
	if !slices.Contains(contest.Grounds(), in.Ground) {
		fields["ground"] = "Choisissez le motif de votre contestation."
	}
	if in.Ground == contest.ContestOffence && utf8.RuneCountInString(strings.TrimSpace(in.Reasons)) < 10 {
		fields["reasons"] = "Expliquez en quelques phrases pourquoi vous contestez l'infraction."
	}
	if utf8.RuneCountInString(in.Reasons) > 5000 {
		fields["reasons"] = "Votre explication est trop longue : 5 000 caractères au plus."
	}
	if a, err := mail.ParseAddress(strings.TrimSpace(in.Email)); err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
		fields["email"] = "Saisissez votre adresse électronique, par exemple camille.durand@example.fr : la décision vous y sera écrite."
	}
	if in.Deposit < 0 {
		fields["deposit"] = "Le montant de la consignation ne peut pas être négatif."
	}
	for i, d := range in.Documents {
		if !slices.Contains(contest.Documents(), d.Kind) {
			fields[fmt.Sprintf("documents[%d]", i)] = "Pièce inconnue : choisissez une pièce de la liste."
		}
	}
	if len(fields) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Certaines informations sont incorrectes.", Fields: fields}
	}
	return nil
}

// refusal turns the rules' refusal into a French error naming the fields.
func refusal(g contest.Ground, given []contest.Document, d contest.Decision) error {
	e := &apperr.Error{Code: apperr.Invalid, Fields: map[string]string{}}
	switch d.Reason {
	case contest.Late:
		e.Message = fmt.Sprintf("Le délai de contestation est dépassé : il a expiré le %s à minuit (articles 529-2 et 530 du code de procédure pénale). Vous pouvez encore payer l'amende.", d.Deadline.French())
		e.Fields["ground"] = e.Message
	case contest.DocumentsMissing:
		e.Message = "Il manque des pièces justificatives pour ce motif (article 529-10 du code de procédure pénale)."
		for _, m := range contest.MissingDocuments(g, given) {
			e.Fields["documents."+string(m)] = "Joignez " + DocumentLabel(m) + ", ou indiquez que vous l'envoyez par courrier."
		}
	case contest.DepositMissing:
		e.Message = fmt.Sprintf("Pour contester l'infraction, vous devez consigner %d € : sans consignation, la contestation est irrecevable (article 529-10 du code de procédure pénale). La consignation n'est pas un paiement : elle vous est rendue si l'infraction n'est pas retenue.", d.DepositRequired)
		e.Fields["deposit"] = e.Message
	default:
		e.Message = "Cette contestation n'est pas recevable (" + string(d.Reason) + ")."
	}
	return e
}

// accept stores the uploaded documents; declared ones are recorded as such.
func (s *Service) accept(ctx context.Context, in []DocumentInput) ([]store.ContestDocument, error) {
	out := make([]store.ContestDocument, 0, len(in))
	for i, d := range in {
		if d.Body == nil {
			out = append(out, store.ContestDocument{Kind: d.Kind})
			continue
		}
		if s.k.Files == nil {
			s.deleteFiles(ctx, out)
			return nil, apperr.New(apperr.Unavailable, "Le dépôt de fichiers est momentanément indisponible : indiquez que vous envoyez les pièces par courrier.")
		}
		f, err := files.Accept(ctx, s.k.Files, fmt.Sprintf("documents[%d]", i), d.Name, d.Body, files.DefaultMaxSize)
		if err != nil {
			s.deleteFiles(ctx, out)
			return nil, err
		}
		out = append(out, store.ContestDocument{Kind: d.Kind, FileKey: f.Key, FileName: f.Name, ContentType: f.Type, Size: f.Size, SHA256: f.SHA256})
	}
	return out, nil
}

func (s *Service) deleteFiles(ctx context.Context, docs []store.ContestDocument) {
	for _, d := range docs {
		if d.FileKey != "" && s.k.Files != nil {
			_ = s.k.Files.Delete(context.WithoutCancel(ctx), d.FileKey)
		}
	}
}

// StartDepositPayment starts (again) the payment of a contest's
// consignation, for whoever holds the notice.
func (s *Service) StartDepositPayment(ctx context.Context, req app.Request, number, plate, contestRef, returnPath string) (payment.Session, error) {
	if s.k.Payments == nil {
		return payment.Session{}, errNoPayments
	}
	n, err := s.k.Store.FindNoticeByNumber(ctx, number, plate)
	if err != nil {
		return payment.Session{}, err
	}
	c, err := s.k.Store.FindContestByReference(ctx, contestRef)
	if err != nil || c.NoticeID != n.ID {
		return payment.Session{}, apperr.New(apperr.NotFound, "Contestation introuvable.")
	}
	if c.State != store.ContestDepositDue {
		return payment.Session{}, apperr.New(apperr.Conflict, "La consignation de cette contestation est déjà reçue.")
	}
	sess, err := s.startDeposit(ctx, n, c, returnPath)
	if err != nil {
		return payment.Session{}, err
	}
	return sess, s.k.Audit(ctx, req, "fine.deposit_start", "fine_contest", c.Reference)
}

func (s *Service) startDeposit(ctx context.Context, n store.Notice, c store.Contest, returnPath string) (payment.Session, error) {
	sess, err := s.k.Payments.Start(ctx, payment.Purchase{
		Reference: depositPrefix + c.Reference, Amount: c.Deposit * 100,
		Label: "Consignation — contestation de l'avis n° " + n.Number, Email: c.Email,
		ReturnURL: s.k.PublicURL + returnPath, CallbackURL: s.k.PublicURL + app.PaymentCallbackPath,
	})
	if err != nil {
		return payment.Session{}, apperr.Wrap(apperr.Unavailable, "Le paiement de la consignation n'a pas pu démarrer. Réessayez dans quelques minutes.", err)
	}
	return sess, nil
}
