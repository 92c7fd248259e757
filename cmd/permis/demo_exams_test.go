package main

import (
	"context"
	"log/slog"
	"testing"

	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The demo's exam centres are recorded once: a second start adds none.
func TestDemoExamCentres(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		for range 2 {
			if err := ensureDemoExamCentres(ctx, s, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
		}
		cs, err := s.ListExamCentres(ctx)
		if err != nil || len(cs) != len(demoExamCentres()) || cs[0].Code != "34-BEZIERS" {
			t.Fatalf("centres %+v, %v", cs, err)
		}
	})
}
