package twoddoc

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// head is a valid version-04 header (26 characters): fields start at 27.
const head = "DC04FR0000011E471E47AB01FR"

// zeroSig is a well-formed P-256 signature (64 zero bytes in Base32).
var zeroSig = strings.Repeat("A", 103)

// Every class of malformation is reported with its zone, code, position
// (1-based, in the whole text) and a French message that says it all.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string // <GS>, <RS>, <US> notation
		class error
		code  string
		field string
		pos   int
		msg   string
	}{
		{"empty", "", ErrHeader, CodeMarker, "", 1, "en-tête, position 1 : texte vide, un code commence par « DC »"},
		{"marker", "XC04FR00", ErrHeader, CodeMarker, "", 1, "en-tête, position 1 : le code doit commencer par « DC », et non « XC »"},
		{"no version", "DC", ErrHeader, CodeTruncated, "", 3, "en-tête, position 3 : version absente"},
		{"version 07", "DC07FR0000011E471E47AB01FR", ErrHeader, CodeVersion, "", 3, "en-tête, position 3 : version « 07 » inconnue (01 à 04)"},
		{"short header", "DC04FR00", ErrHeader, CodeTruncated, "", 9, "en-tête, position 9 : 8 caractères, 26 attendus pour la version 04"},
		{"short v02 header", "DC02FR0000011E471E47A", ErrHeader, CodeTruncated, "", 22, "en-tête, position 22 : 21 caractères, 22 attendus pour la version 02"},
		{"lower case", "DC04fr0000011E471E47AB01FR", ErrHeader, CodeCharacter, "", 5, "en-tête, position 5 : caractère « f » non autorisé (A à Z, 0 à 9)"},
		{"control char", "DC04FR00<GS>0011E471E47AB01FR", ErrHeader, CodeCharacter, "", 9, "en-tête, position 9 : caractère « <GS> » non autorisé (A à Z, 0 à 9)"},
		{"issue date", "DC04FR0000011E4G1E47AB01FR", ErrHeader, CodeFormat, "", 13, "en-tête, position 13 : date d'émission « 1E4G » : 4 chiffres hexadécimaux attendus"},
		{"signature date", "DC04FR0000011E471X47AB01FR", ErrHeader, CodeFormat, "", 17, "en-tête, position 17 : date de signature « 1X47 » : 4 chiffres hexadécimaux attendus"},
		{"country", "DC04FR0000011E471E47AB01F1", ErrHeader, CodeFormat, "", 25, "en-tête, position 25 : pays « F1 » : deux lettres attendues"},

		{"unknown id", head + "ZZ12<US>" + zeroSig, ErrField, CodeUnknownID, "ZZ", 27, "champ ZZ à la position 27 : identifiant « ZZ » inconnu"},
		{"bad id", head + "6GDUPONT<GS><GS>60JEAN<US>" + zeroSig, ErrField, CodeCharacter, "", 36, "champ ? à la position 36 : identifiant « <GS>6 » invalide (deux caractères A à Z ou 0 à 9 attendus)"},
		{"half id", head + "6GDUPONT<GS>6<US>" + zeroSig, ErrField, CodeTruncated, "", 36, "champ ? à la position 36 : identifiant incomplet « 6 »"},
		{"empty variable", head + "6G<GS>60JEAN<US>" + zeroSig, ErrField, CodeLength, "6G", 27, "champ 6G à la position 27 : longueur 0 hors limites (1 à 38)"},
		{"short fixed", head + "690805<GS>60JEAN<US>" + zeroSig, ErrField, CodeLength, "69", 27, "champ 69 à la position 27 : longueur 4, 8 caractères attendus"},
		{"fixed at end", head + "690805<US>" + zeroSig, ErrField, CodeLength, "69", 27, "champ 69 à la position 27 : longueur 4, 8 caractères attendus"},
		{"impossible date", head + "6931022020<US>" + zeroSig, ErrField, CodeFormat, "69", 29, "champ 69 à la position 29 : « 31022020 » n'est pas une date JJMMAAAA"},
		{"bad hex date", head + "AD16G4<US>" + zeroSig, ErrField, CodeFormat, "AD", 29, "champ AD à la position 29 : « 16G4 » n'est pas une date en jours hexadécimaux depuis le 01/01/2000"},
		{"bad time", head + "AE2460<US>" + zeroSig, ErrField, CodeFormat, "AE", 29, "champ AE à la position 29 : « 2460 » n'est pas une heure HHMM"},
		{"bad points", head + "AGa<US>" + zeroSig, ErrField, CodeFormat, "AG", 29, "champ AG à la position 29 : « a » n'est pas un chiffre ou une lettre majuscule"},
		{"rs after fixed", head + "6908051942<RS>60JEAN<US>" + zeroSig, ErrField, CodeCharacter, "69", 37, "champ 69 à la position 37 : <RS> (troncature) impossible après un champ de longueur fixe"},
		{"newline in value", head + "6GDU\nPONT<GS>60JEAN<US>" + zeroSig, ErrField, CodeCharacter, "6G", 31, "champ 6G à la position 31 : caractère 0x0A non autorisé"},
		{"accent in value", head + "6GGÉRÔME<US>" + zeroSig, ErrField, CodeCharacter, "6G", 30, "champ 6G à la position 30 : caractère 0xC3 non autorisé"},

		{"no signature", head + "6GDUPONT", ErrSignature, CodeMissingSig, "", 35, "signature, position 35 : séparateur <US> absent : le code n'est pas signé"},
		{"empty signature", head + "6GDUPONT<US>", ErrSignature, CodeMissingSig, "", 36, "signature, position 36 : signature vide après <US>"},
		{"base32 alphabet", head + "6GDUPONT<US>AAAAAAAAAAAA1AAA", ErrSignature, CodeBase32, "", 48, "signature, position 48 : Base32 invalide : caractère « 1 » hors de l'alphabet A–Z, 2–7"},
		{"base32 lower case", head + "6GDUPONT<US>" + strings.ToLower(zeroSig), ErrSignature, CodeBase32, "", 36, "signature, position 36 : Base32 invalide : caractère « a » hors de l'alphabet A–Z, 2–7"},
		{"base32 length", head + "6GDUPONT<US>AAAAAAAAA", ErrSignature, CodeBase32, "", 36, "signature, position 36 : Base32 invalide : 9 caractères ne forment pas un nombre entier d'octets"},
		{"base32 padding", head + "6GDUPONT<US>" + zeroSig + "==", ErrSignature, CodeBase32, "", 139, "signature, position 139 : Base32 invalide : 2 caractères « = » de remplissage, 1 attendus"},
		{"base32 trailing bits", head + "6GDUPONT<US>" + zeroSig[:102] + "B", ErrSignature, CodeBase32, "", 138, "signature, position 138 : Base32 invalide : bits inutilisés non nuls dans le dernier caractère"},
		{"signature size", head + "6GDUPONT<US>AAAAAAAAAA", ErrSignature, CodeSigLength, "", 36, "signature, position 36 : 6 octets, 64 (P-256), 96 (P-384) ou 132 (P-521) attendus"},
		{"trailing newline", head + "6GDUPONT<US>" + zeroSig + "\n", ErrSignature, CodeBase32, "", 139, "signature, position 139 : Base32 invalide : caractère « 0x0A » hors de l'alphabet A–Z, 2–7"},

		{"annex before v04", "DC03FR0000011E471E47AB01" + "6GDUPONT<US>" + zeroSig + "<GS>6HM", ErrAnnex, CodeCharacter, "", 137, "annexe, champ ? à la position 137 : zone annexe non prévue en version 03"},
		{"empty annex", head + "6GDUPONT<US>" + zeroSig + "<GS>", ErrAnnex, CodeTruncated, "", 140, "annexe, champ ? à la position 140 : zone annexe vide après <GS>"},
		{"annex field", head + "6GDUPONT<US>" + zeroSig + "<GS>6HM<GS>ZZ1", ErrAnnex, CodeUnknownID, "ZZ", 144, "annexe, champ ZZ à la position 144 : identifiant « ZZ » inconnu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(Unescape(tc.in))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode(%q) = %v, want a *DecodeError", tc.in, err)
			}
			if !errors.Is(err, tc.class) || de.Code != tc.code || de.Field != tc.field || de.Position != tc.pos {
				t.Errorf("got %s/%s field %q at %d, want %s/%s field %q at %d", de.Zone(), de.Code, de.Field, de.Position, tc.class, tc.code, tc.field, tc.pos)
			}
			if de.Message != tc.msg {
				t.Errorf("message\n got %q\nwant %q", de.Message, tc.msg)
			}
		})
	}
}

