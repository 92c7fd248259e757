package exams_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/exams"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/requests"
	"permis/internal/store"
)

// now is Monday 7 December 2026, 10:00 in Paris.
var now = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

type fixture struct {
	a      *app.App
	s      *store.Store
	c      *clock.Fixed
	svc    *exams.Service
	agent  app.Request
	centre store.ExamCentre
	// n numbers the records a test makes; doctorID is the approved
	// doctor of the medical opinions, created on first use.
	n, doctorID int64
}

func user(id int64, role access.Role) app.Request {
	return app.Request{Actor: access.Actor{Kind: access.KindUser, ID: fmt.Sprintf("user:%d", id), Role: role}}
}

// mustOpen opens one instance (a store and an app) on dsn.
func mustOpen(t *testing.T, dsn string, c *clock.Fixed) (*store.Store, *exams.Service) {
	s, _, svc := mustOpenApp(t, dsn, c)
	return s, svc
}

// mustOpenApp is mustOpen with the application.
func mustOpenApp(t *testing.T, dsn string, c *clock.Fixed) (*store.Store, *app.App, *exams.Service) {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	fs, err := files.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: s, Clock: c, Files: fs})
	t.Cleanup(func() { a.Close() })
	return s, a, exams.New(a.Kernel(), exam.DefaultConfig())
}

func newFixture(t *testing.T, dsn string) *fixture {
	t.Helper()
	c := clock.NewFixed(now)
	s, a, svc := mustOpenApp(t, dsn, c)
	ctx := context.Background()
	ag := store.User{Role: string(access.Agent), Email: "ber@herault.example.fr"}
	if err := s.CreateUser(ctx, &ag); err != nil {
		t.Fatal(err)
	}
	centre := store.ExamCentre{Code: "34-LATTES", Name: "Centre d'examen de Lattes", Departement: "34", Address: "Rue de la Castelle, Lattes"}
	if err := s.CreateExamCentre(ctx, &centre); err != nil {
		t.Fatal(err)
	}
	return &fixture{a: a, s: s, c: c, svc: svc, agent: user(ag.ID, access.Agent), centre: centre}
}

// mustTheoryPass has an approved operator report a theory pass of neph on
// day through the operators' path (RecordTheoryResult).
func (f *fixture) mustTheoryPass(t *testing.T, neph, day string) {
	t.Helper()
	ctx := context.Background()
	op := store.User{Role: string(access.ExamOperator), Email: "op-" + neph + "@code.fr"}
	if err := f.s.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RecordTheoryResult(ctx, user(op.ID, access.ExamOperator),
		exams.TheoryReport{NEPH: neph, Date: day, Result: "pass"}); err != nil {
		t.Fatalf("theory pass of %s on %s: %v", neph, day, err)
	}
}

// mustCandidate records a candidate's file (NEPH), their account linked to
// it, and a theory pass on passed ("" for none).
func (f *fixture) mustCandidate(t *testing.T, i int, passed string) (app.Request, string) {
	t.Helper()
	return f.mustFile(t, i, passed, true)
}

