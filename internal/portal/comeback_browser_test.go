package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/date"
	"permis/internal/exam"
)

// TestComebackInABrowser is issue 14's comeback in Chromium, axe on every
// page: Kévin, whose licence was invalidated (48SI notified, card handed
// in), goes from Mon espace to Mon examen du permis and M'inscrire; the
// form says the measure and that no medical opinion is recorded; filing is
// refused before the end of the 6 months from the hand-in (C. route
// L223-5 II) with the date in JJ/MM/AAAA, nothing written. The
// environment's clock moves past that day: he files; the agent cannot
// accept without a favourable medical opinion (R224-21, R224-22) and says
// so; an approved doctor records it (/medecin, on the licence's NEPH),
// refused first without the psychotechnic test's day (R224-21 al. 2); the
// agent accepts; Kévin reads his licence's NEPH, kept, the tests to take
// (theory only: licence held 3 years or more, a 6-month wait, asked within
// 9 months — R224-20 al. 2) and that the new licence is probationary.
func TestComebackInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 5) // the demo people: Kévin is the 4th
	ctx := context.Background()
	dp, person := e.Person(t, "invalidated")
	l, err := e.Store.FindLicenceByNEPH(ctx, dp.NEPH)
	if err != nil {
		t.Fatal(err)
	}
	titles, err := e.Store.ListTitles(ctx, l.ID)
	if err != nil || len(titles) == 0 {
		t.Fatalf("titles: %v", err)
	}
	handed := titles[0].StateSince // the card surrendered: the receipt's day
	allowed := handed.AddMonths(6)
	kevin := e.Citizen(t, "invalidated", true)

	b.SetCookie(e.URL, kevin.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	if !strings.Contains(b.Text("#comeback-medical"), "aucun avis médical enregistré depuis le "+l.StateSince.French()) {
		t.Fatalf("Mon examen: %q", b.Text("#comeback-medical"))
	}
	checked(b.Follow("#exam-register"), 200)
	if got := b.Text("#comeback-measure"); !strings.Contains(got, "lettre 48SI notifiée le") || !strings.Contains(got, dp.NEPH.String()) {
		t.Fatalf("the form does not say the measure: %q", got)
	}
	b.Fill("#handed_in", handed.French())
	checked(b.Submit("#exam-register-submit"), 422)
	if got := b.Text("#resume-erreurs"); !strings.Contains(got, "vous pourrez vous inscrire à partir du "+allowed.French()) {
		t.Fatalf("before the end of the wait: %q", got)
	}
	if rs, _ := e.Store.ListExamRegistrationsOfUser(ctx, kevin.Account.ID); len(rs) != 0 {
		t.Fatalf("a refusal wrote %+v", rs)
	}

	// The wait is over.
	today := date.Today(e.Clock.Now())
	e.Clock.Add(time.Duration(allowed-today) * 24 * time.Hour)
	kevin = e.Citizen(t, "invalidated", true) // months later: a new session
	b.SetCookie(e.URL, kevin.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	checked(b.Follow("#exam-register"), 200)
	b.Fill("#handed_in", handed.French())
	attachRegistrationDocuments(t, b)
	checked(b.Submit("#exam-register-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/examen?fait=inscription") || !b.Exists("#exam-registrations") {
		t.Fatalf("after filing on %s: %s", date.Today(e.Clock.Now()).French(), b.URL())
	}
	rs, err := e.Store.ListExamRegistrationsOfUser(ctx, kevin.Account.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("registrations %+v, %v", rs, err)
	}
	ref := rs[0].Reference

	// The agent: no favourable medical opinion yet, no acceptance.
	agent := e.Staff(t, access.Agent)
	b.SetCookie(e.URL, agent.Cookie())
	checked(b.Visit(e.URL+"/agents"), 200)
	checked(b.Follow(`a[href="/agents/examens"]`), 200)
	checked(b.Follow("#exam-registrations-link"), 200)
	if !strings.Contains(b.Text("#comeback-medical-"+ref), "aucun avis médical") {
		t.Fatalf("the bureau's card: %q", b.Text("#comeback-"+ref))
	}
	checked(b.Submit("#accept-"+ref), 422)
	if got := b.Text("#resume-erreurs"); !strings.Contains(got, "avis médical favorable") {
		t.Fatalf("accepted without the medical opinion: %q", got)
	}

	// The approved doctor, after the psychotechnic test: fit.
	doctor := e.Doctor(t, "MA-34-R-0001", date.Today(e.Clock.Now()).AddYears(2))
	b.SetCookie(e.URL, doctor.Cookie())
	checked(b.Visit(e.URL+"/medecin"), 200)
	b.Fill("#neph", dp.NEPH.String())
	b.Fill("#birth_date", person.BirthDate.French())
	checked(b.Submit("#patient-submit"), 200)
	b.Click("#outcome-fit")
	checked(b.Submit("#opinion-submit"), 422) // R224-21 al. 2: the psychotechnic test comes first
	if !b.Exists(`#resume-erreurs a[href="#psychotechnic"]`) {
		t.Fatal("the doctor's form does not ask for the psychotechnic test")
	}
	psycho := date.Today(e.Clock.Now()).AddDays(-2)
	b.Fill("#psychotechnic", psycho.French())
	if !b.Exists("#outcome-fit:checked") {
		b.Click("#outcome-fit")
	}
	checked(b.Submit("#opinion-submit"), 200)
	if got := b.Text("#opinion-psychotechnic"); !strings.Contains(got, "passé le") {
		t.Fatalf("the opinion does not name the psychotechnic test: %q", got)
	}

	// The agent accepts.
	b.SetCookie(e.URL, agent.Cookie())
	checked(b.Visit(e.URL+"/agents/examens/inscriptions"), 200)
	if !strings.Contains(b.Text("#comeback-medical-"+ref), "avis médical favorable (Apte)") {
		t.Fatalf("the bureau's card after the opinion: %q", b.Text("#comeback-"+ref))
	}
	if got := b.Text("#tests-" + ref); !strings.Contains(got, "code seulement") || !strings.Contains(got, "probatoire") {
		t.Fatalf("the tests on the bureau's card: %q", got)
	}
	checked(b.Submit("#accept-"+ref), 200)
	if !strings.Contains(b.Text("main"), "Inscription acceptée") {
		t.Fatalf("after acceptance: %s", b.Text("main"))
	}

	// Kévin: his licence's NEPH, the theory test only, a probationary licence.
	b.SetCookie(e.URL, kevin.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	if got := b.Text("#exam-registrations"); !strings.Contains(got, dp.NEPH.String()+" (celui de votre permis, conservé)") {
		t.Fatalf("the NEPH kept: %q", got)
	}
	d := exam.Register(exam.Applicant{Born: person.BirthDate, Category: "B", Filer: exam.ByCandidate,
		Back: &exam.Comeback{Measure: exam.Invalidation, LicenceSince: l.Obtained, Lost: l.StateSince, HandedIn: handed}},
		date.Today(e.Clock.Now()), exam.DefaultConfig())
	if d.Practical {
		t.Fatalf("the demo licence does not give the R224-20 al. 2 path: %+v", d)
	}
	if got := b.Text("#registration-tests-" + ref); !strings.Contains(got, "l'épreuve théorique (code) seulement (article R224-20, alinéa 2") {
		t.Fatalf("the tests to take: %q", got)
	}
	if got := b.Text("#registration-probationary-" + ref); got != "Le permis obtenu sera probatoire." {
		t.Fatalf("probationary: %q", got)
	}
	if !strings.Contains(b.Text("#comeback-medical"), "avis médical favorable") {
		t.Fatalf("Mon examen after the opinion: %q", b.Text("#comeback-medical"))
	}
}
