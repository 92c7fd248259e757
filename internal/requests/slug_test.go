package requests

import (
	"regexp"
	"testing"
)

// Every type and document has a French slug of its own, in lower case
// without accents, and it reads back.
func TestSlugsAreFrenchAndUnique(t *testing.T) {
	ok := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, ty := range Types() {
		s := ty.Kind.Slug()
		if s == string(ty.Kind) && s != "restitution" {
			t.Errorf("type %s has no French slug", ty.Kind)
		}
		if !ok.MatchString(s) || seen[s] {
			t.Errorf("type %s: slug %q malformed or repeated", ty.Kind, s)
		}
		seen[s] = true
		if back, found := LookupSlug(s); !found || back.Kind != ty.Kind {
			t.Errorf("LookupSlug(%q) = %v, %v", s, back.Kind, found)
		}
	}
	seen = map[string]bool{}
	for d := range documentLabels {
		s := d.Slug()
		if _, has := documentSlugs[d]; !has || !ok.MatchString(s) || seen[s] {
			t.Errorf("document %s: slug %q missing, malformed or repeated", d, s)
		}
		seen[s] = true
		if back, found := DocumentOfSlug(s); !found || back != d {
			t.Errorf("DocumentOfSlug(%q) = %v, %v", s, back, found)
		}
	}
	if Loss.Slug() != "perte" || DocIdentity.Slug() != "piece-identite" {
		t.Errorf("slugs: %s %s", Loss.Slug(), DocIdentity.Slug())
	}
}
