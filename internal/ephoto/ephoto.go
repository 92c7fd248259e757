// Package ephoto is the ePhoto code (code photo-signature numérique,
// REFERENCE §7): an approved photographer or photo booth captures the
// applicant's photo and signature, stores them with us and prints a
// 22-character code; the applicant types it into a request, which fetches
// the photo and signature. A code is valid 6 months from the capture and
// serves one request only. An unknown, expired or already-used code each
// gets its own error, with its own stable code and French message.
//
// It does no I/O: the store claims a code in one conditional UPDATE and
// calls Check to explain a refusal.
package ephoto

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/secret"
)

// Length is the number of characters of a code (§7).
const Length = 22

// HintLen is how many trailing characters of a code are kept in clear, to
// tell codes apart in a photographer's list.
const HintLen = 4

// Config holds the delay of §7 that may change. DefaultConfig is the rule
// as REFERENCE §7 states it.
type Config struct {
	ValidityMonths int `json:"validity_months"` // a code is valid 6 months from the capture
}

// DefaultConfig returns the figure of REFERENCE §7: 6 months.
func DefaultConfig() Config { return Config{ValidityMonths: 6} }

// Validate refuses a validity that would make no sense.
func (c Config) Validate() error {
	if c.ValidityMonths <= 0 {
		return errors.New("ePhoto : la durée de validité d'un code doit être d'au moins un mois")
	}
	return nil
}

// Code is an ePhoto code in its normal form: 22 upper-case letters and
// digits, without separators.
type Code string

// New returns a new random code for a capture. It is drawn from
// secret.CodeAlphabet (no 0/O, 1/I/L or U, so it reads aloud without
// confusion) with crypto/rand: 22 symbols carry about 108 bits, far beyond
// guessing, which matters because a code opens a person's photo and
// signature.
func New() Code { return Code(secret.NewCode(Length)) }

// Parse reads a code as people type it: letters in any case, with spaces,
// dashes, dots or underscores between groups. What remains must be 22
// letters or digits (REFERENCE §7 gives 22 alphanumeric characters; the
// exact alphabet of the profession's codes is UNCONFIRMED, so any A–Z, 0–9
// is accepted here, and a code this service never issued is simply
// unknown). The error is an Invalid *apperr.Error of class ErrFormat.
func Parse(s string) (Code, error) {
	var b strings.Builder
	b.Grow(Length)
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ', r == '\t', r == '\n', r == '\r', r == '\u00a0', r == '\u202f', r == '-', r == '\u2010', r == '\u2011', r == '\u2013',
			r == '\u2014', r == '.', r == '_':
			// separators people type between groups
		default:
			return "", fail(apperr.Invalid, ErrFormat, fmt.Sprintf(
				"Le code ePhoto ne contient que des lettres et des chiffres : caractère « %c » en position %d.", r, pos))
		}
	}
	switch n := b.Len(); {
	case n == 0:
		return "", fail(apperr.Invalid, ErrFormat, "Saisissez le code ePhoto (22 lettres et chiffres).")
	case n != Length:
		return "", fail(apperr.Invalid, ErrFormat, fmt.Sprintf(
			"Le code ePhoto compte %d caractères ; il en faut %d. Recopiez-le depuis votre planche photo.", n, Length))
	}
	return Code(b.String()), nil
}

// String returns the code in its normal form.
func (c Code) String() string { return string(c) }

// Grouped returns the code in groups of four separated by spaces, the way it
// is shown to be copied.
func (c Code) Grouped() string { return strings.ReplaceAll(secret.FormatCode(string(c), 4), "-", " ") }

// Hash returns the SHA-256 of the code: only the hash is stored, since the
// code gives access to a photo and a signature.
func (c Code) Hash() []byte { return secret.HashToken(string(c)) }

// Hint returns the code's last HintLen characters.
func (c Code) Hint() string {
	if len(c) < HintLen {
		return string(c)
	}
	return string(c[len(c)-HintLen:])
}

