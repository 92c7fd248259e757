package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/licence"
	"permis/internal/oidcdemo"
	"permis/internal/points"
)

// addrWatcher is the server's log output: it keeps everything written and
// reports the first listening URL the server logs.
type addrWatcher struct {
	metrics string // the --metrics-addr given to serve
	mu      sync.Mutex
	buf     bytes.Buffer
	found   bool
	url     chan string
}

var listeningURL = regexp.MustCompile(`url=(http://[^\s"]+)/`)

func newAddrWatcher() *addrWatcher { return &addrWatcher{url: make(chan string, 1)} }

func (w *addrWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.found {
		if m := listeningURL.FindSubmatch(w.buf.Bytes()); m != nil {
			w.found = true
			w.url <- string(m[1])
		}
	}
	return n, err
}

func (w *addrWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// hangGuard bounds how long the test waits for the server before failing
// instead of hanging; it is not a performance assertion.
const hangGuard = 2 * time.Minute

// startServe runs `permis serve` on a free port in a goroutine and returns
// its base URL and the channel run's result arrives on.
func startServe(t *testing.T, ctx context.Context, reg register, logs *addrWatcher) (string, <-chan error) {
	t.Helper()
	logs.metrics = freeAddr(t)
	args := append([]string{"permis", "serve", "--demo", "--addr", "127.0.0.1:0", "--demo-licences", "300",
		"--metrics-addr", logs.metrics}, reg.flags...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, noEnv, strings.NewReader(""), io.Discard, logs) }()
	select {
	case u := <-logs.url:
		return u, done
	case err := <-done:
		t.Fatalf("serve returned before listening: %v\n%s", err, logs)
	case <-time.After(hangGuard):
		t.Fatalf("serve did not listen\n%s", logs)
	}
	return "", nil
}

// freeAddr returns a loopback address with a port free at the time of the
// call.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// httpGet does a GET with an optional bearer token and returns the status
// and the body.
func httpGet(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("request %s: %v", url, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, body
}

// createToken creates an API token with the CLI and returns its plaintext.
func createToken(t *testing.T, reg register, role string) string {
	t.Helper()
	r := mustRun(t, 0, append([]string{"token", "create", "--role", role, "--name", "e2e-" + role}, reg.flags...)...)
	tok := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(tok, "pmt_") || strings.Contains(tok, "\n") {
		t.Fatalf("token create printed %q, want one pmt_ token", r.stdout)
	}
	return tok
}

type pointsBody struct {
	NEPH      string `json:"neph"`
	At        string `json:"at"`
	Balance   *int   `json:"balance"`
	Ceiling   *int   `json:"ceiling"`
	Movements []struct {
		Date    string `json:"date"`
		Delta   int    `json:"delta"`
		Balance int    `json:"balance"`
		Kind    string `json:"kind"`
	} `json:"movements"`
	Upcoming []json.RawMessage `json:"upcoming"`
	Letters  []json.RawMessage `json:"letters"`
}

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

func decodeErrorBody(t *testing.T, body []byte) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if e.Message == "" {
		t.Fatalf("error body %s has no message", body)
	}
	return e
}

