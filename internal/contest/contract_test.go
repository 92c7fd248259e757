package contest

import (
	"strings"
	"testing"
)

// TestDecodeEscapedStrings: a string with JSON escapes means the same as
// without them (the decoder's shortcut for plain strings must not change it).
func TestDecodeEscapedStrings(t *testing.T) {
	doc := strings.Replace(benchDocument, `"ground": "sold"`, `"ground": "sol\u0064"`, 1)
	_, c, err := Decode(strings.NewReader(doc))
	if err != nil || c.Ground != Sold {
		t.Fatalf("ground %q, err %v; want sold", c.Ground, err)
	}
	doc = strings.Replace(benchDocument, `"payment_delay_requested": false`, `"payment_delay_requested": 0`, 1)
	if _, _, err := Decode(strings.NewReader(doc)); err == nil || !strings.HasPrefix(err.Error(), "contest.payment_delay_requested : ") {
		t.Fatalf("err %v, want one naming contest.payment_delay_requested", err)
	}
}
