package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/secret"
	"permis/internal/store"
	"permis/internal/store/storetest"
	"permis/internal/twoddoc"
)

// cheap argon2id parameters: the tests check the flows, not the cost.
var cheap = secret.PasswordParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32}

func mustOpenPortal(t *testing.T, dsn string, c *clock.Fixed) (*store.Store, *app.App) {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	signer, err := twoddoc.GenerateSigner("FR00", "0001", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kr := twoddoc.NewKeyring()
	if err := kr.Add("FR00", "0001", signer.Public()); err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: s, Clock: c, Passwords: cheap, PublicURL: "https://permis.test", IdentityIssuer: "https://idp.test",
		Issuer: app.Issuer{Name: "Test", Signer: signer, Keyring: kr}, MailFrom: "Permis de conduire <ne-pas-repondre@envoi.permis.test>"})
	t.Cleanup(func() { a.Close() })
	return s, a
}

var linkRE = regexp.MustCompile(`https://permis\.test(/[^\s]+)`)

func citizenOf(ns app.NewSession) app.Request {
	return app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + itoa(ns.Account.ID), Role: access.Citizen},
		RequestID: "r", Client: "192.0.2.1"}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func signInErr(ctx context.Context, a *app.App, req app.Request, email, pw string) error {
	_, err := a.SignIn(ctx, req, email, pw, "test")
	return err
}

func TestLocalAccountLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		anon := app.Request{Client: "192.0.2.9", RequestID: "r"}
		reg := app.Registration{Email: "Camille.Garnier@Example.fr", Password: "trois chevaux bleus", GivenName: "Camille",
			FamilyName: "Garnier", BirthDate: "03/02/1980"}

		// Bad input changes nothing and names the fields.
		bad := reg
		bad.Email, bad.Password, bad.BirthDate = "pas-une-adresse", "court", "31/02/1980"
		err := a.Register(ctx, anon, bad)
		wantAppErr(t, err, apperr.Invalid, "email")
		for _, f := range []string{"password", "birth_date"} {
			if apperr.As(err).Fields[f] == "" {
				t.Errorf("no problem reported on %s: %v", f, err)
			}
		}
		if ms, _ := s.ListMail(ctx, store.MailFilter{}); len(ms) != 0 {
			t.Fatalf("a refused registration queued %d mails", len(ms))
		}

		if err := a.Register(ctx, anon, reg); err != nil {
			t.Fatalf("Register: %v", err)
		}
		// Registering the same address again answers the same, and mails
		// the owner instead of creating an account.
		if err := a.Register(ctx, anon, reg); err != nil {
			t.Fatalf("second Register: %v", err)
		}
		ms, _ := s.ListMail(ctx, store.MailFilter{To: "camille.garnier@example.fr"})
		if len(ms) != 2 || ms[0].Subject != "Vous avez déjà un compte" {
			t.Fatalf("mails %+v", ms)
		}

		// The verification link works once.
		verify := lastLinkMatching(t, s, "camille.garnier@example.fr", "/compte/verification/")
		token := strings.TrimPrefix(verify, "/compte/verification/")
		if err := a.VerifyEmail(ctx, anon, token); err != nil {
			t.Fatalf("VerifyEmail: %v", err)
		}
		wantAppErr(t, a.VerifyEmail(ctx, anon, token), apperr.NotFound, "")

		ns, err := a.SignIn(ctx, anon, "camille.garnier@example.fr", "trois chevaux bleus", "test")
		if err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		if ns.NeedsSecondFactor || !ns.Account.EmailVerified {
			t.Fatalf("session %+v", ns)
		}
		st, err := a.Authenticate(ctx, ns.Token)
		if err != nil || st.Actor.Role != access.Citizen || st.Pending {
			t.Fatalf("Authenticate: %+v, %v", st, err)
		}

		// Unknown address and wrong password: the same answer.
		e1 := signInErr(ctx, a, anon, "personne@example.fr", "trois chevaux bleus")
		e2 := signInErr(ctx, a, anon, "camille.garnier@example.fr", "mauvais mot de passe")
		if apperr.As(e1).Fields["password"] != apperr.As(e2).Fields["password"] || e1 == nil {
			t.Fatalf("different answers: %v / %v", e1, e2)
		}
		// Four more wrong passwords make this client wait, even with the
		// right one (signin_guard_test.go has the details).
		for range 4 {
			_ = signInErr(ctx, a, anon, "camille.garnier@example.fr", "mauvais mot de passe")
		}
		wantAppErr(t, signInErr(ctx, a, anon, "camille.garnier@example.fr", "trois chevaux bleus"), apperr.Invalid, "password")
		c.Add(16 * time.Minute)
		if err := signInErr(ctx, a, anon, "camille.garnier@example.fr", "trois chevaux bleus"); err != nil {
			t.Fatalf("after the wait: %v", err)
		}

		// Reset: a refused password keeps the link; the right one ends
		// every session.
		if err := a.RequestPasswordReset(ctx, anon, "camille.garnier@example.fr"); err != nil {
			t.Fatal(err)
		}
		tok := strings.TrimPrefix(lastLinkMatching(t, s, "camille.garnier@example.fr", "/mot-de-passe/nouveau/"), "/mot-de-passe/nouveau/")
		wantAppErr(t, a.ResetPassword(ctx, anon, tok, "court"), apperr.Invalid, "password")
		if err := a.ResetPassword(ctx, anon, tok, "quatre chevaux verts"); err != nil {
			t.Fatalf("ResetPassword: %v", err)
		}
		if _, err := a.Authenticate(ctx, ns.Token); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("old session still valid after reset: %v", err)
		}
		wantAppErr(t, a.ResetPassword(ctx, anon, tok, "cinq chevaux roses"), apperr.NotFound, "")
	})
}

