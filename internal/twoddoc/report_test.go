package twoddoc

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A report carries the header, signature and fields of a decoded code, or
// the decode error of a malformed one; its JSON keys are the documented
// ones (docs/2ddoc.md), the absent parts left out.
func TestReport(t *testing.T) {
	ab := loadSpecimens(t)[1]
	for _, tc := range []struct {
		name string
		text string
		keys []string
	}{
		{"specimen", ab.code, []string{"fields", "header", "signature", "status", "verdict"}},
		{"malformed", "DC04FR0000011E47", []string{"error", "status", "verdict"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewKeyring().Verify(tc.text).Report()
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range m {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, tc.keys) {
				t.Errorf("keys %v, want %v: %s", keys, tc.keys, b)
			}
		})
	}

	r := NewKeyring().Verify(ab.code).Report()
	if r.Status != UnknownCertificate || r.Header.DocTypeLabel != "Relevé d'information permis de conduire" ||
		r.Signature.Algorithm != "ECDSA P-256 SHA-256" || r.Signature.Bytes != 64 || len(r.Fields) != len(ab.fields) {
		t.Fatalf("report = %+v", r)
	}
	for i, f := range r.Fields {
		if want := ab.fields[i]; f.ID != want[0] || f.Value != want[1] || f.Display != want[2] || f.Label == "" || f.Position < 27 {
			t.Errorf("field %d = %+v, want %v with a label and its position", i, f, want)
		}
	}
	if e := NewKeyring().Verify("DC04FR0000011E47").Report().Error; e == nil || e.Position != 17 || !strings.Contains(e.Message, "position 17") {
		t.Errorf("error = %+v, want the truncated header at 17", e)
	}
}
