package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// The values of SMTPConfig.TLS.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and fails when the
	// server does not offer it (port 587 by default). The default.
	TLSStartTLS = "starttls"
	// TLSOpportunistic uses STARTTLS when the server offers it and goes on
	// in clear otherwise; a password is still never sent in clear.
	TLSOpportunistic = "opportunistic"
	// TLSImplicit speaks TLS from the first byte (port 465 by default).
	TLSImplicit = "tls"
	// TLSNone never encrypts (port 25 by default): for a relay on the same
	// host or network only. A password is then sent in clear, on purpose.
	TLSNone = "none"
)

// SMTPConfig configures the SMTP transport. Print or log it freely: String
// and LogValue mask the password.
type SMTPConfig struct {
	Host      string
	Port      int    // default: 587 (starttls, opportunistic), 465 (tls), 25 (none)
	Username  string // PLAIN authentication when set
	Password  string
	TLS       string        // TLSStartTLS (default), TLSOpportunistic, TLSImplicit or TLSNone
	From      string        // "Permis de conduire <ne-pas-repondre@permis.example.fr>"
	HelloName string        // the EHLO name (default: the host name)
	Timeout   time.Duration // per connection (default 30 s)

	// RootCAs are the authorities trusted for the server's certificate
	// (default: the system's). Tests put their self-signed certificate here.
	RootCAs *x509.CertPool
}

const masked = "********"

// String describes the configuration without the password.
func (c SMTPConfig) String() string {
	pw := ""
	if c.Password != "" {
		pw = ":" + masked
	}
	user := ""
	if c.Username != "" {
		user = c.Username + pw + "@"
	}
	return fmt.Sprintf("smtp://%s%s:%d (tls=%s, from=%s)", user, c.Host, c.port(), c.tlsMode(), c.From)
}

// GoString is String, so that %#v does not print the password either.
func (c SMTPConfig) GoString() string { return c.String() }

// LogValue logs the configuration without the password.
func (c SMTPConfig) LogValue() slog.Value {
	pw := ""
	if c.Password != "" {
		pw = masked
	}
	return slog.GroupValue(
		slog.String("host", c.Host), slog.Int("port", c.port()), slog.String("tls", c.tlsMode()),
		slog.String("username", c.Username), slog.String("password", pw), slog.String("from", c.From),
	)
}

func (c SMTPConfig) tlsMode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return strings.ToLower(c.TLS)
}

func (c SMTPConfig) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.tlsMode() {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}

// SMTP is the Transport that sends through an SMTP server, one connection
// per message. It is safe for concurrent use.
type SMTP struct {
	cfg    SMTPConfig
	from   *mail.Address
	domain string // of From: the right-hand side of Message-IDs
}

// NewSMTP checks cfg and returns the transport. It does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if strings.TrimSpace(cfg.Host) == "" {
		return nil, errors.New("mail: SMTP host missing")
	}
	switch cfg.tlsMode() {
	case TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mail: SMTP TLS mode %q: want starttls, opportunistic, tls or none", cfg.TLS)
	}
	if p := cfg.port(); p < 1 || p > 65535 {
		return nil, fmt.Errorf("mail: SMTP port %d out of range", p)
	}
	if cfg.Password != "" && cfg.Username == "" {
		return nil, errors.New("mail: SMTP password given without a user name")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", cfg.From, err)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg, from: from, domain: domain}, nil
}

// Send connects, authenticates when a user name is configured, and sends m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: %s:%d: %w", s.cfg.Host, s.cfg.port(), err)
	}
	return nil
}

func (s *SMTP) options() []gomail.Option {
	cfg := s.cfg
	opts := []gomail.Option{
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch cfg.tlsMode() {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.HelloName != "" {
		opts = append(opts, gomail.WithHELO(cfg.HelloName))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuthCustom(&plainAuth{
			username: cfg.Username, password: cfg.Password, clearOK: cfg.tlsMode() == TLSNone,
		}))
	}
	// Last: WithSSL and the TLS policies must not choose the port.
	return append(opts, gomail.WithPort(cfg.port()))
}

// message builds the MIME message: text/plain, an optional text/html
// alternative, attachments, subject in encoded words, Date and Message-ID.
func (s *SMTP) message(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	id := m.MessageID
	if id == "" {
		id = "permis." + rand.Text()
	}
	if !strings.Contains(id, "@") {
		id += "@" + s.domain
	}
	msg.SetMessageIDWithValue(id)
	// An automatic mail (RFC 3834): out-of-office replies stay away.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	// A calendar invitation goes twice: inline, as the last alternative of
	// the body (Outlook shows its meeting buttons only for an inline
	// text/calendar part with a method), and as an attachment (for the
	// programs that only offer to open a file).
	for _, a := range m.Attachments {
		if strings.HasPrefix(strings.ToLower(a.ContentType), "text/calendar") && strings.Contains(strings.ToLower(a.ContentType), "method=") {
			msg.AddAlternativeString(gomail.ContentType(calendarType(a.ContentType)), string(a.Data))
		}
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data),
			gomail.WithFileContentType(gomail.ContentType(ct))); err != nil {
			return nil, fmt.Errorf("mail: attachment %q: %w", a.Filename, err)
		}
	}
	return msg, nil
}

// plainAuth is SASL PLAIN that refuses to send the password over a
// connection that is not encrypted, unless told it may (TLS "none"). The
// library's own PLAIN lets it through in clear to "localhost", which the
// opportunistic mode must not allow either.
type plainAuth struct {
	username, password string
	clearOK            bool
}

var errClearPassword = errors.New("mail: the SMTP connection is not encrypted: password not sent (set TLS to none to allow it)")

func (a *plainAuth) Start(server *gosmtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !a.clearOK {
		return "", nil, errClearPassword
	}
	offered := false
	for _, m := range server.Auth {
		offered = offered || strings.EqualFold(m, "PLAIN")
	}
	if !offered {
		return "", nil, fmt.Errorf("mail: the SMTP server does not offer AUTH PLAIN (offers %q)", strings.Join(server.Auth, " "))
	}
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a *plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("mail: unexpected AUTH PLAIN challenge")
	}
	return nil, nil
}

// calendarType is the content type of the inline calendar part: the
// attachment's type without its charset (the library adds one).
func calendarType(ct string) string {
	var keep []string
	for _, p := range strings.Split(ct, ";") {
		if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(strings.ToLower(p), "charset=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "; ")
}
