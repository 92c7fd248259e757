package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"permis/internal/mail"
)

// part is a leaf of a received MIME tree, its body decoded.
type part struct {
	Parent      string // the media type of the enclosing multipart, "" at the top
	ContentType string
	Params      map[string]string
	Disposition string
	Filename    string
	Body        []byte
}

// parseReceived parses a received message with net/mail and mime/multipart
// only, as a mail program would.
func parseReceived(t *testing.T, data []byte) (*netmail.Message, []part) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	var parts []part
	var walk func(parent string, h map[string][]string, body io.Reader)
	walk = func(parent string, h map[string][]string, body io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		ct, params, err := mime.ParseMediaType(get("Content-Type"))
		if err != nil {
			t.Fatalf("Content-Type %q: %v", get("Content-Type"), err)
		}
		if strings.HasPrefix(ct, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatalf("multipart: %v", err)
				}
				walk(ct, p.Header, p) // quoted-printable is decoded by NextPart
			}
		}
		switch strings.ToLower(get("Content-Transfer-Encoding")) { // absent in parts: NextPart decoded it
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("%s body: %v", ct, err)
		}
		p := part{Parent: parent, ContentType: ct, Params: params, Body: b}
		if d := get("Content-Disposition"); d != "" {
			disp, dp, err := mime.ParseMediaType(d)
			if err != nil {
				t.Fatalf("Content-Disposition %q: %v", d, err)
			}
			p.Disposition, p.Filename = disp, dp["filename"]
		}
		parts = append(parts, p)
	}
	walk("", msg.Header, msg.Body)
	return msg, parts
}

func crlfToLF(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }

