package portal_test

import (
	"strings"
	"testing"
)

// A visitor after a 4-month drink-driving suspension answers "Quelle
// visite médicale ?" one screen at a time, by clicking, from the home
// page: the commission médicale, 50 €, and the way to find it. Each screen,
// the refused one included, is checked with axe-core.
func TestMedicalRouteInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 5)
	checked(b.VisitChecked(t, e.URL+"/"), 200)
	checked(b.Follow("#home-medical"), 200)
	checked(b.Submit("#medical-next"), 422) // nothing chosen
	if !b.Exists("#resume-erreurs") {
		t.Fatal("no error summary")
	}
	b.Click("#motif-suspension")
	checked(b.Submit("#medical-next"), 200)
	b.Click("#cause-alcohol")
	checked(b.Submit("#medical-next"), 200)
	b.Fill("#duree", "4")
	checked(b.Submit("#medical-next"), 200)
	b.Click("#avis-aucun")
	checked(b.Submit("#medical-next"), 200)
	if got := b.Text("#medical-examiner"); !strings.Contains(got, "commission médicale") {
		t.Fatalf("examiner %q", got)
	}
	if got := b.Text("#medical-fee"); !strings.Contains(got, "50") {
		t.Fatalf("fee %q", got)
	}
	checked(b.Follow("#medical-back"), 200) // the previous question again
	if !b.Exists("#avis-aucun") {
		t.Fatal("the back link does not lead to the previous question")
	}
}
