package ephoto

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/secret"
)

func TestNew(t *testing.T) {
	seen := map[Code]bool{}
	for range 200 {
		c := New()
		if len(c) != Length || !secret.IsCode(string(c), Length) {
			t.Fatalf("New() = %q: not 22 symbols of the readable alphabet", c)
		}
		if seen[c] {
			t.Fatalf("New() repeated %q", c)
		}
		seen[c] = true
		if p, err := Parse(c.Grouped()); err != nil || p != c {
			t.Fatalf("Parse(Grouped(%q)) = %q, %v", c, p, err)
		}
	}
	if bits := secret.CodeEntropyBits(Length); bits < 100 {
		t.Errorf("a code carries %.0f bits; a code that opens a photo and a signature needs far more than guessing", bits)
	}
}

func TestParse(t *testing.T) {
	const code = "K7QM4XWDH9RTB2N3PZ8YJA"
	tests := []struct {
		in   string
		want Code
		msg  string
	}{
		{code, code, ""},
		{"k7qm4xwdh9rtb2n3pz8yja", code, ""},
		{"K7QM 4XWD H9RT B2N3 PZ8Y JA", code, ""},
		{" K7QM-4XWD-H9RT-B2N3-PZ8Y-JA\r\n", code, ""},
		{"K7QM–4XWD.H9RT_B2N3\u00a0PZ8Y JA", code, ""},
		{"0123456789ABCDEFGHIJKL", "0123456789ABCDEFGHIJKL", ""}, // any A–Z, 0–9: the profession's alphabet is UNCONFIRMED
		{"K7QM4XWDH9RTB2N3PZ8YJ", "", "Le code ePhoto compte 21 caractères ; il en faut 22. Recopiez-le depuis votre planche photo."},
		{"K7QM4XWDH9RTB2N3PZ8YJAA", "", "Le code ePhoto compte 23 caractères ; il en faut 22. Recopiez-le depuis votre planche photo."},
		{"K7QM4XWDÉ9RTB2N3PZ8YJA", "", "Le code ePhoto ne contient que des lettres et des chiffres : caractère « É » en position 9."},
		{"", "", "Saisissez le code ePhoto (22 lettres et chiffres)."},
		{" -- ", "", "Saisissez le code ePhoto (22 lettres et chiffres)."},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		ae := apperr.As(err)
		if err == nil || ae.Code != apperr.Invalid || ae.Message != tt.msg || ae.Fields[Field] != tt.msg ||
			!errors.Is(err, ErrFormat) || Reason(err) != "ephoto_code_invalid" {
			t.Errorf("Parse(%q) = %q, %v; want invalid %q", tt.in, got, err, tt.msg)
		}
	}
}

func TestCodeHashAndHint(t *testing.T) {
	c := Code("K7QM4XWDH9RTB2N3PZ8YJA")
	if c.Hint() != "8YJA" || c.Grouped() != "K7QM 4XWD H9RT B2N3 PZ8Y JA" {
		t.Errorf("hint %q, grouped %q", c.Hint(), c.Grouped())
	}
	if !bytes.Equal(c.Hash(), secret.HashToken(string(c))) || len(c.Hash()) != 32 {
		t.Error("hash is not the SHA-256 of the normal form")
	}
	if bytes.Equal(c.Hash(), Code("K7QM4XWDH9RTB2N3PZ8YJB").Hash()) {
		t.Error("two codes with one hash")
	}
}

// paris returns the time at hh:mm in Paris on day s.
func paris(s string, hh, mm int) time.Time {
	y, m, d := date.MustParse(s).Civil()
	return time.Date(y, m, d, hh, mm, 0, 0, date.Paris())
}

func TestExpiry(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		law      string
		captured time.Time
		lastDay  string
	}{
		{"valid 6 months: through the same day 6 months later", paris("2026-03-14", 10, 0), "2026-09-14"},
		{"31 August + 6 months ends on the last day of February", paris("2025-08-31", 10, 0), "2026-02-28"},
		{"the capture day is Paris's (23:30 UTC on 31 March is 1 April)", time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), "2026-10-01"},
	}
	for _, tt := range tests {
		c, err := cfg.NewCapture("K7QM4XWDH9RTB2N3PZ8YJA", 7, "AGR-75-0042", "ephoto/1/photo.jpg", "ephoto/1/signature.png", tt.captured)
		if err != nil {
			t.Fatalf("%s: %v", tt.law, err)
		}
		if c.LastValidDay().String() != tt.lastDay {
			t.Errorf("%s: last valid day %s, want %s", tt.law, c.LastValidDay(), tt.lastDay)
		}
		last := date.MustParse(tt.lastDay)
		y, m, d := last.Civil()
		lastMinute := time.Date(y, m, d, 23, 59, 59, 0, date.Paris())
		if err := c.Check(lastMinute, ""); err != nil {
			t.Errorf("%s: refused on its last evening: %v", tt.law, err)
		}
		if err := c.Check(lastMinute.Add(time.Second), ""); Reason(err) != "ephoto_expired" {
			t.Errorf("%s: accepted at midnight after its last day: %v", tt.law, err)
		}
	}
	if err := (Config{}).Validate(); err == nil {
		t.Error("a zero validity was accepted")
	}
	if err := cfg.Validate(); err != nil {
		t.Error(err)
	}
}