// The rules the spec gives for terminators: a variable field at its maximum
// needs no <GS>, a fixed field never has one, the last field ends at <US>, a
// truncated field ends with <RS>; superfluous <GS> are read and kept so that
// the signed bytes can be rebuilt.
func TestDecodeTerminators(t *testing.T) {
	max38 := strings.Repeat("X", 38)
	for _, tc := range []struct {
		name string
		in   string
		want []Field
	}{
		{"variable then fixed", "6GDUPONT<GS>6908051942", []Field{{ID: "6G", Value: "DUPONT", End: EndGS}, {ID: "69", Value: "08051942", End: None}}},
		{"variable at max, no GS", "6G" + max38 + "6HM", []Field{{ID: "6G", Value: max38, End: None}, {ID: "6H", Value: "M", End: None}}},
		{"variable at max with GS", "6G" + max38 + "<GS>6HM", []Field{{ID: "6G", Value: max38, End: EndGS}, {ID: "6H", Value: "M", End: None}}},
		{"truncated", "6G" + max38 + "<RS>6HM", []Field{{ID: "6G", Value: max38, End: EndRS}, {ID: "6H", Value: "M", End: None}}},
		{"superfluous GS after fixed and last", "6908051942<GS>6HM<GS>", []Field{{ID: "69", Value: "08051942", End: EndGS}, {ID: "6H", Value: "M", End: EndGS}}},
		{"empty variable allowed", "60<GS>6HM", []Field{{ID: "60", Value: "", End: EndGS}, {ID: "6H", Value: "M", End: None}}},
		{"unbounded", "01ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<GS>6HM", []Field{{ID: "01", Value: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", End: EndGS}, {ID: "6H", Value: "M", End: None}}},
		{"no field", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := Unescape(head + tc.in + "<US>" + zeroSig)
			doc, err := Decode(text)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Fields) != len(tc.want) {
				t.Fatalf("fields %+v, want %+v", doc.Fields, tc.want)
			}
			for i, f := range doc.Fields {
				w := tc.want[i]
				if f.ID != w.ID || f.Value != w.Value || f.End != w.End {
					t.Errorf("field %d = %+v, want %+v", i, f, w)
				}
			}
			if doc.Fields != nil && doc.Fields[0].Position != 27 {
				t.Errorf("first field at %d, want 27", doc.Fields[0].Position)
			}
			if again, err := Encode(doc.Header, doc.Fields); err != nil || again != string(doc.Signed()) {
				t.Errorf("Encode = %q, %v; want %q", Escape(again), err, Escape(string(doc.Signed())))
			}
		})
	}
}

// The header of each version: 22, 24, 26 characters; FFFF is no date.
func TestDecodeHeaderVersions(t *testing.T) {
	for _, tc := range []struct {
		in                  string
		version             int
		perimeter, country  string
		issueValid, sigDate bool
	}{
		{"DC01FR000001FFFF1E47AB", 1, "", "", false, true},
		{"DC02FR0000011E47FFFFAB", 2, "", "", true, false},
		{"DC03FR0000011E471E47AB01", 3, "01", "", true, true},
		{"DC04FR0000011E471E47AB01FR", 4, "01", "FR", true, true},
	} {
		doc, err := Decode(Unescape(tc.in + "6HM<US>" + zeroSig))
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		h := doc.Header
		if h.Version != tc.version || h.Perimeter != tc.perimeter || h.Country != tc.country || h.IssueDate.Valid != tc.issueValid || h.SignatureDate.Valid != tc.sigDate {
			t.Errorf("%s: header %+v", tc.in, h)
		}
		if f, ok := doc.Field("6H"); !ok || f.Position != HeaderLen(tc.version)+1 {
			t.Errorf("%s: 6H at %d, want %d", tc.in, f.Position, HeaderLen(tc.version)+1)
		}
		if again, err := h.Encode(); err != nil || again != tc.in {
			t.Errorf("%s: Header.Encode = %q, %v", tc.in, again, err)
		}
	}
}

// Signatures of P-384 and P-521 size, and padded Base32, are accepted.
func TestDecodeSignatureSizes(t *testing.T) {
	for _, tc := range []struct {
		sig  string
		n    int
		algo string
	}{
		{zeroSig, 64, "ECDSA P-256 SHA-256"},
		{zeroSig + "=", 64, "ECDSA P-256 SHA-256"},
		{strings.Repeat("A", 154), 96, "ECDSA P-384 SHA-384"},
		{strings.Repeat("A", 212), 132, "ECDSA P-521 SHA-512"},
	} {
		doc, err := Decode(Unescape(head + "6HM<US>" + tc.sig))
		if err != nil {
			t.Fatalf("%d: %v", tc.n, err)
		}
		if len(doc.Signature) != tc.n || doc.Algorithm() != tc.algo {
			t.Errorf("%d bytes, %q; want %d, %q", len(doc.Signature), doc.Algorithm(), tc.n, tc.algo)
		}
	}
}

func TestUnescapeEscape(t *testing.T) {
	in := "6GA<GS>6HB<RS>X<US>Y␝Z␞␟"
	got := Unescape(in)
	if got != "6GA\x1d6HB\x1eX\x1fY\x1dZ\x1e\x1f" {
		t.Fatalf("Unescape = %q", got)
	}
	if Escape(got) != "6GA<GS>6HB<RS>X<US>Y<GS>Z<RS><US>" {
		t.Fatalf("Escape = %q", Escape(got))
	}
}

// The JSON form of an error names its zone and, through an encoder that
// does not escape HTML, keeps "<US>" readable.
func TestDecodeErrorJSON(t *testing.T) {
	_, err := Decode(head + "6GDUPONT")
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as the CLI does
	jerr := enc.Encode(err)
	want := `{"zone":"signature","code":"missing","position":35,"message":"signature, position 35 : séparateur <US> absent : le code n'est pas signé"}` + "\n"
	if jerr != nil || b.String() != want {
		t.Errorf("JSON\n got %s %v\nwant %s", b.String(), jerr, want)
	}
}
