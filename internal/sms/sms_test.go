package sms

import "testing"

func TestParseMobile(t *testing.T) {
	for in, want := range map[string]string{
		"06 12 34 56 78":    "+33612345678",
		"07.12.34.56.78":    "+33712345678",
		"+33 6 12 34 56 78": "+33612345678",
		"0033612345678":     "+33612345678",
		"04 67 61 61 61":    "", // a landline
		"06 12 34 56":       "", // too short
		"06 12 34 56 7a":    "",
		"":                  "",
	} {
		got, err := ParseMobile(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ParseMobile(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got := Mask("+33612345678"); got != "+33•••••••78" {
		t.Errorf("Mask = %q", got)
	}
}
