package twoddoc

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIDsFromFileName(t *testing.T) {
	for _, tc := range []struct {
		name, ca, cert string
		ok             bool
	}{
		{"FR00-0001.pub.pem", "FR00", "0001", true},
		{"/etc/keys/FR05_FIN2.crt", "FR05", "FIN2", true},
		{"FR00-0001.key.pem", "FR00", "0001", true},
		{"fr00-0001.pem", "", "", false},
		{"FR00-001.pem", "", "", false},
		{"FR000001.pem", "", "", false},
		{"key.pem", "", "", false},
	} {
		ca, cert, ok := IDsFromFileName(tc.name)
		if ok != tc.ok || ok && (ca != tc.ca || cert != tc.cert) {
			t.Errorf("IDsFromFileName(%q) = %q %q %v", tc.name, ca, cert, ok)
		}
	}
}

// keygen's files are configuration: the private key signs, the directory
// (private keys skipped) verifies, and nothing is overwritten.
func TestKeyFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cles")
	s, err := GenerateSigner("FR00", "0001", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kf, err := WriteKeyFiles(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if kf.Private != filepath.Join(dir, "FR00-0001.key.pem") || kf.Public != filepath.Join(dir, "FR00-0001.pub.pem") {
		t.Errorf("files %+v", kf)
	}
	if info, err := os.Stat(kf.Private); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("private key mode: %v %v", info.Mode(), err)
	}
	if _, err := WriteKeyFiles(dir, s); err == nil || !strings.Contains(err.Error(), "existe déjà") {
		t.Errorf("overwrite: %v", err)
	}
	loaded, err := LoadSigner(kf.Private)
	if err != nil {
		t.Fatal(err)
	}
	code, err := loaded.Issue(statementHeader, statementFields(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{dir, kf.Public} {
		k, err := LoadKeyring(src)
		if err != nil {
			t.Fatalf("LoadKeyring(%s): %v", src, err)
		}
		if ids := k.IDs(); len(ids) != 1 || ids[0] != (KeyID{"FR00", "0001"}) {
			t.Errorf("LoadKeyring(%s) ids %v", src, ids)
		}
		if v := k.Verify(code); v.Status != Valid {
			t.Errorf("LoadKeyring(%s): %s", src, v.Reason)
		}
	}
	if _, err := LoadKeyring(kf.Private); err == nil || !strings.Contains(err.Error(), "aucune clé publique") {
		t.Errorf("private key given as a public one: %v", err)
	}
}

// An X.509 certificate, as the CAs publish them, works as a public key;
// non-ECDSA keys and badly named files are refused with the file's name.
func TestLoadKeyringCertificates(t *testing.T) {
	dir := t.TempDir()
	s := mustSigner(t, "FR05", "FIN2", elliptic.P256())
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "FIN2"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, s.Public(), s.key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, blocks ...*pem.Block) string {
		var b []byte
		for _, bl := range blocks {
			b = append(b, pem.EncodeToMemory(bl)...)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	crt := write("FR05_FIN2.crt", &pem.Block{Type: "CERTIFICATE", Bytes: der})
	k, err := LoadKeyring(crt)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := k.Lookup("FR05", "FIN2"); !ok || !p.Equal(s.Public()) {
		t.Errorf("certificate key not trusted")
	}

	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKIXPublicKey(edPub)
	ed := write("FR00-0002.pem", &pem.Block{Type: "PUBLIC KEY", Bytes: edDER})
	if _, err := LoadKeyring(ed); err == nil || !strings.Contains(err.Error(), "FR00-0002.pem") || !strings.Contains(err.Error(), "ECDSA") {
		t.Errorf("ed25519: %v", err)
	}
	os.Remove(ed)

	pubDER, _ := x509.MarshalPKIXPublicKey(s.Public())
	badName := write("signing.pem", &pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if _, err := LoadKeyring(dir); err == nil || !strings.Contains(err.Error(), "FR00-0001.pem") {
		t.Errorf("badly named file in a directory: %v", err)
	}
	os.Remove(badName)
	if _, err := LoadKeyring(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing path accepted")
	}
}

// Private keys are read in PKCS #8 and SEC 1 forms.
func TestParseSigner(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sec1, _ := x509.MarshalECPrivateKey(key)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	for _, b := range []*pem.Block{{Type: "EC PRIVATE KEY", Bytes: sec1}, {Type: "PRIVATE KEY", Bytes: pkcs8}} {
		s, err := ParseSigner("FR00", "0001", pem.EncodeToMemory(b))
		if err != nil || !s.Public().Equal(&key.PublicKey) {
			t.Errorf("%s: %v", b.Type, err)
		}
	}
	if _, err := ParseSigner("FR00", "0001", []byte("not pem")); err == nil {
		t.Error("garbage accepted")
	}
}
