package app_test

import (
	"context"
	"slices"
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
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// noon returns midday UTC on day d: the same legal day in Paris.
func noon(d string) time.Time {
	return date.MustParse(d).Time().Add(12 * time.Hour)
}

// mustOpen returns a fresh store and the application over it, both on c.
func mustOpen(t *testing.T, dsn string, c *clock.Fixed) (*store.Store, *app.App) {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	a := app.New(app.Config{Store: s, Clock: c})
	t.Cleanup(func() { a.Close() })
	return s, a
}

// offence is a points offence with its two dates.
func offence(id, committed, established string, pts int, class points.Class, occasion string) points.Offence {
	return points.Offence{ID: id, Committed: date.MustParse(committed), Established: date.MustParse(established),
		Points: pts, Class: class, Occasion: occasion}
}

// mustCreateLicence records a holder and a licence past its probation,
// with offs in its ledger, and returns the licence id.
func mustCreateLicence(t *testing.T, s *store.Store, neph string, offs ...points.Offence) int64 {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Garnier", GivenNames: []string{"Camille"}, BirthDate: date.MustParse("1980-02-03"),
		BirthPlace: "Lyon", BirthCountry: "FR", Sex: licence.SexFemale}
	if err := s.CreatePerson(ctx, &p); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2000-06-01"),
		Probation: points.ProbationNone, Departement: "69", State: licence.StateValid, StateSince: date.MustParse("2000-06-01"),
		Categories:   []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2000-06-01")}},
		Restrictions: []licence.Restriction{{Code: "01.01"}}}
	if err := s.CreateLicence(ctx, &l); err != nil {
		t.Fatalf("CreateLicence: %v", err)
	}
	if len(offs) > 0 {
		evs := make([]store.PointEvent, len(offs))
		for i := range offs {
			evs[i] = store.PointEvent{LicenceID: l.ID, Offence: &offs[i]}
		}
		if err := s.AddPointEvents(ctx, evs); err != nil {
			t.Fatalf("AddPointEvents: %v", err)
		}
	}
	return l.ID
}

var agent = app.Request{Actor: access.Actor{Kind: access.KindToken, ID: "7", Name: "test", Role: access.Agent}, RequestID: "req-1", Reason: "contrôle"}

// wantAppErr fails unless err carries code, a message for people, and,
// when field is not "", a problem on that field.
func wantAppErr(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error %v, want code %s", err, code)
	}
	e := apperr.As(err)
	if e.Message == "" {
		t.Fatalf("error %v has no message", err)
	}
	if field != "" && e.Fields[field] == "" {
		t.Fatalf("error %v: fields %v, want a problem on %q", err, e.Fields, field)
	}
}

func TestPointsFollowTheClock(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		c := clock.NewFixed(noon("2025-03-14"))
		s, a := mustOpen(t, dsn, c)
		mustCreateLicence(t, s, "000334100001", offence("AF1", "2024-01-05", "2024-02-01", 3, points.Class4, ""))
		ctx := context.Background()
		for _, tc := range []struct {
			day     string
			balance int
		}{
			{"2025-03-14", 9},
			{"2027-01-31", 9},  // the day before the 3-year recovery (class 4)
			{"2027-02-01", 12}, // on the day it ends, the points are back
			{"2030-01-01", 12},
		} {
			c.Set(noon(tc.day))
			v, err := a.Points(ctx, agent, "000334100001")
			if err != nil {
				t.Fatalf("%s: Points: %v", tc.day, err)
			}
			if v.At != date.MustParse(tc.day) || v.Balance != tc.balance || v.Ceiling != 12 || !v.Valid {
				t.Fatalf("%s: %+v, want balance %d of 12 at %s", tc.day, v, tc.balance, tc.day)
			}
		}
		audit, err := s.ListAudit(ctx, "licence", "000334100001")
		if err != nil {
			t.Fatalf("ListAudit: %v", err)
		}
		if len(audit) != 4 {
			t.Fatalf("%d audit entries, want one per read (4)", len(audit))
		}
		e := audit[0]
		if e.Actor != "7" || e.ActorRole != "agent" || e.Action != "points.read" || e.RequestID != "req-1" || e.Reason != "contrôle" {
			t.Fatalf("audit entry %+v", e)
		}
	})
}

