package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/ical"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// apptNow is the clock of the appointment tests: Monday 1 June 2026, 08:00
// in Paris.
var apptNow = parisTime("2026-06-01 08:00")

func parisTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, date.Paris())
	if err != nil {
		panic(err)
	}
	return t
}

// apptFixture is an application with one help point (agents on duty,
// open weekdays 09:00-12:00 and 14:00-16:00) offering a 30-minute kind.
type apptFixture struct {
	s    *store.Store
	a    *app.App
	ap   *app.Appointments
	c    *clock.Fixed
	hp   booking.HelpPoint
	kind booking.Kind
}

func mustApptFixture(t *testing.T, dsn string, agents int) apptFixture {
	t.Helper()
	c := clock.NewFixed(apptNow)
	s, a := mustOpenPortal(t, dsn, c)
	f := apptFixture{s: s, a: a, ap: a.Appointments(booking.Config{}), c: c}
	f.hp, f.kind = mustBookablePoint(t, s, agents)
	return f
}

// mustBookablePoint records the sub-prefecture of Béziers and a kind it
// offers.
func mustBookablePoint(t testing.TB, s *store.Store, agents int) (booking.HelpPoint, booking.Kind) {
	t.Helper()
	ctx := context.Background()
	hp := booking.HelpPoint{Type: booking.SubPrefecture, Name: "Sous-préfecture de Béziers", Address: "Boulevard Édouard Herriot",
		PostalCode: "34500", Commune: "Béziers", INSEE: "34032", Lat: 43.344, Lon: 3.215, Phone: "04 67 36 60 00",
		Email: "pn-beziers@herault.example.fr", Accessibility: "Accès de plain-pied, boucle magnétique à l'accueil.",
		OpeningHours: "Mo-Fr 09:00-12:00,14:00-16:00; PH off", Agents: agents}
	if err := s.CreateHelpPoint(ctx, &hp); err != nil {
		t.Fatal(err)
	}
	k := booking.Kind{Code: "aide-permis", Label: "Aide à une demande de permis de conduire", Minutes: 30}
	if err := s.CreateKind(ctx, &k); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableKind(ctx, hp.ID, k.ID, true); err != nil {
		t.Fatal(err)
	}
	return hp, k
}

func anonymous(client string) app.Request { return app.Request{RequestID: "r", Client: client} }