// lastLinkMatching returns the path of the newest link to addr containing
// prefix.
func lastLinkMatching(t *testing.T, s *store.Store, addr, prefix string) string {
	t.Helper()
	ms, err := s.ListMail(context.Background(), store.MailFilter{To: addr})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		for _, l := range linkRE.FindAllStringSubmatch(m.Text, -1) {
			if strings.HasPrefix(l[1], prefix) {
				return l[1]
			}
		}
	}
	t.Fatalf("no %s link mailed to %s", prefix, addr)
	return ""
}

func TestSignInRateLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		anon := app.Request{Client: "192.0.2.50"}
		// 30 failed attempts per client address and 15 minutes (each on its
		// own address, so the per-address delays do not interfere): the
		// 30th is still answered on its merits, the 31st is refused.
		for i := range 30 {
			err := signInErr(ctx, a, anon, "x"+strconv.Itoa(i)+"@example.fr", "nimporte quoi")
			if apperr.CodeOf(err) == apperr.TooMany || err == nil {
				t.Fatalf("attempt %d: %v, want a wrong-credentials answer", i+1, err)
			}
		}
		wantAppErr(t, signInErr(ctx, a, anon, "x30@example.fr", "nimporte quoi"), apperr.TooMany, "")
		// Per address, from every client together: 50 failures an hour;
		// past them even the right password is refused, with the very
		// answer of a wrong one (signin_guard.go).
		hash, _ := secret.HashPassword("le bon mot de passe", cheap)
		now := c.Now()
		if err := s.CreateUser(ctx, &store.User{Role: string(access.Citizen), Email: "y@example.fr", PasswordHash: hash, EmailVerifiedAt: &now}); err != nil {
			t.Fatal(err)
		}
		wrong := signInErr(ctx, a, app.Request{Client: "198.51.100.200"}, "y@example.fr", "nimporte quoi")
		for i := range 49 {
			err := signInErr(ctx, a, app.Request{Client: "198.51.100." + strconv.Itoa(i)}, "y@example.fr", "nimporte quoi")
			if apperr.As(err).Fields["password"] != apperr.As(wrong).Fields["password"] {
				t.Fatalf("attempt %d on one address: %v, want a wrong-credentials answer", i+2, err)
			}
		}
		err := signInErr(ctx, a, app.Request{Client: "198.51.100.99"}, "y@example.fr", "le bon mot de passe")
		if apperr.As(err).Fields["password"] != apperr.As(wrong).Fields["password"] {
			t.Fatalf("the right password past 50 failures: %v, want the wrong-credentials answer", err)
		}
		c.Add(time.Hour)
		if err := signInErr(ctx, a, app.Request{Client: "198.51.100.99"}, "y@example.fr", "le bon mot de passe"); err != nil {
			t.Fatalf("an hour later: %v", err)
		}
	})
}

