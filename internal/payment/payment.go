// Package payment is how the service takes a payment (the fiscal stamp
// bought during a request): a Provider interface that a real payment
// service implements, and TestProvider, a built-in provider for the demo
// and the tests that behaves like a real one — the person's browser is
// redirected to its payment page and back, and the provider notifies the
// service of the outcome by a server-to-server callback signed with a
// shared secret.
//
// The service trusts the signed callback, never the browser's return: the
// return page only shows what the callback recorded (or "payment being
// confirmed").
package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"permis/internal/apperr"
)

// Purchase is what the service asks the provider to collect.
type Purchase struct {
	Reference   string // the service's order reference, echoed in the callback
	Amount      int    // in euro cents
	Label       string // shown on the payment page, e.g. "Timbre fiscal — perte du permis"
	Email       string // where the provider may send its receipt; may be empty
	ReturnURL   string // where the browser comes back (GET), whatever the outcome
	CallbackURL string // where the provider posts the signed outcome
}

// Session is a payment started at the provider.
type Session struct {
	ID          string // the provider's payment id
	RedirectURL string // where to send the person's browser
}

// Status is the outcome of a payment.
type Status string

// The outcomes.
const (
	Paid      Status = "paid"
	Refused   Status = "refused"   // the card or the bank said no
	Cancelled Status = "cancelled" // the person gave up
)

// Result is a payment's outcome, as the provider's callback states it.
type Result struct {
	PaymentID string    `json:"payment_id"`
	Reference string    `json:"reference"`
	Amount    int       `json:"amount"`
	Status    Status    `json:"status"`
	At        time.Time `json:"at"`
}

// Provider is a payment service.
type Provider interface {
	// Start registers the purchase at the provider and returns where to
	// send the browser.
	Start(ctx context.Context, p Purchase) (Session, error)
	// Callback authenticates and reads the provider's notification. An
	// unauthenticated or malformed one is an apperr.Invalid (answer 4xx;
	// the provider retries a 5xx).
	Callback(r *http.Request) (Result, error)
}

// Refunder is a provider that can pay a payment back. Refund is
// idempotent by the payment's id: asking twice (a crash between the refund
// and its record) refunds once. A provider without it leaves refunds to
// the public accountant, by hand.
type Refunder interface {
	Refund(ctx context.Context, paymentID string, amountCents int64) error
}

// SignatureHeader carries the callback's signature:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
const SignatureHeader = "X-Permis-Signature"

// MaxSkew is how old (or early) a signed callback may be: a captured one
// cannot be replayed later.
const MaxSkew = 5 * time.Minute

// Sign returns the signature header value of body at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret []byte, ts string, body []byte) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

var errBadSignature = apperr.New(apperr.Invalid, "Notification de paiement refusée : signature absente, fausse ou périmée.")

// Verify checks a signature header for body at now.
func Verify(secret []byte, header string, body []byte, now time.Time) error {
	var ts, sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return errBadSignature
	}
	want := mac(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errBadSignature
	}
	return nil
}

// readBody reads a callback's body with a size limit.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 16<<10))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, apperr.New(apperr.Invalid, "Notification de paiement trop volumineuse.")
		}
		return nil, fmt.Errorf("payment: lecture de la notification : %w", err)
	}
	return b, nil
}

// FormatAmount writes cents as French prices are written: "25,00 €".
func FormatAmount(cents int) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d,%02d\u00a0€", sign, cents/100, cents%100)
}
