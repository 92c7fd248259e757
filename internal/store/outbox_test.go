package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/store/storetest"
)

func mustEnqueueMail(tb testing.TB, s *Store, m Mail) int64 {
	tb.Helper()
	id, err := s.EnqueueMail(context.Background(), m)
	if err != nil {
		tb.Fatalf("EnqueueMail(%q): %v", m.To, err)
	}
	return id
}

func TestEnqueueMailInvalid(t *testing.T) {
	ok := Mail{To: "camille.durand@example.fr", Subject: "Votre relevé", Text: "Bonjour."}
	pdf := MailAttachment{Filename: "releve.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}
	tests := []struct {
		name  string
		edit  func(m *Mail)
		field string
		msg   string
	}{
		{"no address", func(m *Mail) { m.To = "  " }, "to", "L'adresse électronique du destinataire est obligatoire."},
		{"no at sign", func(m *Mail) { m.To = "camille.example.fr" }, "to", "L'adresse électronique du destinataire n'est pas valide."},
		{"no domain dot", func(m *Mail) { m.To = "camille@example" }, "to", "L'adresse électronique du destinataire n'est pas valide."},
		{"two addresses", func(m *Mail) { m.To = "a@example.fr, b@example.fr" }, "to", "L'adresse électronique du destinataire n'est pas valide."},
		{"header injection", func(m *Mail) { m.To = "a@example.fr\r\nBcc: b@example.fr" }, "to", "L'adresse électronique du destinataire n'est pas valide."},
		{"display name", func(m *Mail) { m.To = "Camille <camille@example.fr>" }, "to", "L'adresse électronique du destinataire n'est pas valide."},
		{"no subject", func(m *Mail) { m.Subject = "" }, "subject", "L'objet du courriel est obligatoire."},
		{"subject on two lines", func(m *Mail) { m.Subject = "Objet\r\nBcc: x@example.fr" }, "subject", "L'objet du courriel doit tenir sur une ligne."},
		{"no text", func(m *Mail) { m.Text = " \n" }, "text", "Le texte du courriel est obligatoire."},
		{"attachment without name", func(m *Mail) { m.Attachments = []MailAttachment{{ContentType: "application/pdf"}} }, "attachments", "Le nom d'une pièce jointe est vide ou n'est pas valide."},
		{"attachment with path", func(m *Mail) {
			m.Attachments = []MailAttachment{pdf, {Filename: "../etc/passwd", ContentType: "text/plain"}}
		}, "attachments", "Le nom d'une pièce jointe est vide ou n'est pas valide."},
		{"attachment bad type", func(m *Mail) { m.Attachments = []MailAttachment{{Filename: "a.pdf", ContentType: "pdf"}} }, "attachments", "Le type d'une pièce jointe n'est pas valide."},
	}
	s := mustOpenSQLite(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			_, err := s.EnqueueMail(ctx, m)
			ae := apperr.As(err)
			if err == nil || ae.Code != apperr.Invalid || ae.Message != tt.msg || ae.Fields[tt.field] != tt.msg {
				t.Fatalf("EnqueueMail = %v, want invalid %s: %q", err, tt.field, tt.msg)
			}
		})
	}
	ms, err := s.ListMail(ctx, MailFilter{})
	if err != nil || len(ms) != 0 {
		t.Fatalf("outbox after invalid mails: %d rows, %v", len(ms), err)
	}
	if _, err := s.EnqueueMail(ctx, Mail{To: " Camille.Durand@Example.fr ", Subject: "Objet", Text: "x", Attachments: []MailAttachment{pdf}}); err != nil {
		t.Fatalf("valid mail refused: %v", err)
	}
}