func TestLinkAndCitizenViews(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		mustCreateLicence(t, s, "800169000001", offence("o1", "2025-01-10", "2025-01-20", 3, points.Class4, ""))
		ns, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "s1",
			GivenName: "Camille Marie", FamilyName: "GARNIER", Birthdate: "1980-02-03", Email: "camille@example.fr"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		me := citizenOf(ns)
		other, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "s2",
			GivenName: "Paul", FamilyName: "Durand", Birthdate: "1975-05-05"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		them := citizenOf(other)

		// Before linking, views say so.
		_, err = a.MyPoints(ctx, me)
		wantAppErr(t, err, apperr.NotFound, "")

		// Unknown number and someone else's licence: the same answer.
		e1 := a.LinkLicence(ctx, them, "800169000099")
		e2 := a.LinkLicence(ctx, them, "800169000001")
		if e1 == nil || e1.Error() != e2.Error() {
			t.Fatalf("answers differ: %v / %v", e1, e2)
		}
		if err := a.LinkLicence(ctx, me, "8001 6900 0001"); err != nil {
			t.Fatalf("LinkLicence: %v", err)
		}
		pv, err := a.MyPoints(ctx, me)
		if err != nil || pv.Balance != 9 || len(pv.Movements) != 1 {
			t.Fatalf("MyPoints: %+v, %v", pv, err)
		}
		// After 5 tries in an hour, linking is refused, whatever the number.
		for range 3 {
			_ = a.LinkLicence(ctx, them, "800169000001")
		}
		wantAppErr(t, a.LinkLicence(ctx, them, "800169000001"), apperr.TooMany, "")

		// An agent's read shows in the holder's consultations; the
		// holder's own reads do not.
		if _, err := a.Points(ctx, agent, "800169000001"); err != nil {
			t.Fatal(err)
		}
		a.Close() // flush the audit writer
		a2 := app.New(app.Config{Store: s, Clock: c, Passwords: cheap, IdentityIssuer: "https://idp.test"})
		defer a2.Close()
		cs, err := a2.MyConsultations(ctx, me)
		if err != nil || len(cs) != 1 || cs[0].Reason != "contrôle" || cs[0].Who != "Agent instructeur" {
			t.Fatalf("consultations %+v, %v", cs, err)
		}
	})
}

