package contest

import (
	"fmt"
	"slices"

	"permis/internal/jsondoc"
)

// InputError is a problem with a contract document: the JSON path of the
// faulty value and the problem, in French.
type InputError = jsondoc.InputError

func inputErr(field, format string, args ...any) error { return jsondoc.Errorf(field, format, args...) }

// Validate checks what the JSON types cannot: the values allowed for each
// field and the order of the dates. Its errors name the contract's fields.
func Validate(n Notice, c Contest) error {
	switch {
	case n.Kind != ACO && n.Kind != AFM:
		return inputErr("notice.kind", "type d'avis inconnu %q (aco ou afm)", n.Kind)
	case n.Mail != Ordinary && n.Mail != Registered:
		return inputErr("notice.mail", "mode d'envoi inconnu %q (ordinary ou registered)", n.Mail)
	case !slices.Contains([]string{"1", "2", "3", "4", "5", "delit"}, n.Class):
		return inputErr("notice.class", "classe inconnue %q (1 à 5 ou \"delit\")", n.Class)
	case n.Fine <= 0:
		return inputErr("notice.fine", "%d : le montant de l'amende doit être positif", n.Fine)
	case n.Holder != Person && n.Holder != Company:
		return inputErr("notice.holder", "titulaire inconnu %q (person ou company)", n.Holder)
	case n.Committed.After(n.Sent):
		return inputErr("notice.committed", "%s est postérieure à l'envoi de l'avis (%s)", n.Committed, n.Sent)
	case n.Points < 0 || n.Points > 6:
		return inputErr("notice.points", "%d hors limites (de 0 à 6 : une infraction coûte au plus 6 points)", n.Points)
	case c.Filed.Before(n.Sent):
		return inputErr("contest.filed", "%s est antérieure à l'envoi de l'avis (%s)", c.Filed, n.Sent)
	case !slices.Contains(Grounds(), c.Ground):
		return inputErr("contest.ground", "motif inconnu %q (stolen, destroyed, usurped_plate, sold, other_driver ou contest_offence)", c.Ground)
	case c.Deposit < 0:
		return inputErr("contest.deposit", "%d : la consignation ne peut pas être négative", c.Deposit)
	case c.Paid.Valid && c.Paid.Date.Before(n.Committed):
		return inputErr("contest.paid", "%s est antérieure à l'infraction (%s)", c.Paid.Date, n.Committed)
	}
	for i, d := range c.Documents {
		if !slices.Contains(Documents(), d) {
			return inputErr(fmt.Sprintf("contest.documents[%d]", i),
				"pièce inconnue %q (theft_report, destruction_declaration, sale_declaration, sale_acknowledgement ou driver_designation)", d)
		}
	}
	return nil
}
