package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/pdftext/pdftest"
	"permis/internal/statement"
	"permis/internal/twoddoc"
)

// abSpecimen is the official AB specimen in the <GS> notation of the spec.
const abSpecimen = "DC04FR0000011E471E47AB01FR6HM<GS>6GDUMONT DURVILLE<GS>60JULES/SEBASTIEN/CESAR<GS>69080519426ACONDE SUR NOIREAU<GS>AC121201200001<GS>E4APCE550E8020220211522090003AG8E6A B C D B1 AL AT CL A1 A2 A3 A4 C1 BE CE DE A2 C1 D1 C1E D1E AM<GS>E7123456789<US>ZJMDY3LOHQMI7RON2L3CSRHLY3Z7H42T4DXFGCG2TAQG7AALYLEW4E74EGYZEPNG4EMYBVFURCZ5Q2HL4KIGJFCR7POVBDJKDRWLUWQ"

// run2DDocResult is one invocation of run2DDoc.
type run2DDocResult struct {
	code           int
	stdout, stderr string
}

func run2DDocT(t *testing.T, env map[string]string, stdin string, args ...string) run2DDocResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run2DDoc(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	code := exitCode(err, &errOut)
	return run2DDocResult{code, out.String(), errOut.String()}
}

// keygen's keys sign a code (through the package, as the statement
// generator does) that verify then accepts; a changed byte is exit 1.
func TestTwoDDocKeygenAndVerify(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cles")
	r := run2DDocT(t, nil, "", "keygen", "--ca", "FR00", "--cert", "T001", "--out", dir)
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(dir, "FR00-T001.pub.pem")) {
		t.Fatalf("keygen: %+v", r)
	}
	if again := run2DDocT(t, nil, "", "keygen", "--cert", "T001", "--out", dir); again.code != 2 || !strings.Contains(again.stderr, "existe déjà") {
		t.Errorf("keygen twice: %+v", again)
	}
	s, err := twoddoc.LoadSigner(filepath.Join(dir, "FR00-T001.key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	born, _ := twoddoc.DateField("69", date.Of(1990, time.July, 13))
	code, err := s.Issue(twoddoc.Header{Version: 4, DocType: "AB", Perimeter: "01", Country: "FR",
		IssueDate: date.Some(date.Of(2025, time.October, 15)), SignatureDate: date.Some(date.Of(2025, time.October, 15))},
		[]twoddoc.Field{twoddoc.TextField("6G", "Martin"), twoddoc.TextField("60", "Léa"), born, {ID: "E5", Value: "50"}})
	if err != nil {
		t.Fatal(err)
	}

	ok := run2DDocT(t, nil, "", "verify", "--keys", dir, code)
	if ok.code != 0 {
		t.Fatalf("verify: %+v", ok)
	}
	for _, want := range []string{
		"Type de document           AB — Relevé d'information permis de conduire",
		"Date d'émission            15/10/2025",
		"6G  Nom                         MARTIN",
		"60  Prénoms                     LEA",
		"69  Date de naissance           13/07/1990",
		"E5  État du permis de conduire  50 (valide)",
		"Verdict : signature valide (FR00/T001, ECDSA P-256 SHA-256)",
	} {
		if !strings.Contains(ok.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, ok.stdout)
		}
	}

	viaEnv := run2DDocT(t, map[string]string{"PERMIS_2DDOC_KEYS": "/nonexistent" + string(filepath.ListSeparator) + dir}, "", "verify", code)
	if viaEnv.code != 2 || !strings.Contains(viaEnv.stderr, "/nonexistent") {
		t.Errorf("a missing key path must be reported: %+v", viaEnv)
	}
	viaEnv = run2DDocT(t, map[string]string{"PERMIS_2DDOC_KEYS": dir}, twoddoc.Escape(code)+"\n", "verify", "-")
	if viaEnv.code != 0 {
		t.Errorf("keys from PERMIS_2DDOC_KEYS, escaped code on stdin: %+v", viaEnv)
	}

	forged := strings.Replace(code, "MARTIN", "MARTIM", 1)
	bad := run2DDocT(t, nil, "", "verify", "--keys", dir, "--json", forged)
	if bad.code != 1 || !strings.Contains(bad.stderr, "signature invalide") {
		t.Fatalf("forged: %+v", bad)
	}
	var out struct {
		Status string `json:"status"`
		Fields []struct {
			ID, Display string
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(bad.stdout), &out); err != nil || out.Status != "bad_signature" || out.Fields[0].Display != "MARTIM" {
		t.Errorf("forged JSON: %v %+v", err, out)
	}
}

// Without the FR00 keys the official specimen is listed and exits 3.
func TestTwoDDocVerifySpecimen(t *testing.T) {
	r := run2DDocT(t, nil, "", "verify", abSpecimen)
	if r.code != 3 || !strings.Contains(r.stderr, "certificat inconnu") {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{
		"Signature                  ECDSA P-256 SHA-256 (64 octets)",
		"69  Date de naissance",
		"08/05/1942",
		"E8  Date des données issues du fichier national (SNPC)",
		"02/02/2021 à 15:22",
		"Verdict : certificat inconnu : aucune clé configurée pour FR00/0001",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	j := run2DDocT(t, nil, abSpecimen, "verify", "--json")
	var out struct {
		Status string `json:"status"`
		Header struct {
			Version      int    `json:"version"`
			IssueDate    string `json:"issue_date"`
			DocTypeLabel string `json:"doc_type_label"`
		} `json:"header"`
		Fields []struct {
			ID       string `json:"id"`
			Label    string `json:"label"`
			Type     string `json:"type"`
			Value    string `json:"value"`
			Display  string `json:"display"`
			Position int    `json:"position"`
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, j.stdout)
	}
	if j.code != 3 || out.Status != "unknown_certificate" || out.Header.Version != 4 || out.Header.IssueDate != "2021-03-22" || len(out.Fields) != 13 {
		t.Fatalf("%+v", out)
	}
	if f := out.Fields[3]; f.ID != "69" || f.Label != "Date de naissance" || f.Type != "date" || f.Value != "08051942" || f.Display != "08/05/1942" || f.Position != 73 {
		t.Errorf("field 69: %+v", f)
	}
}

// A malformed code exits 2 with the position; JSON carries the error too.
func TestTwoDDocVerifyMalformed(t *testing.T) {
	bad := strings.Replace(abSpecimen, "6GDUMONT DURVILLE", "6G", 1)
	r := run2DDocT(t, nil, "", "verify", bad)
	want := "permis: code mal formé : champ 6G à la position 31 : longueur 0 hors limites (1 à 38)\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Fatalf("%+v", r)
	}
	j := run2DDocT(t, nil, "", "verify", "--json", bad)
	var out struct {
		Status string `json:"status"`
		Error  struct {
			Zone     string `json:"zone"`
			Code     string `json:"code"`
			Field    string `json:"field"`
			Position int    `json:"position"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &out); err != nil || j.code != 2 {
		t.Fatalf("%v %+v", err, j)
	}
	if out.Status != "malformed" || out.Error.Zone != "field" || out.Error.Code != "length" || out.Error.Field != "6G" || out.Error.Position != 31 {
		t.Errorf("%+v", out)
	}
}

func TestTwoDDocUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"sign"},
		{"verify", "a", "b"},
		{"verify", "--nope"},
		{"keygen"},
		{"keygen", "--out", t.TempDir(), "--cert", "1"},
	} {
		if r := run2DDocT(t, nil, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := run2DDocT(t, nil, "", "verify", "--help"); r.code != 0 || !strings.Contains(r.stderr, "Codes de sortie") {
		t.Errorf("--help: %+v", r)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cle.pem"), []byte("x"), 0o600)
	if r := run2DDocT(t, nil, "", "verify", "--keys", filepath.Join(dir, "cle.pem"), abSpecimen); r.code != 2 || !strings.Contains(r.stderr, "FR00-0001.pem") {
		t.Errorf("badly named key file: %+v", r)
	}
}

// The documents of "permis serve --data DIR" are signed with the key it
// generated in DIR/2ddoc: "verify --data DIR" (or PERMIS_DATA) trusts it
// without --keys; without it the certificate is unknown (exit 3).
func TestTwoDDocVerifyTrustsOurOwnKeyWithData(t *testing.T) {
	data := t.TempDir()
	keys := filepath.Join(data, "2ddoc")
	if r := run2DDocT(t, nil, "", "keygen", "--ca", "FR00", "--cert", "PRM1", "--out", keys); r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	s, err := twoddoc.LoadSigner(filepath.Join(keys, "FR00-PRM1.key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.Issue(twoddoc.Header{Version: 4, DocType: "AB", Perimeter: "01", Country: "FR",
		IssueDate: date.Some(date.Of(2025, time.October, 15)), SignatureDate: date.Some(date.Of(2025, time.October, 15))},
		[]twoddoc.Field{twoddoc.TextField("6G", "Martin"), twoddoc.TextField("60", "Léa")})
	if err != nil {
		t.Fatal(err)
	}
	if r := run2DDocT(t, nil, "", "verify", code); r.code != 3 {
		t.Errorf("without keys: %+v, want exit 3", r)
	}
	if r := run2DDocT(t, nil, "", "verify", "--data", data, code); r.code != 0 {
		t.Errorf("--data %s: %+v, want exit 0", data, r)
	}
	if r := run2DDocT(t, map[string]string{"PERMIS_DATA": data}, "", "verify", code); r.code != 0 {
		t.Errorf("PERMIS_DATA: %+v, want exit 0", r)
	}
}

// The text printed under the 2D-Doc of an attestation, taken from the PDF
// with its line breaks (as a copy from a PDF reader gives it), verifies:
// it was refused ("caractère 0x0D non autorisé").
func TestTwoDDocVerifyTheTextPrintedOnAPDF(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cles")
	if r := run2DDocT(t, nil, "", "keygen", "--ca", "FR00", "--cert", "T001", "--out", dir); r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	s, err := twoddoc.LoadSigner(filepath.Join(dir, "FR00-T001.key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	born, _ := twoddoc.DateField("69", date.Of(1990, time.July, 13))
	code, err := s.Issue(twoddoc.Header{Version: 4, DocType: "AB", Perimeter: "01", Country: "FR",
		IssueDate: date.Some(date.Of(2025, time.October, 15)), SignatureDate: date.Some(date.Of(2025, time.October, 15))},
		[]twoddoc.Field{twoddoc.TextField("6G", "Martin"), twoddoc.TextField("60", "Léa"), born,
			{ID: "AC", Value: "230334100123"}, {ID: "E5", Value: "50"}, {ID: "E6", Value: "AM A1 B BE"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := twoddoc.Modules(code)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := statement.Attestation(statement.RightsAttestation{
		Document: statement.Document{Reference: "REL-TEST", IssuedAt: time.Date(2025, 10, 15, 10, 30, 0, 0, time.UTC),
			Issuer: "Service Permis — essai", ServiceURL: "https://permis.example", Barcode: m, BarcodeText: code},
		Licence: statement.Licence{NEPH: "230334100123", Holder: statement.Holder{FamilyName: "Martin",
			GivenNames: []string{"Léa"}, BirthDate: date.Of(1990, time.July, 13), BirthPlace: "Lyon"}},
		ValidUntil: date.Of(2026, time.February, 15),
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	runs := pdftest.ExtractRuns(t, pdf)
	for i, r := range runs {
		if strings.HasPrefix(r.Text, "DC04") {
			for _, n := range runs[i:] {
				if n.X != r.X {
					break
				}
				lines = append(lines, n.Text)
			}
			break
		}
	}
	if len(lines) < 3 {
		t.Fatalf("the printed code is on %d lines: %q", len(lines), lines)
	}
	printed := strings.Join(lines, "\n") + "\n"
	if r := run2DDocT(t, nil, printed, "verify", "--keys", dir, "-"); r.code != 0 || !strings.Contains(r.stdout, "Verdict : signature valide") {
		t.Errorf("the text printed on the PDF (%d lines): %+v", len(lines), r)
	}
	if r := run2DDocT(t, nil, "", "verify", "--keys", dir, strings.ReplaceAll(printed, "\n", "\r\n")); r.code != 0 {
		t.Errorf("the same with CRLF, as an argument: %+v", r)
	}
}
