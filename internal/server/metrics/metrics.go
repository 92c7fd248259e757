// Package metrics exposes the HTTP server's Prometheus metrics: it
// implements server.Observer on a registry passed in (never the global
// one, so tests and several servers in one process do not collide) and
// serves that registry on /metrics.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// HTTP holds the request metrics, labelled by ServeMux route pattern
// (bounded: one value per registered route, plus "unmatched").
type HTTP struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New registers the HTTP metrics and the Go runtime and process collectors
// on reg.
func New(reg prometheus.Registerer) (*HTTP, error) {
	m := &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "permis_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "permis_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by route pattern and method.",
			// From 1 ms (a cached read) to 10 s (a slow PDF or a stuck database).
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	for _, c := range []prometheus.Collector{
		m.requests,
		m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ObserveRequest implements server.Observer.
func (m *HTTP) ObserveRequest(route, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(elapsed.Seconds())
}

// Handler serves g's metrics in the Prometheus exposition format. Mount it
// where only the monitoring system can reach it.
func Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}
