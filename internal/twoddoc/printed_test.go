package twoddoc

import (
	"crypto/elliptic"
	"strings"
	"testing"
)

// wrap breaks a code the way a PDF column does: at a space when the line
// has one (the space is consumed), else after width characters.
func wrap(s string, width int) string {
	var lines []string
	for len(s) > width {
		cut := strings.LastIndexByte(s[:width+1], ' ')
		if cut <= 0 {
			lines, s = append(lines, s[:width]), s[width:]
			continue
		}
		lines, s = append(lines, s[:cut]), s[cut+1:]
	}
	return strings.Join(append(lines, s), "\n")
}

// The text printed under the symbol of our documents, copied with its line
// breaks, verifies (it was refused: "caractère 0x0D non autorisé"); so do
// the other ways people give it. Breaks never turn a modified code valid.
func TestVerifyPrinted(t *testing.T) {
	s := mustSigner(t, "FR00", "T001", elliptic.P256())
	code, err := s.Issue(statementHeader, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	k := mustKeyring(t, s)
	printed := Escape(code)
	if !strings.Contains(printed, "AM B1 B") {
		t.Fatal("the test needs a value with spaces")
	}
	wrapped := wrap(printed, len(printed)-len("B1 B<US>")-103+2) // breaks in "AM B1 B", eating a space
	if strings.Count(wrapped, "\n") == 0 || strings.Contains(wrapped, "AM B1 B") {
		t.Fatalf("the wrapping does not break at a space:\n%s", wrapped)
	}
	for name, text := range map[string]string{
		"one line":                  printed,
		"control characters":        code,
		"fixed width, LF":           wrap(strings.ReplaceAll(printed, " ", "\u00a0"), 40), // no space to break at
		"fixed width, CRLF":         strings.ReplaceAll(wrapPlain(printed, 38), "\n", "\r\n"),
		"at a space, space eaten":   wrapped,
		"around blanks, blank line": "\n  " + wrapPlain(printed, 50) + "\n\n",
		"PDF column":                wrap(printed, 44),
	} {
		t.Run(name, func(t *testing.T) {
			text = strings.ReplaceAll(text, "\u00a0", " ")
			if v := k.VerifyPrinted(text); v.Status != Valid {
				t.Errorf("%s: %s\n%q", v.Status, v.Reason, text)
			}
		})
	}
	forged := strings.Replace(wrap(printed, 44), "MARTIN", "MARTON", 1)
	if v := k.VerifyPrinted(forged); v.Status != BadSignature {
		t.Errorf("a modified wrapped code: %s (%s)", v.Status, v.Reason)
	}
	if v := NewKeyring().VerifyPrinted(wrap(printed, 44)); v.Status != UnknownCertificate {
		t.Errorf("a wrapped code with no key: %s (%s)", v.Status, v.Reason)
	}
}

// wrapPlain cuts s every width characters.
func wrapPlain(s string, width int) string {
	var lines []string
	for len(s) > width {
		lines, s = append(lines, s[:width]), s[width:]
	}
	return strings.Join(append(lines, s), "\n")
}
