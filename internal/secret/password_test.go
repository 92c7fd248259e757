package secret

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cheap are fast parameters for tests that are not about cost.
var cheap = PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32}

func TestDefaultPasswordParams(t *testing.T) {
	// OWASP Password Storage Cheat Sheet: m=19 MiB (19456 KiB), t=2, p=1.
	p := DefaultPasswordParams()
	if p.Memory != 19456 || p.Time != 2 || p.Threads != 1 || p.KeyLen < 32 {
		t.Fatalf("DefaultPasswordParams() = %+v", p)
	}
}

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", DefaultPasswordParams())
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("HashPassword = %q, not a PHC argon2id string with default parameters", h)
	}
	ok, rehash, err := CheckPassword(h, "correct horse battery staple", DefaultPasswordParams())
	if !ok || rehash || err != nil {
		t.Fatalf("CheckPassword(right) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	h2, _ := HashPassword("correct horse battery staple", DefaultPasswordParams())
	if h2 == h {
		t.Fatal("two hashes of the same password are equal: the salt is not random")
	}
}

// TestCheckPasswordReference checks hashes made by the reference
// implementation (phc-winner-argon2, src/test.c).
func TestCheckPasswordReference(t *testing.T) {
	tests := []struct {
		name, encoded, pw string
		want              bool
	}{
		{"m=256 p=1", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "password", true},
		{"m=256 p=2", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "password", true},
		{"m=64MiB", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password", true},
		{"wrong password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "Password", false},
		{"other hash", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := CheckPassword(tt.encoded, tt.pw, DefaultPasswordParams())
			if err != nil || ok != tt.want {
				t.Fatalf("CheckPassword = %v, %v; want %v, nil", ok, err, tt.want)
			}
			// Reference parameters are not ours: a match asks for a rehash.
			if rehash != tt.want {
				t.Fatalf("needsRehash = %v, want %v", rehash, tt.want)
			}
		})
	}
}

func TestCheckPasswordNeedsRehash(t *testing.T) {
	h, err := HashPassword("un mot de passe", cheap)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		current PasswordParams
		want    bool
	}{
		{"same", cheap, false},
		{"memory", PasswordParams{Memory: 128, Time: 1, Threads: 1, KeyLen: 32}, true},
		{"time", PasswordParams{Memory: 64, Time: 2, Threads: 1, KeyLen: 32}, true},
		{"threads", PasswordParams{Memory: 64, Time: 1, Threads: 2, KeyLen: 32}, true},
		{"key length", PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 16}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := CheckPassword(h, "un mot de passe", tt.current)
			if !ok || err != nil || rehash != tt.want {
				t.Fatalf("CheckPassword = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.want)
			}
			// A wrong password never asks for a rehash: there is nothing to rehash.
			ok, rehash, err = CheckPassword(h, "un autre", tt.current)
			if ok || rehash || err != nil {
				t.Fatalf("CheckPassword(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestCheckPasswordUnicodeNormalized(t *testing.T) {
	composed, decomposed := "Été à la plage", "E\u0301te\u0301 a\u0300 la plage"
	h, err := HashPassword(composed, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := CheckPassword(h, decomposed, cheap); !ok || err != nil {
		t.Fatalf("decomposed form of the same password refused: %v, %v", ok, err)
	}
}

func TestHashPasswordBadParams(t *testing.T) {
	for _, p := range []PasswordParams{
		{},
		{Memory: 64, Time: 0, Threads: 1, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, KeyLen: 32},
		{Memory: 7, Time: 1, Threads: 1, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 16, KeyLen: 32}, // memory under 8 KiB per lane
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 8},
		{Memory: 2 << 20, Time: 1, Threads: 1, KeyLen: 32},
		{Memory: 64, Time: 1000, Threads: 1, KeyLen: 32},
	} {
		if h, err := HashPassword("x", p); err == nil {
			t.Errorf("HashPassword(%+v) = %q, want an error", p, h)
		}
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	const (
		salt = "c29tZXNhbHQ"
		key  = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	)
	valid := "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key
	if ok, _, err := CheckPassword(valid, "password", cheap); !ok || err != nil {
		t.Fatalf("the base of the malformed cases does not check: %v, %v", ok, err)
	}
	for _, enc := range []string{
		"",
		"password",
		"$",
		"$argon2id",
		strings.Replace(valid, "argon2id", "argon2i", 1),
		strings.Replace(valid, "argon2id", "ARGON2ID", 1),
		strings.Replace(valid, "v=19", "v=16", 1),
		strings.Replace(valid, "v=19$", "", 1), // no version
		strings.Replace(valid, "m=256,t=2,p=1", "t=2,m=256,p=1", 1),
		strings.Replace(valid, "m=256,t=2,p=1", "m=256,t=2", 1),
		strings.Replace(valid, "m=256,t=2,p=1", "m=256,t=2,p=1,k=1", 1),
		strings.Replace(valid, "m=256", "m=", 1),
		strings.Replace(valid, "m=256", "m=-256", 1),
		strings.Replace(valid, "m=256", "m=+256", 1),
		strings.Replace(valid, "m=256", "m=0256", 1),
		strings.Replace(valid, "m=256", "m=0", 1),
		strings.Replace(valid, "m=256", "m=4294967295", 1), // 4 TiB
		strings.Replace(valid, "m=256", "m=4294967296", 1), // overflows uint32
		strings.Replace(valid, "t=2", "t=0", 1),
		strings.Replace(valid, "t=2", "t=100000", 1),
		strings.Replace(valid, "p=1", "p=0", 1),
		strings.Replace(valid, "p=1", "p=256", 1),
		strings.Replace(valid, "p=1", "p=64", 1), // 256 KiB < 8 KiB × 64 lanes
		strings.Replace(valid, salt, "", 1),
		strings.Replace(valid, salt, "c29tZQ", 1), // 4-byte salt
		strings.Replace(valid, salt, salt+"=", 1), // padding
		strings.Replace(valid, salt, "c29t*XNhbHQ", 1),
		strings.Replace(valid, key, "", 1),
		strings.Replace(valid, key, key[:20], 1), // 15-byte key
		strings.Replace(valid, key, key+"==", 1),
		strings.Replace(valid, key, strings.ReplaceAll(key, "/", "_"), 1), // base64url
		strings.Replace(valid, key, key[:20]+"\r\n"+key[20:], 1),          // line break skipped by encoding/base64
		valid + "$",
		valid + "$extra",
		"x" + valid,
	} {
		ok, rehash, err := CheckPassword(enc, "password", cheap)
		if err == nil || ok || rehash {
			t.Errorf("CheckPassword(%q) = %v, %v, %v; want an error", enc, ok, rehash, err)
		}
	}
}

// DummyCheck exists so that signing in with an unknown email costs what it
// costs with a known one: it must run one key derivation with exactly the
// parameters CheckPassword uses for a hash made with p (and the defaults
// when p is unusable). The derivation is observed, not timed.
func TestDummyCheck(t *testing.T) {
	type call struct {
		time, memory uint32
		threads      uint8
		keyLen       uint32
	}
	var calls []call
	orig := idKey
	t.Cleanup(func() { idKey = orig })
	idKey = func(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		calls = append(calls, call{time, memory, threads, keyLen})
		return orig(pw, salt, time, memory, threads, keyLen)
	}

	enc, err := HashPassword("password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	calls = nil
	if ok, _, _ := CheckPassword(enc, "autre", cheap); ok {
		t.Fatal("a wrong password matched")
	}
	checked := calls
	calls = nil
	DummyCheck("autre", cheap)
	if want := []call{{1, 64, 1, 32}}; !slices.Equal(checked, want) || !slices.Equal(calls, want) {
		t.Errorf("CheckPassword derived %v, DummyCheck %v; want both %v", checked, calls, want)
	}

	calls = nil
	DummyCheck("password", PasswordParams{})
	if want := []call{{2, 19 * 1024, 1, 32}}; !slices.Equal(calls, want) {
		t.Errorf("DummyCheck with unusable parameters derived %v; want the defaults %v", calls, want)
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "password")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "")
	f.Add("$argon2id$v=19$m=99999999999999,t=1,p=1$$", "x")
	f.Add("$argon2id$$$$$", "x")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		p, _, _, err := decodePHC(encoded)
		if err == nil && uint64(p.Memory)*uint64(p.Time) > 4096 {
			t.Skip("valid but too costly to check in a fuzz loop")
		}
		ok, rehash, err := CheckPassword(encoded, pw, cheap)
		if err != nil && (ok || rehash) {
			t.Fatalf("error %v with ok=%v rehash=%v", err, ok, rehash)
		}
		if !ok && rehash {
			t.Fatal("needsRehash without a match")
		}
		if err == nil && encodePHCString(p, encoded) != encoded {
			t.Fatalf("accepted a non-canonical encoding %q", encoded)
		}
	})
}

// encodePHCString re-encodes the salt and key found in encoded with p.
func encodePHCString(p PasswordParams, encoded string) string {
	_, salt, key, err := decodePHC(encoded)
	if err != nil {
		return ""
	}
	return encodePHC(p, salt, key)
}
