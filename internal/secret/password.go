// Package secret holds the security primitives of the service: password
// hashing (argon2id) and policy, TOTP second factor, opaque tokens and
// readable codes. It does no I/O: randomness comes from crypto/rand, storage
// and time from the caller.
package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// PasswordParams are the argon2id cost parameters.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	KeyLen  uint32 // bytes of derived key
}

// DefaultPasswordParams returns OWASP's recommended minimum for argon2id
// (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane, with a 32-byte
// key.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32}
}

// Bounds on parameters, for hashing and for decoding a stored hash: a stored
// string with absurd costs (a corrupted row, a tampered backup) must give an
// error, not exhaust memory or CPU.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	minKeyLen  = 16
	maxKeyLen  = 128
	saltLen    = 16
	minSaltLen = 8
	maxSaltLen = 64
)

// b64 is the PHC string format's base64: standard alphabet, no padding,
// canonical (no stray bits in the last character).
var b64 = base64.RawStdEncoding.Strict()

func (p PasswordParams) validate() error {
	switch {
	case p.Threads < 1:
		return errors.New("secret: argon2id needs at least 1 thread")
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("secret: argon2id time %d out of [1, %d]", p.Time, maxTime)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("secret: argon2id memory %d KiB out of [8×threads, %d]", p.Memory, maxMemory)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("secret: argon2id key length %d out of [%d, %d]", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// normalizePassword applies NFKC, as NIST SP 800-63B asks, so that the same
// password typed on two keyboards (é composed or decomposed) hashes the same.
func normalizePassword(pw string) []byte { return []byte(norm.NFKC.String(pw)) }

// HashPassword hashes pw with argon2id, a fresh random salt and p, and
// returns it in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding).
func HashPassword(pw string, p PasswordParams) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey(normalizePassword(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodePHC(p, salt, key), nil
}

func encodePHC(p PasswordParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errMalformed is the error for every stored hash that cannot be decoded; it
// never echoes the hash (which may end up in a log).
var errMalformed = errors.New("secret: malformed argon2id hash")

// decodePHC parses a PHC string written by HashPassword. It is strict: the
// algorithm, version and parameter order are fixed, and parameters must be in
// the bounds HashPassword accepts.
func decodePHC(encoded string) (p PasswordParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errMalformed
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, errMalformed
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(kv[i], name)
		// ParseUint accepts no sign; refuse leading zeros so an encoding is canonical.
		if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
			return p, nil, nil, errMalformed
		}
		v, err := strconv.ParseUint(digits, 10, 32)
		if err != nil {
			return p, nil, nil, errMalformed
		}
		vals[i] = v
	}
	if vals[2] > 255 {
		return p, nil, nil, errMalformed
	}
	if salt, err = decodeB64(parts[4]); err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, errMalformed
	}
	if key, err = decodeB64(parts[5]); err != nil {
		return p, nil, nil, errMalformed
	}
	p = PasswordParams{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2]), KeyLen: uint32(len(key))}
	if p.validate() != nil {
		return p, nil, nil, errMalformed
	}
	return p, salt, key, nil
}

// decodeB64 decodes s and refuses any other spelling than the canonical one
// (encoding/base64 skips line breaks inside the input).
func decodeB64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err == nil && b64.EncodeToString(b) != s {
		err = errMalformed
	}
	return b, err
}

// CheckPassword reports whether pw matches encoded, a hash made by
// HashPassword. The comparison takes constant time. needsRehash is true when
// pw matches but encoded was made with parameters other than current: the
// caller should then store HashPassword(pw, current). A malformed encoded
// string is an error (never a panic), and then ok is false.
func CheckPassword(encoded, pw string, current PasswordParams) (ok, needsRehash bool, err error) {
	p, salt, key, err := decodePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := idKey(normalizePassword(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != current, nil
}

// idKey is the key derivation, a variable so that a test can see the work
// DummyCheck does (the cost parameters it derives with) without timing it.
var idKey = argon2.IDKey

// dummySalt is the salt of DummyCheck's hash; any fixed value does.
var dummySalt = []byte("permis-dummy-salt")

// DummyCheck does the work of CheckPassword with params p against a fixed
// hash that no password matches, and discards the result. Call it when the
// account is unknown, with the same p as for known accounts, so that a login
// for an unknown email takes as long as one for a known email.
func DummyCheck(pw string, p PasswordParams) {
	if p.validate() != nil {
		p = DefaultPasswordParams()
	}
	encoded := encodePHC(p, dummySalt, make([]byte, p.KeyLen))
	_, _, _ = CheckPassword(encoded, pw, p)
}
