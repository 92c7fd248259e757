package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// tokenLen is the random part of a token: 256 bits.
const tokenLen = 32

// NewToken returns a new random token (32 bytes, base64url without padding:
// 43 characters, safe in URLs and cookies) and its SHA-256 hash. Give the
// plaintext to its holder and store only the hash: a leaked table then opens
// nothing.
func NewToken() (plaintext string, hash []byte) {
	b := make([]byte, tokenLen)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	plaintext = base64.RawURLEncoding.EncodeToString(b)
	return plaintext, HashToken(plaintext)
}

// HashToken returns the SHA-256 hash of a token's plaintext, to look it up
// by. A fast hash is right here, unlike for passwords: the token has 256
// random bits, so there is nothing to guess.
func HashToken(plaintext string) []byte {
	h := sha256.Sum256([]byte(plaintext))
	return h[:]
}
