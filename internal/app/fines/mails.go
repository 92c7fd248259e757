package fines

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/store"
)

// The mails of fines, each enqueued in the transaction of the change it
// reports (mail.Enqueue), so that a change and its mail commit together.

type message struct{ subject, text string }

// mail enqueues m to address to; a notice or contest without an address
// (sent by post) gets no mail, only its paper letter.
func (s *Service) mail(ctx context.Context, tx *store.Store, to string, m message) error {
	if to == "" {
		return nil
	}
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: to, Subject: m.subject, Text: m.text + app.MailSignature})
	return err
}

// tell sends m about notice n to the person: by mail to email when there
// is one, otherwise as a postal letter to the notice's addressee at the
// address printed on it, queued with the service's other letters (the
// secure mailing, docs/operations.md). Nobody is left without the news of
// a decision, a new notice, an increase or a refund.
func (s *Service) tell(ctx context.Context, tx *store.Store, email string, n store.Notice, m message) error {
	if email != "" || n.Holder.Address == "" {
		return s.mail(ctx, tx, email, m)
	}
	recipient := strings.TrimSpace(n.Holder.GivenNames + " " + n.Holder.Name)
	text := strings.Replace(m.text, "Bonjour,", "Madame, Monsieur,", 1) +
		"\nNous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.\n\n" + s.k.IssuerName() + "\n"
	return tx.CreatePostalLetter(ctx, &store.PostalLetter{Kind: "fine_notice", Recipient: recipient,
		Address: strings.ReplaceAll(n.Holder.Address, ", ", "\n"), Subject: m.subject, Text: text, LicenceID: n.Holder.LicenceID})
}

func euros(cents int) string {
	if cents%100 == 0 {
		return fmt.Sprintf("%d €", cents/100)
	}
	return fmt.Sprintf("%d,%02d €", cents/100, cents%100)
}

func mailPaid(n store.Notice, cents int, on date.Date) message {
	text := fmt.Sprintf("Bonjour,\n\nNous avons reçu le %s le paiement de %s de l'avis de contravention n° %s (véhicule %s).\n",
		on.French(), euros(cents), n.Number, n.Plate)
	if n.Points > 0 && n.Holder.LicenceID != 0 {
		text += fmt.Sprintf("\nLe paiement vaut reconnaissance de l'infraction : %d point(s) sont retirés de votre permis à la date du paiement (article L223-1 du code de la route).\n", n.Points)
	}
	return message{subject: "Paiement de votre amende n° " + n.Number, text: text}
}

func mailRefund(n store.Notice, cents int) message {
	return message{subject: "Votre paiement de l'avis n° " + n.Number + " sera remboursé",
		text: fmt.Sprintf("Bonjour,\n\nVotre paiement de %s est arrivé après la contestation ou la désignation du conducteur de l'avis n° %s : il ne vaut pas paiement de l'amende et vous sera remboursé. Aucun point n'est retiré de ce fait.\n",
			euros(cents), n.Number)}
}

func mailDepositPaid(c store.Contest, cents int) message {
	return message{subject: "Consignation reçue — contestation " + c.Reference,
		text: fmt.Sprintf("Bonjour,\n\nNous avons reçu votre consignation de %s. Votre contestation n° %s est transmise à l'officier du ministère public. La consignation n'est pas un paiement : aucun point n'est retiré tant que l'infraction n'est pas établie.\n",
			euros(cents), c.Reference)}
}

func mailContestFiled(n store.Notice, c store.Contest) message {
	text := fmt.Sprintf("Bonjour,\n\nVotre contestation de l'avis de contravention n° %s (véhicule %s) est enregistrée sous la référence %s le %s.\n",
		n.Number, n.Plate, c.Reference, c.Filed.French())
	if c.State == store.ContestDepositDue {
		text += fmt.Sprintf("\nElle ne sera examinée qu'après le versement de la consignation de %d € (article 529-10 du code de procédure pénale).\n", c.Deposit)
	} else {
		text += "\nL'officier du ministère public l'examinera et vous écrira sa décision. Ne payez pas l'amende : le paiement vaudrait reconnaissance de l'infraction.\n"
	}
	return message{subject: "Contestation enregistrée — avis n° " + n.Number, text: text}
}

