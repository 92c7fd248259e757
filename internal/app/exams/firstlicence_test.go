package exams_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/exam"
	"permis/internal/requests"
	"permis/internal/store/storetest"
)

// The first-licence request finds the CEPC by itself: started after a
// favourable exam, it is prefilled with the category and does not ask for
// the certificate; once the CEPC has expired (4 months), it asks for it.
func TestFirstLicenceFindsTheCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 1, now.Add(-time.Hour))
		lea, _ := f.mustCandidate(t, 1, "2026-10-01")
		b, err := f.svc.Book(ctx, lea, libre(f.slot("2026-12-10")))
		if err != nil {
			t.Fatal(err)
		}
		before, err := f.a.StartRequest(ctx, lea, app.StartInput{Kind: string(requests.FirstLicence)})
		if err != nil {
			t.Fatal(err)
		}
		if before.Answers != "{}" {
			t.Fatalf("prefilled before any result: %s", before.Answers)
		}
		f.c.Set(time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC))
		if err := f.svc.RecordResult(ctx, f.agent, b.Booking.Reference, exam.Favourable); err != nil {
			t.Fatal(err)
		}
		r, err := f.a.StartRequest(ctx, lea, app.StartInput{Kind: string(requests.FirstLicence)})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Answers, `"categories":["B"]`) {
			t.Fatalf("not prefilled with the CEPC's category: %s", r.Answers)
		}
		need, err := f.a.Requirements(ctx, lea, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if need.Has(requests.DocExamCertificate) || !need.CertificateOnFile {
			t.Fatalf("the CEPC is asked although the service holds it: %+v", need)
		}
		f.c.Set(time.Date(2027, 4, 10, 9, 0, 0, 0, time.UTC)) // the CEPC ran until 09/04/2027
		need, err = f.a.Requirements(ctx, lea, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !need.Has(requests.DocExamCertificate) || need.CertificateOnFile {
			t.Fatalf("an expired CEPC is taken as on file: %+v", need)
		}
	})
}
