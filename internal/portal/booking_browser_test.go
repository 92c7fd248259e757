package portal_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"permis/internal/store"
)

// A person without an account books a help-point appointment (where,
// what, when, who), confirms it by the link of the mail, receives the
// .ics, moves it, then cancels it by the link of the confirmation mail.
// Every page is checked with axe-core.
func TestBookingInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	const email = "nadia.benali@example.fr"
	mails := func() []store.Mail {
		ms, err := e.Store.ListMail(ctx, store.MailFilter{To: email})
		if err != nil {
			t.Fatal(err)
		}
		for i := range ms { // with their attachments' data
			if ms[i], err = e.Store.FindMail(ctx, ms[i].ID); err != nil {
				t.Fatal(err)
			}
		}
		return ms // newest first
	}
	link := func(m store.Mail, path string) string {
		t.Helper()
		found := regexp.MustCompile(regexp.QuoteMeta(e.URL+path) + `[A-Za-z0-9_-]+`).FindString(m.Text)
		if found == "" {
			t.Fatalf("no %s link in %q", path, m.Text)
		}
		return found
	}

	if got := b.VisitChecked(t, e.URL+"/rendez-vous"); got != 200 {
		t.Fatalf("where: %d", got)
	}
	checked(b.Follow(`#points a`), 200) // the first help point
	checked(b.Follow(`#kinds a`), 200)  // its first kind
	for range 3 {                       // the first week with a free slot
		if b.Exists(`.permis-slots a`) {
			break
		}
		checked(b.Follow(`#next-week`), 200)
	}
	slotsPage := b.URL()
	// A slot link names its day and time for a screen reader, not only "9 h 30".
	if name := strings.Join(strings.Fields(b.Text(`.permis-slots a`)), " "); !regexp.MustCompile(`^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d\d/\d\d/\d{4} à \d+ h \d\d$`).MatchString(name) {
		t.Errorf("slot link's text %q does not name its date", name)
	}
	checked(b.Follow(`.permis-slots a`), 200)
	when := b.Text(".fr-callout__text strong")
	checked(b.Submit("#book-submit"), 422) // nothing typed: the error summary
	b.Fill("#name", "Nadia Benali")
	b.Fill("#email", email)
	checked(b.Submit("#book-submit"), 200) // post/redirect/get
	if !b.Exists("#pending") || b.Text("#when") != when || !strings.HasSuffix(b.URL(), "/rendez-vous/reserve") {
		t.Fatalf("after booking: pending %v, when %q (chose %q), at %s", b.Exists("#pending"), b.Text("#when"), when, b.URL())
	}
	// Refreshing the page books nothing again.
	if got := b.VisitChecked(t, b.URL()); got != 200 || b.Text("#when") != when {
		t.Fatalf("refreshed booking page: %d", got)
	}

	// Confirmed by the mail's link: a page that restates what, when and
	// where, with a button, then the .ics.
	ms := mails()
	if len(ms) != 1 {
		t.Fatalf("%d mails after booking (and a refresh)", len(ms))
	}
	if got := b.VisitChecked(t, link(ms[0], "/rendez-vous/confirmer/")); got != 200 {
		t.Fatalf("confirm page: %d", got)
	}
	if b.Text("#when") != when || b.Text("#where") == "" || b.Text("#what") == "" {
		t.Errorf("the confirm page does not restate the appointment: %q %q %q", b.Text("#what"), b.Text("#when"), b.Text("#where"))
	}
	checked(b.Submit("#confirm-submit"), 200)
	ms = mails()
	if len(ms) != 2 || len(ms[0].Attachments) != 1 || !strings.Contains(string(ms[0].Attachments[0].Data), "BEGIN:VEVENT") {
		t.Fatalf("confirmation mail: %d mails, newest %+v", len(ms), ms[0].Attachments)
	}
	manage := link(ms[0], "/rendez-vous/gerer/")
	// post/redirect/get: the browser that confirmed lands on the
	// appointment's own page, the one the mail links to, and a refresh
	// confirms nothing again.
	if got := b.URL(); got != manage+"?fait=confirme" {
		t.Errorf("after confirming, the browser is on %q, want %q", got, manage+"?fait=confirme")
	}
	if got := b.Text("main"); !strings.Contains(got, "Rendez-vous confirmé") {
		t.Errorf("no confirmation notice after confirming: %q", got)
	}
	checked(b.Visit(b.URL()), 200)
	if n := len(mails()); n != 2 {
		t.Errorf("refreshing the confirmed page sent %d mails, want still 2", n)
	}

	// Moved to another slot, then cancelled.
	if got := b.VisitChecked(t, manage); got != 200 {
		t.Fatalf("manage page: %d", got)
	}
	b.Click(`#debut .fr-radio-group label`)
	checked(b.Submit("#move-submit"), 200)
	if got := b.URL(); got != manage+"?fait=deplace" {
		t.Errorf("after moving, the browser is on %q, want the management page (post/redirect/get)", got)
	}
	if got := b.Text("#when"); got == when {
		t.Errorf("the appointment did not move from %q", when)
	}
	if ms = mails(); len(ms) != 3 || !strings.Contains(string(ms[0].Attachments[0].Data), "SEQUENCE:1") {
		t.Fatalf("after the move: %d mails", len(ms))
	}
	checked(b.Submit("#cancel-submit"), 200)
	if got := b.URL(); got != manage+"?fait=annule" {
		t.Errorf("after cancelling, the browser is on %q, want the management page (post/redirect/get)", got)
	}
	if got := b.Text("#state"); got != "Annulé" {
		t.Errorf("state after cancelling %q", got)
	}
	if ms = mails(); len(ms) != 4 || !strings.Contains(string(ms[0].Attachments[0].Data), "METHOD:CANCEL") {
		t.Fatalf("after the cancellation: %d mails", len(ms))
	}

	// The waiting list: join from the slots page, confirm by mail, leave.
	b.VisitChecked(t, slotsPage)
	checked(b.Follow("#waiting-link"), 200)
	b.Fill("#name", "Nadia Benali")
	b.Fill("#email", email)
	checked(b.Submit("#waiting-submit"), 201)
	if !b.Exists("#joined") {
		t.Fatal("no confirmation of the waiting-list registration")
	}
	ms = mails()
	if got := b.VisitChecked(t, link(ms[0], "/liste-attente/confirmer/")); got != 200 {
		t.Fatalf("waiting confirm page: %d", got)
	}
	checked(b.Submit("#waiting-confirm"), 200)
	if got := b.VisitChecked(t, link(ms[0], "/liste-attente/se-retirer/")); got != 200 {
		t.Fatalf("waiting leave page: %d", got)
	}
	checked(b.Submit("#waiting-leave"), 200)
	if got := b.Text("h1"); got != "Vous avez quitté la liste d'attente" {
		t.Errorf("after leaving: %q", got)
	}
}
