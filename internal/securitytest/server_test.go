package securitytest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"permis/internal/store/storetest"
)

// binary is the `permis` built once for the whole suite.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "permis-securitytest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "permis")
	build := exec.Command("go", "build", "-o", binary, "permis/cmd/permis")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "securitytest: build permis:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// instance is a running `permis serve`.
type instance struct {
	URL     string // public address, http://127.0.0.1:port
	Metrics string // the metrics listener, http://127.0.0.1:port
	Data    string // --data
	DB      string // --database ("" for SQLite in Data)
	logs    *logBuffer
	cmd     *exec.Cmd
}

// logBuffer keeps the server's output for failure messages.
type logBuffer struct{ b strings.Builder }

func (l *logBuffer) Write(p []byte) (int, error) { return l.b.Write(p) }

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs `permis serve` in demo mode (flags given explicitly: serve is
// production by default) on database db ("" for SQLite) until the test
// ends, and waits until it answers.
func start(t *testing.T, db string) *instance {
	t.Helper()
	return startIn(t, t.TempDir(), db)
}

// startIn is start on the data folder data: a server started again on
// the data of one that was killed.
func startIn(t *testing.T, data, db string) *instance {
	t.Helper()
	in := &instance{Data: data, DB: db, logs: &logBuffer{}}
	addr, maddr := freePort(t), freePort(t)
	in.URL, in.Metrics = "http://"+addr, "http://"+maddr
	args := []string{"serve", "--demo", "--demo-licences", "40", "--addr", addr, "--metrics-addr", maddr, "--data", in.Data}
	if db != "" {
		args = append(args, "--database", db)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "PERMIS_DEMO=", "PERMIS_ADDR=", "PERMIS_DATABASE=")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	cmd.Stdout, cmd.Stderr = in.logs, in.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.cmd = cmd
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	for range 600 { // the demo register loads first: wait until the server answers
		if res, err := http.Get(in.URL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return in
			}
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("permis serve did not start:\n%s", in.logs.b.String())
	return nil
}

// forEachDatabase runs fn against one server on SQLite and, when
// PERMIS_TEST_POSTGRES_URL is set, one on PostgreSQL.
func forEachDatabase(t *testing.T, fn func(t *testing.T, in *instance)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, start(t, "")) })
	if u := os.Getenv(storetest.EnvPostgres); u != "" {
		t.Run("postgres", func(t *testing.T) {
			dsn := storetest.PostgresSchema(t, u) + "&application_name=permis_securitytest"
			fn(t, start(t, dsn))
		})
	}
}

// browser is a visitor with its own cookies, who does not follow redirects.
type browser struct {
	t   *testing.T
	in  *instance
	c   *http.Client
	jar *cookiejar.Jar
}

func newBrowser(t *testing.T, in *instance) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, in: in, jar: jar, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request; form (may be nil) is sent url-encoded; header
// values are added. It returns the response with its body read.
func (b *browser) do(method, target string, form url.Values, header map[string]string) (*http.Response, string) {
	b.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.in.URL + target
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

func (b *browser) get(target string) (*http.Response, string) {
	return b.do(http.MethodGet, target, nil, nil)
}

// follow GETs target and follows redirects, returning the last response.
func (b *browser) follow(target string) (*http.Response, string) {
	b.t.Helper()
	for range 10 {
		res, body := b.get(target)
		loc := res.Header.Get("Location")
		if res.StatusCode < 300 || res.StatusCode >= 400 || loc == "" {
			return res, body
		}
		u, _ := res.Request.URL.Parse(loc)
		target = u.String()
	}
	b.t.Fatalf("too many redirects from %s", target)
	return nil, ""
}

var (
	personRE    = regexp.MustCompile(`name="personne" id="personne-\d+" value="([^"]+)"`)
	requestIDRE = regexp.MustCompile(`name="id" value="([^"]+)"`)
)

// signInCitizen signs in with the demo identity provider as its n-th
// person (0, 1…), as a browser does, and returns the session cookie's
// value.
func (b *browser) signInCitizen(n int) {
	b.t.Helper()
	res, body := b.follow(b.in.URL + "/connexion/oidc")
	people := personRE.FindAllStringSubmatch(body, -1)
	ids := requestIDRE.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || len(people) <= n || ids == nil {
		b.t.Fatalf("the demo provider's page: %d, %d people\n%s", res.StatusCode, len(people), body)
	}
	login := res.Request.URL.String()
	res, body = b.do(http.MethodPost, login, url.Values{"id": {ids[1]}, "personne": {people[n][1]}, "methode": {"pwd"}, "action": {"connexion"}},
		map[string]string{"Origin": res.Request.URL.Scheme + "://" + res.Request.URL.Host})
	loc := res.Header.Get("Location")
	if loc == "" {
		b.t.Fatalf("demo provider login: %d\n%s", res.StatusCode, body)
	}
	u, _ := res.Request.URL.Parse(loc)
	res, _ = b.follow(u.String())
	if !strings.HasPrefix(res.Request.URL.Path, "/mon-espace") {
		b.t.Fatalf("after signing in: %s", res.Request.URL)
	}
}

// session is the value of the session cookie.
func (b *browser) session() string {
	u, _ := url.Parse(b.in.URL)
	for _, c := range b.jar.Cookies(u) {
		if strings.Contains(c.Name, "session") {
			return c.Value
		}
	}
	return ""
}

// lines counts the non-empty lines of s.
func lines(s string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			n++
		}
	}
	return n
}
