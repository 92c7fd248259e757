package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"permis/internal/mail"
)

// The account of the test server.
const (
	testUser     = "relais-permis"
	testPassword = "s3cret-Ünïcode-mot-de-passe"
	testFrom     = "Permis de conduire <ne-pas-repondre@permis.example.fr>"
)

// serverOpts choose how the test SMTP server behaves.
type serverOpts struct {
	startTLS     bool // offer STARTTLS
	implicitTLS  bool // TLS from the first byte
	auth         bool // require AUTH PLAIN with testUser/testPassword
	insecureAuth bool // offer AUTH without TLS
}

// received is one message the server accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// testServer is a real SMTP server (github.com/emersion/go-smtp) on a
// loopback port that records what it receives.
type testServer struct {
	Host string
	Port int
	Pool *x509.CertPool // trusts the server's self-signed certificate

	opts      serverOpts
	mu        sync.Mutex
	got       []received
	authTries int
	arrived   chan struct{}
}

// startServer starts a test SMTP server, stopped when the test ends.
func startServer(t *testing.T, opts serverOpts) *testServer {
	t.Helper()
	cert, pool := selfSigned(t)
	ts := &testServer{Host: "127.0.0.1", Pool: pool, opts: opts, arrived: make(chan struct{}, 100)}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: ts}, nil
	}))
	s.Domain = "mx.test"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.AllowInsecureAuth = opts.insecureAuth
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if opts.startTLS {
		s.TLSConfig = tlsCfg
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.implicitTLS {
		ln = tls.NewListener(ln, tlsCfg)
	}
	ts.Port = ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("SMTP server: %v", err)
		}
	}()
	t.Cleanup(func() {
		s.Close()
		<-done
	})
	return ts
}

// config returns an SMTPConfig for this server, trusting its certificate.
func (ts *testServer) config(tlsMode string) mail.SMTPConfig {
	return mail.SMTPConfig{
		Host: ts.Host, Port: ts.Port, Username: testUser, Password: testPassword, TLS: tlsMode,
		From: testFrom, HelloName: "permis.test", Timeout: 10 * time.Second, RootCAs: ts.Pool,
	}
}

// Received returns the messages accepted so far.
func (ts *testServer) Received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

// AuthTries returns how many AUTH PLAIN exchanges reached the server.
func (ts *testServer) AuthTries() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.authTries
}

type session struct {
	srv    *testServer
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if !s.srv.opts.auth {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		s.srv.mu.Lock()
		s.srv.authTries++
		s.srv.mu.Unlock()
		if username != testUser || password != testPassword {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.auth && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, received{From: s.from, To: s.to, Data: b})
	s.srv.mu.Unlock()
	s.srv.arrived <- struct{}{}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mx.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
