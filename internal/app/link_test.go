package app_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/secret"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustHolder records Camille Garnier's licence with her address in the
// register, where activation letters go.
func mustHolder(t *testing.T, s *store.Store, neph string) int64 {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Garnier", GivenNames: []string{"Camille"}, BirthDate: date.MustParse("1980-02-03"),
		BirthPlace: "Lyon", BirthCountry: "FR", Sex: licence.SexFemale,
		Address: licence.Address{Line1: "12 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}}
	if err := s.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2000-06-01"),
		Probation: points.ProbationNone, Departement: "69", State: licence.StateValid, StateSince: date.MustParse("2000-06-01"),
		Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2000-06-01")}}}
	if err := s.CreateLicence(ctx, &l); err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// mustLocalAccount registers a local account with Camille Garnier's civil
// status (anyone can type it: it is printed on her card and on her fines),
// confirms its email when verified, and signs it in.
func mustLocalAccount(t *testing.T, s *store.Store, a *app.App, email string, verified bool) app.Request {
	t.Helper()
	ctx := context.Background()
	anon := app.Request{Client: "192.0.2.50", RequestID: "r"}
	if err := a.Register(ctx, anon, app.Registration{Email: email, Password: "trois chevaux bleus", GivenName: "Camille",
		FamilyName: "Garnier", BirthDate: "03/02/1980"}); err != nil {
		t.Fatal(err)
	}
	if verified {
		link := lastLinkMatching(t, s, email, "/compte/verification/")
		if err := a.VerifyEmail(ctx, anon, strings.TrimPrefix(link, "/compte/verification/")); err != nil {
			t.Fatal(err)
		}
	}
	ns, err := a.SignIn(ctx, anon, email, "trois chevaux bleus", "test")
	if err != nil {
		t.Fatal(err)
	}
	return citizenOf(ns)
}

var letterCode = regexp.MustCompile(`(?m)^ {8}([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})$`)

// Issue 10, finding 2: knowing a holder's NEPH, name and birth date was
// enough to link her licence to a new, unverified local account — while
// her own account already had it — and read everything. Now: only an
// identity from the national provider links at once; a local account gets
// nothing; a second link is refused and the holder told by mail.
func TestLinkNeedsProofOfIdentity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		mustHolder(t, s, "800169000001")

		// The holder, through the national provider (FranceConnect).
		ns, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://idp.test", Subject: "victim",
			GivenName: "Camille", FamilyName: "Garnier", Birthdate: "1980-02-03", Email: "camille@example.fr"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.LinkLicence(ctx, citizenOf(ns), "800169000001"); err != nil {
			t.Fatalf("the holder links with a verified identity: %v", err)
		}

		// The attacker: a local account, email confirmed, same civil status.
		attacker := mustLocalAccount(t, s, a, "attaquant@example.net", true)
		err = a.LinkLicence(ctx, attacker, "800169000001")
		wantAppErr(t, err, apperr.Forbidden, "")
		if !strings.Contains(apperr.As(err).Message, "code d'activation") {
			t.Errorf("the refusal does not say how to prove one's identity: %q", apperr.As(err).Message)
		}
		// Asking for the letter: refused, the holder is told, nothing posted.
		_, err = a.RequestLinkCode(ctx, attacker, "800169000001")
		wantAppErr(t, err, apperr.Conflict, "")
		ms, _ := s.ListMail(ctx, store.MailFilter{To: "camille@example.fr"})
		if len(ms) != 1 || !strings.Contains(ms[0].Subject, "autre compte") {
			t.Fatalf("the holder was not told of the attempt: %+v", ms)
		}
		if ls, _ := s.ListPostalLetters(ctx, 10); len(ls) != 0 {
			t.Fatalf("a letter was posted for a licence already linked: %+v", ls)
		}
		if _, err := a.MyPoints(ctx, attacker); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the attacker sees points: %v", err)
		}

		// An identity from another provider (not the national one) proves
		// nothing either.
		other, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://autre-fournisseur.test", Subject: "x",
			GivenName: "Camille", FamilyName: "Garnier", Birthdate: "1980-02-03"}, "ua")
		if err != nil {
			t.Fatal(err)
		}
		wantAppErr(t, a.LinkLicence(ctx, citizenOf(other), "800169000001"), apperr.Forbidden, "")

		// An unconfirmed local account cannot even ask for a letter.
		unverified := mustLocalAccount(t, s, a, "pas.confirme@example.net", false)
		_, err = a.RequestLinkCode(ctx, unverified, "800169000001")
		wantAppErr(t, err, apperr.Forbidden, "")
	})
}

