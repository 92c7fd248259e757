package oidc

import "testing"

func TestACRSatisfies(t *testing.T) {
	for _, c := range []struct {
		asked []string
		got   string
		want  bool
	}{
		{[]string{"eidas1"}, "eidas1", true},
		{[]string{"eidas1"}, "eidas2", true}, // a higher level answers a lower one
		{[]string{"eidas2"}, "eidas1", false},
		{[]string{"eidas1"}, "", false},
		{[]string{"eidas1"}, "autre", false},
		{[]string{"https://example/niveau"}, "https://example/niveau", true},
	} {
		if got := acrSatisfies(c.asked, c.got); got != c.want {
			t.Errorf("acrSatisfies(%v, %q) = %v, want %v", c.asked, c.got, got, c.want)
		}
	}
}