// The audit entry of a read is queued before the read (its commit overlaps
// the read): an agent's read of a NEPH the register does not hold leaves
// the entry of the attempt, and answers not found.
func TestReadOfAnUnknownNEPHIsAuditedAsAnAttempt(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, a := mustOpen(t, dsn, clock.NewFixed(noon("2025-03-14")))
		ctx := context.Background()
		if _, err := a.Points(ctx, agent, "000334100077"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Points of an unknown NEPH: %v, want not found", err)
		}
		if _, err := a.Licence(ctx, agent, "000334100077"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Licence of an unknown NEPH: %v, want not found", err)
		}
		a.Close() // flushes what was queued and not waited for
		entries, err := s.ListAudit(ctx, "licence", "000334100077")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action)
		}
		if strings.Join(got, ",") != "points.read,licence.read" && strings.Join(got, ",") != "licence.read,points.read" {
			t.Fatalf("audit entries %v, want the two attempts", got)
		}
	})
}

func TestLicenceView(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		c := clock.NewFixed(noon("2025-03-14"))
		s, a := mustOpen(t, dsn, c)
		mustCreateLicence(t, s, "000334100002")
		v, err := a.Licence(context.Background(), agent, "0003-3410-0002")
		if err != nil {
			t.Fatalf("Licence: %v", err)
		}
		if v.NEPH != "000334100002" || v.Holder.FamilyName != "Garnier" || strings.Join(v.Holder.GivenNames, " ") != "Camille" ||
			v.Departement != "69" || v.State != licence.StateValid || len(v.Categories) != 1 || !v.Categories[0].ValidToday ||
			len(v.Restrictions) != 1 || v.Restrictions[0].Label == "" || len(v.Titles) != 0 {
			t.Fatalf("Licence = %+v", v)
		}
	})
}

func TestReadRefusals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, a := mustOpen(t, dsn, clock.NewFixed(noon("2025-03-14")))
		mustCreateLicence(t, s, "000334100003")
		ctx := context.Background()
		type tc struct {
			name  string
			req   app.Request
			neph  string
			code  apperr.Code
			field string
			msg   string
		}
		cases := []tc{
			{"nobody", app.Request{}, "000334100003", apperr.Unauthenticated, "", "Authentification requise."},
			{"nobody, malformed neph", app.Request{}, "x", apperr.Unauthenticated, "", "Authentification requise."},
			{"malformed neph", agent, "12AB", apperr.Invalid, "neph", ""},
			{"too short", agent, "123", apperr.Invalid, "neph", ""},
			{"unknown", agent, "999999999999", apperr.NotFound, "", "Permis de conduire introuvable."},
		}
		// Written out, not taken from app.RecordReaders (the code under
		// test): only agents, help desk agents and the prosecutor's officers
		// read records (§11.3); every other role is refused.
		readers := []access.Role{access.Agent, access.Helpdesk, access.Prosecutor}
		for _, r := range access.Roles() {
			if !slices.Contains(readers, r) {
				cases = append(cases, tc{"role " + string(r), app.Request{Actor: access.Actor{Kind: access.KindToken, ID: "1", Role: r}},
					"000334100003", apperr.Forbidden, "", "Votre rôle ne permet pas de consulter les dossiers de permis."})
			}
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := a.Licence(ctx, c.req, c.neph)
				wantAppErr(t, err, c.code, c.field)
				_, perr := a.Points(ctx, c.req, c.neph)
				wantAppErr(t, perr, c.code, c.field)
				if c.msg != "" && (apperr.As(err).Message != c.msg || apperr.As(perr).Message != c.msg) {
					t.Fatalf("messages %q / %q, want %q", apperr.As(err).Message, apperr.As(perr).Message, c.msg)
				}
			})
		}
		audit, err := s.ListAudit(ctx, "licence", "000334100003")
		if err != nil || len(audit) != 0 {
			t.Fatalf("refused reads left %d audit entries (%v)", len(audit), err)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		_, a := mustOpen(t, dsn, clock.NewFixed(noon("2025-03-14")))
		ctx := context.Background()
		for _, tc := range []struct {
			name, tokenName string
			role            access.Role
			field           string
		}{
			{"empty name", "", access.Agent, "name"},
			{"blank name", "   ", access.Agent, "name"},
			{"unknown role", "x", access.Role("pilot"), "role"},
			{"empty role", "x", "", "role"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tok, err := a.CreateToken(ctx, tc.tokenName, tc.role)
				if tok != "" {
					t.Fatalf("CreateToken returned %q with an error", tok)
				}
				wantAppErr(t, err, apperr.Invalid, tc.field)
			})
		}

		plain, err := a.CreateToken(ctx, "  guichet Lyon ", access.Helpdesk)
		if err != nil || !access.WellFormedToken(plain) {
			t.Fatalf("CreateToken = %q, %v", plain, err)
		}
		actor, err := a.AuthenticateToken(ctx, plain)
		if err != nil || actor.Role != access.Helpdesk || actor.Name != "guichet Lyon" || actor.Kind != access.KindToken || actor.ID == "" {
			t.Fatalf("AuthenticateToken = %+v, %v", actor, err)
		}
		unknown, _, _ := access.NewToken()
		for _, tc := range []struct{ name, token string }{
			{"empty", ""},
			{"malformed", "abc"},
			{"wrong prefix", "xyz_" + plain[4:]},
			{"truncated", plain[:len(plain)-1]},
			{"unknown", unknown},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := a.AuthenticateToken(ctx, tc.token)
				wantAppErr(t, err, apperr.Unauthenticated, "")
			})
		}

		id := mustParseID(t, actor.ID)
		if err := a.RevokeToken(ctx, id); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		_, err = a.AuthenticateToken(ctx, plain) // the same app: its cache is forgotten
		wantAppErr(t, err, apperr.Unauthenticated, "")
		wantAppErr(t, a.RevokeToken(ctx, id+1000), apperr.NotFound, "")
	})
}