func TestCheckCodes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		mustCreateLicence(t, s, "800169000001")
		ns, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "s1",
			GivenName: "Camille", FamilyName: "Garnier", Birthdate: "1980-02-03"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		me := citizenOf(ns)
		if err := a.LinkLicence(ctx, me, "800169000001"); err != nil {
			t.Fatal(err)
		}
		_, _, err = a.CreateCheckCode(ctx, me, app.CheckCodeRequest{Shows: "points", Days: 30})
		wantAppErr(t, err, apperr.Invalid, "days")

		code, view, err := a.CreateCheckCode(ctx, me, app.CheckCodeRequest{Label: "Loueur", Shows: app.ShowsCategories, Days: 7, SingleUse: true})
		if err != nil || view.State != "active" {
			t.Fatalf("CreateCheckCode: %v %+v", err, view)
		}
		checker := app.Request{Client: "198.51.100.7", RequestID: "chk"}
		// A wrong ending is refused like an unknown code.
		_, _, err = a.CheckRights(ctx, checker, code, "9999", "Loueur du Lez", "shown")
		wantAppErr(t, err, apperr.Invalid, "code")
		_, _, err = a.CheckRights(ctx, checker, "ABCD-EFGH-JKMN", "0001", "", "shown")
		wantAppErr(t, err, apperr.Invalid, "code")

		r, _, err := a.CheckRights(ctx, checker, strings.ToLower(code), "0001", "Loueur du Lez", "shown")
		if err != nil || !r.InForce || len(r.Categories) != 1 || r.Restrictions != nil {
			t.Fatalf("CheckRights: %+v, %v", r, err)
		}
		// Single use: the second check is refused.
		_, _, err = a.CheckRights(ctx, checker, code, "0001", "", "shown")
		wantAppErr(t, err, apperr.Invalid, "code")
		// … but the check's own attestation may follow, once, within the
		// grace period; then never again.
		c.Add(store.CheckAttestationGrace - time.Minute)
		if _, err := a.CheckAttestation(ctx, checker, code, "0001", "Loueur du Lez"); err != nil {
			t.Fatalf("attestation of the check: %v", err)
		}
		_, err = a.CheckAttestation(ctx, checker, code, "0001", "Loueur du Lez")
		wantAppErr(t, err, apperr.Invalid, "code")
		late, _, err := a.CreateCheckCode(ctx, me, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7, SingleUse: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.CheckRights(ctx, checker, late, "0001", "", "shown"); err != nil {
			t.Fatal(err)
		}
		c.Add(store.CheckAttestationGrace + time.Minute)
		_, err = a.CheckAttestation(ctx, checker, late, "0001", "")
		wantAppErr(t, err, apperr.Invalid, "code")

		// Another holder cannot revoke this code by its id.
		other, _ := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "s2", GivenName: "Zoé", FamilyName: "Roux", Birthdate: "1990-01-01"}, "ua")
		wantAppErr(t, a.RevokeCheckCode(ctx, citizenOf(other), view.ID), apperr.NotFound, "")

		// A reusable code works until revoked; the holder sees each check.
		code2, v2, err := a.CreateCheckCode(ctx, me, app.CheckCodeRequest{Shows: app.ShowsCategoriesRestrictions, Days: 21})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			r, _, err := a.CheckRights(ctx, checker, code2, "0001", "Transports", "shown")
			if err != nil || len(r.Restrictions) != 1 {
				t.Fatalf("reusable code: %+v %v", r, err)
			}
		}
		if err := a.RevokeCheckCode(ctx, me, v2.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = a.CheckRights(ctx, checker, code2, "0001", "", "shown")
		wantAppErr(t, err, apperr.Invalid, "code")
		codes, err := a.MyCheckCodes(ctx, me)
		if err != nil || len(codes) != 3 || codes[0].State != "revoked" || len(codes[0].Uses) != 2 || codes[2].State != "used" || codes[2].Statements != 1 {
			t.Fatalf("MyCheckCodes: %+v, %v", codes, err)
		}
		// Codes expire.
		code3, _, _ := a.CreateCheckCode(ctx, me, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 1})
		c.Add(25 * time.Hour)
		_, _, err = a.CheckRights(ctx, checker, code3, "0001", "", "shown")
		wantAppErr(t, err, apperr.Invalid, "code")
	})
}

func TestStatementsVerify(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		mustCreateLicence(t, s, "800169000001", offence("o1", "2025-01-10", "2025-01-20", 3, points.Class4, ""))
		ns, _ := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "s1",
			GivenName: "Camille", FamilyName: "Garnier", Birthdate: "1980-02-03"}, "ua")
		me := citizenOf(ns)
		if err := a.LinkLicence(ctx, me, "800169000001"); err != nil {
			t.Fatal(err)
		}
		full, err := a.MyFullStatement(ctx, me, ns.Account)
		if err != nil || !bytes.HasPrefix(full.PDF, []byte("%PDF-")) {
			t.Fatalf("MyFullStatement: %v", err)
		}
		att, err := a.MyAttestation(ctx, me)
		if err != nil || !bytes.HasPrefix(att.PDF, []byte("%PDF-")) {
			t.Fatalf("MyAttestation: %v", err)
		}
		// The full statement's code carries the balance (9 → "9"); the
		// attestation's never does.
		if !strings.Contains(full.Barcode, "AG9") {
			t.Errorf("full statement code without balance: %q", full.Barcode)
		}
		if strings.Contains(att.Barcode, "\x1dAG") || strings.Contains(att.Barcode, "AG9") {
			t.Errorf("attestation code carries the balance: %q", att.Barcode)
		}
		v, err := a.VerifyDocument(ctx, app.Request{}, att.Barcode)
		if err != nil || v.Verdict.Status != twoddoc.Valid {
			t.Fatalf("VerifyDocument: %+v, %v", v.Verdict, err)
		}
		tampered := strings.Replace(att.Barcode, "GARNIER", "GARNIEZ", 1)
		if v, _ := a.VerifyDocument(ctx, app.Request{}, tampered); v.Verdict.Status != twoddoc.BadSignature {
			t.Fatalf("tampered code: %+v", v.Verdict)
		}
		// A local account does not get the full statement.
		local := ns.Account
		local.ViaOIDC = false
		_, err = a.MyFullStatement(ctx, me, local)
		wantAppErr(t, err, apperr.Forbidden, "")
	})
}

