package portal_test

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"testing"

	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// Benchmarks for BENCHMARKS.md, each beside its baseline, on SQLite, one
// request at a time (read "per core" from the rate): the "my points" page
// through the whole service (router, middleware, session, ledger replay,
// audit-free read of one's own record, the real template in the shell)
// beside a bare html/template render of the same figures; and the full
// statement through the service (session, ledger, 2D-Doc signature,
// DataMatrix, PDF, statement record and audit entry in one transaction)
// beside which internal/statement's BenchmarkBarePDF is the baseline.
//
//	go test ./internal/portal -run XXX -bench . -benchtime 3s -count 3

func benchEnv(b *testing.B) (*routertest.Env, routertest.Session) {
	e := routertest.Start(b, storetest.SQLiteDSN(b), routertest.Options{Licences: 3, Theme: "neutral"})
	return e, e.Citizen(b, "48m", true)
}

func rate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

func BenchmarkMyPointsPage(b *testing.B) {
	e, s := benchEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		res := e.Do(b, s, http.MethodGet, "/mon-espace/points", nil)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
		_, _ = io.Copy(io.Discard, res.Body)
	}
	rate(b, "req/s")
}

// bare is the baseline page: the same figures in a minimal HTML page,
// without layout, session, database or HTTP.
var bare = template.Must(template.New("bare").Parse(`<!doctype html><html lang="fr"><title>Mes points</title>
<h1>Mes points</h1><p>{{.Balance}} / {{.Ceiling}} au {{.At}}</p>
<table>{{range .Movements}}<tr><td>{{.Date}}</td><td>{{.Kind.Label}}</td><td>{{.Delta}}</td><td>{{.Balance}}</td></tr>{{end}}</table>
<table>{{range .Upcoming}}<tr><td>{{.Date}}</td><td>{{.Kind.Label}}</td><td>{{.Delta}}</td></tr>{{end}}</table>`))

func BenchmarkBarePointsTemplate(b *testing.B) {
	e, s := benchEnv(b)
	pv, err := e.App.MyPoints(context.Background(), s.Request)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := bare.Execute(&buf, pv); err != nil {
			b.Fatal(err)
		}
	}
	rate(b, "renders/s")
}

func BenchmarkFullStatementDownload(b *testing.B) {
	e, s := benchEnv(b)
	if !s.Account.ViaOIDC {
		b.Fatal("the full statement needs an identity-provider account")
	}
	b.ReportAllocs()
	for b.Loop() {
		res := e.Do(b, s, http.MethodPost, "/mon-espace/documents/releve-integral", map[string]string{})
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
			b.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		_, _ = io.Copy(io.Discard, res.Body)
	}
	rate(b, "docs/s")
}