func mustParseID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("actor id %q is not a token id: %v", s, err)
	}
	return n
}

func TestReevaluate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, a := mustOpen(t, dsn, clock.NewFixed(noon("2025-03-14")))
		ctx := context.Background()
		ids := map[string]int64{
			"nine": mustCreateLicence(t, s, "000334100004", offence("A1", "2024-01-05", "2024-02-01", 3, points.Class4, "")),
			"zero": mustCreateLicence(t, s, "000334100005",
				offence("B1", "2024-03-01", "2024-04-01", 6, points.Delit, ""),
				offence("B2", "2024-05-01", "2024-06-01", 6, points.Delit, "")),
			"clean": mustCreateLicence(t, s, "000334100006"),
		}
		var progress []int64
		sum, err := a.Reevaluate(ctx, false, func(done, total int64) {
			if total != 3 {
				t.Errorf("progress total %d, want 3", total)
			}
			progress = append(progress, done)
		})
		if err != nil {
			t.Fatalf("Reevaluate: %v", err)
		}
		if sum.On != "2025-03-14" || sum.Licences != 3 || sum.Invalid != 1 || sum.WithChanges != 1 || sum.Refused != 0 {
			t.Fatalf("summary %+v, want 3 licences on 2025-03-14, 1 invalid, 1 with a recovery to come", sum)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 3 {
			t.Fatalf("progress %v, want it to end at 3", progress)
		}
		for name, want := range map[string]store.Snapshot{
			"nine":  {Balance: 9, Ceiling: 12, Valid: true, NextChange: date.Some(date.MustParse("2027-02-01"))},
			"zero":  {Balance: 0, Ceiling: 12, Valid: false},
			"clean": {Balance: 12, Ceiling: 12, Valid: true},
		} {
			got, err := s.FindSnapshot(ctx, ids[name])
			if err != nil {
				t.Fatalf("%s: FindSnapshot: %v", name, err)
			}
			want.LicenceID, want.EvaluatedOn = ids[name], date.MustParse("2025-03-14")
			if got != want {
				t.Errorf("%s: snapshot %+v, want %+v", name, got, want)
			}
		}
	})
}
