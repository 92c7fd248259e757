package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/secret"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

func mailsWithSubject(t *testing.T, s *store.Store, addr, subject string) int {
	t.Helper()
	ms, err := s.ListMail(context.Background(), store.MailFilter{To: addr})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.Subject == subject {
			n++
		}
	}
	return n
}

// Issue 10, finding 10: the sign-in answers the same whether the address
// has an account or not, and whether the client must wait; a stranger's
// wrong passwords slow down that stranger only, with growing delays; and
// successful sign-ins cost nothing.
func TestSignInGuard(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		const addr, pw = "dominique@example.fr", "une phrase de passe solide"
		hash, _ := secret.HashPassword(pw, cheap)
		now := c.Now()
		if err := s.CreateUser(ctx, &store.User{Role: string(access.Citizen), Email: addr, PasswordHash: hash, EmailVerifiedAt: &now}); err != nil {
			t.Fatal(err)
		}
		stranger, holder := app.Request{Client: "203.0.113.66"}, app.Request{Client: "198.51.100.7"}
		answer := func(req app.Request, email, pass string) string {
			t.Helper()
			err := signInErr(ctx, a, req, email, pass)
			if err == nil {
				return "ok"
			}
			e := apperr.As(err)
			return string(e.Code) + ": " + e.Fields["password"]
		}

		first := answer(stranger, addr, "mauvais")
		for i := 2; i <= 7; i++ {
			known, unknown := answer(stranger, addr, "mauvais"), answer(stranger, "personne@example.fr", "mauvais")
			if known != first || unknown != first {
				t.Fatalf("attempt %d: %q for the account, %q for an unknown address; want both %q", i, known, unknown, first)
			}
		}
		// The stranger waits, even with the right password — and is told
		// nothing new.
		if got := answer(stranger, addr, pw); got != first {
			t.Errorf("stranger with the right password while waiting: %q, want %q", got, first)
		}
		// The holder, elsewhere, signs in: nobody can lock them out.
		if got := answer(holder, addr, pw); got != "ok" {
			t.Fatalf("the holder from their own device: %q", got)
		}
		if n := mailsWithSubject(t, s, addr, "Tentatives de connexion à votre compte"); n != 1 {
			t.Errorf("%d mails to the holder, want 1 when the delays started", n)
		}
		// Growing delays: attempts while waiting are not even tried; after
		// the first minute, one more failure means two minutes.
		c.Add(61 * time.Second)
		if got := answer(stranger, addr, "encore faux"); got != first {
			t.Errorf("a sixth wrong password: %q", got)
		}
		c.Add(time.Minute)
		if got := answer(stranger, addr, pw); got != first {
			t.Errorf("one minute after the sixth failure: %q, want to wait two", got)
		}
		c.Add(time.Minute + time.Second)
		if got := answer(stranger, addr, pw); got != "ok" {
			t.Errorf("after the two minutes: %q", got)
		}
		// Successes do not count: 40 sign-ins from one client all succeed
		// (the client's limit is 30 attempts a quarter of an hour).
		for i := range 40 {
			if got := answer(holder, addr, pw); got != "ok" {
				t.Fatalf("sign-in %d of the holder: %q", i+1, got)
			}
		}
		// Failures from one client spread over many addresses hit that
		// client's own limit.
		var last error
		for i := range 31 {
			last = signInErr(ctx, a, app.Request{Client: "192.0.2.99"}, "x"+strconv.Itoa(i)+"@example.fr", "nimporte quoi")
		}
		wantAppErr(t, last, apperr.TooMany, "")
	})
}

// Issue 10, finding 14: wrong second-factor codes make the account wait
// (even the right code is refused meanwhile), and mail its holder once.
func TestSecondFactorFailuresLockAndMail(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		hash, _ := secret.HashPassword("agent de la préfecture", cheap)
		now := c.Now()
		u := store.User{Role: string(access.Agent), Email: "agent@example.fr", PasswordHash: hash, EmailVerifiedAt: &now}
		if err := s.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		ns, err := a.SignIn(ctx, app.Request{Client: "x"}, "agent@example.fr", "agent de la préfecture", "ua")
		if err != nil {
			t.Fatal(err)
		}
		en, err := a.StartTOTPEnrolment(ctx, app.Request{}, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := a.Authenticate(ctx, ns.Token)
		req := app.Request{Actor: st.Actor, Client: "x"}
		for range 4 {
			wantAppErr(t, a.VerifySecondFactor(ctx, req, ns.Token, "000000"), apperr.Invalid, "code")
		}
		wantAppErr(t, a.VerifySecondFactor(ctx, req, ns.Token, "000000"), apperr.TooMany, "code")
		code, _ := secret.TOTPCode(en.Secret, c.Now())
		wantAppErr(t, a.VerifySecondFactor(ctx, req, ns.Token, code), apperr.TooMany, "code")
		if n := mailsWithSubject(t, s, "agent@example.fr", "Codes de sécurité erronés sur votre compte"); n != 1 {
			t.Errorf("%d mails to the holder, want 1", n)
		}
		c.Add(61 * time.Second)
		code, _ = secret.TOTPCode(en.Secret, c.Now())
		if err := a.VerifySecondFactor(ctx, req, ns.Token, code); err != nil {
			t.Fatalf("after the wait: %v", err)
		}
	})
}
