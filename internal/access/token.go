package access

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// TokenPrefix starts every API token, so that a leaked token is recognisable
// (secret scanners, logs) and a pasted one can be checked before any lookup.
const TokenPrefix = "pmt_"

// tokenBytes is the entropy of a token: 256 bits, so a plain SHA-256 is a
// sufficient hash (no password KDF: nothing to brute-force).
const tokenBytes = 32

// tokenLen is the length of a well-formed token: prefix + unpadded base64url.
var tokenLen = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

// DisplayPrefixLen is how much of a token is kept in clear (TokenPrefix and
// 8 more characters) so that people can tell their tokens apart in a list.
const DisplayPrefixLen = len(TokenPrefix) + 8

// NewToken returns a fresh API token: the plaintext, shown once to its
// owner and never stored; its SHA-256 hash, which is stored and looked up;
// and its display prefix, stored to identify the token in lists.
func NewToken() (plaintext string, hash []byte, prefix string) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	plaintext = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plaintext, HashToken(plaintext), plaintext[:DisplayPrefixLen]
}

// HashToken returns the SHA-256 hash of a token's plaintext, the value
// stored and looked up.
func HashToken(plaintext string) []byte {
	h := sha256.Sum256([]byte(plaintext))
	return h[:]
}

// WellFormedToken reports whether s has the shape of a token, so malformed
// credentials are refused without touching the store.
func WellFormedToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(s) != tokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// TokenMatches reports, in constant time, whether plaintext hashes to hash.
func TokenMatches(plaintext string, hash []byte) bool {
	return subtle.ConstantTimeCompare(HashToken(plaintext), hash) == 1
}