// Capture is one photo-and-signature capture and its code.
type Capture struct {
	ID             int64
	Hash           []byte // SHA-256 of the code
	Hint           string // last characters of the code
	PhotographerID int64  // the approved photographer's or booth's account
	ApprovalNumber string // its approval (agrément) number at capture time
	PhotoKey       string // where the photo is stored (storage key)
	SignatureKey   string // where the signature is stored
	CreatedAt      time.Time
	ExpiresAt      time.Time  // first instant the code is no longer valid
	UsedAt         *time.Time // nil while unused
	UsedByRequest  string     // the request that used it; "" while unused
}

// NewCapture returns the capture of code by a photographer at now, valid
// ValidityMonths. Every field is required: a capture without a photo, a
// signature or an approval number cannot serve a request.
func (c Config) NewCapture(code Code, photographerID int64, approval, photoKey, signatureKey string, now time.Time) (Capture, error) {
	switch {
	case len(code) != Length:
		return Capture{}, fail(apperr.Invalid, ErrFormat, "")
	case photographerID <= 0 || strings.TrimSpace(approval) == "":
		return Capture{}, apperr.Field("approval_number", "Seuls les photographes et cabines agréés, avec leur numéro d'agrément, peuvent créer un code ePhoto.")
	case photoKey == "":
		return Capture{}, apperr.Field("photo", "La photo est obligatoire.")
	case signatureKey == "":
		return Capture{}, apperr.Field("signature", "La signature est obligatoire.")
	}
	return Capture{
		Hash:           code.Hash(),
		Hint:           code.Hint(),
		PhotographerID: photographerID,
		ApprovalNumber: strings.TrimSpace(approval),
		PhotoKey:       photoKey,
		SignatureKey:   signatureKey,
		CreatedAt:      now,
		ExpiresAt:      c.ExpiresAt(now),
	}, nil
}

// ExpiresAt returns the first instant a code captured at created is no
// longer valid: midnight in Paris at the end of the same day ValidityMonths
// later (or of the last day of a shorter month), the way French delays in
// months are counted.
func (c Config) ExpiresAt(created time.Time) time.Time {
	last := date.Today(created).AddMonths(c.ValidityMonths)
	y, m, d := last.AddDays(1).Civil()
	return time.Date(y, m, d, 0, 0, 0, 0, date.Paris())
}

// LastValidDay returns the last day (Paris) the code may be used.
func (c Capture) LastValidDay() date.Date { return date.Today(c.ExpiresAt).AddDays(-1) }

// Check reports whether the code may be used at now by the request ref
// ("" when no request is involved yet, as on the confirmation page): nil,
// or ErrUsed, or ErrExpired, each with its French message. A code already
// used is reported as used even when it has expired since: that is the
// reason that stays true.
func (c Capture) Check(now time.Time, ref string) error {
	if c.UsedAt != nil {
		if ref != "" && c.UsedByRequest == ref {
			return fail(apperr.Conflict, ErrUsed, "Ce code ePhoto est déjà utilisé par cette demande.")
		}
		return fail(apperr.Conflict, ErrUsed, "")
	}
	if !now.Before(c.ExpiresAt) {
		return fail(apperr.Conflict, ErrExpired, "Ce code ePhoto était valable jusqu'au "+c.LastValidDay().French()+
			" : il a expiré. Faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, "+
			"ou utilisez le formulaire papier de photo-signature.")
	}
	return nil
}

// Claim marks the code used by the request ref at now, when the request is
// filed: it must not be used or expired.
func (c Capture) Claim(ref string, now time.Time) (Capture, error) {
	if ref == "" {
		return c, apperr.New(apperr.Invalid, "Référence de demande manquante.")
	}
	if err := c.Check(now, ref); err != nil {
		return c, err
	}
	c.UsedAt, c.UsedByRequest = &now, ref
	return c, nil
}