// mustFile is mustCandidate; registered says whether the account has an
// accepted registration for B under the licence's NEPH.
func (f *fixture) mustFile(t *testing.T, i int, passed string, registered bool) (app.Request, string) {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: fmt.Sprintf("Candidat%d", i), GivenNames: []string{"Léa"}, BirthDate: date.MustParse("2006-04-02"),
		BirthPlace: "Montpellier", BirthCountry: "FR", Sex: licence.SexFemale}
	if err := f.s.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	neph := fmt.Sprintf("2612341%05d", i)
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2024-06-01"), Probation: points.ProbationNone,
		Departement: "34", State: licence.StateValid, StateSince: date.MustParse("2024-06-01"),
		Categories: []licence.CategoryEntry{{Category: "AM", Obtained: date.MustParse("2024-06-01")}}}
	if err := f.s.CreateLicence(ctx, &l); err != nil {
		t.Fatal(err)
	}
	u := store.User{Role: string(access.Citizen), Email: fmt.Sprintf("candidat%d@example.fr", i), OIDCSubject: fmt.Sprintf("fc-%d", i)}
	if err := f.s.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &l.ID}); err != nil {
		t.Fatal(err)
	}
	if registered {
		f.mustRegistered(t, u.ID, neph, l.ID)
	}
	if passed != "" {
		op := store.User{Role: string(access.ExamOperator), Email: fmt.Sprintf("op%d@code.fr", i)}
		if err := f.s.CreateUser(ctx, &op); err != nil {
			t.Fatal(err)
		}
		r := store.TheoryResult{Reference: fmt.Sprintf("ETG-T%07d", i), NEPH: l.NEPH, TakenOn: date.MustParse(passed), Passed: true, OperatorID: op.ID}
		if err := f.s.CreateTheoryResult(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	return user(u.ID, access.Citizen), neph
}

// mustRegistered records the account's registration for category B,
// accepted under neph (the licence's NEPH when licenceID is not 0).
func (f *fixture) mustRegistered(t *testing.T, userID int64, neph string, licenceID int64) {
	t.Helper()
	ctx := context.Background()
	r := store.ExamRegistration{Reference: fmt.Sprintf("INS-U%07d", userID), UserID: userID, Category: "B", Details: "{}",
		FiledOn: date.MustParse("2026-09-01")}
	if err := f.s.CreateExamRegistration(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AcceptExamRegistration(ctx, r.ID, neph, licenceID); err != nil {
		t.Fatal(err)
	}
}

// mustPublish publishes places of the centre on day (half am) opening at opens.
func (f *fixture) mustPublish(t *testing.T, day string, places int, opens time.Time) store.ExamRelease {
	t.Helper()
	r, err := f.svc.Publish(context.Background(), f.agent, exams.PublishInput{CentreID: f.centre.ID, Day: date.MustParse(day),
		Half: "am", Category: licence.CategoryB, Places: places, OpensAt: opens})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return r
}

func (f *fixture) slot(day string) store.ExamSlot {
	return store.ExamSlot{CentreID: f.centre.ID, Day: date.MustParse(day), Half: "am", Category: "B"}
}

// libre is a candidat libre's declarations that the rules accept.
func libre(slot store.ExamSlot) exams.BookInput {
	return exams.BookInput{Slot: slot, DualControl: true,
		Companion: &exams.Companion{FamilyName: "Durand", GivenNames: "Marc", LicenceBSince: date.MustParse("1995-03-01"), LinkSworn: true}}
}

type (
	appRequest   = app.Request
	examsService = exams.Service
)

// pdfOf is a small PDF whose content names what it is.
func pdfOf(what string) io.Reader { return strings.NewReader("%PDF-1.4\n% " + what + "\n%%EOF\n") }

// withDocuments is in with a file for every document a registration form
// offers and the paper photo form: what the rules need is kept.
func withDocuments(in exams.RegisterInput) exams.RegisterInput {
	in.PaperPhoto = true
	in.Documents = map[requests.Document]exams.Upload{}
	for _, d := range append(exams.FormDocuments(true, false), exams.FormDocuments(false, true)...) {
		in.Documents[d.Doc] = exams.Upload{Name: string(d.Doc) + ".pdf", Body: pdfOf(string(d.Doc))}
	}
	return in
}

// mustSchoolMandate creates the driving school « Auto-école du Lez » and
// records its mandate for Léa Martin (born 2008-03-01, lea@example.fr),
// whose given names are given: the school's request and the mandate.
func (f *fixture) mustSchoolMandate(t *testing.T, givenNames string) (app.Request, store.Mandate) {
	t.Helper()
	ctx := context.Background()
	school := store.User{Role: string(access.DrivingSchool), Email: "ecole@conduite.fr", Organisation: "Auto-école du Lez"}
	if err := f.s.CreateUser(ctx, &school); err != nil {
		t.Fatal(err)
	}
	sr := user(school.ID, access.DrivingSchool)
	m, err := f.a.RecordMandate(ctx, sr, app.MandateInput{FamilyName: "Martin", GivenNames: givenNames, BirthDate: date.MustParse("2008-03-01"),
		Email: "lea@example.fr", Reference: "M-2026-1", SignedOn: date.MustParse("2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	return sr, m
}