func (f apptFixture) booking(start string, name string) app.BookingRequest {
	return app.BookingRequest{HelpPointID: f.hp.ID, KindID: f.kind.ID, Start: parisTime(start),
		Contact: booking.Contact{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.fr"}}
}

// mailTo returns the mails to addr, oldest first, with attachments.
func mailTo(t *testing.T, s *store.Store, addr string) []store.Mail {
	t.Helper()
	ms, err := s.ListMail(context.Background(), store.MailFilter{To: addr})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]store.Mail, len(ms))
	for i, m := range ms {
		full, err := s.FindMail(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[len(ms)-1-i] = full
	}
	return out
}

// tokenIn returns the token of the link with path in the mail's text.
func tokenIn(t *testing.T, m store.Mail, path string) string {
	t.Helper()
	for _, l := range linkRE.FindAllStringSubmatch(m.Text, -1) {
		if strings.HasPrefix(l[1], path) {
			return strings.TrimPrefix(l[1], path)
		}
	}
	t.Fatalf("no %s link in %q", path, m.Text)
	return ""
}

// calendarOf parses the .ics attachment of a mail and returns the values
// of METHOD, UID, SEQUENCE, DTSTART and STATUS.
func calendarOf(t *testing.T, m store.Mail) map[string]string {
	t.Helper()
	if len(m.Attachments) != 1 || !strings.HasPrefix(m.Attachments[0].ContentType, "text/calendar") {
		t.Fatalf("mail %q: attachments %+v, want one calendar", m.Subject, m.Attachments)
	}
	props, err := ical.Parse(m.Attachments[0].Data)
	if err != nil {
		t.Fatalf("mail %q: %v", m.Subject, err)
	}
	out := map[string]string{}
	for _, name := range []string{"METHOD", "UID", "SEQUENCE", "DTSTART", "STATUS", "ATTENDEE", "ORGANIZER", "LOCATION"} {
		comp := "VEVENT"
		if name == "METHOD" {
			comp = "VCALENDAR"
		}
		if p, ok := ical.Find(props, comp, name); ok {
			out[name] = p.Value
		}
	}
	if !strings.HasSuffix(m.Attachments[0].ContentType, "method="+out["METHOD"]) {
		t.Fatalf("content type %q, method %q", m.Attachments[0].ContentType, out["METHOD"])
	}
	return out
}

func auditActions(t *testing.T, s *store.Store, id int64) string {
	t.Helper()
	es, err := s.ListAudit(context.Background(), "appointment", itoa(id))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return strings.Join(out, " ")
}

func TestSlotsSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 2)
		if err := f.s.CreateClosure(ctx, &booking.Closure{HelpPointID: f.hp.ID, From: date.MustParse("2026-06-02"),
			To: date.MustParse("2026-06-02"), Reason: "Formation"}); err != nil {
			t.Fatal(err)
		}
		slots, err := f.ap.Slots(ctx, f.hp.ID, f.kind.ID, date.MustParse("2026-05-25"), date.MustParse("2026-06-03"))
		if err != nil {
			t.Fatal(err)
		}
		// Today from 10:00 (two hours' notice): 4 + 4; the 2nd is closed; the 3rd: 6 + 4.
		if len(slots) != 18 || !slots[0].Start.Equal(parisTime("2026-06-01 10:00")) || slots[0].Free != 2 {
			t.Fatalf("%d slots, first %v", len(slots), slots[0])
		}
		if _, err := f.ap.Book(ctx, anonymous("192.0.2.1"), f.booking("2026-06-03 09:30", "Léa Martin")); err != nil {
			t.Fatal(err)
		}
		slots, _ = f.ap.Slots(ctx, f.hp.ID, f.kind.ID, date.MustParse("2026-06-03"), date.MustParse("2026-06-03"))
		if len(slots) != 10 || slots[1].Free != 1 || slots[0].Free != 2 {
			t.Fatalf("after a booking: %+v", slots[:2])
		}
		// 30 July is day 60 of the horizon, a Thursday: its 10 slots, then none.
		far, _ := f.ap.Slots(ctx, f.hp.ID, f.kind.ID, date.MustParse("2026-07-30"), date.MustParse("2026-08-30"))
		if len(far) != 10 || far[9].Start.Format("01-02") != "07-30" {
			t.Fatalf("%d slots at the end of the horizon: %v", len(far), far)
		}
		other := booking.Kind{Code: "autre", Label: "Autre", Minutes: 30}
		if err := f.s.CreateKind(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Slots(ctx, f.hp.ID, other.ID, date.MustParse("2026-06-03"), date.MustParse("2026-06-03")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("kind not offered: %v", err)
		}
	})
}

func TestBookWithoutAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 1)
		req := anonymous("192.0.2.7")

		bad := f.booking("2026-06-03 09:30", "Léa Martin")
		bad.Email, bad.Phone = "lea@", "12"
		err := func() error { _, err := f.ap.Book(ctx, req, bad); return err }()
		wantAppErr(t, err, apperr.Invalid, "email")
		for _, start := range []string{"2026-06-03 09:10", "2026-06-03 12:00", "2026-06-01 09:00", "2026-08-03 09:00"} {
			_, err := f.ap.Book(ctx, req, f.booking(start, "Léa Martin"))
			wantAppErr(t, err, apperr.Invalid, "start")
		}

		b, err := f.ap.Book(ctx, req, f.booking("2026-06-03 09:30", "Léa Martin"))
		if err != nil {
			t.Fatal(err)
		}
		if !b.Pending || b.Status != booking.Pending || b.HoldUntil == nil || !b.HoldUntil.Equal(apptNow.Add(30*time.Minute)) ||
			b.PersonKey != "email:léa.martin@example.fr" || b.When() != "mercredi 03/06/2026 de 9 h 30 à 10 h 00" {
			t.Fatalf("Book = %+v", b)
		}
		// The seat is held: with one agent, nobody else gets it.
		_, err = f.ap.Book(ctx, anonymous("192.0.2.8"), f.booking("2026-06-03 09:30", "Hugo Petit"))
		wantAppErr(t, err, apperr.Conflict, "")
		if msg := apperr.As(err).Message; !strings.Contains(msg, "vient d'être pris") {
			t.Fatalf("message %q", msg)
		}
		// One upcoming appointment of a kind per person.
		_, err = f.ap.Book(ctx, req, f.booking("2026-06-04 09:30", "Léa Martin"))
		wantAppErr(t, err, apperr.Conflict, "")

		ms := mailTo(t, f.s, "léa.martin@example.fr")
		if len(ms) != 1 || !strings.HasPrefix(ms[0].Subject, "Confirmez votre rendez-vous") || len(ms[0].Attachments) != 0 ||
			!strings.Contains(ms[0].Text, "avant 8 h 30") {
			t.Fatalf("pending mails: %+v", ms)
		}
		token := tokenIn(t, ms[0], app.PathConfirmAppointment)
		f.c.Add(10 * time.Minute)
		v, err := f.ap.Confirm(ctx, req, token)
		if err != nil || v.Status != booking.Confirmed || v.ManageHash == nil {
			t.Fatalf("Confirm = %+v, %v", v, err)
		}
		if _, err := f.ap.Confirm(ctx, req, token); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("second use of the confirmation link: %v", err)
		}
		ms = mailTo(t, f.s, "léa.martin@example.fr")
		if len(ms) != 2 || !strings.Contains(ms[1].Subject, "est confirmé") {
			t.Fatalf("mails: %+v", ms)
		}
		cal := calendarOf(t, ms[1])
		if cal["METHOD"] != "REQUEST" || cal["UID"] != b.UID || cal["SEQUENCE"] != "0" || cal["DTSTART"] != "20260603T093000" ||
			cal["STATUS"] != "CONFIRMED" || cal["ATTENDEE"] != "mailto:léa.martin@example.fr" ||
			cal["ORGANIZER"] != "mailto:ne-pas-repondre@envoi.permis.test" || !strings.Contains(cal["LOCATION"], "34500 Béziers") {
			t.Fatalf("calendar: %v", cal)
		}
		manage := tokenIn(t, ms[1], app.PathManageAppointment)
		if strings.Contains(string(ms[1].Attachments[0].Data), manage) {
			t.Fatal("the calendar file carries the cancel/move link")
		}
		if got, err := f.ap.FindByToken(ctx, manage); err != nil || got.ID != b.ID || got.HelpPoint.ID != f.hp.ID {
			t.Fatalf("FindByToken = %+v, %v", got, err)
		}
		if got := auditActions(t, f.s, b.ID); got != "appointment.book appointment.confirm" {
			t.Fatalf("audit: %s", got)
		}
	})
}

func TestBookWithAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 2)
		verified := apptNow.Add(-time.Hour)
		u := store.User{Role: string(access.Citizen), Email: "camille@example.fr", EmailVerifiedAt: &verified, GivenName: "Camille"}
		if err := f.s.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		req := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + itoa(u.ID), Role: access.Citizen},
			RequestID: "r", Client: "192.0.2.1"}
		in := f.booking("2026-06-08 14:00", "Camille Garnier")
		in.Email = "autre@example.fr" // the account's verified address is used
		b, err := f.ap.Book(ctx, req, in)
		if err != nil {
			t.Fatal(err)
		}
		if b.Pending || b.Status != booking.Confirmed || b.UserID != u.ID || b.PersonKey != "user:"+itoa(u.ID) ||
			b.ReminderDueAt == nil || !b.ReminderDueAt.Equal(parisTime("2026-06-06 14:00")) {
			t.Fatalf("Book = %+v", b)
		}
		ms := mailTo(t, f.s, "camille@example.fr")
		if len(ms) != 1 || calendarOf(t, ms[0])["METHOD"] != "REQUEST" {
			t.Fatalf("mails %+v", ms)
		}
		// Booked less than 48 h ahead: no separate reminder.
		b2, err := f.ap.Book(ctx, anonymous("192.0.2.2"), f.booking("2026-06-02 14:00", "Hugo Petit"))
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.ap.Confirm(ctx, anonymous("192.0.2.2"), tokenIn(t, mailTo(t, f.s, "hugo.petit@example.fr")[0], app.PathConfirmAppointment))
		if err != nil || v.ID != b2.ID || v.ReminderDueAt != nil {
			t.Fatalf("Confirm = %+v, %v", v, err)
		}
	})
}

