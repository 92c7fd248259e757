package stamp

import (
	"permis/internal/apperr"
)

// Field is the form and API field a stamp problem is reported on.
const Field = "stamp_number"

// Error is why a stamp number cannot be used: an apperr.Reason, with a stable Code
// for API clients and tests and a French Message safe to show, carried as
// the Cause of an *apperr.Error (errors.Is(err, stamp.ErrExpired) holds).
type Error = apperr.Reason

// The classes of stamp problems. Their messages here are the generic ones;
// the errors returned carry a message with the dates and amounts that apply.
var (
	ErrNumber        = &Error{Code: "stamp_number_invalid", Message: "Le numéro de timbre fiscal doit compter 16 chiffres."}
	ErrUnknown       = &Error{Code: "stamp_unknown", Message: "Ce numéro de timbre fiscal est inconnu. Vérifiez les 16 chiffres reçus par courriel ou par SMS lors de l'achat."}
	ErrExists        = &Error{Code: "stamp_exists", Message: "Ce numéro de timbre fiscal est déjà enregistré."}
	ErrExpired       = &Error{Code: "stamp_expired", Message: "Ce timbre fiscal n'est plus valable : un timbre s'utilise dans les 12 mois qui suivent son achat."}
	ErrReserved      = &Error{Code: "stamp_reserved", Message: "Ce timbre fiscal est déjà rattaché à une autre demande. Un timbre ne sert qu'à une seule demande."}
	ErrConsumed      = &Error{Code: "stamp_consumed", Message: "Ce timbre fiscal a déjà été utilisé pour une demande acceptée : il ne peut pas servir une seconde fois."}
	ErrRefunded      = &Error{Code: "stamp_refunded", Message: "Ce timbre fiscal a été remboursé : il ne peut plus être utilisé."}
	ErrAmount        = &Error{Code: "stamp_amount", Message: "Le montant de ce timbre fiscal ne correspond pas à celui que demande cette démarche."}
	ErrNotReserved   = &Error{Code: "stamp_not_reserved", Message: "Ce timbre fiscal n'est pas rattaché à cette demande."}
	ErrNotRefundable = &Error{Code: "stamp_not_refundable", Message: "Ce timbre fiscal ne peut plus être remboursé : le remboursement se demande dans les 18 mois qui suivent l'achat."}
)

// fail returns an application error of class kind with the French message
// msg (kind's own message when msg is ""), reported on Field.
func fail(code apperr.Code, kind *Error, msg string) error {
	return apperr.Fail(code, Field, kind, msg)
}

// Reason returns the stable code of the stamp problem in err's chain, or ""
// when err is not one.
func Reason(err error) string { return apperr.ReasonOf(err) }

// Unknown returns the error for a number the service does not know.
func Unknown() error { return fail(apperr.NotFound, ErrUnknown, "") }

// Exists returns the error for a number recorded twice.
func Exists() error { return fail(apperr.Conflict, ErrExists, "") }
