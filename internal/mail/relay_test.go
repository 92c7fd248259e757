package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/clock"
	"permis/internal/mail"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

var testNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// forEachStore runs fn on a fresh SQLite store and, when configured, a fresh
// PostgreSQL one, both stamped by clk.
func forEachStore(t *testing.T, fn func(t *testing.T, s *store.Store, clk *clock.Fixed)) {
	t.Helper()
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		clk := clock.NewFixed(testNow)
		s, err := store.Open(context.Background(), dsn, store.Options{Clock: clk, MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s, clk)
	})
}

func mustEnqueue(t *testing.T, s *store.Store, m mail.Message) int64 {
	t.Helper()
	id, err := mail.Enqueue(context.Background(), s, m)
	if err != nil {
		t.Fatalf("Enqueue(%s): %v", m.To, err)
	}
	return id
}

func mustFind(t *testing.T, s *store.Store, id int64) store.Mail {
	t.Helper()
	m, err := s.FindMail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRelayDeliversOutbox(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		ctx := context.Background()
		srv := startServer(t, serverOpts{startTLS: true, auth: true})
		tr, err := mail.NewSMTP(srv.config(mail.TLSStartTLS))
		if err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.7\n\x00\x01\xff binaire")
		a := mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Votre relevé d'information", Text: "Corps secret A",
			Attachments: []mail.Attachment{{Filename: "releve.pdf", ContentType: "application/pdf", Data: pdf}}})
		var b int64
		if err := s.Transact(ctx, func(tx *store.Store) error {
			b, err = mail.Enqueue(ctx, tx, mail.Message{To: "dominique@example.fr", Subject: "Compte créé", Text: "Corps secret B", HTML: "<p>Corps secret B</p>"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		c := mustEnqueue(t, s, mail.Message{To: "sacha@example.fr", Subject: "Rendez-vous", Text: "Corps secret C"})

		var logs bytes.Buffer
		clk.Add(time.Minute)
		relay := mail.NewRelay(s, tr, slog.New(slog.NewJSONHandler(&logs, nil)), mail.RelayOptions{Batch: 2, Clock: clk})
		sent, failed, err := relay.Flush(ctx)
		if err != nil || sent != 3 || failed != 0 {
			t.Fatalf("Flush = %d sent, %d failed, %v; want 3, 0", sent, failed, err)
		}
		got := srv.Received()
		if len(got) != 3 {
			t.Fatalf("server received %d messages, want 3", len(got))
		}
		byRcpt := map[string][]byte{}
		for _, r := range got {
			byRcpt[strings.Join(r.To, ",")] = r.Data
		}
		for id, to := range map[int64]string{a: "camille@example.fr", b: "dominique@example.fr", c: "sacha@example.fr"} {
			m := mustFind(t, s, id)
			if m.Status != store.MailSent || m.SentAt == nil || !m.SentAt.Equal(clk.Now()) || m.Attempts != 1 {
				t.Errorf("mail %d after Flush = %+v", id, m)
			}
			data, ok := byRcpt[to]
			if !ok {
				t.Errorf("nothing received for %s", to)
				continue
			}
			h, _ := parseReceived(t, data)
			if want := fmt.Sprintf("<permis.outbox.%d.", id); !strings.HasPrefix(h.Header.Get("Message-Id"), want) {
				t.Errorf("Message-ID of mail %d = %q, want %s…", id, h.Header.Get("Message-Id"), want)
			}
			if d, err := h.Header.Date(); err != nil || !d.Equal(testNow) {
				t.Errorf("Date of mail %d = %v, %v; want the enqueue time %v", id, d, err, testNow)
			}
		}
		_, parts := parseReceived(t, byRcpt["camille@example.fr"])
		if len(parts) != 2 || !bytes.Equal(parts[1].Body, pdf) || parts[1].Filename != "releve.pdf" {
			t.Errorf("attachment did not survive the outbox: %+v", parts)
		}

		// One line per mail, with its outbox id, and nothing of its content.
		for _, id := range []int64{a, b, c} {
			if want := fmt.Sprintf(`"msg":"courriel envoyé","outbox_id":%d}`, id); !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %s:\n%s", want, logs.String())
			}
		}
		for _, secret := range []string{"Corps secret", "relevé d'information", "camille@example.fr"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("log shows %q:\n%s", secret, logs.String())
			}
		}

		if sent, failed, err := relay.Flush(ctx); sent != 0 || failed != 0 || err != nil {
			t.Errorf("second Flush = %d, %d, %v; want nothing to do", sent, failed, err)
		}
		if n := len(srv.Received()); n != 3 {
			t.Errorf("server received %d messages after the second Flush, want still 3", n)
		}
	})
}

