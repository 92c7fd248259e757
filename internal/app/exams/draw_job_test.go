package exams_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"permis/internal/app/exams"
	"permis/internal/exam"
	"permis/internal/store/storetest"
)

// TestReleaseDrawnByTheJob: a release whose queue nobody looks at after its
// window is drawn by the background job of `permis serve` (DrawClosed, the
// function its 30-second loop runs), on time, by one of two instances
// running it at once (the draw is one conditional UPDATE); no page is
// read.
func TestReleaseDrawnByTheJob(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		_, svc2 := mustOpen(t, dsn, f.c)
		opens := now.Add(time.Minute)
		rel := f.mustPublish(t, "2027-01-12", 2, opens)
		f.c.Set(opens.Add(10 * time.Second))
		var nephs []string
		for i := range 3 {
			req, neph := f.mustCandidate(t, 40+i, "2026-10-01")
			nephs = append(nephs, neph)
			if b, err := f.svc.Book(ctx, req, libre(f.slot("2027-01-12"))); err != nil || !b.Queued {
				t.Fatalf("in the window: %+v, %v", b, err)
			}
		}
		f.c.Set(opens.Add(exam.ReleaseWindow - time.Second))
		if n, err := f.svc.DrawClosed(ctx); err != nil || n != 0 {
			t.Fatalf("before the window closed: %d drawn, %v", n, err)
		}
		f.c.Set(opens.Add(exam.ReleaseWindow + exams.DrawInterval))
		var wg sync.WaitGroup
		drawn := make([]int, 2)
		errs := make([]error, 2)
		for i, svc := range []*examsService{f.svc, svc2} {
			wg.Go(func() { drawn[i], errs[i] = svc.DrawClosed(ctx) })
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || drawn[0]+drawn[1] != 1 {
			t.Fatalf("two instances drew %v times (errors %v), want once in all", drawn, errs)
		}
		if r, err := f.s.FindExamRelease(ctx, rel.ID); err != nil || r.DrawnAt == nil {
			t.Fatalf("release not drawn by the job: %+v, %v", r, err)
		}
		booked := 0
		for _, n := range nephs {
			bs, _ := f.s.ListExamBookings(ctx, n)
			booked += len(bs)
		}
		if booked != 2 {
			t.Fatalf("%d places given by the job's draw, want 2", booked)
		}
		if n, err := svc2.DrawClosed(ctx); err != nil || n != 0 {
			t.Fatalf("drawn again: %d, %v", n, err)
		}
	})
}
