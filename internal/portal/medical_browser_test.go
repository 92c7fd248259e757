package portal_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store"
)

// The journeys in a browser, each page checked with axe-core:
//   - after a 4-month drink-driving suspension the visitor is sent to the
//     commission and its booking page, books a seat there and confirms it
//     from the mail, and is on the commission's list, where a commission
//     doctor opens the file and records « apte temporaire (1 an) » as the
//     commission with the second doctor;
//   - a doctor records an opinion for a heavy-category renewal and the
//     holder's request shows it; the agent records the préfet's decision;
//   - a doctor whose approval lapsed is refused.
func TestMedicalJourneysInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 5)
	ctx := context.Background()
	med := medicalapp.New(e.App)
	if err := med.SeedCommission(ctx); err != nil {
		t.Fatal(err)
	}
	hp, k, err := med.Commission(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The visitor's answer, then the commission's booking page.
	checked(b.VisitChecked(t, e.URL+"/visite-medicale?motif=suspension&cause=alcohol&duree=4&avis=aucun"), 200)
	checked(b.Follow("#medical-next-step"), 200)
	if !strings.Contains(b.URL(), "/rendez-vous/"+strconv.FormatInt(hp.ID, 10)+"/"+k.Code) {
		t.Fatalf("next step leads to %s", b.URL())
	}

	// Camille books a seat at the commission from that page, by clicking,
	// and confirms it from the mail's link, like any booking.
	dp, person := e.Person(t, "48m")
	holder := e.Citizen(t, "48m", true)
	for range 5 { // the first week with a free seat
		if b.Exists(`.permis-slots a`) {
			break
		}
		checked(b.Follow(`#next-week`), 200)
	}
	checked(b.Follow(`.permis-slots a`), 200)
	b.Fill("#name", "Camille Garnier")
	b.Fill("#email", holder.Account.Email)
	checked(b.Submit("#book-submit"), 200)
	if !b.Exists("#pending") {
		t.Fatalf("the commission's seat is not booked: %q", b.Text("main"))
	}
	ms, err := e.Store.ListMail(ctx, store.MailFilter{To: holder.Account.Email})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no confirmation mail: %v", err)
	}
	confirm := regexp.MustCompile(regexp.QuoteMeta(e.URL+"/rendez-vous/confirmer/") + `[A-Za-z0-9_-]+`).FindString(ms[0].Text)
	if confirm == "" {
		t.Fatalf("no confirmation link in %q", ms[0].Text)
	}
	checked(b.VisitChecked(t, confirm), 200)
	checked(b.Submit("#confirm-submit"), 200)
	aps, err := e.Store.ListAppointments(ctx, store.AppointmentFilter{HelpPointID: hp.ID, Statuses: []booking.Status{booking.Confirmed}})
	if err != nil || len(aps) != 1 {
		t.Fatalf("confirmed commission appointments: %d, %v", len(aps), err)
	}
	booked := aps[0]

	// The commission's doctor: the day's list, the file, the opinion.
	doctor := e.Doctor(t, "MA-34-B-0001", e.Today.AddYears(2))
	e.Doctor(t, "MA-34-B-0002", e.Today.AddYears(2))
	b.SetCookie(e.URL, doctor.Cookie())
	checked(b.Visit(e.URL+"/medecin"), 200)
	checked(b.Follow("#commission-link"), 200)
	day := date.FromTime(booked.Start.In(date.Paris()))
	b.Fill("#jour", day.French())
	checked(b.Submit("#commission-day-submit"), 200)
	if !strings.Contains(b.Text("#commission-list"), "Camille Garnier") {
		t.Fatal("Camille is not on the session's list")
	}
	checked(b.Visit(e.URL+"/medecin"), 200)
	b.Fill("#neph", dp.NEPH.String())
	b.Fill("#birth_date", person.BirthDate.French())
	checked(b.Submit("#patient-submit"), 200)
	b.Click("#outcome-fit_limited")
	b.Fill("#until", e.Today.AddYears(1).French())
	b.Click("#commission")
	b.Fill("#second_approval", "MA-34-B-0002")
	checked(b.Submit("#opinion-submit"), 200)
	if got := b.Text("#opinion-outcome"); !strings.Contains(got, "Apte temporaire") || !strings.Contains(got, e.Today.AddYears(1).French()) {
		t.Fatalf("outcome %q", got)
	}

	// A heavy-category renewal: the opinion joins the holder's draft.
	karim := e.Citizen(t, "heavy", true)
	draft, err := e.App.StartRequest(ctx, karim.Request, app.StartInput{Kind: string(requests.MedicalRenewal)})
	if err != nil {
		t.Fatal(err)
	}
	kdp, kperson := e.Person(t, "heavy")
	checked(b.Visit(e.URL+"/medecin"), 200)
	b.Fill("#neph", kdp.NEPH.String())
	b.Fill("#birth_date", kperson.BirthDate.French())
	checked(b.Submit("#patient-submit"), 200)
	if !strings.Contains(b.Text("#patient-request"), draft.Reference) {
		t.Fatal("the renewal draft is not announced")
	}
	b.Click("#outcome-fit")
	checked(b.Submit("#opinion-submit"), 200)
	if !strings.Contains(b.Text("#opinion-request"), draft.Reference) {
		t.Fatal("the opinion did not join the request")
	}
	b.SetCookie(e.URL, karim.Cookie())
	checked(b.Visit(e.URL+"/mes-demarches/"+strconv.FormatInt(draft.ID, 10)+"/etape/"+requests.DocMedicalOpinion.Slug()), 200)
	if !strings.Contains(b.Text("#document-given"), "Avis médical électronique") {
		t.Fatal("the request does not show the opinion")
	}
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-opinions"), 200)

	// The agent records the préfet's decision on Karim's opinion.
	agent := e.Staff(t, access.Agent)
	b.SetCookie(e.URL, agent.Cookie())
	checked(b.Visit(e.URL+"/agents/avis-medicaux"), 200)
	ops, err := e.Store.ListMedicalOpinionsOfRequest(ctx, draft.ID)
	if err != nil || len(ops) != 1 {
		t.Fatalf("opinions: %v", err)
	}
	b.Click("#follow-" + ops[0].Reference)
	checked(b.Submit("#decide-"+ops[0].Reference), 200)
	if !b.Exists(".fr-alert--success") {
		t.Fatal("no confirmation of the decision")
	}

	// A lapsed approval: refused, with the reason.
	lapsed := e.Doctor(t, "MA-34-B-0009", e.Today.AddDays(-1))
	b.SetCookie(e.URL, lapsed.Cookie())
	checked(b.Visit(e.URL+"/medecin"), 403)
	if !strings.Contains(b.Text("main"), "agrément") {
		t.Error("the refusal does not name the approval")
	}
}
