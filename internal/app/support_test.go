package app_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/files"
	"permis/internal/store"
	"permis/internal/store/storetest"
	"permis/internal/support"
)

func TestFaultReportsAndTriage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, err := store.Open(ctx, dsn, store.Options{Clock: c})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		dir := t.TempDir()
		fstore, err := files.NewDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		a := app.New(app.Config{Store: s, Clock: c, Passwords: cheap, Files: fstore, PublicURL: "https://permis.test"})
		defer a.Close()
		visitor := app.Request{Client: "203.0.113.9"}
		count := func() int {
			ts, err := s.ListTickets(ctx, store.TicketFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(ts)
		}

		// Refused: nothing is kept.
		_, err = a.ReportFault(ctx, visitor, support.Report{Procedure: "nope", Email: "x"}, nil)
		e := apperr.As(err)
		if e.Code != apperr.Invalid || e.Fields["procedure"] == "" || e.Fields["summary"] == "" || e.Fields["email"] == "" {
			t.Fatalf("empty report: %+v", e)
		}
		good := support.Report{Procedure: "documents", Summary: "Le relevé ne se télécharge pas",
			Details: "Après le clic sur Télécharger, une page blanche.", Email: "Lea.Martin@Example.fr"}
		_, err = a.ReportFault(ctx, visitor, good, &app.Upload{Name: "capture.png", Body: strings.NewReader("not an image")})
		wantAppErr(t, err, apperr.Invalid, "screenshot")
		if n := count(); n != 0 {
			t.Fatalf("%d tickets after refusals", n)
		}

		tk, err := a.ReportFault(ctx, visitor, good, &app.Upload{Name: "capture.png", Body: strings.NewReader("\x89PNG\r\n\x1a\nimage")})
		if err != nil || !strings.HasPrefix(tk.Reference, "SIG-") || tk.Email != "lea.martin@example.fr" {
			t.Fatalf("report: %+v %v", tk, err)
		}
		ms, _ := s.ListMail(ctx, store.MailFilter{To: "lea.martin@example.fr"})
		if len(ms) != 1 || !strings.Contains(ms[0].Subject, tk.Reference) {
			t.Fatalf("receipt: %+v", ms)
		}

		// The support staff only.
		if _, err := a.Tickets(ctx, app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:999", Role: access.Citizen}}, store.TicketFilter{}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a citizen lists tickets: %v", err)
		}
		id, err := a.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{Role: access.Helpdesk,
			Email: "assistance@prefecture.test", Password: "une phrase de passe assez longue", GivenName: "Inès", FamilyName: "Roux"})
		if err != nil {
			t.Fatal(err)
		}
		staff := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + itoa(id), Role: access.Helpdesk}, RequestID: "r"}
		queue, err := a.Tickets(ctx, staff, store.TicketFilter{Statuses: []string{support.StatusNew}})
		if err != nil || len(queue) != 1 {
			t.Fatalf("queue %+v %v", queue, err)
		}
		v, err := a.Ticket(ctx, staff, tk.ID)
		if err != nil || len(v.Files) != 1 || v.Files[0].ContentType != files.PNG {
			t.Fatalf("ticket %+v %v", v, err)
		}
		_, rc, err := a.TicketFile(ctx, staff, tk.ID, v.Files[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !strings.HasSuffix(string(b), "image") {
			t.Fatalf("file %q", b)
		}
		if err := a.TakeTicket(ctx, staff, tk.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.ReplyTicket(ctx, staff, tk.ID, "Note : reproduit avec Firefox.", true); err != nil {
			t.Fatal(err)
		}
		if err := a.ReplyTicket(ctx, staff, tk.ID, "Le problème est corrigé ; réessayez.", false); err != nil {
			t.Fatal(err)
		}
		ms, _ = s.ListMail(ctx, store.MailFilter{To: "lea.martin@example.fr"})
		if len(ms) != 2 || strings.Contains(ms[0].Text, "Firefox") || !strings.Contains(ms[0].Text, "corrigé") {
			t.Fatalf("mails after reply: %d, newest %q", len(ms), ms[0].Text)
		}
		v, _ = a.Ticket(ctx, staff, tk.ID)
		if v.Ticket.Status != support.StatusAnswered || v.Ticket.AssigneeName != "Inès Roux" || len(v.Messages) != 2 || v.Messages[0].Author != "note" {
			t.Fatalf("after reply: %+v", v)
		}
		if err := a.CloseTicket(ctx, staff, tk.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.ReplyTicket(ctx, staff, tk.ID, "encore", false); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("reply to a closed ticket: %v", err)
		}

		// Appeals.
		_, err = a.FileAppeal(ctx, visitor, support.Appeal{Name: "Karim Haddad", Email: "k@example.fr", NEPH: "12", Summary: "Suspension", Details: "…"})
		wantAppErr(t, err, apperr.Invalid, "neph")
		ap, err := a.FileAppeal(ctx, visitor, support.Appeal{Name: "Karim Haddad", Email: "k@example.fr", NEPH: "960334110005",
			DecisionRef: "ARR-2026-118", Summary: "Refus de restitution", Details: "Le stage a été suivi le 2 mars."})
		if err != nil || !strings.HasPrefix(ap.Reference, "REC-") {
			t.Fatalf("appeal %+v %v", ap, err)
		}

		// Incidents: on the pages of their procedure only, until closed.
		in, err := a.DeclareIncident(ctx, staff, "points", "Solde indisponible", "Le calcul du solde est interrompu ; réessayez dans une heure.")
		if err != nil {
			t.Fatal(err)
		}
		if got := a.IncidentsOn(ctx, "/mon-espace/points"); len(got) != 1 || got[0].ID != in.ID {
			t.Fatalf("incidents on points: %+v", got)
		}
		if got := a.IncidentsOn(ctx, "/mon-espace/codes"); len(got) != 0 {
			t.Fatalf("incidents on codes: %+v", got)
		}
		if err := a.CloseIncident(ctx, staff, in.ID); err != nil {
			t.Fatal(err)
		}
		if got := a.IncidentsOn(ctx, "/mon-espace/points"); len(got) != 0 {
			t.Fatalf("closed incident still shown: %+v", got)
		}
	})
}
