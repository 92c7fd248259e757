package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"permis/internal/apperr"
)

// DecodeJSON reads exactly one JSON value of at most maxBytes from the
// request body into v, refusing unknown fields. Its errors are Invalid
// application errors with a French message naming the offending field.
func DecodeJSON(r *http.Request, v any, maxBytes int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(apperr.Invalid, "Le corps de la requête doit être au format JSON (Content-Type: application/json).")
		}
	}
	body := http.MaxBytesReader(nil, r.Body, maxBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, maxBytes)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return decodeError(err, maxBytes)
		}
		return apperr.New(apperr.Invalid, "Le corps de la requête doit contenir une seule valeur JSON.")
	}
	return nil
}

// decodeError translates encoding/json's errors. The unknown-field error
// has no type of its own, so its text is parsed: the one place where
// matching an error's text cannot be avoided.
func decodeError(err error, maxBytes int64) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return apperr.Wrap(apperr.Invalid, fmt.Sprintf("Le corps de la requête dépasse la taille maximale de %d octets.", maxBytes), err)
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "Le corps de la requête est vide.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Wrap(apperr.Invalid, "Le corps de la requête est un JSON incomplet.", err)
	case errors.As(err, &syntax):
		return apperr.Wrap(apperr.Invalid, fmt.Sprintf("Le corps de la requête n'est pas un JSON valide (octet %d).", syntax.Offset), err)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apperr.Wrap(apperr.Invalid, fmt.Sprintf("Le corps de la requête doit être un objet JSON (reçu : %s).", jsonKind(typ.Value)), err)
		}
		e := apperr.Field(typ.Field, fmt.Sprintf("Le champ « %s » a un type incorrect (reçu : %s).", typ.Field, jsonKind(typ.Value)))
		e.Cause = err
		return e
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		e := apperr.Field(name, fmt.Sprintf("Le champ « %s » n'est pas attendu.", name))
		e.Cause = err
		return e
	}
	return apperr.Wrap(apperr.Invalid, "Le corps de la requête est illisible.", err)
}

// jsonKind names a JSON value kind in French.
func jsonKind(v string) string {
	switch {
	case v == "string":
		return "une chaîne"
	case v == "number" || strings.HasPrefix(v, "number "):
		return "un nombre"
	case v == "bool":
		return "un booléen"
	case v == "array":
		return "un tableau"
	case v == "object":
		return "un objet"
	}
	return v
}
