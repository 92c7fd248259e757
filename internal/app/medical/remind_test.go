package medical_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The holder of C and CE whose medical validity ends in two months gets one
// mail with the renewal request's link (3 months before, issue 13); a
// second run sends nothing; an end further than 3 months is not due yet.
func TestRemindHeavyCategoriesThreeMonthsBefore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 5})
		ctx := context.Background()
		dp, person := e.Person(t, "heavy")
		l, err := e.Store.FindLicenceByNEPH(ctx, dp.NEPH)
		if err != nil {
			t.Fatal(err)
		}
		s := medicalapp.New(e.App)
		sys := app.Request{Actor: access.SystemActor("test")}
		set := func(months int) {
			for _, c := range []string{"C", "CE"} {
				if err := e.Store.SetCategoryMedicalUntil(ctx, l.ID, c, e.Today.AddMonths(months)); err != nil {
					t.Fatal(err)
				}
			}
		}
		set(4)
		if sum, err := s.Remind(ctx, sys); err != nil || sum.Sent != 0 {
			t.Fatalf("4 months before: %+v, %v", sum, err)
		}
		set(2)
		for run, want := range []int{1, 0} {
			sum, err := s.Remind(ctx, sys)
			if err != nil || sum.Sent != want {
				t.Fatalf("run %d: %+v, %v; want %d sent", run+1, sum, err, want)
			}
		}
		ms, err := e.Store.ListMail(ctx, store.MailFilter{To: person.Email})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ms {
			if strings.Contains(m.Subject, "aptitude médicale") {
				n++
				if !strings.Contains(m.Text, "/mes-demarches/nouvelle/renouvellement-medical") || !strings.Contains(m.Text, e.Today.AddMonths(2).French()) {
					t.Errorf("mail text: %s", m.Text)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d reminder mails to %q, want 1", n, person.Email)
		}
	})
}
