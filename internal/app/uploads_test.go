package app_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/requests"
	"permis/internal/store/storetest"
)

// Issue 10, finding 5: a document sent again replaces the file — the old
// one is deleted, not kept — and an account's uploads are limited in
// total size and in number per hour.
func TestUploadsReplaceQuotaAndRate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		for i := range 5 {
			if _, err := f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocIdentity), pdf("version "+strings.Repeat("x", i))); err != nil {
				t.Fatal(err)
			}
		}
		docs, err := f.s.ListRequestDocuments(ctx, r.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		live, replaced := 0, 0
		for _, d := range docs {
			if d.Document != requests.DocIdentity {
				continue
			}
			rc, err := f.files.Open(ctx, d.Key)
			if err == nil {
				rc.Close()
			}
			switch {
			case d.State == "replaced" && err == nil:
				t.Errorf("replaced file %s still stored", d.Key)
			case d.State == "replaced":
				replaced++
			case err != nil:
				t.Errorf("live file %s: %v", d.Key, err)
			default:
				live++
			}
		}
		if live != 1 || replaced != 5 {
			t.Errorf("%d live and %d replaced identity documents, want 1 and 5", live, replaced)
		}

		// The quota, on an app with a small one: the account's live
		// documents already take more.
		small := app.New(app.Config{Store: f.s, Clock: f.c, Files: f.files, Jobs: f.q, Requests: app.RequestOptions{UploadQuota: 40}})
		t.Cleanup(func() { small.Close() })
		_, err = small.AddDocument(ctx, f.citizen, r.ID, string(requests.DocAddress), pdf("adresse"))
		if e := apperr.As(err); e.Code != apperr.Invalid || !strings.Contains(e.Fields["document"], "permis par compte") {
			t.Errorf("over the quota: %v, want a problem on document", err)
		}

		// The rate: 30 documents an hour per account (the fixture's two,
		// these six, then more).
		for range 22 {
			if _, err = f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocAddress), pdf("adresse")); err != nil {
				t.Fatalf("within the rate: %v", err)
			}
		}
		if _, err = f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocAddress), pdf("adresse")); !apperr.Is(err, apperr.TooMany) {
			t.Errorf("the 31st upload in an hour: %v, want too many", err)
		}
	})
}