func TestNewCaptureRequiresEverything(t *testing.T) {
	cfg, now := DefaultConfig(), paris("2026-03-14", 10, 0)
	tests := []struct {
		name            string
		code            Code
		id              int64
		approval        string
		photo, sig      string
		field, reason   string
		wantApprovalNum string
	}{
		{"complete", "K7QM4XWDH9RTB2N3PZ8YJA", 7, " AGR-75-0042 ", "p", "s", "", "", "AGR-75-0042"},
		{"no approval number", "K7QM4XWDH9RTB2N3PZ8YJA", 7, " ", "p", "s", "approval_number", "", ""},
		{"no account", "K7QM4XWDH9RTB2N3PZ8YJA", 0, "AGR", "p", "s", "approval_number", "", ""},
		{"no photo", "K7QM4XWDH9RTB2N3PZ8YJA", 7, "AGR", "", "s", "photo", "", ""},
		{"no signature", "K7QM4XWDH9RTB2N3PZ8YJA", 7, "AGR", "p", "", "signature", "", ""},
		{"short code", "K7QM", 7, "AGR", "p", "s", Field, "ephoto_code_invalid", ""},
	}
	for _, tt := range tests {
		c, err := cfg.NewCapture(tt.code, tt.id, tt.approval, tt.photo, tt.sig, now)
		if tt.field == "" {
			if err != nil || c.ApprovalNumber != tt.wantApprovalNum || c.Hint != "8YJA" || c.UsedAt != nil {
				t.Errorf("%s: %+v, %v", tt.name, c, err)
			}
			continue
		}
		if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields[tt.field] == "" || Reason(err) != tt.reason {
			t.Errorf("%s: %v (fields %v)", tt.name, err, ae.Fields)
		}
	}
}

func TestCheckAndClaim(t *testing.T) {
	cfg := DefaultConfig()
	fresh, _ := cfg.NewCapture("K7QM4XWDH9RTB2N3PZ8YJA", 7, "AGR-75-0042", "p", "s", paris("2026-03-14", 10, 0))
	used := fresh
	usedAt := paris("2026-04-01", 9, 0)
	used.UsedAt, used.UsedByRequest = &usedAt, "D-OTHER"

	tests := []struct {
		law     string
		c       Capture
		now     time.Time
		ref     string
		reason  string
		code    apperr.Code
		message string
	}{
		{"a fresh code serves a request", fresh, paris("2026-04-02", 9, 0), "D-MINE", "", "", ""},
		{"an expired code has its own message", fresh, paris("2026-09-15", 0, 0), "D-MINE", "ephoto_expired", apperr.Conflict,
			"Ce code ePhoto était valable jusqu'au 14/09/2026 : il a expiré. Faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature."},
		{"single use: a code used by another request", used, paris("2026-04-02", 9, 0), "D-MINE", "ephoto_used", apperr.Conflict, ErrUsed.Message},
		{"used stays the reason after expiry", used, paris("2027-01-01", 9, 0), "D-MINE", "ephoto_used", apperr.Conflict, ErrUsed.Message},
		{"the same request does not claim it twice", used, paris("2026-04-02", 9, 0), "D-OTHER", "ephoto_used", apperr.Conflict,
			"Ce code ePhoto est déjà utilisé par cette demande."},
	}
	for _, tt := range tests {
		got, err := tt.c.Claim(tt.ref, tt.now)
		if tt.reason == "" {
			if err != nil || got.UsedAt == nil || !got.UsedAt.Equal(tt.now) || got.UsedByRequest != tt.ref {
				t.Errorf("%s: %+v, %v", tt.law, got, err)
			}
			if err := got.Check(tt.now, "D-THIRD"); Reason(err) != "ephoto_used" {
				t.Errorf("%s: a claimed code is still usable: %v", tt.law, err)
			}
			continue
		}
		ae := apperr.As(err)
		if Reason(err) != tt.reason || ae.Code != tt.code || ae.Message != tt.message || ae.Fields[Field] != tt.message {
			t.Errorf("%s: %v (reason %q)\nwant %s %q", tt.law, err, Reason(err), tt.code, tt.message)
		}
		if got.UsedByRequest != tt.c.UsedByRequest {
			t.Errorf("%s: a refusal changed the capture", tt.law)
		}
	}
	if _, err := fresh.Claim("", paris("2026-04-02", 9, 0)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("claim without a reference: %v", err)
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	unknown := Unknown()
	if apperr.CodeOf(unknown) != apperr.NotFound || !errors.Is(unknown, ErrUnknown) || errors.Is(unknown, ErrUsed) {
		t.Errorf("Unknown(): %v", unknown)
	}
	msgs := map[string]bool{}
	for _, e := range []*Error{ErrFormat, ErrUnknown, ErrExpired, ErrUsed} {
		if msgs[e.Message] || msgs[e.Code] || !strings.HasPrefix(e.Code, "ephoto_") {
			t.Errorf("%s: not distinct", e.Code)
		}
		msgs[e.Message], msgs[e.Code] = true, true
	}
}
