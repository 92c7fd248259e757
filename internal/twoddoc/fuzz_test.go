package twoddoc

import (
	"errors"
	"testing"
)

// Whatever the text, Decode never panics; a failure is a *DecodeError whose
// position lies in the text (or just after it); and what decodes re-encodes
// to exactly the signed bytes, header included, annex included.
func FuzzDecode(f *testing.F) {
	for _, sp := range loadSpecimens(f) {
		f.Add(sp.code)
	}
	for _, s := range []string{
		head + "6GDUPONT\x1d6908051942\x1f" + zeroSig,
		head + "6G" + "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" + "\x1e6HM\x1d\x1f" + zeroSig + "\x1d6XLYON",
		"DC01FR000001FFFF1E47AB6HM\x1f" + zeroSig,
		"DC07", "", "DC04FR00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := Decode(text)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v, want *DecodeError", err, err)
			}
			if de.Position < 1 || de.Position > len(text)+1 || de.Message == "" {
				t.Fatalf("error at %d for a text of %d bytes: %q", de.Position, len(text), de.Message)
			}
			return
		}
		data, err := Encode(doc.Header, doc.Fields)
		if err != nil {
			t.Fatalf("decoded %q but Encode fails: %v", Escape(text), err)
		}
		if data != string(doc.Signed()) {
			t.Fatalf("re-encoded\n%q\nsigned bytes\n%q", Escape(data), Escape(string(doc.Signed())))
		}
		whole := data + "\x1f" + b32.EncodeToString(doc.Signature)
		if doc.Annex != nil {
			if whole, err = AppendAnnex(whole, doc.Annex); err != nil {
				t.Fatalf("annex: %v", err)
			}
		}
		again, err := Decode(whole)
		if err != nil || string(again.Signed()) != data || len(again.Fields) != len(doc.Fields) || len(again.Annex) != len(doc.Annex) {
			t.Fatalf("rebuilt code does not decode the same: %v", err)
		}
	})
}
