package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer answers 200 on /ok and 500 on /fail, and counts requests
// and new connections.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	var served, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &served, &conns
}

func TestRunCountsAreConsistent(t *testing.T) {
	srv, served, conns := countingServer(t)
	const concurrency = 4
	res, err := Run(context.Background(), Config{
		URLs:        []string{srv.URL + "/ok", srv.URL + "/ok", srv.URL + "/fail"},
		Concurrency: concurrency,
		Duration:    300 * time.Millisecond,
		Warmup:      100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if res.Requests == 0 || res.Warmup == 0 {
		t.Fatalf("no requests measured or warmed up: %+v", res)
	}
	if got := served.Load(); got != res.Requests+res.Warmup {
		t.Errorf("server served %d, result says %d measured + %d warm-up", got, res.Requests, res.Warmup)
	}
	var byStatus int64
	for _, n := range res.Statuses {
		byStatus += n
	}
	if byStatus != res.Requests {
		t.Errorf("statuses sum to %d, requests %d", byStatus, res.Requests)
	}
	if res.Errors != res.Statuses[500] {
		t.Errorf("errors %d, 500s %d", res.Errors, res.Statuses[500])
	}
	// Round robin over ok, ok, fail: a third fail, give or take the
	// requests in flight at the warm-up boundary.
	if third := res.Requests / 3; res.Errors < third-2*concurrency || res.Errors > third+2*concurrency {
		t.Errorf("errors %d, expected about %d", res.Errors, third)
	}
	if !(res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max) || res.P50 <= 0 {
		t.Errorf("percentiles out of order: %+v", res)
	}
	if res.RPS <= 0 {
		t.Errorf("RPS %v", res.RPS)
	}
	if c := conns.Load(); c > 2*concurrency {
		t.Errorf("%d connections opened for %d workers: keep-alive not working", c, concurrency)
	}
}

func TestRunRequestFuncAndHeader(t *testing.T) {
	var seen, withHeader atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		if r.Method == http.MethodPost && r.Header.Get("Authorization") == "Bearer pmt_test" {
			withHeader.Add(1)
		}
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Config{
		Request: func(i int) (*http.Request, error) {
			return http.NewRequest(http.MethodPost, srv.URL+"/v1/x", nil)
		},
		Header:      http.Header{"Authorization": {"Bearer pmt_test"}},
		Concurrency: 2,
		Duration:    100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || withHeader.Load() != seen.Load() || seen.Load() != res.Requests {
		t.Errorf("result %+v, served %d, with header %d", res, seen.Load(), withHeader.Load())
	}
}

func TestRunCancelled(t *testing.T) {
	srv, _, _ := countingServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := Run(ctx, Config{URLs: []string{srv.URL + "/ok"}, Duration: time.Minute})
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("Run = %+v, %v after %v", res, err, time.Since(start))
	}
	if res.Errors != 0 {
		t.Errorf("cancellation counted as %d errors", res.Errors)
	}
}

func TestRunConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{URLs: []string{"http://x"}}, {Duration: time.Second}} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) = nil error", cfg)
		}
	}
}
