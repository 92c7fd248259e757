package securitytest

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/twoddoc"
)

// 2D-Doc forgeries against the running /verifier: a document signed with
// the service's own key verifies; the same document with one value changed
// is refused as modified (in red, none of its values shown as data); the
// same values re-signed with another key under the service's certificate
// id are refused as modified too; signed under an unknown certificate,
// they are refused as unverifiable (their values folded away as not
// guaranteed). The signing key is the one the running
// server generated in its data folder (the demo's test key).
func twoDDocForgeries(t *testing.T, in *instance) {
	own, err := twoddoc.LoadSigner(filepath.Join(in.Data, "2ddoc", "FR00-PRM1.key.pem"))
	if err != nil {
		t.Fatalf("the server's signing key: %v", err)
	}
	today := date.Some(date.FromTime(time.Now()))
	h := twoddoc.Header{Version: 4, IssueDate: today, SignatureDate: today, DocType: "AB", Perimeter: "01", Country: "FR"}
	fields := []twoddoc.Field{{ID: "6G", Value: "MARTIN"}, {ID: "60", Value: "PAUL"}, {ID: "AC", Value: "230334100123"}, {ID: "E4", Value: "APC"}, {ID: "E5", Value: "50"}}
	genuine, err := own.Issue(h, fields)
	if err != nil {
		t.Fatal(err)
	}
	other, err := twoddoc.GenerateSigner("FR00", "PRM1", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	resigned, err := other.Issue(h, fields)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := twoddoc.GenerateSigner("FR99", "ZZZ9", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := stranger.Issue(h, fields)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, in)
	for _, tc := range []struct {
		name, code, status string
		showsValues        bool
	}{
		{"genuine", genuine, "valid", true},
		{"one value changed", strings.Replace(genuine, "MARTIN", "MARTON", 1), "bad_signature", false},
		{"re-signed with another key", resigned, "bad_signature", false},
		{"signed under an unknown certificate", unknown, "unknown_certificate", false},
	} {
		res, body := b.do(http.MethodPost, "/verifier", url.Values{"code": {twoddoc.Escape(tc.code)}}, map[string]string{"Origin": in.URL})
		if res.StatusCode >= 500 {
			t.Fatalf("%s: %d", tc.name, res.StatusCode)
		}
		if !strings.Contains(body, `data-status="`+tc.status+`"`) {
			t.Errorf("%s: verdict is not %s", tc.name, tc.status)
		}
		if tc.status == "bad_signature" && !strings.Contains(body, "fr-alert--error") {
			t.Errorf("%s: a modified document is not shown as an error", tc.name)
		}
		if got := strings.Contains(body, ">MARTIN<"); tc.status != "unknown_certificate" && got != tc.showsValues {
			t.Errorf("%s: values shown as data: %v, want %v", tc.name, got, tc.showsValues)
		}
	}
}