func TestAgentSecondFactor(t *testing.T) {
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
		if err != nil || !ns.NeedsSecondFactor || !ns.NeedsTOTPEnrolment {
			t.Fatalf("SignIn: %+v %v", ns, err)
		}
		st, err := a.Authenticate(ctx, ns.Token)
		if err != nil || !st.Pending {
			t.Fatalf("session before the second factor: %+v %v", st, err)
		}
		en, err := a.StartTOTPEnrolment(ctx, app.Request{}, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		req := app.Request{Actor: st.Actor}
		wantAppErr(t, a.VerifySecondFactor(ctx, req, ns.Token, "000000"), apperr.Invalid, "code")
		code, _ := secret.TOTPCode(en.Secret, c.Now())
		if err := a.VerifySecondFactor(ctx, req, ns.Token, code); err != nil {
			t.Fatalf("VerifySecondFactor: %v", err)
		}
		if st, _ := a.Authenticate(ctx, ns.Token); st.Pending {
			t.Fatal("still pending after the second factor")
		}
		// The same code cannot serve twice (another session).
		ns2, _ := a.SignIn(ctx, app.Request{Client: "x"}, "agent@example.fr", "agent de la préfecture", "ua")
		wantAppErr(t, a.VerifySecondFactor(ctx, req, ns2.Token, code), apperr.Invalid, "code")
	})
}

// A standing consent: the organisation is told when granted, once per
// change of the holder's rights (here a heavy category reaching the end
// of its validity), never twice for the same state, and when withdrawn;
// nothing after.
func TestConsentNotices(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		p := licence.Person{FamilyName: "Haddad", GivenNames: []string{"Karim"}, BirthDate: date.MustParse("1978-05-12"),
			BirthPlace: "Sète", BirthCountry: "FR", Sex: licence.SexMale}
		if err := s.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		l := licence.Licence{NEPH: "780169000002", PersonID: p.ID, Obtained: date.MustParse("1998-06-01"),
			Probation: points.ProbationNone, Departement: "34", State: licence.StateValid, StateSince: date.MustParse("1998-06-01"),
			Categories: []licence.CategoryEntry{
				{Category: "B", Obtained: date.MustParse("1998-06-01")},
				{Category: "C", Obtained: date.MustParse("2005-03-01"), ValidUntil: date.Some(date.MustParse("2026-04-01"))},
			}}
		if err := s.CreateLicence(ctx, &l); err != nil {
			t.Fatal(err)
		}
		ns, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "k",
			GivenName: "Karim", FamilyName: "Haddad", Birthdate: "1978-05-12"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		me := citizenOf(ns)
		if err := a.LinkLicence(ctx, me, "780169000002"); err != nil {
			t.Fatal(err)
		}
		const org = "flotte@transports-du-lez.test"
		if err := a.GrantConsent(ctx, me, "Transports du Lez", org); err != nil {
			t.Fatal(err)
		}
		subjects := func() []string {
			ms, err := s.ListMail(ctx, store.MailFilter{To: org, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for i := len(ms) - 1; i >= 0; i-- { // oldest first
				out = append(out, strings.SplitN(ms[i].Subject, " ", 2)[0])
			}
			return out
		}
		notify := func(want int) {
			t.Helper()
			n, err := a.NotifyConsents(ctx)
			if err != nil || n != want {
				t.Fatalf("NotifyConsents: %d %v, want %d", n, err, want)
			}
		}
		notify(0) // nothing changed since the grant
		c.Set(noon("2026-04-02"))
		notify(1) // C is no longer valid
		notify(0) // already told
		got := subjects()
		if len(got) != 2 || got[0] != "Autorisation" || got[1] != "Changement" {
			t.Fatalf("mails to the organisation: %v", got)
		}
		cs, err := a.MyConsents(ctx, me)
		if err != nil || len(cs) != 1 {
			t.Fatal(cs, err)
		}
		if err := a.WithdrawConsent(ctx, me, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		c.Set(noon("2026-05-02"))
		notify(0)
		if got := subjects(); len(got) != 3 || got[2] != "Fin" {
			t.Fatalf("mails after withdrawal: %v", got)
		}
	})
}