func mailDesignatedHolder(n store.Notice, d store.Designation) message {
	return message{subject: "Désignation du conducteur — avis n° " + n.Number,
		text: fmt.Sprintf("Bonjour,\n\nVous avez désigné %s %s comme conducteur pour l'avis n° %s. Cet avis est clos : un nouvel avis est envoyé au conducteur désigné. Aucun point n'est retiré de votre permis pour cette infraction.\n",
			d.GivenNames, d.FamilyName, n.Number)}
}

func mailNewNotice(n store.Notice, deadline date.Date) message {
	return message{subject: "Avis de contravention n° " + n.Number,
		text: fmt.Sprintf("Bonjour,\n\nVous avez été désigné(e) comme conducteur du véhicule %s le %s (%s). Un avis de contravention n° %s vous est adressé : amende de %d € (%d € si vous payez dans les 15 jours, 30 jours en ligne).\n\nVous pouvez payer ou contester jusqu'au %s inclus. Le paiement vaut reconnaissance de l'infraction : %d point(s) seraient alors retirés de votre permis.\n",
			n.Plate, n.Committed.French(), n.Nature, n.Number, n.Fine, n.Reduced, deadline.French(), n.Points)}
}

func mailNonDesignation(orig, fine store.Notice) message {
	return message{subject: "Amende pour non-désignation du conducteur — avis n° " + fine.Number,
		text: fmt.Sprintf("Bonjour,\n\nLe conducteur du véhicule %s n'a pas été désigné dans les 45 jours suivant l'envoi de l'avis n° %s (article L121-6 du code de la route). Un avis de contravention n° %s vous est adressé : %d € (%d € minorée, %d € majorée). Cette amende ne retire aucun point.\n",
			orig.Plate, orig.Number, fine.Number, fine.Fine, fine.Reduced, fine.Increased)}
}

func mailDecision(n store.Notice, c store.Contest, label string) message {
	return message{subject: "Décision sur votre contestation " + c.Reference,
		text: fmt.Sprintf("Bonjour,\n\nL'officier du ministère public a statué sur votre contestation n° %s de l'avis n° %s :\n\n%s\n\nMotifs : %s\n",
			c.Reference, n.Number, label, c.Decision)}
}

func mailIncreased(n store.Notice, deadline date.Date, publicURL string) message {
	return message{subject: "Avis d'amende forfaitaire majorée n° " + n.Number,
		text: fmt.Sprintf("Bonjour,\n\nL'avis de contravention n° %s (véhicule %s, %s, le %s) n'a été ni payé ni contesté dans le délai : l'amende est majorée de plein droit (article 529-2 du code de procédure pénale). Elle est maintenant de %d €.\n\n"+
			"Vous pouvez la payer, ou la contester par une réclamation jusqu'au %s inclus (article 530 du code de procédure pénale), avec une consignation de %d € si vous contestez l'infraction elle-même. Ne payez pas si vous contestez.\n\n"+
			"Retrouvez cet avis avec son numéro et l'immatriculation : %s/avis-de-contravention\n",
			n.Number, n.Plate, n.Nature, n.Committed.French(), n.Increased, deadline.French(), n.Increased, publicURL)}
}

func mailRefunded(n store.Notice, cents int) message {
	return message{subject: "Remboursement — avis n° " + n.Number,
		text: fmt.Sprintf("Bonjour,\n\nLa somme de %s versée pour l'avis n° %s vous est remboursée, sur le moyen de paiement utilisé. Elle apparaîtra sur votre compte dans les jours qui viennent.\n",
			euros(cents), n.Number)}
}