// A mail that cannot be delivered stays pending, is tried again after an
// exponential backoff, and is given up after MaxAttempts.
func TestRelayRetriesThenGivesUp(t *testing.T) {
	// Each setup returns the transport and the server (nil when there is none).
	setups := map[string]func(t *testing.T) (mail.Transport, *testServer){
		"server down": func(t *testing.T) (mail.Transport, *testServer) {
			tr, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: closedPort(t), TLS: mail.TLSNone, From: testFrom, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			return tr, nil
		},
		"wrong password": func(t *testing.T) (mail.Transport, *testServer) {
			srv := startServer(t, serverOpts{startTLS: true, auth: true})
			cfg := srv.config(mail.TLSStartTLS)
			cfg.Password = "pas-le-bon"
			tr, err := mail.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return tr, srv
		},
	}
	for name, setup := range setups {
		t.Run(name, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
				ctx := context.Background()
				tr, srv := setup(t)
				id := mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."})
				relay := mail.NewRelay(s, tr, nil, mail.RelayOptions{MaxAttempts: 3, Backoff: time.Minute, Clock: clk})

				wantNext := []time.Duration{time.Minute, 2 * time.Minute}
				for attempt := 1; attempt <= 3; attempt++ {
					sent, failed, err := relay.Flush(ctx)
					if err != nil || sent != 0 || failed != 1 {
						t.Fatalf("attempt %d: Flush = %d, %d, %v; want 0 sent, 1 failed", attempt, sent, failed, err)
					}
					m := mustFind(t, s, id)
					if m.Attempts != attempt || m.LastError == "" || m.SentAt != nil {
						t.Fatalf("attempt %d: mail = %+v", attempt, m)
					}
					if attempt == 3 {
						if m.Status != store.MailFailed {
							t.Fatalf("after MaxAttempts status = %q, want failed", m.Status)
						}
						break
					}
					if m.Status != store.MailPending || !m.NextAttemptAt.Equal(clk.Now().Add(wantNext[attempt-1])) {
						t.Fatalf("attempt %d: status %q, next attempt %v; want pending at %v", attempt, m.Status, m.NextAttemptAt, clk.Now().Add(wantNext[attempt-1]))
					}
					if sent, failed, err := relay.Flush(ctx); sent+failed != 0 || err != nil {
						t.Fatalf("attempt %d: Flush before the backoff ended = %d, %d, %v; want nothing", attempt, sent, failed, err)
					}
					clk.Add(wantNext[attempt-1])
				}
				clk.Add(24 * time.Hour)
				if sent, failed, err := relay.Flush(ctx); sent+failed != 0 || err != nil {
					t.Fatalf("Flush after giving up = %d, %d, %v; want nothing", sent, failed, err)
				}
				if srv != nil && len(srv.Received()) != 0 {
					t.Fatalf("server received %d messages", len(srv.Received()))
				}
				if srv != nil && srv.AuthTries() != 3 {
					t.Fatalf("server saw %d AUTH exchanges, want one per attempt (3)", srv.AuthTries())
				}
			})
		})
	}
}