func TestOutboxEnqueueListFind(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ics := []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")
		pdf := []byte{0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x0a}
		a := mustEnqueueMail(t, s, Mail{To: "camille@example.fr", Subject: "Rendez-vous confirmé", Text: "Bonjour.",
			HTML: "<p>Bonjour.</p>", Attachments: []MailAttachment{
				{Filename: "rdv.ics", ContentType: "text/calendar; method=REQUEST", Data: ics},
				{Filename: "convocation.pdf", ContentType: "application/pdf", Data: pdf},
			}})
		b := mustEnqueueMail(t, s, Mail{To: "dominique@example.fr", Subject: "Relevé", Text: "Voici."})
		later := testNow.Add(time.Hour)
		c := mustEnqueueMail(t, s, Mail{To: "Camille@Example.fr", Subject: "Rappel", Text: "Demain.", NextAttemptAt: later})

		all, err := s.ListMail(ctx, MailFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(all); fmt.Sprint(got) != fmt.Sprint([]int64{c, b, a}) {
			t.Fatalf("ListMail ids = %v, want newest first %v", got, []int64{c, b, a})
		}
		la := all[2]
		if len(la.Attachments) != 2 || la.Attachments[0].Filename != "rdv.ics" || la.Attachments[1].Filename != "convocation.pdf" ||
			la.Attachments[1].Size != len(pdf) || la.Attachments[0].Data != nil {
			t.Fatalf("listed attachments = %+v, want names and sizes without data", la.Attachments)
		}
		if la.Status != MailPending || la.Attempts != 0 || !la.CreatedAt.Equal(testNow) || !la.NextAttemptAt.Equal(testNow) ||
			la.SentAt != nil || la.HTML != "<p>Bonjour.</p>" {
			t.Fatalf("listed mail = %+v", la)
		}
		if !all[0].NextAttemptAt.Equal(later) {
			t.Fatalf("NextAttemptAt = %v, want %v", all[0].NextAttemptAt, later)
		}

		for _, tt := range []struct {
			f    MailFilter
			want []int64
		}{
			{MailFilter{To: "CAMILLE@example.FR"}, []int64{c, a}},
			{MailFilter{Status: MailSent}, nil},
			{MailFilter{Status: MailPending, Limit: 2}, []int64{c, b}},
		} {
			got, err := s.ListMail(ctx, tt.f)
			if err != nil || fmt.Sprint(ids(got)) != fmt.Sprint(tt.want) {
				t.Errorf("ListMail(%+v) = %v, %v; want %v", tt.f, ids(got), err, tt.want)
			}
		}

		m, err := s.FindMail(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != "Rendez-vous confirmé" || len(m.Attachments) != 2 ||
			!bytes.Equal(m.Attachments[0].Data, ics) || !bytes.Equal(m.Attachments[1].Data, pdf) ||
			m.Attachments[0].ContentType != "text/calendar; method=REQUEST" {
			t.Fatalf("FindMail = %+v", m)
		}
		if _, err := s.FindMail(ctx, c+100); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("FindMail(unknown) = %v, want not_found", err)
		}
	})
}