func TestMoveAndCancelByLink(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 1)
		req := anonymous("192.0.2.7")
		b, err := f.ap.Book(ctx, req, f.booking("2026-06-03 09:30", "Léa Martin"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Confirm(ctx, req, tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[0], app.PathConfirmAppointment)); err != nil {
			t.Fatal(err)
		}
		manage := tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[1], app.PathManageAppointment)
		if _, err := f.ap.Book(ctx, anonymous("192.0.2.8"), f.booking("2026-06-03 10:00", "Hugo Petit")); err != nil {
			t.Fatal(err)
		}

		// Onto a held seat: refused, nothing changes.
		_, err = f.ap.Move(ctx, req, manage, parisTime("2026-06-03 10:00"))
		wantAppErr(t, err, apperr.Conflict, "")
		_, err = f.ap.Move(ctx, req, manage, parisTime("2026-06-03 10:10"))
		wantAppErr(t, err, apperr.Invalid, "start")
		v, err := f.ap.Move(ctx, req, manage, parisTime("2026-06-04 14:30"))
		if err != nil || v.Sequence != 1 || !v.Start.Equal(parisTime("2026-06-04 14:30")) || v.UID != b.UID {
			t.Fatalf("Move = %+v, %v", v, err)
		}
		ms := mailTo(t, f.s, "léa.martin@example.fr")
		cal := calendarOf(t, ms[2])
		if cal["METHOD"] != "REQUEST" || cal["SEQUENCE"] != "1" || cal["DTSTART"] != "20260604T143000" || cal["UID"] != b.UID ||
			!strings.Contains(ms[2].Text, "mercredi 03/06/2026 de 9 h 30 à 10 h 00") {
			t.Fatalf("move mail %q: %v", ms[2].Subject, cal)
		}
		// The old seat is free again.
		if _, err := f.ap.Book(ctx, anonymous("192.0.2.9"), f.booking("2026-06-03 09:30", "Inès Roux")); err != nil {
			t.Fatalf("old slot after the move: %v", err)
		}

		v, err = f.ap.Cancel(ctx, req, manage)
		if err != nil || v.Status != booking.Cancelled || v.Sequence != 2 {
			t.Fatalf("Cancel = %+v, %v", v, err)
		}
		ms = mailTo(t, f.s, "léa.martin@example.fr")
		cal = calendarOf(t, ms[3])
		if cal["METHOD"] != "CANCEL" || cal["SEQUENCE"] != "2" || cal["STATUS"] != "CANCELLED" || cal["UID"] != b.UID {
			t.Fatalf("cancel mail %q: %v", ms[3].Subject, cal)
		}
		_, err = f.ap.Cancel(ctx, req, manage)
		wantAppErr(t, err, apperr.Conflict, "")
		if _, err := f.ap.Cancel(ctx, req, "not-a-token"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		if got := auditActions(t, f.s, b.ID); got != "appointment.book appointment.confirm appointment.move appointment.cancel" {
			t.Fatalf("audit: %s", got)
		}
		// A new booking of the kind is allowed once cancelled.
		if _, err := f.ap.Book(ctx, req, f.booking("2026-06-05 09:00", "Léa Martin")); err != nil {
			t.Fatalf("book after cancelling: %v", err)
		}
	})
}

