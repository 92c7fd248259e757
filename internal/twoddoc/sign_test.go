package twoddoc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
)

// mustSigner returns a fresh signer on a curve.
func mustSigner(tb testing.TB, ca, cert string, c elliptic.Curve) *Signer {
	tb.Helper()
	key, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := NewSigner(ca, cert, key)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustKeyring trusts the signers' public keys.
func mustKeyring(tb testing.TB, signers ...*Signer) *Keyring {
	tb.Helper()
	k := NewKeyring()
	for _, s := range signers {
		if err := k.Add(s.CA, s.Cert, s.Public()); err != nil {
			tb.Fatal(err)
		}
	}
	return k
}

// statementFields is an AB statement built from a person's data as typed,
// with accents and lower case that Clean turns into 2D-Doc text.
func statementFields(tb testing.TB) []Field {
	tb.Helper()
	born, err := DateField("69", date.Of(1990, time.July, 13))
	if err != nil {
		tb.Fatal(err)
	}
	return []Field{
		TextField("6H", "Mme"),
		TextField("6G", "Martin-Gérôme"),
		TextField("60", "Maëlis/Gaëlle"),
		born,
		TextField("6A", "Saint-Étienne"),
		{ID: "AC", Value: "230334100123"},
		{ID: "E4", Value: "RII"},
		{ID: "E5", Value: "50"},
		{ID: "E8", Value: "151020251030"},
		{ID: "AG", Value: "C"},
		{ID: "E6", Value: "AM B1 B"},
	}
}

var statementHeader = Header{Version: 4, IssueDate: date.Some(date.Of(2025, time.October, 15)), SignatureDate: date.Some(date.Of(2025, time.October, 15)), DocType: "AB", Perimeter: "01", Country: "FR"}

// Encode → sign → decode → verify, on each curve the spec allows: the
// fields come back cleaned and in order, dates formatted, the signature has
// the expected size and verifies.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		curve  elliptic.Curve
		sigB32 int
	}{
		{elliptic.P256(), 103}, {elliptic.P384(), 154}, {elliptic.P521(), 212},
	} {
		t.Run(tc.curve.Params().Name, func(t *testing.T) {
			s := mustSigner(t, "FR00", "T001", tc.curve)
			code, err := s.Issue(statementHeader, statementFields(t))
			if err != nil {
				t.Fatal(err)
			}
			wantData := Unescape("DC04FR00T00124CB24CBAB01FR" +
				"6HMME<GS>6GMARTIN-GEROME<GS>60MAELIS/GAELLE<GS>6913071990" +
				"6ASAINT-ETIENNE<GS>AC230334100123<GS>E4RIIE550E8151020251030AGCE6AM B1 B<US>")
			data, sig, ok := strings.Cut(code, "\x1f")
			if !ok || data+"\x1f" != wantData {
				t.Fatalf("code =\n%q\nwant data\n%q", Escape(code), Escape(wantData))
			}
			if len(sig) != tc.sigB32 || strings.Contains(sig, "=") {
				t.Errorf("signature of %d characters %q, want %d without padding", len(sig), sig, tc.sigB32)
			}
			v := mustKeyring(t, s).Verify(code)
			if v.Status != Valid {
				t.Fatalf("Verify = %s: %s", v.Status, v.Reason)
			}
			if g, _ := v.Doc.Field("6G"); g.Value != "MARTIN-GEROME" {
				t.Errorf("6G = %q", g.Value)
			}
			if g, _ := v.Doc.Field("AG"); Display(g.Identifier(), g.Value) != "12" {
				t.Errorf("AG C shown as %q, want 12", Display(g.Identifier(), g.Value))
			}
			if v.Doc.Header.IssueDate != statementHeader.IssueDate {
				t.Errorf("issue date %v", v.Doc.Header.IssueDate)
			}
		})
	}
}

