package secret

import (
	"math"
	"strings"
	"testing"
)

func TestCodeAlphabet(t *testing.T) {
	if len(CodeAlphabet) != 30 {
		t.Fatalf("alphabet has %d symbols", len(CodeAlphabet))
	}
	for _, c := range "0O1ILU" {
		if strings.ContainsRune(CodeAlphabet, c) {
			t.Errorf("alphabet holds the confusable %q", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range CodeAlphabet {
		if seen[c] {
			t.Errorf("%q twice", c)
		}
		seen[c] = true
	}
}

func TestNewCode(t *testing.T) {
	for _, n := range []int{0, 1, 8, 16, 100} {
		c := NewCode(n)
		if len(c) != n {
			t.Fatalf("NewCode(%d) = %q", n, c)
		}
		if n > 0 && !IsCode(c, n) {
			t.Fatalf("NewCode(%d) = %q uses symbols outside the alphabet", n, c)
		}
	}
}

// TestNewCodeUniform draws many symbols and checks that each appears about
// as often as the others (a biased modulo would favour the first 16).
func TestNewCodeUniform(t *testing.T) {
	const n = 60000
	count := map[rune]int{}
	for _, c := range NewCode(n) {
		count[c]++
	}
	if len(count) != len(CodeAlphabet) {
		t.Fatalf("%d distinct symbols in %d draws, want %d", len(count), n, len(CodeAlphabet))
	}
	// Expected 2000 each, σ ≈ 44: ±300 is about 7σ.
	for c, k := range count {
		if k < 1700 || k > 2300 {
			t.Errorf("symbol %q drawn %d times, want about 2000", c, k)
		}
	}
}

func TestCodeEntropyBits(t *testing.T) {
	if got, want := CodeEntropyBits(8), 8*math.Log2(30); math.Abs(got-want) > 1e-9 {
		t.Fatalf("CodeEntropyBits(8) = %v, want %v", got, want)
	}
	if got := CodeEntropyBits(16); got < 78 || got > 79 {
		t.Fatalf("CodeEntropyBits(16) = %v, want ≈ 78.5", got)
	}
}

func TestFormatCode(t *testing.T) {
	tests := []struct {
		code  string
		group int
		want  string
	}{
		{"K7QM4XWD", 4, "K7QM-4XWD"},
		{"K7QM4XWDZ", 4, "K7QM-4XWD-Z"},
		{"K7QM4XWD", 3, "K7Q-M4X-WD"},
		{"K7QM", 4, "K7QM"},
		{"K7Q", 4, "K7Q"},
		{"", 4, ""},
		{"K7QM4XWD", 0, "K7QM4XWD"},
		{"K7QM4XWD", -1, "K7QM4XWD"},
	}
	for _, tt := range tests {
		if got := FormatCode(tt.code, tt.group); got != tt.want {
			t.Errorf("FormatCode(%q, %d) = %q, want %q", tt.code, tt.group, got, tt.want)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"K7QM-4XWD", "K7QM4XWD"},
		{"k7qm 4xwd", "K7QM4XWD"},
		{" k7qm–4xwd ", "K7QM4XWD"}, // en dash
		{"K7QM\u00a04XWD", "K7QM4XWD"},
		{"k7.qm_4x-wd", "K7QM4XWD"},
		{"uvuv", "VVVV"},             // U is a misread V
		{"O0I1L", "O0I1L"},           // no guess: they stay, and match nothing
		{"k7qm-4xwd-é", "K7QM4XWDé"}, // other characters stay, IsCode refuses them
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeCodeRoundTrip(t *testing.T) {
	for range 100 {
		c := NewCode(12)
		for _, shown := range []string{FormatCode(c, 4), strings.ToLower(FormatCode(c, 3)), strings.Join(strings.Split(c, ""), " ")} {
			if got := NormalizeCode(shown); got != c {
				t.Fatalf("NormalizeCode(%q) = %q, want %q", shown, got, c)
			}
		}
	}
}

func TestIsCode(t *testing.T) {
	tests := []struct {
		code string
		n    int
		want bool
	}{
		{"K7QM4XWD", 8, true},
		{"K7QM4XWD", 0, true},
		{"K7QM4XWD", 9, false},
		{"K7QM4XWO", 8, false},
		{"K7QM4XW0", 8, false},
		{"k7qm4xwd", 8, false}, // not normalized
		{"K7QM-4XWD", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if got := IsCode(tt.code, tt.n); got != tt.want {
			t.Errorf("IsCode(%q, %d) = %v, want %v", tt.code, tt.n, got, tt.want)
		}
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"K7QM-4XWD", "k7qm 4xwd", "O0I1LU", "é–—\u00a0", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := NormalizeCode(in)
		if NormalizeCode(out) != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, NormalizeCode(out))
		}
		if strings.ContainsAny(out, " -._abcdefghijklmnopqrstuvwxyzU") {
			t.Fatalf("NormalizeCode(%q) = %q keeps a separator, a lower-case letter or U", in, out)
		}
		// Whatever was typed, a valid code survives formatting and typing back.
		if IsCode(out, 0) && NormalizeCode(FormatCode(out, 4)) != out {
			t.Fatalf("format/normalize round trip broke %q", out)
		}
	})
}