func TestUnconfirmedBookingExpires(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 1)
		b, err := f.ap.Book(ctx, anonymous("192.0.2.7"), f.booking("2026-06-03 09:30", "Léa Martin"))
		if err != nil {
			t.Fatal(err)
		}
		token := tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[0], app.PathConfirmAppointment)
		if n, err := f.ap.ReleaseExpired(ctx, f.c.Now().Add(29*time.Minute)); n != 0 || err != nil {
			t.Fatalf("ReleaseExpired early = %d, %v", n, err)
		}
		f.c.Add(31 * time.Minute)
		_, err = f.ap.Confirm(ctx, anonymous("192.0.2.7"), token)
		wantAppErr(t, err, apperr.Conflict, "")
		if n, err := f.ap.ReleaseExpired(ctx, f.c.Now()); n != 1 || err != nil {
			t.Fatalf("ReleaseExpired = %d, %v", n, err)
		}
		got, _ := f.s.FindAppointment(ctx, b.ID)
		if got.Status != booking.Expired {
			t.Fatalf("status %s", got.Status)
		}
		if _, err := f.ap.Book(ctx, anonymous("192.0.2.8"), f.booking("2026-06-03 09:30", "Hugo Petit")); err != nil {
			t.Fatalf("slot after expiry: %v", err)
		}
		if n, _ := f.ap.ReleaseExpired(ctx, f.c.Now()); n != 0 {
			t.Fatalf("expired twice: %d", n)
		}
	})
}

