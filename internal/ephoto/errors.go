package ephoto

import (
	"permis/internal/apperr"
)

// Field is the form and API field an ePhoto problem is reported on.
const Field = "ephoto_code"

// Error is why an ePhoto code cannot be used: an apperr.Reason, with a stable Code
// for API clients and tests and a French Message safe to show, carried as
// the Cause of an *apperr.Error (errors.Is(err, ephoto.ErrUsed) holds).
type Error = apperr.Reason

// The classes of ePhoto problems, each with its own message (§7: a code is
// rejected if unknown, expired or already used).
var (
	ErrFormat  = &Error{Code: "ephoto_code_invalid", Message: "Le code ePhoto compte 22 lettres et chiffres."}
	ErrUnknown = &Error{Code: "ephoto_unknown", Message: "Ce code ePhoto est inconnu. Vérifiez les 22 caractères imprimés sur votre planche photo ; si vous venez de faire la photo, demandez au photographe ou à la cabine de confirmer que le code a bien été transmis."}
	ErrExpired = &Error{Code: "ephoto_expired", Message: "Ce code ePhoto a expiré. Faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature."}
	ErrUsed    = &Error{Code: "ephoto_used", Message: "Ce code ePhoto a déjà servi pour une autre demande. Un code ne sert qu'une fois : faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature."}
)

// fail returns an application error of class kind with the French message
// msg (kind's own message when msg is ""), reported on Field.
func fail(code apperr.Code, kind *Error, msg string) error {
	return apperr.Fail(code, Field, kind, msg)
}

// Unknown returns the error for a code that matches no capture.
func Unknown() error { return fail(apperr.NotFound, ErrUnknown, "") }

// Reason returns the stable code of the ePhoto problem in err's chain, or ""
// when err is not one.
func Reason(err error) string { return apperr.ReasonOf(err) }
