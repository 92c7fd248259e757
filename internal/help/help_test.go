package help

import (
	"strings"
	"testing"
)

// Every article has a body, a summary, and links only to articles and
// pages that exist.
func TestArticles(t *testing.T) {
	pages := map[string]bool{"/recours": true, "/signaler-un-probleme": true, "/verifier": true, "/verification-permis": true,
		"/avis-de-contravention": true, "/avis-de-contravention/designation-groupee": true}
	for _, a := range Articles() {
		if a.Summary == "" || len(a.Body) < 200 {
			t.Errorf("%s: summary %q, body of %d bytes", a.Slug, a.Summary, len(a.Body))
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(a.Body), -1) {
			href := m[1]
			if slug, ok := strings.CutPrefix(href, "/aide/"); ok {
				if _, found := Find(slug); !found {
					t.Errorf("%s links to a missing article %s", a.Slug, href)
				}
			} else if !pages[href] {
				t.Errorf("%s links to %s, not a page of the service", a.Slug, href)
			}
		}
	}
}

func TestSearch(t *testing.T) {
	for _, tc := range []struct {
		query, first string
	}{
		{"NEPH", "neph"},
		{"où trouver mon numéro de dossier", "neph"},
		{"ASSR perdue", "assr2"},
		{"passer le permis en candidat libre", "passer-le-permis"},
		{"réserver une place d'examen", "passer-le-permis"},
		{"prix du timbre", "timbre-fiscal"},
		{"TIMBRE FISCAL", "timbre-fiscal"},
		{"médecin agréé", "visite-medicale"},
		{"medecin agree", "visite-medicale"},
		{"contester une amende", "contester-amende"},
		{"vendu mon véhicule", "contester-amende"},
		{"récupération de points", "mes-points"},
		{"recup", "mes-points"},
		{"photomaton", "photo-signature"},
		{"3400", "se-faire-aider"},
		{"employeur", "prouver-mes-droits"},
		{"perdu mon permis", "perte-du-permis"},
		{"j'ai perdu mon permis de conduire", "perte-du-permis"},
		{"permis égaré", "perte-du-permis"},
	} {
		rs := Search(tc.query)
		if len(rs) == 0 || rs[0].Slug != tc.first {
			var got []string
			for _, r := range rs {
				got = append(got, r.Slug)
			}
			t.Errorf("Search(%q) = %v, want %s first", tc.query, got, tc.first)
		}
	}
	// A word every article has ("permis") does not bring them all: the
	// question is about a loss.
	if rs := Search("perdu mon permis"); len(rs) > 4 {
		var got []string
		for _, r := range rs {
			got = append(got, r.Slug)
		}
		t.Errorf("Search(perdu mon permis) = %d articles %v, want the few about a loss", len(rs), got)
	}
	if rs := Search("le la les"); rs != nil {
		t.Errorf("stop words only: %v", rs)
	}
	if rs := Search("xylophone"); len(rs) != 0 {
		t.Errorf("no match: %v", rs)
	}
}

func TestLinkPanicsOnUnknownSlug(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Link of a missing article did not panic")
		}
	}()
	Link("nulle-part")
}

// The points article says what the law says (issue 11): the invalidation
// takes effect when the 48SI is handed over, a course before that still
// counts (L223-5), and after an offence the probationary maximum stays where
// it was (R223-1 III).
func TestPointsArticleFollowsTheLaw(t *testing.T) {
	a, ok := Find("mes-points")
	if !ok {
		t.Fatal("no mes-points article")
	}
	body := string(a.Body)
	for _, want := range []string{"à partir du jour où cette lettre vous est remise", "un stage de sensibilisation terminé avant ce jour", "il reste celui déjà atteint jusqu'à la fin de la période probatoire"} {
		if !strings.Contains(body, want) {
			t.Errorf("the article does not say %q", want)
		}
	}
}
