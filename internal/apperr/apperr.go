// Package apperr is the one application error type: a stable code for API
// clients, a French message safe to show to people, per-field problems, and
// the wrapped cause, which is for logs only.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error class.
type Code string

// The codes, and the only HTTP statuses they map to (see Status).
const (
	Invalid         Code = "invalid"
	Unauthenticated Code = "unauthenticated"
	Forbidden       Code = "forbidden"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	TooMany         Code = "too_many_requests"
	Unavailable     Code = "unavailable"
	Internal        Code = "internal"
)

var statuses = map[Code]int{
	Invalid:         http.StatusUnprocessableEntity,
	Unauthenticated: http.StatusUnauthorized,
	Forbidden:       http.StatusForbidden,
	NotFound:        http.StatusNotFound,
	Conflict:        http.StatusConflict,
	TooMany:         http.StatusTooManyRequests,
	Unavailable:     http.StatusServiceUnavailable,
	Internal:        http.StatusInternalServerError,
}

// Status returns the HTTP status for a code (500 for an unknown one).
func Status(c Code) int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error is an application error.
type Error struct {
	Code    Code
	Message string            // French, safe to show
	Fields  map[string]string // field name → French problem, for forms and API clients
	Cause   error             // for logs only, never shown
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Cause }

// New returns an error with a code and a French message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Wrap returns an error with a code, a French message and a cause for the logs.
func Wrap(code Code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Cause: cause}
}

// Field returns an Invalid error about one field.
func Field(field, problem string) *Error {
	return &Error{Code: Invalid, Message: "Certaines informations sont incorrectes.", Fields: map[string]string{field: problem}}
}

// As returns the application error in err's chain, or an Internal error
// wrapping err: anything that is not an application error is internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "Une erreur interne est survenue. Veuillez réessayer plus tard.", Cause: err}
}

// CodeOf returns the code of err (Internal for foreign errors, "" for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// Is reports whether err carries the code c.
func Is(err error, c Code) bool { return err != nil && CodeOf(err) == c }
