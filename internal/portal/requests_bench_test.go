package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// BenchmarkFileRequest files loss requests end to end through HTTP (router,
// middleware, session, form, Submit: owner check, requirements, stamp
// reservation, timeline, receipt mail, audit, one transaction) beside the
// same Submit called directly, without HTTP, in the same run; on SQLite and,
// with PERMIS_TEST_POSTGRES_URL, PostgreSQL. Each iteration needs its own
// draft and stamp, made before the timer starts: run with a fixed count.
//
//	go test ./internal/portal -run XXX -bench FileRequest -benchtime 200x
func BenchmarkFileRequest(b *testing.B) {
	for name, dsn := range storetest.DSNs(b) {
		for _, mode := range []string{"app", "http"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				e := routertest.Start(b, dsn(b), routertest.Options{Licences: 3, Theme: "neutral"})
				s := e.Citizen(b, "48m", true)
				ids := make([]int64, b.N)
				for i := range ids {
					ids[i] = lossDraft(b, e, s, i)
				}
				b.ResetTimer()
				for _, id := range ids {
					if mode == "http" {
						res := e.Do(b, s, http.MethodPost, fmt.Sprintf("/mes-demarches/%d/envoi", id), map[string]string{})
						if res.StatusCode != http.StatusSeeOther {
							b.Fatalf("submit: %d %s", res.StatusCode, read(b, res))
						}
					} else if _, err := e.App.Submit(ctx, s.Request, id); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
			})
		}
	}
}

// lossDraft prepares a complete loss request with its own stamp and a
// paper photo form.
func lossDraft(b testing.TB, e *routertest.Env, s routertest.Session, i int) int64 {
	b.Helper()
	ctx := context.Background()
	n := stamp.Number(fmt.Sprintf("%016d", 5100000000000000+i))
	st, err := stamp.DefaultConfig().New(n, 2500, e.Clock.Now(), "TX")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		b.Fatal(err)
	}
	r, err := e.App.StartRequest(ctx, s.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		b.Fatal(err)
	}
	yes, sn := true, string(n)
	if _, err := e.App.SaveAnswers(ctx, s.Request, r.ID, app.DraftInput{LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, StampNumber: &sn, PaperPhoto: &yes}); err != nil {
		b.Fatal(err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		if _, err := e.App.AddDocument(ctx, s.Request, r.ID, string(d), app.Upload{Name: "piece.pdf", Body: strings.NewReader("%PDF-1.4\n" + string(d))}); err != nil {
			b.Fatal(err)
		}
	}
	return r.ID
}
