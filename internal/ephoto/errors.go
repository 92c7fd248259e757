package ephoto

import (
	"errors"

	"permis/internal/apperr"
)

// Field is the form and API field an ePhoto problem is reported on.
const Field = "ephoto_code"

// Error is why an ePhoto code cannot be used, with a stable Code for API
// clients and tests and a French Message safe to show. It travels as the
// Cause of an *apperr.Error, so errors.Is(err, ephoto.ErrUsed) and
// apperr.CodeOf(err) both work on what this package and the store return.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is matches errors of the same Code, whatever the dates in the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The classes of ePhoto problems, each with its own message (§7: a code is
// rejected if unknown, expired or already used).
var (
	ErrFormat  = &Error{"ephoto_code_invalid", "Le code ePhoto compte 22 lettres et chiffres."}
	ErrUnknown = &Error{"ephoto_unknown", "Ce code ePhoto est inconnu. Vérifiez les 22 caractères imprimés sur votre planche photo ; si vous venez de faire la photo, demandez au photographe ou à la cabine de confirmer que le code a bien été transmis."}
	ErrExpired = &Error{"ephoto_expired", "Ce code ePhoto a expiré. Faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature."}
	ErrUsed    = &Error{"ephoto_used", "Ce code ePhoto a déjà servi pour une autre demande. Un code ne sert qu'une fois : faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature."}
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

// Unknown returns the error for a code that matches no capture.
func Unknown() error { return fail(apperr.NotFound, ErrUnknown, "") }

// Reason returns the stable code of the ePhoto problem in err's chain
// ("ephoto_used"…), or "" when err is not one.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
