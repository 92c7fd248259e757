package oidc

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"permis/internal/apperr"
)

// Pending is a started sign-in, kept by the browser between Start and the
// callback. None of it is secret from the person signing in, but it must not
// leak to others: keep it in a short-lived HttpOnly, Secure, SameSite=Lax
// cookie scoped to the callback path.
type Pending struct {
	State    string    // echoed by the provider in the callback; protects against login CSRF
	Nonce    string    // must come back in the ID token; protects against token replay
	Verifier string    // PKCE code verifier; its S256 challenge went in the authorization URL
	Created  time.Time // when Start ran; the sign-in expires PendingLifetime later
}

// pendingPrefix versions the encoding, so a change can refuse old cookies
// cleanly.
const pendingPrefix = "p1."

// pendingJSON is the encoded form, with short names to keep the cookie small.
type pendingJSON struct {
	S string `json:"s"`
	N string `json:"n"`
	V string `json:"v"`
	C int64  `json:"c"`
}

// Encode returns p as a cookie-safe string (URL-safe base64, no padding).
func (p Pending) Encode() string {
	b, _ := json.Marshal(pendingJSON{S: p.State, N: p.Nonce, V: p.Verifier, C: p.Created.Unix()})
	return pendingPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// errBadPending is returned for a cookie that is absent, damaged or not ours.
func errBadPending(cause error) error {
	return apperr.Wrap(apperr.Unauthenticated,
		"La demande de connexion est introuvable ou incomplète. Veuillez recommencer la connexion.", cause)
}

// DecodePending parses what Encode produced. It fails, with an
// Unauthenticated error, on anything else or on a value with an empty field.
func DecodePending(s string) (Pending, error) {
	rest, ok := strings.CutPrefix(s, pendingPrefix)
	if !ok {
		return Pending{}, errBadPending(errors.New("oidc: pending: unknown prefix"))
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return Pending{}, errBadPending(err)
	}
	var j pendingJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Pending{}, errBadPending(err)
	}
	if j.S == "" || j.N == "" || j.V == "" || j.C <= 0 {
		return Pending{}, errBadPending(errors.New("oidc: pending: missing field"))
	}
	return Pending{State: j.S, Nonce: j.N, Verifier: j.V, Created: time.Unix(j.C, 0).UTC()}, nil
}

// randomToken returns 256 random bits, URL-safe.
func randomToken() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

// randomBytes returns n bytes from the system's random source. crypto/rand's
// Read never fails on supported platforms (Go 1.24+ crashes instead).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
