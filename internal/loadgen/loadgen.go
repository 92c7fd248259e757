// Package loadgen is an in-process HTTP load generator for benchmarks: a
// fixed number of workers send requests back to back over keep-alive
// connections for a set duration, after an unmeasured warm-up.
package loadgen

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Config describes a run.
type Config struct {
	// URLs are fetched with GET in turn; ignored when Request is set.
	URLs []string
	// Request builds the i-th request (i counts from 0 across workers),
	// for other methods or bodies.
	Request func(i int) (*http.Request, error)
	// Concurrency is the number of workers; 0 means 1.
	Concurrency int
	// Duration is the measured period (required).
	Duration time.Duration
	// Warmup runs before the measure; its requests are not counted.
	Warmup time.Duration
	// Header is added to every request (e.g. Authorization).
	Header http.Header
	// Client overrides the tuned client built from Concurrency.
	Client *http.Client
}

// Result summarises the measured period. Latencies cover every measured
// request, errors included.
type Result struct {
	Requests int64         // requests completed in the measured period
	Warmup   int64         // requests completed during the warm-up, not measured
	Errors   int64         // transport errors and responses with status ≥ 400
	Statuses map[int]int64 // responses by status code
	Elapsed  time.Duration // measured period actually run
	RPS      float64       // Requests / Elapsed
	P50      time.Duration
	P90      time.Duration
	P99      time.Duration
	Max      time.Duration
}

// NewTransport returns a transport that keeps one idle connection per
// worker, so a run measures the server, not connection set-up.
func NewTransport(concurrency int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// Run sends load as cfg describes and returns the measured result. It
// returns early with the partial result and ctx's error if ctx ends.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Duration <= 0 {
		return Result{}, errors.New("loadgen: Duration must be positive")
	}
	if cfg.Request == nil && len(cfg.URLs) == 0 {
		return Result{}, errors.New("loadgen: URLs or Request required")
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	client := cfg.Client
	if client == nil {
		tr := NewTransport(cfg.Concurrency)
		defer tr.CloseIdleConnections()
		client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	build := cfg.Request
	if build == nil {
		build = func(i int) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, cfg.URLs[i%len(cfg.URLs)], nil)
		}
	}

	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	end := measureFrom.Add(cfg.Duration)
	var next atomic.Int64
	workers := make([]worker, cfg.Concurrency)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			workers[w].run(ctx, client, build, cfg.Header, &next, measureFrom, end)
		})
	}
	wg.Wait()
	elapsed := max(0, time.Since(measureFrom))
	return summarise(workers, elapsed), ctx.Err()
}

// worker sends requests back to back and keeps its own tallies, so workers
// share nothing but the request counter.
type worker struct {
	latencies []time.Duration
	warmup    int64
	errors    int64
	statuses  map[int]int64
}

func (w *worker) run(ctx context.Context, client *http.Client, build func(int) (*http.Request, error),
	header http.Header, next *atomic.Int64, measureFrom, end time.Time) {
	w.statuses = map[int]int64{}
	for ctx.Err() == nil {
		t0 := time.Now()
		if !t0.Before(end) {
			return
		}
		status, err := do(ctx, client, build, header, int(next.Add(1)-1))
		d := time.Since(t0)
		if ctx.Err() != nil {
			return // aborted by the caller: not a server error
		}
		if t0.Before(measureFrom) {
			w.warmup++
			continue
		}
		w.latencies = append(w.latencies, d)
		if err != nil {
			w.errors++
			continue
		}
		w.statuses[status]++
		if status >= 400 {
			w.errors++
		}
	}
}

// do sends one request and reads the whole body, so the connection is
// reused.
func do(ctx context.Context, client *http.Client, build func(int) (*http.Request, error), header http.Header, i int) (int, error) {
	req, err := build(i)
	if err != nil {
		return 0, err
	}
	req = req.WithContext(ctx)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

func summarise(workers []worker, elapsed time.Duration) Result {
	r := Result{Statuses: map[int]int64{}, Elapsed: elapsed}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.latencies...)
		r.Errors += w.errors
		r.Warmup += w.warmup
		for s, n := range w.statuses {
			r.Statuses[s] += n
		}
	}
	r.Requests = int64(len(all))
	if elapsed > 0 {
		r.RPS = float64(r.Requests) / elapsed.Seconds()
	}
	if len(all) == 0 {
		return r
	}
	slices.Sort(all)
	r.P50, r.P90, r.P99 = quantile(all, .50), quantile(all, .90), quantile(all, .99)
	r.Max = all[len(all)-1]
	return r
}

// quantile returns the nearest-rank q-quantile of sorted.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