func ids(ms []Mail) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// The mail is part of the transaction that causes it: a rollback loses both.
func TestEnqueueMailInTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Transact(ctx, func(tx *Store) error {
			if _, err := tx.EnqueueMail(ctx, Mail{To: "a@example.fr", Subject: "Un", Text: "x",
				Attachments: []MailAttachment{{Filename: "a.txt", ContentType: "text/plain", Data: []byte("a")}}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Transact = %v", err)
		}
		var id int64
		err = s.Transact(ctx, func(tx *Store) error {
			var err error
			id, err = tx.EnqueueMail(ctx, Mail{To: "b@example.fr", Subject: "Deux", Text: "x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := s.ListMail(ctx, MailFilter{})
		if err != nil || len(ms) != 1 || ms[0].ID != id || ms[0].To != "b@example.fr" {
			t.Fatalf("outbox = %+v, %v; want only the committed mail", ms, err)
		}
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM outbox_attachments`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("attachments after rollback: %d, %v", n, err)
		}
	})
}

func TestClaimMail(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := testNow
		lease := 5 * time.Minute
		first := mustEnqueueMail(t, s, Mail{To: "a@example.fr", Subject: "Un", Text: "x",
			Attachments: []MailAttachment{{Filename: "a.pdf", ContentType: "application/pdf", Data: []byte("pdf")}}})
		second := mustEnqueueMail(t, s, Mail{To: "b@example.fr", Subject: "Deux", Text: "x"})
		future := mustEnqueueMail(t, s, Mail{To: "c@example.fr", Subject: "Trois", Text: "x", NextAttemptAt: now.Add(time.Hour)})

		got, err := s.ClaimMail(ctx, now, 10, lease)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint([]int64{first, second}) {
			t.Fatalf("claimed %v, want the two due mails %v", ids(got), []int64{first, second})
		}
		if !got[0].NextAttemptAt.Equal(now.Add(lease)) || len(got[0].Attachments) != 1 || string(got[0].Attachments[0].Data) != "pdf" {
			t.Fatalf("claimed mail = %+v, want leased until %v with its attachment", got[0], now.Add(lease))
		}
		if again, err := s.ClaimMail(ctx, now.Add(lease-time.Second), 10, lease); err != nil || len(again) != 0 {
			t.Fatalf("claim during the lease = %v, %v; want nothing", ids(again), err)
		}
		// The lease has ended and the relay did not mark them: they fall due again.
		again, err := s.ClaimMail(ctx, now.Add(lease), 1, lease)
		if err != nil || fmt.Sprint(ids(again)) != fmt.Sprint([]int64{first}) {
			t.Fatalf("claim after the lease, n=1 = %v, %v; want [%d]", ids(again), err, first)
		}

		at := now.Add(lease + time.Second)
		if err := s.MarkMailSent(ctx, first, at); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkMailFailed(ctx, second, "535 authentication failed", now.Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkMailFailed(ctx, future, "550 no such user", now, true); err != nil {
			t.Fatal(err)
		}
		if again, err := s.ClaimMail(ctx, now.Add(lease*2), 10, lease); err != nil || len(again) != 0 {
			t.Fatalf("claim of sent, retried-later and failed mails = %v, %v; want nothing", ids(again), err)
		}

		m1, _ := s.FindMail(ctx, first)
		if m1.Status != MailSent || m1.SentAt == nil || !m1.SentAt.Equal(at) || m1.Attempts != 1 || m1.LastError != "" {
			t.Errorf("sent mail = %+v", m1)
		}
		m2, _ := s.FindMail(ctx, second)
		if m2.Status != MailPending || m2.Attempts != 1 || !m2.NextAttemptAt.Equal(now.Add(time.Hour)) || m2.LastError != "535 authentication failed" {
			t.Errorf("retried mail = %+v", m2)
		}
		m3, _ := s.FindMail(ctx, future)
		if m3.Status != MailFailed || m3.Attempts != 1 || m3.LastError != "550 no such user" || m3.SentAt != nil {
			t.Errorf("failed mail = %+v", m3)
		}
		if err := s.MarkMailKept(ctx, second); err != nil {
			t.Fatal(err)
		}
		if m2, _ := s.FindMail(ctx, second); m2.Status != MailKept {
			t.Errorf("kept mail status = %q", m2.Status)
		}
		for name, err := range map[string]error{
			"sent":   s.MarkMailSent(ctx, future+100, at),
			"failed": s.MarkMailFailed(ctx, future+100, "x", at, false),
			"kept":   s.MarkMailKept(ctx, future+100),
		} {
			if !apperr.Is(err, apperr.NotFound) {
				t.Errorf("mark %s of an unknown mail = %v, want not_found", name, err)
			}
		}
	})
}

// Two relays, each with its own Store (as two server instances would have),
// claim concurrently: every due mail is claimed exactly once.
func TestClaimMailConcurrent(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		open := func() *Store {
			s, err := Open(ctx, dsn, Options{Clock: clock.NewFixed(testNow), MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		s1 := open()
		s2 := open()
		const total = 120
		want := map[int64]bool{}
		err := s1.Transact(ctx, func(tx *Store) error {
			for i := range total {
				id, err := tx.EnqueueMail(ctx, Mail{To: fmt.Sprintf("p%d@example.fr", i), Subject: "Objet", Text: "x"})
				if err != nil {
					return err
				}
				want[id] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var (
			mu      sync.Mutex
			claimed = map[int64]int{}
			wg      sync.WaitGroup
			errs    = make(chan error, 4)
		)
		for _, s := range []*Store{s1, s2, s1, s2} {
			wg.Go(func() {
				for {
					ms, err := s.ClaimMail(ctx, testNow, 7, time.Hour)
					if err != nil {
						errs <- err
						return
					}
					if len(ms) == 0 {
						return
					}
					mu.Lock()
					for _, m := range ms {
						claimed[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("ClaimMail: %v", err)
		}
		if len(claimed) != total {
			t.Errorf("%d mails claimed, want %d", len(claimed), total)
		}
		for id, n := range claimed {
			if n != 1 || !want[id] {
				t.Errorf("mail %d claimed %d times (known: %v)", id, n, want[id])
			}
		}
	})
}
