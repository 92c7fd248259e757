package app_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/store/storetest"
)

// Issue 10, finding 5: a draft nobody touched for 90 days is deleted with
// its files, 14 days after a mail warned its owner; a draft changed after
// the warning, and a submitted request, stay.
func TestAbandonedDraftsArePurgedAfterAWarning(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		abandoned := f.mustLossDraft(t, f.citizen, "", "")
		kept := f.mustLossDraft(t, f.citizen, "", "")
		docs, err := f.s.ListRequestDocuments(ctx, abandoned.ID, true)
		if err != nil || len(docs) == 0 {
			t.Fatalf("documents: %v %v", docs, err)
		}
		warnings := func() int { return len(mailsWithSubjectPrefix(t, f, "Votre brouillon de demande va être supprimé")) }

		f.c.Add(77 * 24 * time.Hour)
		if _, err := f.a.Housekeeping(ctx); err != nil {
			t.Fatal(err)
		}
		if n := warnings(); n != 2 {
			t.Fatalf("%d warnings after 77 days, want 2", n)
		}
		f.c.Add(3 * 24 * time.Hour)
		yes := true
		if _, err := f.a.SaveAnswers(ctx, f.citizen, kept.ID, app.DraftInput{LossDeclared: &yes}); err != nil {
			t.Fatal(err)
		}
		f.c.Add(12 * 24 * time.Hour) // 92 days after the last change of the first draft
		if _, err := f.a.Housekeeping(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.MyRequest(ctx, f.citizen, abandoned.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the abandoned draft after 92 days: %v, want not found", err)
		}
		for _, d := range docs {
			if rc, err := f.files.Open(ctx, d.Key); err == nil {
				rc.Close()
				t.Errorf("file %s of the deleted draft still stored", d.Key)
			}
		}
		if _, err := f.a.MyRequest(ctx, f.citizen, kept.ID); err != nil {
			t.Errorf("the draft changed after its warning: %v", err)
		}
		if n := warnings(); n != 2 {
			t.Errorf("%d warnings, want still 2", n)
		}
	})
}

func mailsWithSubjectPrefix(t *testing.T, f *reqFixture, prefix string) []string {
	t.Helper()
	var out []string
	for _, s := range mailsTo(t, f.s, "camille@example.fr") {
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
			out = append(out, s)
		}
	}
	return out
}
