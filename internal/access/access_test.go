package access

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"permis/internal/apperr"
)

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		got, err := ParseRole(" " + strings.ToUpper(string(r)) + " ")
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
		if r.Label() == string(r) || r.Label() == "" {
			t.Errorf("role %q has no French label", r)
		}
	}
	_, err := ParseRole("juge")
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("ParseRole(juge) error = %v, want invalid", err)
	}
	if msg := apperr.As(err).Fields["role"]; !strings.Contains(msg, "n'existe pas") {
		t.Errorf("field message = %q", msg)
	}
	if got := len(Roles()); got != 9 {
		t.Errorf("len(Roles()) = %d, want 9", got)
	}
	if Prosecutor.Label() != "Officier du ministère public" {
		t.Errorf("Prosecutor.Label() = %q", Prosecutor.Label())
	}
}

func TestPolicy(t *testing.T) {
	p := Allow(Agent, Helpdesk)
	for _, r := range Roles() {
		want := r == Agent || r == Helpdesk
		if p.Allows(r) != want {
			t.Errorf("Allow(agent, helpdesk).Allows(%s) = %v", r, !want)
		}
	}
	if !Public().Allows(Citizen) || !Public().IsPublic() || p.IsPublic() {
		t.Error("public policy wrong")
	}
	if p.String() != "agent,helpdesk" || Public().String() != "public" {
		t.Errorf("String() = %q, %q", p, Public())
	}
}

func TestTableCheck(t *testing.T) {
	var tb Table
	tb.Add("GET /healthz", Public())
	tb.Add("GET /dossiers/{id}", Allow(Agent))
	if err := tb.Check(); err != nil {
		t.Fatalf("Check() = %v", err)
	}
	tb.Add("POST /orphan", Allow())
	tb.Add("GET /odd", Allow("judge"))
	err := tb.Check()
	if err == nil || !strings.Contains(err.Error(), "POST /orphan: no owner") || !strings.Contains(err.Error(), `GET /odd: unknown role "judge"`) {
		t.Fatalf("Check() = %v", err)
	}
	if n := len(tb.Routes()); n != 4 {
		t.Errorf("len(Routes()) = %d", n)
	}
}

func TestActorContext(t *testing.T) {
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("actor in empty context")
	}
	a := Actor{Kind: KindToken, ID: "t1", Name: "Auto-école du Centre", Role: DrivingSchool}
	got, ok := FromContext(NewContext(context.Background(), a))
	if !ok || got != a {
		t.Fatalf("FromContext = %+v, %v", got, ok)
	}
	if !(Actor{}).IsZero() || a.IsZero() {
		t.Error("IsZero wrong")
	}
}

func TestNewToken(t *testing.T) {
	plain, hash, prefix := NewToken()
	if !strings.HasPrefix(plain, TokenPrefix) || !strings.HasPrefix(plain, prefix) || len(prefix) != DisplayPrefixLen {
		t.Fatalf("token %q prefix %q", plain, prefix)
	}
	if !WellFormedToken(plain) {
		t.Errorf("WellFormedToken(%q) = false", plain)
	}
	if !bytes.Equal(hash, HashToken(plain)) || len(hash) != 32 {
		t.Errorf("hash mismatch")
	}
	if !TokenMatches(plain, hash) || TokenMatches(plain+"x", hash) {
		t.Error("TokenMatches wrong")
	}
	other, _, _ := NewToken()
	if other == plain {
		t.Error("two tokens equal")
	}
	for _, bad := range []string{"", "pmt_", "xyz_" + plain[4:], plain + "A", plain[:len(plain)-1] + "!"} {
		if WellFormedToken(bad) {
			t.Errorf("WellFormedToken(%q) = true", bad)
		}
	}
}
