package secret

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"
)

// TOTP parameters (RFC 6238 defaults, the only ones every authenticator app
// supports).
const (
	TOTPDigits = 6
	TOTPPeriod = 30 * time.Second
)

// totpSecretLen is the key size in bytes: 160 bits, the HMAC-SHA-1 output
// size that RFC 4226 recommends.
const totpSecretLen = 20

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random TOTP key, base32 without padding (32
// characters), as authenticator apps expect it.
func NewTOTPSecret() string {
	k := make([]byte, totpSecretLen)
	rand.Read(k) // never fails (crypto/rand panics rather than return an error)
	return b32.EncodeToString(k)
}

var errTOTPSecret = errors.New("secret: invalid TOTP secret")

// decodeTOTPSecret accepts the key as shown to people too: any case, spaces,
// padding.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	k, err := b32.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(k) == 0 {
		return nil, errTOTPSecret
	}
	return k, nil
}

// TOTPStep returns the time step of t: the number of whole periods since the
// Unix epoch.
func TOTPStep(t time.Time) int64 {
	return floorDiv(t.Unix(), int64(TOTPPeriod/time.Second))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// TOTPCode returns the 6-digit code of secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	k, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(k, uint64(TOTPStep(t)), TOTPDigits), nil
}

// hotp is RFC 4226's HOTP with HMAC-SHA-1 and dynamic truncation.
func hotp(key []byte, counter uint64, digits int) string {
	m := hmac.New(sha1.New, key)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], counter)
	m.Write(c[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	out := make([]byte, digits)
	v %= mod
	for i := digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out)
}

// CheckTOTP reports whether code is the code of secret at t or one step
// before or after (clocks drift, people type slowly), and returns the step it
// matched. A step at or before lastUsedStep is refused, so a code is accepted
// once only: the caller stores the returned step and passes it back next
// time (0 when the factor was never used). Spaces in code are ignored.
func CheckTOTP(secret, code string, t time.Time, lastUsedStep int64) (step int64, ok bool) {
	k, err := decodeTOTPSecret(secret)
	code = strings.ReplaceAll(code, " ", "")
	if err != nil || len(code) != TOTPDigits {
		return 0, false
	}
	now := TOTPStep(t)
	// Every candidate is computed and compared, so the time taken does not
	// tell which one matched.
	for s := now - 1; s <= now+1; s++ {
		match := subtle.ConstantTimeCompare([]byte(hotp(k, uint64(s), TOTPDigits)), []byte(code)) == 1
		if match && s > lastUsedStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// TOTPURI returns the otpauth:// URI that authenticator apps read from a QR
// code (Google Authenticator's key URI format), labelled "issuer:account".
func TOTPURI(secret, account, issuer string) string {
	q := "secret=" + escape(secret) + "&issuer=" + escape(issuer) +
		"&algorithm=SHA1&digits=6&period=30"
	return "otpauth://totp/" + escape(issuer) + ":" + escape(account) + "?" + q
}

// escape percent-encodes s for a URI path segment or query value, with %20
// for spaces (some apps show a "+" literally).
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// QR code rendering: pixels per module and the quiet zone around the code
// (4 modules, as ISO/IEC 18004 requires).
const (
	qrModulePx = 6
	qrQuiet    = 4
)

// TOTPQRCodePNG returns a PNG image of a QR code holding uri (error
// correction level M), black on white with its quiet zone.
func TOTPQRCodePNG(uri string) ([]byte, error) {
	code, err := qr.Encode(uri, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	size := (n + 2*qrQuiet) * qrModulePx
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y := range n {
		for x := range n {
			if c := color.GrayModel.Convert(code.At(x, y)).(color.Gray); c.Y >= 128 {
				continue
			}
			x0, y0 := (x+qrQuiet)*qrModulePx, (y+qrQuiet)*qrModulePx
			for dy := range qrModulePx {
				for dx := range qrModulePx {
					img.SetColorIndex(x0+dx, y0+dy, 1)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