// A mail that failed once is sent at its next attempt when the server is back.
func TestRelayRecovers(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		ctx := context.Background()
		rec := &mail.Recorder{}
		rec.FailWith(errors.New("421 service not available"))
		id := mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."})
		relay := mail.NewRelay(s, rec, nil, mail.RelayOptions{Backoff: time.Minute, Clock: clk})
		if _, failed, err := relay.Flush(ctx); failed != 1 || err != nil {
			t.Fatalf("Flush = %d failed, %v", failed, err)
		}
		if m := mustFind(t, s, id); m.LastError != "421 service not available" {
			t.Fatalf("LastError = %q", m.LastError)
		}
		rec.FailWith(nil)
		clk.Add(time.Minute)
		if sent, _, err := relay.Flush(ctx); sent != 1 || err != nil {
			t.Fatalf("Flush after recovery = %d sent, %v", sent, err)
		}
		if m := mustFind(t, s, id); m.Status != store.MailSent || m.Attempts != 2 || m.LastError != "" {
			t.Fatalf("mail = %+v", m)
		}
		if got := rec.To("camille@example.fr"); len(got) != 1 || got[0].Subject != "Objet" {
			t.Fatalf("recorded = %+v", got)
		}
	})
}

// Without a transport the mails are kept, not sent, and stay readable.
func TestRelayKeepsWithoutTransport(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		ctx := context.Background()
		id := mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."})
		sent, failed, err := mail.NewRelay(s, nil, nil, mail.RelayOptions{Clock: clk}).Flush(ctx)
		if sent != 0 || failed != 0 || err != nil {
			t.Fatalf("Flush = %d, %d, %v", sent, failed, err)
		}
		if m := mustFind(t, s, id); m.Status != store.MailKept || m.Text != "Texte." {
			t.Fatalf("mail = %+v", m)
		}
	})
}

// Run sends at once when woken, and returns when its context ends.
func TestRelayRun(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		srv := startServer(t, serverOpts{startTLS: true, auth: true})
		tr, err := mail.NewSMTP(srv.config(mail.TLSStartTLS))
		if err != nil {
			t.Fatal(err)
		}
		relay := mail.NewRelay(s, tr, nil, mail.RelayOptions{Interval: time.Hour, Clock: clk})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- relay.Run(ctx) }()
		mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."})
		relay.Wake()
		select {
		case <-srv.arrived:
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not send the mail after Wake")
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		if ms, _ := s.ListMail(context.Background(), store.MailFilter{Status: store.MailSent}); len(ms) != 1 {
			t.Fatalf("%d sent mails, want 1", len(ms))
		}
	})
}

func TestEnqueueInvalid(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		_, err := mail.Enqueue(context.Background(), s, mail.Message{To: "pas-une-adresse", Subject: "Objet", Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "L'adresse électronique du destinataire n'est pas valide.") {
			t.Fatalf("Enqueue = %v", err)
		}
	})
}

func TestRecorderConcurrent(t *testing.T) {
	rec := &mail.Recorder{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if err := rec.Send(context.Background(), mail.Message{To: fmt.Sprintf("p%d@example.fr", g), Subject: fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(rec.Messages()); n != 400 {
		t.Fatalf("%d messages recorded, want 400", n)
	}
	if n := len(rec.To("p3@example.fr")); n != 50 {
		t.Fatalf("%d messages for p3, want 50", n)
	}
	boom := errors.New("boom")
	rec.FailWith(boom)
	if err := rec.Send(context.Background(), mail.Message{To: "x@example.fr"}); !errors.Is(err, boom) {
		t.Fatalf("Send after FailWith = %v", err)
	}
	rec.Reset()
	if n := len(rec.Messages()); n != 0 {
		t.Fatalf("%d messages after Reset", n)
	}
}

// A nil *SMTP (no server configured) keeps the mails like a nil Transport.
func TestRelayNilSMTP(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store, clk *clock.Fixed) {
		id := mustEnqueue(t, s, mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."})
		var tr *mail.SMTP
		if _, _, err := mail.NewRelay(s, tr, nil, mail.RelayOptions{Clock: clk}).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if m := mustFind(t, s, id); m.Status != store.MailKept {
			t.Fatalf("status = %q, want kept", m.Status)
		}
	})
}
