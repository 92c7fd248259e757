package secret

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

func TestNewToken(t *testing.T) {
	p, h := NewToken()
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || len(raw) != 32 || len(p) != 43 {
		t.Fatalf("NewToken plaintext %q: %d bytes, %v; want 32 bytes base64url", p, len(raw), err)
	}
	sum := sha256.Sum256([]byte(p))
	if !bytes.Equal(h, sum[:]) || !bytes.Equal(HashToken(p), h) {
		t.Fatalf("hash %x is not SHA-256 of the plaintext", h)
	}
	p2, h2 := NewToken()
	if p2 == p || bytes.Equal(h2, h) {
		t.Fatal("two tokens are equal")
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 Appendix B.1.
	want, _ := hex.DecodeString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
	if got := HashToken("abc"); !bytes.Equal(got, want) {
		t.Fatalf("HashToken(abc) = %x", got)
	}
}
