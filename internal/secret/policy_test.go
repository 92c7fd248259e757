package secret

import (
	"testing"

	"permis/internal/apperr"
)

func TestCheckPasswordPolicy(t *testing.T) {
	const email = "jean.dupont@example.fr"
	tests := []struct {
		name, pw string
		want     string // "" for accepted
	}{
		{"passphrase with spaces", "le chat dort au soleil", ""},
		{"long passphrase one kind", "lechatdortausoleil", msgPasswordOneKind}, // 18 < 20
		{"20 letters one kind", "lechatdortausoleilen", ""},
		{"12 mixed", "Tr0mpette-42", ""},
		{"11 mixed", "Tr0mpette42", msgPasswordShort},
		{"12 accented letters counted as characters", "éléphantRosé", ""},
		{"empty", "", msgPasswordShort},
		{"too long", string(make([]byte, 257)), msgPasswordLong},
		{"digits only", "482915736150", msgPasswordOneKind},
		{"lower only", "gribouillage", msgPasswordOneKind},
		{"upper only", "GRIBOUILLAGE", msgPasswordOneKind},
		{"one repeated char", "aaaaaaaaaaaaaaaaaaaaaaaa", msgPasswordRepeat},
		{"two chars alternating", "aBaBaBaBaBaB", msgPasswordRepeat},
		{"four distinct", "Ab1!Ab1!Ab1!", msgPasswordRepeat},
		{"common with digits", "Azerty123456", msgPasswordCommon},
		{"common with symbols", "!!motdepasse2024", msgPasswordCommon},
		{"common upper", "PASSWORD1234", msgPasswordCommon},
		{"keyboard row", "azertyuiopqsdfghjklm", msgPasswordCommon},
		{"digit run", "01234567890123456789", msgPasswordCommon},
		{"alphabet", "abcdefghijklmnopqrstu", msgPasswordCommon},
		{"email local part", "Jean.Dupont.2024", msgPasswordEmail},
		{"email local part without dot", "jeandupont!1987", msgPasswordEmail},
		{"common word inside a longer one is fine", "azerty et moi sommes amis", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPasswordPolicy(tt.pw, email)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckPasswordPolicy(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			e := apperr.As(err)
			if err == nil || e.Code != apperr.Invalid || e.Message != tt.want {
				t.Fatalf("CheckPasswordPolicy(%q) = %v, want invalid %q", tt.pw, err, tt.want)
			}
		})
	}
}

func TestCheckPasswordPolicyEmail(t *testing.T) {
	tests := []struct {
		email string
		want  bool // refused
	}{
		{"jean.dupont@example.fr", true},
		{"JEAN-DUPONT@example.fr", true},
		{"jeandupont", true},     // a bare local part works too
		{"jo@example.fr", false}, // too short to be a meaningful match
		{"", false},
		{"marie@example.fr", false},
	}
	for _, tt := range tests {
		err := CheckPasswordPolicy("Jean-Dupont 1987", tt.email)
		if got := err != nil; got != tt.want {
			t.Errorf("email %q: refused = %v (%v), want %v", tt.email, got, err, tt.want)
		}
	}
}
