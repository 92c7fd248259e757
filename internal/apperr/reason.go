package apperr

import "errors"

// Reason is a finer, stable reason under a Code ("stamp_expired",
// "ephoto_used"…) with a French message safe to show. It travels as the
// Cause of an *Error, so errors.Is(err, someReason) holds whatever the
// dates or amounts in the message, and ReasonOf gives API clients and tests
// the stable string.
type Reason struct {
	Code    string
	Message string
}

func (r *Reason) Error() string { return r.Message }

// Is matches reasons of the same Code.
func (r *Reason) Is(target error) bool {
	t, ok := target.(*Reason)
	return ok && t.Code == r.Code
}

// Fail returns an application error of code for reason r, reported on
// field, with the French message msg (r's own message when msg is "").
func Fail(code Code, field string, r *Reason, msg string) error {
	if msg == "" {
		msg = r.Message
	}
	return &Error{Code: code, Message: msg, Fields: map[string]string{field: msg}, Cause: &Reason{Code: r.Code, Message: msg}}
}

// ReasonOf returns the stable reason in err's chain, "" when there is none.
func ReasonOf(err error) string {
	var r *Reason
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

// ConnectionLost is the reason of an Unavailable error whose database
// connection broke (the server restarted, a failover, a killed backend):
// the statement may not have run, nothing is half done, and the same
// request may succeed at once on a fresh connection. The HTTP adapters run
// an idempotent read (GET, HEAD) once more before answering 503.
var ConnectionLost = &Reason{Code: "connection_lost", Message: "Le service est momentanément indisponible. Veuillez réessayer plus tard."}

// IsConnectionLost reports whether err's chain holds ConnectionLost.
func IsConnectionLost(err error) bool { return errors.Is(err, ConnectionLost) }

// RetryAfterSeconds is the Retry-After of a 503 answer: the few seconds a
// database failover or restart takes.
const RetryAfterSeconds = 5