// One changed byte anywhere in the signed part, or in the signature, and the
// code no longer verifies: it is either malformed or badly signed, never
// valid. A well-formed change is a bad signature.
func TestTamper(t *testing.T) {
	s := mustSigner(t, "FR00", "T001", elliptic.P256())
	k := mustKeyring(t, s)
	code, err := s.Issue(statementHeader, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	if v := k.Verify(code); v.Status != Valid {
		t.Fatalf("untouched code: %s", v.Reason)
	}
	bad := 0
	for i := 0; i < len(code); i++ {
		b := []byte(code)
		switch {
		case b[i] == 'A':
			b[i] = 'B'
		case b[i] >= 0x20:
			b[i] = 'A'
		default:
			continue // separators: changing them is a structural change, tested by decode
		}
		v := k.Verify(string(b))
		switch v.Status {
		case Valid:
			t.Fatalf("byte %d changed (%q → %q) and the code still verifies", i, code[i], b[i])
		case BadSignature:
			bad++
		}
	}
	if bad < len(code)/2 {
		t.Errorf("only %d of %d changes were read as bad signatures", bad, len(code))
	}
	forged := strings.Replace(code, "MARTIN-GEROME", "MARTIN-GEROMA", 1)
	if v := k.Verify(forged); v.Status != BadSignature || !strings.Contains(v.Reason, "FR00/T001") || v.Doc == nil {
		t.Errorf("forged name: %s (%s)", v.Status, v.Reason)
	}
}

// The keyring decides between unknown certificate and bad signature.
func TestVerifyKeys(t *testing.T) {
	s := mustSigner(t, "FR00", "T001", elliptic.P256())
	code, err := s.Issue(statementHeader, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	other := mustSigner(t, "FR00", "T001", elliptic.P256())
	big := mustSigner(t, "FR00", "T001", elliptic.P384())
	for _, tc := range []struct {
		name   string
		k      *Keyring
		status Status
		reason string
	}{
		{"nil keyring", nil, UnknownCertificate, "certificat inconnu : aucune clé configurée pour FR00/T001, la signature n'a pas pu être vérifiée"},
		{"empty", NewKeyring(), UnknownCertificate, "certificat inconnu : aucune clé configurée pour FR00/T001, la signature n'a pas pu être vérifiée"},
		{"other certificate", mustKeyring(t, mustSigner(t, "FR00", "T002", elliptic.P256())), UnknownCertificate, "certificat inconnu : aucune clé configurée pour FR00/T001, la signature n'a pas pu être vérifiée"},
		{"other key, same id", mustKeyring(t, other), BadSignature, "signature invalide : les données ne correspondent pas à la signature de FR00/T001"},
		{"key on another curve", mustKeyring(t, big), BadSignature, "signature invalide : signature P-256 de 64 octets, mais la clé FR00/T001 est P-384"},
		{"the key", mustKeyring(t, s), Valid, "signature valide (FR00/T001, ECDSA P-256 SHA-256)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.k.Verify(code)
			if v.Status != tc.status || v.Reason != tc.reason {
				t.Errorf("Verify = %s %q, want %s %q", v.Status, v.Reason, tc.status, tc.reason)
			}
			if v.Doc == nil || v.Err != nil {
				t.Errorf("a well-formed code keeps its document: %+v", v)
			}
		})
	}
	v := mustKeyring(t, s).Verify("DC07")
	if v.Status != Malformed || v.Doc != nil || v.Err == nil || v.Reason != "code mal formé : en-tête, position 3 : version « 07 » inconnue (01 à 04)" {
		t.Errorf("malformed: %+v", v)
	}
}

// A second, different key under an id already taken is refused.
func TestKeyringConflict(t *testing.T) {
	a := mustSigner(t, "FR00", "0001", elliptic.P256())
	b := mustSigner(t, "FR00", "0001", elliptic.P256())
	k := mustKeyring(t, a)
	if err := k.Add("FR00", "0001", a.Public()); err != nil {
		t.Errorf("same key twice: %v", err)
	}
	if err := k.Add("FR00", "0001", b.Public()); err == nil || err.Error() != "deux clés différentes pour FR00/0001" {
		t.Errorf("different key: %v", err)
	}
	if err := k.Add("fr00", "0001", a.Public()); err == nil {
		t.Error("lower-case CA accepted")
	}
}

// The annex is outside the signature: adding or changing it leaves the
// signature valid, and it decodes with the same table.
func TestAnnex(t *testing.T) {
	s := mustSigner(t, "FR00", "T001", elliptic.P256())
	k := mustKeyring(t, s)
	code, err := s.Issue(statementHeader, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	withAnnex, err := AppendAnnex(code, []Field{TextField("6X", "Lyon"), {ID: "6W", Value: "69001"}})
	if err != nil {
		t.Fatal(err)
	}
	v := k.Verify(withAnnex)
	if v.Status != Valid || len(v.Doc.Annex) != 2 || v.Doc.Annex[0].Value != "LYON" || v.Doc.Annex[1].End != None {
		t.Fatalf("with annex: %s %+v", v.Reason, v.Doc)
	}
	if v := k.Verify(strings.Replace(withAnnex, "LYON", "NICE", 1)); v.Status != Valid {
		t.Errorf("annex changed: %s", v.Reason)
	}
	if _, err := AppendAnnex(withAnnex, []Field{TextField("6X", "Nice")}); err == nil {
		t.Error("second annex accepted")
	}
	v3 := mustSigner(t, "FR00", "T001", elliptic.P256())
	h := statementHeader
	h.Version, h.Country = 3, ""
	old, err := v3.Issue(h, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AppendAnnex(old, []Field{TextField("6X", "Lyon")}); err == nil || !strings.Contains(err.Error(), "version 04") {
		t.Errorf("annex on v03: %v", err)
	}
}

// Encode refuses what Decode would refuse, and what it cannot write so that
// Decode reads it back.
func TestEncodeErrors(t *testing.T) {
	h := Header{Version: 4, CA: "FR00", Cert: "0001", DocType: "AB", Perimeter: "01", Country: "FR"}
	for _, tc := range []struct {
		name   string
		h      Header
		fields []Field
		msg    string
	}{
		{"version", Header{Version: 5, CA: "FR00", Cert: "0001", DocType: "AB"}, nil, "en-tête : version 5 inconnue (1 à 4)"},
		{"ca", Header{Version: 4, CA: "FR0", Cert: "0001", DocType: "AB", Perimeter: "01", Country: "FR"}, nil, "en-tête : autorité de certification « FR0 » : 4 caractères A à Z ou 0 à 9 attendus"},
		{"perimeter before v03", Header{Version: 2, CA: "FR00", Cert: "0001", DocType: "AB", Perimeter: "01"}, nil, "en-tête : pas de périmètre avant la version 03"},
		{"country", Header{Version: 4, CA: "FR00", Cert: "0001", DocType: "AB", Perimeter: "01", Country: "F"}, nil, "en-tête : pays « F » : 2 lettres attendues en version 04"},
		{"date out of range", Header{Version: 4, CA: "FR00", Cert: "0001", DocType: "AB", Perimeter: "01", Country: "FR", IssueDate: date.Some(date.Of(1999, time.December, 31))}, nil, "en-tête : date d'émission : date 1999-12-31 hors de la plage 2000-01-01 à 2179-06-05"},
		{"unknown id", h, []Field{{ID: "ZZ", Value: "1"}}, "champ ZZ à la position 27 : identifiant « ZZ » inconnu"},
		{"too long", h, []Field{{ID: "6H", Value: "MADEMOISELLE"}}, "champ 6H à la position 27 : longueur 12 hors limites (1 à 10)"},
		{"empty", h, []Field{{ID: "6G", Value: ""}}, "champ 6G à la position 27 : longueur 0 hors limites (1 à 38)"},
		{"fixed", h, []Field{{ID: "69", Value: "130790"}}, "champ 69 à la position 27 : longueur 6 hors limites (8 caractères)"},
		{"control character", h, []Field{{ID: "6G", Value: "A\x1dB"}}, "champ 6G à la position 30 : caractère <GS> non autorisé"},
		{"bad date", h, []Field{{ID: "69", Value: "30021990"}}, "champ 69 à la position 29 : « 30021990 » n'est pas une date JJMMAAAA"},
		{"missing GS", h, []Field{{ID: "6G", Value: "DUPONT", End: None}, {ID: "6H", Value: "M"}}, "champ 6G à la position 27 : <GS> obligatoire après un champ de longueur variable qui n'est ni au maximum ni le dernier"},
		{"RS after fixed", h, []Field{{ID: "69", Value: "13071990", End: EndRS}}, "champ 69 à la position 27 : <RS> (troncature) impossible après un champ de longueur fixe"},
		{"second field position", h, []Field{{ID: "6G", Value: "DUPONT"}, {ID: "6H", Value: ""}}, "champ 6H à la position 36 : longueur 0 hors limites (1 à 10)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.h, tc.fields)
			if err == nil || err.Error() != tc.msg {
				t.Errorf("Encode error\n got %v\nwant %s", err, tc.msg)
			}
		})
	}
}

// The signer refuses to seal data whose header names another key.
func TestSealChecksHeader(t *testing.T) {
	s := mustSigner(t, "FR00", "T001", elliptic.P256())
	if _, err := s.Seal(head + "6HM"); err == nil || err.Error() != "l'en-tête désigne FR00/0001 mais la clé est FR00/T001" {
		t.Errorf("Seal: %v", err)
	}
	if _, err := NewSigner("FR00", "T1", s.key); err == nil {
		t.Error("3-character certificate id accepted")
	}
	key, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if _, err := NewSigner("FR00", "0001", key); err == nil || !strings.Contains(err.Error(), "P-224") {
		t.Errorf("P-224: %v", err)
	}
}
