package support

import "testing"

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		code, path string
		want       bool
	}{
		{"points", "/mon-espace/points", true},
		{"points", "/mon-espace/pointsx", false},
		{"points", "/mon-espace/codes", false},
		{"compte", "/mon-espace/codes", true},
		{"verification", "/verification-permis", true},
		{"autre", "/", true},
	} {
		p, ok := LookupProcedure(tc.code)
		if !ok {
			t.Fatalf("no procedure %q", tc.code)
		}
		if got := p.Covers(tc.path); got != tc.want {
			t.Errorf("%s covers %s: %v", tc.code, tc.path, got)
		}
	}
}

func TestChecks(t *testing.T) {
	long := string(make([]rune, MaxSummary+1))
	for _, tc := range []struct {
		name   string
		got    map[string]string
		fields []string
	}{
		{"good report", Report{Procedure: "points", Summary: "s", Details: "d", Email: "a@b.fr"}.Check(), nil},
		{"empty report", Report{}.Check(), []string{"procedure", "summary", "details", "email"}},
		{"long summary", Report{Procedure: "points", Summary: long, Details: "d", Email: "a@b.fr"}.Check(), []string{"summary"}},
		{"good appeal", Appeal{Name: "n", Email: "a@b.fr", Summary: "s", Details: "d"}.Check(), nil},
		{"bad neph", Appeal{Name: "n", Email: "a@b.fr", NEPH: "12345", Summary: "s", Details: "d"}.Check(), []string{"neph"}},
	} {
		if len(tc.got) != len(tc.fields) {
			t.Errorf("%s: %v, want problems on %v", tc.name, tc.got, tc.fields)
			continue
		}
		for _, f := range tc.fields {
			if tc.got[f] == "" {
				t.Errorf("%s: no problem on %s (%v)", tc.name, f, tc.got)
			}
		}
	}
	if got := tooLong(5000); got != "Ce texte est trop long : 5\u00a0000 caractères au plus." {
		t.Errorf("tooLong %q", got)
	}
}
