package twoddoc

import (
	"bufio"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
)

// specimen is one official example of testdata/specimens.txt.
type specimen struct {
	name      string
	code      string // with real control characters
	signature []byte
	header    []string // version, CA, cert, issue, signed, type, perimeter, country
	fields    [][3]string
}

// loadSpecimens reads testdata/specimens.txt.
func loadSpecimens(tb testing.TB) []specimen {
	tb.Helper()
	f, err := os.Open("testdata/specimens.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []specimen
	var cur specimen
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		switch parts[0] {
		case "name":
			cur = specimen{name: parts[1]}
		case "code":
			cur.code = Unescape(parts[1])
		case "signature":
			if cur.signature, err = hex.DecodeString(parts[1]); err != nil {
				tb.Fatalf("line %d: %v", n, err)
			}
		case "header":
			cur.header = parts[1:]
		case "field":
			cur.fields = append(cur.fields, [3]string{parts[1], parts[2], parts[3]})
		case "end":
			out = append(out, cur)
		default:
			tb.Fatalf("line %d: unknown keyword %q", n, parts[0])
		}
	}
	if len(out) == 0 {
		tb.Fatal("no specimen")
	}
	return out
}

// The official specimens decode to the fields the spec lists, their Base32
// signature is the r‖s the spec prints, the header dates are the ones the
// spec names, and re-encoding gives back the signed bytes. Without the FR00
// keys, their signature status is "unknown certificate".
func TestSpecimens(t *testing.T) {
	for _, sp := range loadSpecimens(t) {
		t.Run(sp.name, func(t *testing.T) {
			doc, err := Decode(sp.code)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			h := doc.Header
			got := []string{strconv.Itoa(h.Version), h.CA, h.Cert, h.IssueDate.Date.String(), h.SignatureDate.Date.String(), h.DocType, orDash(h.Perimeter), orDash(h.Country)}
			if strings.Join(got, " ") != strings.Join(sp.header, " ") {
				t.Errorf("header = %v, want %v", got, sp.header)
			}
			if len(doc.Fields) != len(sp.fields) {
				t.Fatalf("%d fields, want %d: %+v", len(doc.Fields), len(sp.fields), doc.Fields)
			}
			for i, f := range doc.Fields {
				want := sp.fields[i]
				if f.ID != want[0] || f.Value != want[1] {
					t.Errorf("field %d = %s %q, want %s %q", i, f.ID, f.Value, want[0], want[1])
				}
				if d := Display(f.Identifier(), f.Value); d != want[2] {
					t.Errorf("field %s shown as %q, want %q", f.ID, d, want[2])
				}
			}
			if hex.EncodeToString(doc.Signature) != hex.EncodeToString(sp.signature) {
				t.Errorf("signature = %X\nwant        %X", doc.Signature, sp.signature)
			}
			if doc.Algorithm() != "ECDSA P-256 SHA-256" {
				t.Errorf("algorithm %q", doc.Algorithm())
			}
			again, err := Encode(doc.Header, doc.Fields)
			if err != nil || again != string(doc.Signed()) {
				t.Errorf("Encode = %q, %v\nwant %q", Escape(again), err, Escape(string(doc.Signed())))
			}
			canon, err := Encode(doc.Header, autoEnds(doc.Fields))
			if err != nil || canon != string(doc.Signed()) {
				t.Errorf("the specimen is not in canonical form: Encode with Auto ends = %q, %v", Escape(canon), err)
			}
			v := NewKeyring().Verify(sp.code)
			if v.Status != UnknownCertificate || !strings.Contains(v.Reason, "FR00/0001") {
				t.Errorf("Verify = %s (%s), want unknown certificate FR00/0001", v.Status, v.Reason)
			}
		})
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// autoEnds returns fields with every terminator left to Encode.
func autoEnds(fields []Field) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		out[i] = Field{ID: f.ID, Value: f.Value}
	}
	return out
}
