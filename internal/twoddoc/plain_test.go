package twoddoc

import (
	"strings"
	"testing"
)

// Every malformed code is explained without the words of the
// specification: no zone, no position, no identifier.
func TestPlainExplanations(t *testing.T) {
	for _, text := range []string{
		"", "XX04", "DC04FR00", "DC07FR0000011E471E47AB01FR", "DC04FR0000011E471E47AB01FR6G",
		"DC04FR0000011E471E47AB01FR6GDUPONT\x1d", "DC04FR0000011E471E47AB01FR6GDUPONT\x1fAB=C",
		"DC04FR0000011E471E47AB01FR6GDU\rPONT\x1dAC230334100123",
	} {
		_, err := Decode(text)
		de, ok := err.(*DecodeError)
		if !ok {
			t.Fatalf("%q: %v", text, err)
		}
		p := de.Plain()
		for _, jargon := range []string{"position", "en-tête", "champ", "<US>", "Base32", "identifiant"} {
			if strings.Contains(p, jargon) {
				t.Errorf("%q (%s): %q says %q", text, de.Code, p, jargon)
			}
		}
		if !strings.HasSuffix(p, ".") || len(p) < 40 {
			t.Errorf("%q: %q is not a sentence", text, p)
		}
	}
}
