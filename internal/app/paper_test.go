package app_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/pdftext/pdftest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// An agent records a paper file received by post; anyone else is refused;
// each field says what is wrong; the return letter is a PDF that says why
// the file comes back and how to do it online; both steps are audited.
func TestPaperFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(time.Date(2026, 3, 16, 11, 0, 0, 0, time.UTC))
		s, err := store.Open(ctx, dsn, store.Options{Clock: c})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		a := app.New(app.Config{Store: s, Clock: c, PublicURL: "https://permis.example.fr"})
		t.Cleanup(func() { a.Close() })
		ag := store.User{Role: "agent", Email: "agent@example.fr", GivenName: "Alex", FamilyName: "Martin"}
		if err := s.CreateUser(ctx, &ag); err != nil {
			t.Fatal(err)
		}
		agent := userReq(ag.ID, access.Agent)
		good := app.PaperFileInput{SenderName: "  Jeanne   Dupont ", Address: "12 rue des Lilas\r\n\nBât. B\n34000 Montpellier\n",
			ReceivedOn: "13/03/2026", Contents: "Formulaire cerfa de demande de duplicata pour perte, deux photos (parenthèses) et un chèque"}

		for _, role := range []access.Role{access.Citizen, access.Helpdesk, access.Photographer, access.DrivingSchool} {
			if _, err := a.RecordPaperFile(ctx, userReq(ag.ID, role), good); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s: %v, want forbidden", role, err)
			}
			if _, err := a.PaperFiles(ctx, userReq(ag.ID, role)); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s lists: %v, want forbidden", role, err)
			}
		}

		for _, tc := range []struct {
			name  string
			edit  func(*app.PaperFileInput)
			field string
		}{
			{"no name", func(in *app.PaperFileInput) { in.SenderName = " " }, "sender_name"},
			{"one-line address", func(in *app.PaperFileInput) { in.Address = "34000 Montpellier" }, "address"},
			{"seven-line address", func(in *app.PaperFileInput) { in.Address = strings.Repeat("ligne\n", 7) }, "address"},
			{"address line too long", func(in *app.PaperFileInput) {
				in.Address = "12 rue du Docteur Jean-Baptiste Fontaine-Lagarde\n34000 Montpellier"
			}, "address"},
			{"no date", func(in *app.PaperFileInput) { in.ReceivedOn = "" }, "received_on"},
			{"impossible date", func(in *app.PaperFileInput) { in.ReceivedOn = "31/02/2026" }, "received_on"},
			{"future date", func(in *app.PaperFileInput) { in.ReceivedOn = "2026-03-17" }, "received_on"},
			{"no contents", func(in *app.PaperFileInput) { in.Contents = "" }, "contents"},
			{"contents too long", func(in *app.PaperFileInput) { in.Contents = strings.Repeat("é", 501) }, "contents"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := good
				tc.edit(&in)
				_, err := a.RecordPaperFile(ctx, agent, in)
				if e := apperr.As(err); e.Code != apperr.Invalid || e.Fields[tc.field] == "" || len(e.Fields) != 1 {
					t.Fatalf("%v (fields %v), want invalid on %s only", err, e.Fields, tc.field)
				}
			})
		}

		p, err := a.RecordPaperFile(ctx, agent, good)
		if err != nil {
			t.Fatalf("RecordPaperFile: %v", err)
		}
		if !regexp.MustCompile(`^COU-[A-Z0-9]{4}-[A-Z0-9]{4}$`).MatchString(p.Reference) || p.SenderName != "Jeanne Dupont" ||
			p.Address != "12 rue des Lilas\nBât. B\n34000 Montpellier" || p.ReceivedOn.String() != "2026-03-13" || p.RecordedBy != ag.ID {
			t.Fatalf("recorded %+v", p)
		}
		list, err := a.PaperFiles(ctx, agent)
		if err != nil || len(list) != 1 || list[0].Reference != p.Reference || list[0].Address != p.Address {
			t.Fatalf("PaperFiles = %+v, %v", list, err)
		}
		if _, _, err := a.PaperLetter(ctx, userReq(ag.ID, access.Citizen), p.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("citizen's letter: %v, want forbidden", err)
		}
		if _, _, err := a.PaperLetter(ctx, agent, p.ID+100); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown letter: %v, want not_found", err)
		}
		_, pdf, err := a.PaperLetter(ctx, agent, p.ID)
		if err != nil {
			t.Fatalf("PaperLetter: %v", err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("letter is not a PDF: %.20q", pdf)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{
			"Jeanne Dupont", "12 rue des Lilas", "Bât. B", "34000 Montpellier", "Le 16 mars 2026",
			"Référence à rappeler : " + p.Reference,
			"Nous avons reçu par la poste, le 13 mars 2026, votre envoi : Formulaire cerfa de demande de duplicata pour perte, deux photos (parenthèses) et un chèque.",
			"Depuis novembre 2017, les demandes de permis de conduire se font uniquement en ligne.",
			"Rendez-vous sur https://permis.example.fr",
			"code ePhoto", "3400 (prix d'un appel local)", "point numérique", "France Services",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}

		if n := bytes.Count(pdf, []byte("/Type /Page\n")); n != 1 {
			t.Errorf("letter has %d pages, want 1", n)
		}
		long := good
		long.Contents = strings.Repeat("formulaire, photos, cheque. ", 18)[:500]
		lp, err := a.RecordPaperFile(ctx, agent, long)
		if err != nil {
			t.Fatalf("RecordPaperFile (500 characters): %v", err)
		}
		if _, pdf, err := a.PaperLetter(ctx, agent, lp.ID); err != nil || bytes.Count(pdf, []byte("/Type /Page\n")) != 1 {
			t.Errorf("letter of a 500-character description: %v, %d pages, want 1", err, bytes.Count(pdf, []byte("/Type /Page\n")))
		}

		for _, action := range []string{"paper.create", "paper.letter"} {
			es, err := s.ListAudit(ctx, "paper_file", p.Reference)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range es {
				found = found || (e.Action == action && e.Actor == agent.Actor.ID)
			}
			if !found {
				t.Errorf("no %s audit entry by the agent in %+v", action, es)
			}
		}
	})
}

// pdfText returns the strings an fpdf document draws, in order, joined by
// spaces and decoded from Windows-1252: lines a paragraph wraps into read
// as the paragraph.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var words []string
	for _, line := range strings.Split(pdftest.PageText(t, pdf), "\n") {
		if !strings.HasPrefix(line, "=== page ") {
			words = append(words, strings.Fields(line)...)
		}
	}
	if len(words) == 0 {
		t.Fatal("no text in the PDF")
	}
	return strings.Join(words, " ")
}
