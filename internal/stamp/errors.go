package stamp

import (
	"errors"

	"permis/internal/apperr"
)

// Field is the form and API field a stamp problem is reported on.
const Field = "stamp_number"

// Error is why a stamp number cannot be used, with a stable Code for API
// clients and tests and a French Message safe to show. It travels as the
// Cause of an *apperr.Error (which gives the HTTP status), so both
// errors.Is(err, stamp.ErrExpired) and apperr.CodeOf(err) work on what the
// functions of this package and the store return.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is matches errors of the same Code, so errors.Is(err, ErrExpired) holds
// whatever the dates in the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The classes of stamp problems. Their messages here are the generic ones;
// the errors returned carry a message with the dates and amounts that apply.
var (
	ErrNumber        = &Error{"stamp_number_invalid", "Le numéro de timbre fiscal doit compter 16 chiffres."}
	ErrUnknown       = &Error{"stamp_unknown", "Ce numéro de timbre fiscal est inconnu. Vérifiez les 16 chiffres reçus par courriel ou par SMS lors de l'achat."}
	ErrExists        = &Error{"stamp_exists", "Ce numéro de timbre fiscal est déjà enregistré."}
	ErrExpired       = &Error{"stamp_expired", "Ce timbre fiscal n'est plus valable : un timbre s'utilise dans les 12 mois qui suivent son achat."}
	ErrReserved      = &Error{"stamp_reserved", "Ce timbre fiscal est déjà rattaché à une autre demande. Un timbre ne sert qu'à une seule demande."}
	ErrConsumed      = &Error{"stamp_consumed", "Ce timbre fiscal a déjà été utilisé pour une demande acceptée : il ne peut pas servir une seconde fois."}
	ErrRefunded      = &Error{"stamp_refunded", "Ce timbre fiscal a été remboursé : il ne peut plus être utilisé."}
	ErrAmount        = &Error{"stamp_amount", "Le montant de ce timbre fiscal ne correspond pas à celui que demande cette démarche."}
	ErrNotReserved   = &Error{"stamp_not_reserved", "Ce timbre fiscal n'est pas rattaché à cette demande."}
	ErrNotRefundable = &Error{"stamp_not_refundable", "Ce timbre fiscal ne peut plus être remboursé : le remboursement se demande dans les 18 mois qui suivent l'achat."}
)

// fail returns an application error of class kind with the French message
// msg (kind's own message when msg is ""), reported on Field.
func fail(code apperr.Code, kind *Error, msg string) error {
	if msg == "" {
		msg = kind.Message
	}
	return &apperr.Error{
		Code:    code,
		Message: msg,
		Fields:  map[string]string{Field: msg},
		Cause:   &Error{Code: kind.Code, Message: msg},
	}
}

// Reason returns the stable code of the stamp problem in err's chain
// ("stamp_expired"…), or "" when err is not one.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Unknown returns the error for a number the service does not know.
func Unknown() error { return fail(apperr.NotFound, ErrUnknown, "") }

// Exists returns the error for a number recorded twice.
func Exists() error { return fail(apperr.Conflict, ErrExists, "") }