func TestFreedSlotGoesToWaitingList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 1)
		req := anonymous("192.0.2.7")
		// Léa holds the 09:30 slot of 3 June.
		if _, err := f.ap.Book(ctx, req, f.booking("2026-06-03 09:30", "Léa Martin")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Confirm(ctx, req, tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[0], app.PathConfirmAppointment)); err != nil {
			t.Fatal(err)
		}
		manage := tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[1], app.PathManageAppointment)
		// Hugo, then Inès, join the waiting list for 2-5 June; Jade for the 4th only.
		join := func(name, from, to string) {
			t.Helper()
			in := f.booking("2026-06-03 09:30", name)
			w, err := f.ap.JoinWaitingList(ctx, anonymous("192.0.2.20"), app.WaitingRequest{HelpPointID: f.hp.ID, KindID: f.kind.ID,
				From: date.MustParse(from), To: date.MustParse(to), Contact: in.Contact})
			if err != nil || w.Status != booking.WaitingUnconfirmed {
				t.Fatalf("JoinWaitingList(%s) = %+v, %v", name, w, err)
			}
			m := mailTo(t, f.s, in.Email)[0]
			if _, err := f.ap.ConfirmWaiting(ctx, anonymous("192.0.2.20"), tokenIn(t, m, app.PathConfirmWaiting)); err != nil {
				t.Fatalf("ConfirmWaiting(%s): %v", name, err)
			}
			f.c.Add(time.Minute)
		}
		join("Jade Blanc", "2026-06-04", "2026-06-04")
		join("Hugo Petit", "2026-06-02", "2026-06-05")
		join("Inès Roux", "2026-06-02", "2026-06-05")
		_, err := f.ap.JoinWaitingList(ctx, anonymous("192.0.2.20"), app.WaitingRequest{HelpPointID: f.hp.ID, KindID: f.kind.ID,
			From: date.MustParse("2026-06-02"), To: date.MustParse("2026-06-05"), Contact: f.booking("2026-06-03 09:30", "Léa Martin").Contact})
		wantAppErr(t, err, apperr.Conflict, "") // Léa already has one

		// Léa cancels: the slot is offered to Hugo (first in line whose days
		// include the 3rd), held two hours; nobody else can book it.
		if _, err := f.ap.Cancel(ctx, req, manage); err != nil {
			t.Fatal(err)
		}
		offer := mailTo(t, f.s, "hugo.petit@example.fr")
		if len(offer) != 2 || !strings.HasPrefix(offer[1].Subject, "Un créneau s'est libéré") || !strings.Contains(offer[1].Text, "jusqu'à 10 h 03") {
			t.Fatalf("Hugo's mails: %+v", offer)
		}
		if ms := mailTo(t, f.s, "jade.blanc@example.fr"); len(ms) != 1 {
			t.Fatalf("Jade got %d mails", len(ms))
		}
		_, err = f.ap.Book(ctx, anonymous("192.0.2.30"), f.booking("2026-06-03 09:30", "Bot Rapide"))
		wantAppErr(t, err, apperr.Conflict, "")
		slots, _ := f.ap.Slots(ctx, f.hp.ID, f.kind.ID, date.MustParse("2026-06-03"), date.MustParse("2026-06-03"))
		if slots[1].Free != 0 {
			t.Fatalf("held slot shows %d free", slots[1].Free)
		}

		// Hugo declines: offered to Inès.
		if err := f.ap.Decline(ctx, anonymous("192.0.2.20"), tokenIn(t, offer[1], app.PathDeclineOffer)); err != nil {
			t.Fatal(err)
		}
		hugo, _ := f.s.ListWaiting(ctx, store.WaitingFilter{PersonKey: "email:hugo.petit@example.fr"})
		if len(hugo) != 1 || hugo[0].Status != booking.Lapsed {
			t.Fatalf("Hugo's entry: %+v", hugo)
		}
		offer = mailTo(t, f.s, "inès.roux@example.fr")
		if len(offer) != 2 {
			t.Fatalf("Inès's mails: %+v", offer)
		}
		// Inès does not answer: the offer lapses at 10:03 + 1 min…, the slot
		// then has nobody left in line for the 3rd, and is free for all.
		f.c.Add(2*time.Hour + time.Minute)
		if n, err := f.ap.ReleaseExpired(ctx, f.c.Now()); n != 1 || err != nil {
			t.Fatalf("ReleaseExpired = %d, %v", n, err)
		}
		ines, _ := f.s.ListWaiting(ctx, store.WaitingFilter{PersonKey: "email:inès.roux@example.fr"})
		if len(ines) != 1 || ines[0].Status != booking.Lapsed {
			t.Fatalf("Inès's entry: %+v", ines)
		}
		if _, err := f.ap.Confirm(ctx, anonymous("192.0.2.20"), tokenIn(t, offer[1], app.PathConfirmAppointment)); err == nil {
			t.Fatal("a lapsed offer was accepted")
		}
		b, err := f.ap.Book(ctx, anonymous("192.0.2.31"), f.booking("2026-06-03 09:30", "Zoé Noir"))
		if err != nil {
			t.Fatalf("slot after the line is exhausted: %v", err)
		}

		// Zoé confirms then cancels: Jade is not free on the 3rd; nobody waits.
		if _, err := f.ap.Confirm(ctx, anonymous("192.0.2.31"), tokenIn(t, mailTo(t, f.s, "zoé.noir@example.fr")[0], app.PathConfirmAppointment)); err != nil {
			t.Fatal(err)
		}
		// A slot on the 4th freed by Zoé moving there then away goes to Jade, who accepts.
		zoe := tokenIn(t, mailTo(t, f.s, "zoé.noir@example.fr")[1], app.PathManageAppointment)
		if _, err := f.ap.Move(ctx, anonymous("192.0.2.31"), zoe, parisTime("2026-06-04 09:00")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Move(ctx, anonymous("192.0.2.31"), zoe, parisTime("2026-06-05 09:00")); err != nil {
			t.Fatal(err)
		}
		jade := mailTo(t, f.s, "jade.blanc@example.fr")
		if len(jade) != 2 {
			t.Fatalf("Jade's mails: %+v", jade)
		}
		v, err := f.ap.Confirm(ctx, anonymous("192.0.2.20"), tokenIn(t, jade[1], app.PathConfirmAppointment))
		if err != nil || v.Status != booking.Confirmed || v.Origin != booking.FromWaitingList || !v.Start.Equal(parisTime("2026-06-04 09:00")) {
			t.Fatalf("Jade accepts: %+v, %v", v, err)
		}
		entries, _ := f.s.ListWaiting(ctx, store.WaitingFilter{PersonKey: "email:jade.blanc@example.fr"})
		if len(entries) != 1 || entries[0].Status != booking.Served || entries[0].AppointmentID != v.ID {
			t.Fatalf("Jade's entry: %+v", entries)
		}
		if got := auditActions(t, f.s, v.ID); got != "appointment.offer appointment.confirm" {
			t.Fatalf("audit of the offered appointment: %s", got)
		}
		_ = b
	})
}

func TestDueRemindersOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 2)
		for _, who := range []string{"Léa Martin", "Hugo Petit"} {
			in := f.booking("2026-06-05 09:00", who)
			if _, err := f.ap.Book(ctx, anonymous("192.0.2.7"), in); err != nil {
				t.Fatal(err)
			}
			if _, err := f.ap.Confirm(ctx, anonymous("192.0.2.7"), tokenIn(t, mailTo(t, f.s, in.Email)[0], app.PathConfirmAppointment)); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := f.ap.DueReminders(ctx, parisTime("2026-06-03 08:59")); n != 0 || err != nil {
			t.Fatalf("before due: %d, %v", n, err)
		}
		// Two instances run the job at the same instant: each reminder once.
		_, a2 := mustOpenPortal(t, dsn, f.c)
		ap2 := a2.Appointments(booking.Config{})
		now := parisTime("2026-06-03 09:01")
		done := make(chan int, 2)
		for _, ap := range []*app.Appointments{f.ap, ap2} {
			go func() {
				n, err := ap.DueReminders(ctx, now)
				if err != nil {
					t.Error(err)
				}
				done <- n
			}()
		}
		if n := <-done + <-done; n != 2 {
			t.Fatalf("%d reminders enqueued, want 2", n)
		}
		if n, _ := f.ap.DueReminders(ctx, now.Add(time.Hour)); n != 0 {
			t.Fatalf("again: %d", n)
		}
		for _, addr := range []string{"léa.martin@example.fr", "hugo.petit@example.fr"} {
			ms := mailTo(t, f.s, addr)
			if len(ms) != 3 || !strings.HasPrefix(ms[2].Subject, "Rappel : votre rendez-vous du vendredi 05/06/2026") {
				t.Fatalf("mails to %s: %+v", addr, ms)
			}
		}
	})
}

func TestAgendaAndAttendance(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := mustApptFixture(t, dsn, 2)
		b, err := f.ap.Book(ctx, anonymous("192.0.2.7"), f.booking("2026-06-03 09:30", "Léa Martin"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Confirm(ctx, anonymous("192.0.2.7"), tokenIn(t, mailTo(t, f.s, "léa.martin@example.fr")[0], app.PathConfirmAppointment)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Book(ctx, anonymous("192.0.2.8"), f.booking("2026-06-04 09:30", "Hugo Petit")); err != nil {
			t.Fatal(err)
		}
		citizen := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:1", Role: access.Citizen}}
		if _, err := f.ap.Agenda(ctx, citizen, f.hp.ID, date.MustParse("2026-06-01"), date.MustParse("2026-06-07")); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("citizen reads the agenda: %v", err)
		}
		day, err := f.ap.Agenda(ctx, agent, f.hp.ID, date.MustParse("2026-06-03"), date.MustParse("2026-06-03"))
		if err != nil || len(day) != 1 || day[0].ID != b.ID {
			t.Fatalf("day agenda = %+v, %v", day, err)
		}
		week, _ := f.ap.Agenda(ctx, agent, f.hp.ID, date.MustParse("2026-06-01"), date.MustParse("2026-06-07"))
		if len(week) != 2 || week[1].Status != booking.Pending {
			t.Fatalf("week agenda = %+v", week)
		}
		_, err = f.ap.SetAttendance(ctx, agent, b.ID, true)
		wantAppErr(t, err, apperr.Conflict, "")
		f.c.Set(parisTime("2026-06-03 09:40"))
		got, err := f.ap.SetAttendance(ctx, agent, b.ID, false)
		if err != nil || got.Status != booking.NoShow {
			t.Fatalf("SetAttendance = %+v, %v", got, err)
		}
		if _, err := f.ap.SetAttendance(ctx, citizen, b.ID, true); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("citizen marks attendance: %v", err)
		}
		if got := auditActions(t, f.s, b.ID); got != "appointment.book appointment.confirm appointment.no_show" {
			t.Fatalf("audit: %s", got)
		}
	})
}