func TestServeEndToEnd(t *testing.T) {
	forEachRegister(t, func(t *testing.T, reg register) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		logs := newAddrWatcher()
		base, done := startServe(t, ctx, reg, logs)

		for _, tc := range []struct{ path, want string }{
			{"/healthz", "ok"},
			{"/readyz", "ready"},
		} {
			status, body := httpGet(t, base+tc.path, "")
			var got struct{ Status string }
			if err := json.Unmarshal(body, &got); status != http.StatusOK || err != nil || got.Status != tc.want {
				t.Fatalf("GET %s = %d %s, want 200 with status %q", tc.path, status, body, tc.want)
			}
		}

		// The demo offers the agents' ProConnect too, with the demonstration
		// agents' accounts created as an administrator would.
		if status, body := httpGet(t, base+"/pc-demo/.well-known/openid-configuration", ""); status != http.StatusOK ||
			!strings.Contains(string(body), `"ES256"`) {
			t.Errorf("demo ProConnect discovery: %d %s", status, body)
		}
		if _, body := httpGet(t, base+"/connexion", ""); !strings.Contains(string(body), `id="proconnect-button"`) {
			t.Error("the demo's sign-in page has no ProConnect button")
		}
		if u, err := mustOpenStore(t, reg.dsn).FindUserByEmail(ctx, oidcdemo.DemoAgents()[0].Email); err != nil || u.Role != "agent" {
			t.Errorf("demonstration agent account: %+v, %v", u, err)
		}

		agent := createToken(t, reg, "agent")
		doctor := createToken(t, reg, "doctor")
		person := demo.DemoPeople()[2] // a balance below 12, with movements
		pointsURL := base + "/api/v1/licences/" + string(person.NEPH) + "/points"

		status, body := httpGet(t, pointsURL, agent)
		if status != http.StatusOK {
			t.Fatalf("GET points as agent = %d %s", status, body)
		}
		var pb pointsBody
		if err := json.Unmarshal(body, &pb); err != nil {
			t.Fatalf("points body %s: %v", body, err)
		}
		for field, missing := range map[string]bool{
			"balance": pb.Balance == nil, "ceiling": pb.Ceiling == nil,
			"movements": pb.Movements == nil, "upcoming": pb.Upcoming == nil, "letters": pb.Letters == nil,
		} {
			if missing {
				t.Errorf("points body has no %q: %s", field, body)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		wantBalanceFromStore(t, reg, person.NEPH, pb)

		for _, tc := range []struct {
			name, url, token string
			status           int
			code             string
		}{
			{"no token", pointsURL, "", http.StatusUnauthorized, "unauthenticated"},
			{"doctor", pointsURL, doctor, http.StatusForbidden, "forbidden"},
			{"unknown neph", base + "/api/v1/licences/999999999999/points", agent, http.StatusNotFound, "not_found"},
			{"malformed neph", base + "/api/v1/licences/12AB/points", agent, http.StatusUnprocessableEntity, "invalid"},
		} {
			status, body := httpGet(t, tc.url, tc.token)
			if status != tc.status {
				t.Errorf("%s: status %d %s, want %d", tc.name, status, body, tc.status)
				continue
			}
			if e := decodeErrorBody(t, body); e.Code != tc.code {
				t.Errorf("%s: code %q, want %q", tc.name, e.Code, tc.code)
			} else if tc.code == "invalid" && e.Fields["neph"] == "" {
				t.Errorf("%s: fields %v do not name neph", tc.name, e.Fields)
			}
		}

		// Metrics are served on their own listener only (issue 10, finding 9).
		if status, _ = httpGet(t, base+"/metrics", ""); status != http.StatusNotFound {
			t.Errorf("GET /metrics on the public address = %d, want 404", status)
		}
		for range 100 { // its listener starts beside the public one: wait until it answers
			if res, err := http.Get("http://" + logs.metrics + "/metrics"); err == nil {
				res.Body.Close()
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		status, body = httpGet(t, "http://"+logs.metrics+"/metrics", "")
		if status != http.StatusOK {
			t.Fatalf("GET /metrics on --metrics-addr = %d", status)
		}
		for _, line := range []string{
			`permis_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`,
			`permis_http_requests_total{code="200",method="GET",route="GET /api/v1/licences/{neph}/points"} 1`,
			`permis_http_requests_total{code="401",method="GET",route="GET /api/v1/licences/{neph}/points"} 1`,
			`permis_http_requests_total{code="403",method="GET",route="GET /api/v1/licences/{neph}/points"} 1`,
		} {
			if !strings.Contains(string(body), line+"\n") {
				t.Errorf("/metrics lacks %q", line)
			}
		}

		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run after cancel = %v, want nil (graceful shutdown)\n%s", err, logs)
			}
		case <-time.After(hangGuard):
			t.Fatalf("run did not return after cancel\n%s", logs)
		}
		if !strings.Contains(logs.String(), "serveur HTTP arrêté") {
			t.Errorf("the log does not record the graceful stop:\n%s", logs)
		}
	})
}

// wantBalanceFromStore checks the API's answer against the engine replaying
// the ledger read from the store at the answer's date, and its movements
// against themselves.
func wantBalanceFromStore(t *testing.T, reg register, neph licence.NEPH, pb pointsBody) {
	t.Helper()
	s := mustOpenStore(t, reg.dsn)
	ll, err := s.LoadLicenceLedgerByNEPH(context.Background(), neph)
	if err != nil {
		t.Fatalf("LoadLicenceLedgerByNEPH(%s): %v", neph, err)
	}
	at, err := date.Parse(pb.At)
	if err != nil {
		t.Fatalf("points body at %q: %v", pb.At, err)
	}
	want, err := points.DefaultRules().Replay(ll.Ledger, at)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if *pb.Balance != want.Balance || *pb.Ceiling != want.Ceiling || len(pb.Movements) != len(want.Movements) {
		t.Fatalf("API: balance %d ceiling %d, %d movements; engine on the stored ledger: %d, %d, %d",
			*pb.Balance, *pb.Ceiling, len(pb.Movements), want.Balance, want.Ceiling, len(want.Movements))
	}
	if len(pb.Movements) == 0 {
		t.Fatalf("demo person %s has no movement: the test would prove nothing", neph)
	}
	initial := pb.Movements[0].Balance - pb.Movements[0].Delta
	if initial != 6 && initial != 12 {
		t.Fatalf("first movement starts from %d points, want the initial capital 6 or 12", initial)
	}
	bal := initial
	for i, m := range pb.Movements {
		bal += m.Delta
		if m.Balance != bal {
			t.Fatalf("movement %d: balance %d, want %d (running sum from %d)", i, m.Balance, bal, initial)
		}
	}
	if bal != *pb.Balance {
		t.Fatalf("balance %d, want %d (initial capital plus every movement)", *pb.Balance, bal)
	}
}
