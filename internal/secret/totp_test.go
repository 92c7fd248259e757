package secret

import (
	"bytes"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
)

// rfcSecret is RFC 6238 Appendix B's SHA-1 seed, in base32.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// TestTOTPRFC6238 checks the SHA-1 test vectors of RFC 6238 Appendix B
// (8 digits) through hotp, and their last 6 digits through TOTPCode (the
// truncated value modulo 10^6, so the 6-digit code is the 8-digit one's
// tail).
func TestTOTPRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	key := []byte("12345678901234567890")
	for _, tt := range tests {
		at := time.Unix(tt.unix, 0)
		if got := hotp(key, uint64(TOTPStep(at)), 8); got != tt.want {
			t.Errorf("T=%d: 8-digit code %s, want %s", tt.unix, got, tt.want)
		}
		got, err := TOTPCode(rfcSecret, at)
		if err != nil || got != tt.want[2:] {
			t.Errorf("T=%d: TOTPCode = %q, %v; want %s", tt.unix, got, err, tt.want[2:])
		}
	}
}

func TestTOTPStep(t *testing.T) {
	tests := []struct {
		unix int64
		want int64
	}{{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2}, {-1, -1}, {-30, -1}, {-31, -2}}
	for _, tt := range tests {
		if got := TOTPStep(time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("TOTPStep(%d) = %d, want %d", tt.unix, got, tt.want)
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	s := NewTOTPSecret()
	if len(s) != 32 || strings.Contains(s, "=") {
		t.Fatalf("NewTOTPSecret() = %q, want 32 base32 characters without padding", s)
	}
	k, err := decodeTOTPSecret(s)
	if err != nil || len(k) != 20 {
		t.Fatalf("decode %q = %d bytes, %v; want 20", s, len(k), err)
	}
	if NewTOTPSecret() == s {
		t.Fatal("two secrets are equal")
	}
	// As shown to people: lower case, in groups, padded.
	spaced := strings.ToLower(s[:4] + " " + s[4:])
	now := time.Unix(1_700_000_000, 0)
	a, _ := TOTPCode(s, now)
	b, err := TOTPCode(spaced, now)
	if err != nil || a != b {
		t.Fatalf("TOTPCode(%q) = %q, %v; want %q", spaced, b, err, a)
	}
	if _, err := TOTPCode("not base32!", now); err == nil {
		t.Fatal("TOTPCode with an invalid secret: no error")
	}
	if _, err := TOTPCode("", now); err == nil {
		t.Fatal("TOTPCode with an empty secret: no error")
	}
}

func TestCheckTOTP(t *testing.T) {
	now := time.Unix(1_700_000_015, 0) // in the middle of a step
	step := TOTPStep(now)
	code := func(d time.Duration) string {
		c, err := TOTPCode(rfcSecret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name     string
		code     string
		lastUsed int64
		wantStep int64
		wantOK   bool
	}{
		{"current", code(0), 0, step, true},
		{"current with a space", code(0)[:3] + " " + code(0)[3:], 0, step, true},
		{"previous step", code(-TOTPPeriod), 0, step - 1, true},
		{"next step", code(TOTPPeriod), 0, step + 1, true},
		{"two steps back", code(-2 * TOTPPeriod), 0, 0, false},
		{"two steps ahead", code(2 * TOTPPeriod), 0, 0, false},
		{"replay of the step used", code(0), step, 0, false},
		{"replay of an older step", code(-TOTPPeriod), step - 1, 0, false},
		{"previous step after current was used", code(-TOTPPeriod), step, 0, false},
		{"next step after current was used", code(TOTPPeriod), step, step + 1, true},
		{"wrong code", wrong(code(0), code(-TOTPPeriod), code(TOTPPeriod)), 0, 0, false},
		{"too short", code(0)[:5], 0, 0, false},
		{"too long", code(0) + "0", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStep, ok := CheckTOTP(rfcSecret, tt.code, now, tt.lastUsed)
			if ok != tt.wantOK || (ok && gotStep != tt.wantStep) {
				t.Fatalf("CheckTOTP(%q, last=%d) = %d, %v; want %d, %v", tt.code, tt.lastUsed, gotStep, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
	if _, ok := CheckTOTP("not base32!", code(0), now, 0); ok {
		t.Fatal("CheckTOTP with an invalid secret accepted a code")
	}
}

// wrong returns a 6-digit code that is none of codes.
func wrong(codes ...string) string {
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !strings.Contains(strings.Join(codes, ","), c) {
			return c
		}
	}
	panic("unreachable")
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("JBSWY3DPEHPK3PXP", "jeanne.martin@example.fr", "Permis de conduire")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("TOTPURI = %q: scheme/host %q/%q", got, u.Scheme, u.Host)
	}
	if u.Path != "/Permis de conduire:jeanne.martin@example.fr" {
		t.Errorf("label %q", u.Path)
	}
	if strings.Contains(got, "+") {
		t.Errorf("TOTPURI = %q: spaces must be %%20, not +", got)
	}
	q := u.Query()
	for k, want := range map[string]string{"secret": "JBSWY3DPEHPK3PXP", "issuer": "Permis de conduire",
		"algorithm": "SHA1", "digits": "6", "period": "30"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	// A colon or an ampersand in a name must not break the label or the query.
	u2, err := url.Parse(TOTPURI("ABC", "a:b&c", "X&Y=Z"))
	if err != nil || u2.Query().Get("issuer") != "X&Y=Z" || u2.Query().Get("secret") != "ABC" {
		t.Fatalf("special characters: %v, %v", u2, err)
	}
}

func TestTOTPQRCodePNG(t *testing.T) {
	uri := TOTPURI(NewTOTPSecret(), "jeanne.martin@example.fr", "Permis de conduire")
	b, err := TOTPQRCodePNG(uri)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	n := want.Bounds().Dx()
	size := (n + 2*qrQuiet) * qrModulePx
	if img.Bounds().Dx() != size || img.Bounds().Dy() != size {
		t.Fatalf("image %v, want %d×%d", img.Bounds(), size, size)
	}
	dark := func(x, y int) bool { r, _, _, _ := img.At(x, y).RGBA(); return r < 0x8000 }
	// The quiet zone is white all round.
	for i := range size {
		for _, p := range [][2]int{{i, 0}, {0, i}, {i, size - 1}, {size - 1, i}, {i, qrQuiet*qrModulePx - 1}} {
			if dark(p[0], p[1]) {
				t.Fatalf("quiet zone dark at %v", p)
			}
		}
	}
	// Every module is drawn as the encoder says, checked at both corners of
	// its square.
	for y := range n {
		for x := range n {
			r, _, _, _ := want.At(x, y).RGBA()
			w := r < 0x8000
			px, py := (x+qrQuiet)*qrModulePx, (y+qrQuiet)*qrModulePx
			if dark(px, py) != w || dark(px+qrModulePx-1, py+qrModulePx-1) != w {
				t.Fatalf("module (%d,%d) dark=%v, want %v", x, y, dark(px, py), w)
			}
		}
	}
}