func TestSMTPSendsMIME(t *testing.T) {
	srv := startServer(t, serverOpts{startTLS: true, auth: true})
	tr, err := mail.NewSMTP(srv.config(mail.TLSStartTLS))
	if err != nil {
		t.Fatal(err)
	}
	pdf := make([]byte, 3000)
	for i := range pdf {
		pdf[i] = byte(i * 7) // every byte value, CR and LF included
	}
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Rendez-vous à la préfecture\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	msg := mail.Message{
		To:      "camille.durand@example.fr",
		Subject: "Votre rendez-vous à la préfecture : ça se confirme — 14 mars, 9 h 30",
		Text:    "Bonjour Camille,\n\nVotre rendez-vous est confirmé. Pièces à apporter : pièce d'identité, photo.\nUne ligne très longue " + strings.Repeat("é", 120) + "\n\nL'équipe du permis de conduire",
		HTML:    "<p>Bonjour Camille,</p><p>Votre rendez-vous est <strong>confirmé</strong>.</p>",
		Attachments: []mail.Attachment{
			{Filename: "convocation.pdf", ContentType: "application/pdf", Data: pdf},
			{Filename: "rendez-vous.ics", ContentType: "text/calendar; method=REQUEST", Data: []byte(ics)},
		},
		Date:      time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
		MessageID: "permis.outbox.7.abc",
	}
	if err := tr.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if got[0].From != "ne-pas-repondre@permis.example.fr" || len(got[0].To) != 1 || got[0].To[0] != msg.To {
		t.Errorf("envelope = %s → %v", got[0].From, got[0].To)
	}
	m, parts := parseReceived(t, got[0].Data)
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subject != msg.Subject {
		t.Errorf("Subject = %q (%v), want %q; raw %q", subject, err, msg.Subject, m.Header.Get("Subject"))
	}
	if raw := m.Header.Get("Subject"); !strings.Contains(raw, "=?") {
		t.Errorf("raw Subject %q is not in encoded words", raw)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Permis de conduire" || from[0].Address != "ne-pas-repondre@permis.example.fr" {
		t.Errorf("From = %v, %v", from, err)
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != msg.To {
		t.Errorf("To = %v, %v", to, err)
	}
	if id := m.Header.Get("Message-Id"); id != "<permis.outbox.7.abc@permis.example.fr>" {
		t.Errorf("Message-ID = %q", id)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(msg.Date) {
		t.Errorf("Date = %v, %v; want %v", d, err, msg.Date)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", m.Header.Get("Auto-Submitted"))
	}
	if len(parts) != 5 {
		var types []string
		for _, p := range parts {
			types = append(types, p.Parent+">"+p.ContentType+" "+p.Disposition)
		}
		t.Fatalf("%d leaf parts %v, want text, html, inline calendar, pdf, ics", len(parts), types)
	}
	text, html, inline, gotPDF, gotICS := parts[0], parts[1], parts[2], parts[3], parts[4]
	// The invitation also goes inline, as an alternative of the body, with
	// its method: Outlook shows its meeting buttons only for that part.
	if inline.Parent != "multipart/alternative" || inline.ContentType != "text/calendar" || inline.Params["method"] != "REQUEST" ||
		inline.Disposition == "attachment" || crlfToLF(inline.Body) != crlfToLF([]byte(ics)) {
		t.Errorf("inline calendar part = in %s, %s %v %s %q", inline.Parent, inline.ContentType, inline.Params, inline.Disposition, inline.Body)
	}
	if text.Parent != "multipart/alternative" || gotICS.Parent != "multipart/mixed" {
		t.Errorf("text in %s, ics attachment in %s; want multipart/alternative inside multipart/mixed", text.Parent, gotICS.Parent)
	}
	if text.ContentType != "text/plain" || !strings.EqualFold(text.Params["charset"], "utf-8") || crlfToLF(text.Body) != msg.Text {
		t.Errorf("text part = %s %v %q", text.ContentType, text.Params, text.Body)
	}
	if html.ContentType != "text/html" || crlfToLF(html.Body) != msg.HTML {
		t.Errorf("html part = %s %q", html.ContentType, html.Body)
	}
	if gotPDF.ContentType != "application/pdf" || gotPDF.Disposition != "attachment" || gotPDF.Filename != "convocation.pdf" || !bytes.Equal(gotPDF.Body, pdf) {
		t.Errorf("pdf part = %s %s %q, %d bytes (equal: %v)", gotPDF.ContentType, gotPDF.Disposition, gotPDF.Filename, len(gotPDF.Body), bytes.Equal(gotPDF.Body, pdf))
	}
	if gotICS.ContentType != "text/calendar" || gotICS.Params["method"] != "REQUEST" || gotICS.Filename != "rendez-vous.ics" || string(gotICS.Body) != ics {
		t.Errorf("ics part = %s %v %q %q", gotICS.ContentType, gotICS.Params, gotICS.Filename, gotICS.Body)
	}
}

// A message without HTML nor attachment is a single text/plain part.
func TestSMTPPlainTextOnly(t *testing.T) {
	srv := startServer(t, serverOpts{implicitTLS: true, auth: true})
	tr, err := mail.NewSMTP(srv.config(mail.TLSImplicit))
	if err != nil {
		t.Fatal(err)
	}
	msg := mail.Message{To: "dominique@example.fr", Subject: "Relevé d'information", Text: "Voici votre relevé."}
	if err := tr.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send over implicit TLS: %v", err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	m, parts := parseReceived(t, got[0].Data)
	// The message's last line break is the end of the mail, not of the text.
	if len(parts) != 1 || parts[0].ContentType != "text/plain" || strings.TrimSuffix(crlfToLF(parts[0].Body), "\n") != msg.Text {
		t.Errorf("parts = %+v", parts)
	}
	if id := m.Header.Get("Message-Id"); !strings.HasPrefix(id, "<permis.") || !strings.HasSuffix(id, "@permis.example.fr>") {
		t.Errorf("generated Message-ID = %q", id)
	}
	if _, err := m.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
}

func TestSMTPModes(t *testing.T) {
	msg := mail.Message{To: "camille@example.fr", Subject: "Objet", Text: "Texte."}
	tests := []struct {
		name      string
		server    serverOpts
		tls       string
		edit      func(c *mail.SMTPConfig)
		wantErr   string // part of the error; "" for success
		wantAuths int    // AUTH exchanges that reached the server
	}{
		{name: "starttls", server: serverOpts{startTLS: true, auth: true}, tls: mail.TLSStartTLS, wantAuths: 1},
		{name: "opportunistic upgrades", server: serverOpts{startTLS: true, auth: true}, tls: mail.TLSOpportunistic, wantAuths: 1},
		{name: "opportunistic without TLS and without user", server: serverOpts{}, tls: mail.TLSOpportunistic,
			edit: func(c *mail.SMTPConfig) { c.Username, c.Password = "", "" }},
		{name: "none sends the password in clear when told", server: serverOpts{auth: true, insecureAuth: true}, tls: mail.TLSNone, wantAuths: 1},
		{name: "opportunistic never sends the password in clear", server: serverOpts{auth: true, insecureAuth: true},
			tls: mail.TLSOpportunistic, wantErr: "not encrypted"},
		{name: "starttls is mandatory", server: serverOpts{auth: true, insecureAuth: true}, tls: mail.TLSStartTLS, wantErr: "STARTTLS"},
		{name: "untrusted certificate", server: serverOpts{startTLS: true, auth: true}, tls: mail.TLSStartTLS,
			edit: func(c *mail.SMTPConfig) { c.RootCAs = nil }, wantErr: "certificate"},
		{name: "wrong password", server: serverOpts{startTLS: true, auth: true}, tls: mail.TLSStartTLS,
			edit: func(c *mail.SMTPConfig) { c.Password = "wrong" }, wantErr: "535", wantAuths: 1},
		{name: "no AUTH offered", server: serverOpts{startTLS: true}, tls: mail.TLSStartTLS, wantErr: "AUTH PLAIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, tt.server)
			cfg := srv.config(tt.tls)
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			tr, err := mail.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = tr.Send(context.Background(), msg)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Send: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Send = %v, want an error about %q", err, tt.wantErr)
			}
			if n := len(srv.Received()); (n == 1) != (tt.wantErr == "") {
				t.Errorf("server received %d messages", n)
			}
			if n := srv.AuthTries(); n != tt.wantAuths {
				t.Errorf("%d AUTH exchanges reached the server, want %d", n, tt.wantAuths)
			}
			if err != nil && strings.Contains(err.Error(), testPassword) {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestSMTPServerDown(t *testing.T) {
	tr, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: closedPort(t), From: testFrom, TLS: mail.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Send(context.Background(), mail.Message{To: "a@example.fr", Subject: "x", Text: "x"}); err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
}

func TestNewSMTPInvalid(t *testing.T) {
	ok := mail.SMTPConfig{Host: "smtp.example.fr", From: testFrom}
	tests := []struct {
		name string
		edit func(c *mail.SMTPConfig)
		want string
	}{
		{"no host", func(c *mail.SMTPConfig) { c.Host = " " }, "host"},
		{"unknown TLS mode", func(c *mail.SMTPConfig) { c.TLS = "ssl" }, "TLS mode"},
		{"port out of range", func(c *mail.SMTPConfig) { c.Port = 70000 }, "port"},
		{"password without user", func(c *mail.SMTPConfig) { c.Password = "x" }, "user name"},
		{"no sender", func(c *mail.SMTPConfig) { c.From = "" }, "sender"},
		{"bad sender", func(c *mail.SMTPConfig) { c.From = "permis.example.fr" }, "sender"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			if _, err := mail.NewSMTP(c); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewSMTP = %v, want an error about %q", err, tt.want)
			}
		})
	}
	if _, err := mail.NewSMTP(ok); err != nil {
		t.Fatalf("NewSMTP(valid) = %v", err)
	}
}

func TestSMTPConfigHidesPassword(t *testing.T) {
	c := mail.SMTPConfig{Host: "smtp.example.fr", Username: "relais", Password: testPassword, From: testFrom}
	var js, text bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("courriel", "smtp", c)
	slog.New(slog.NewTextHandler(&text, nil)).Info("courriel", "smtp", c)
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c), "String": c.String(),
		"slog json": js.String(), "slog text": text.String(),
	}
	for how, out := range outputs {
		if strings.Contains(out, testPassword) || !strings.Contains(out, "smtp.example.fr") || !strings.Contains(out, "********") {
			t.Errorf("%s = %s", how, out)
		}
	}
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if g, _ := rec["smtp"].(map[string]any); g["port"] != float64(587) || g["tls"] != "starttls" || g["username"] != "relais" {
		t.Errorf("logged config = %v", rec["smtp"])
	}
}