// A local account links with the activation code posted to the register's
// address: bound to the account that asked, single use, 30 days; only the
// hash is stored. One account per licence is the database's rule too.
func TestLinkWithPostedCode(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		lid := mustHolder(t, s, "800169000002")
		me := mustLocalAccount(t, s, a, "camille.l@example.fr", true)
		intruder := mustLocalAccount(t, s, a, "intrus@example.net", true)

		sent, err := a.RequestLinkCode(ctx, me, "800169000002")
		if err != nil {
			t.Fatalf("RequestLinkCode: %v", err)
		}
		if want := date.Today(c.Now()).AddDays(30); sent.ValidUntil != want {
			t.Errorf("code valid until %s, want %s", sent.ValidUntil, want)
		}
		ls, err := s.ListPostalLetters(ctx, 10)
		if err != nil || len(ls) != 1 {
			t.Fatalf("letters %+v, %v", ls, err)
		}
		letter := ls[0]
		if letter.Recipient != "Camille Garnier" || letter.Address != "12 rue des Lilas\n69003 Lyon" {
			t.Fatalf("letter to %q at %q, want the register's holder and address", letter.Recipient, letter.Address)
		}
		m := letterCode.FindStringSubmatch(letter.Text)
		if m == nil {
			t.Fatalf("no code in the letter:\n%s", letter.Text)
		}
		code := m[1]
		if strings.Contains(letter.Text, "800169000002") {
			t.Errorf("the letter prints the NEPH")
		}

		// Bound to the account that asked; a wrong code is refused.
		wantAppErr(t, a.LinkWithCode(ctx, intruder, code), apperr.Invalid, "code")
		wantAppErr(t, a.LinkWithCode(ctx, me, "ABCD-EFGH-JKMN"), apperr.Invalid, "code")
		if err := a.LinkWithCode(ctx, me, strings.ToLower(code)); err != nil {
			t.Fatalf("LinkWithCode: %v", err)
		}
		if _, err := a.MyPoints(ctx, me); err != nil {
			t.Fatalf("MyPoints after the code: %v", err)
		}
		// Single use, at the store (the account is linked now anyway).
		if _, err := s.UseLinkCode(ctx, hashOf(code), accountID(t, me), c.Now()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the code worked twice: %v", err)
		}
		// The database keeps one account per licence, whatever the caller.
		if err := s.UpdateUser(ctx, accountID(t, intruder), store.UserPatch{LicenceID: &lid}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second account linked at the store: %v", err)
		}

		// 30 days: a code asked for now no longer works 31 days later.
		mustHolder(t, s, "800169000003")
		late := mustLocalAccount(t, s, a, "tardif@example.fr", true)
		if _, err := a.RequestLinkCode(ctx, late, "800169000003"); err != nil {
			t.Fatal(err)
		}
		ls, _ = s.ListPostalLetters(ctx, 1)
		c.Add(31 * 24 * time.Hour)
		wantAppErr(t, a.LinkWithCode(ctx, late, letterCode.FindStringSubmatch(ls[0].Text)[1]), apperr.Invalid, "code")
	})
}

// A local account whose email is not confirmed sees no licence data, even
// if a link exists (made before this rule).
func TestUnverifiedLocalAccountSeesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		lid := mustHolder(t, s, "800169000004")
		me := mustLocalAccount(t, s, a, "vieux.lien@example.fr", false)
		now := c.Now()
		if err := s.UpdateUser(ctx, accountID(t, me), store.UserPatch{LicenceID: &lid, LinkedAt: &now}); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"points":  second(a.MyPoints(ctx, me)),
			"licence": second(a.MyLicence(ctx, me)),
		} {
			wantAppErr(t, err, apperr.Forbidden, "")
			if !strings.Contains(apperr.As(err).Message, "Confirmez") {
				t.Errorf("%s: %q does not say to confirm the email", name, apperr.As(err).Message)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

// accountID is the account id of a signed-in request.
func accountID(t *testing.T, req app.Request) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(req.Actor.ID, "user:"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// hashOf is how a code is stored.
func hashOf(code string) []byte { return secret.HashToken(secret.NormalizeCode(code)) }
