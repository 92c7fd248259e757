package twoddoc

// Key material is configuration: PEM files on disk, named after the
// (CA, certificate) they stand for. This file is the package's only file
// I/O; the rest works on bytes.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// IDsFromFileName reads the (CA, certificate) a key file stands for from its
// name: "FR00-0001.pub.pem", "FR05_FIN2.crt" → FR00/0001, FR05/FIN2. The part
// before the first dot must be CA, "-" or "_", then the certificate id.
func IDsFromFileName(name string) (ca, cert string, ok bool) {
	stem, _, _ := strings.Cut(filepath.Base(name), ".")
	if len(stem) != 9 || stem[4] != '-' && stem[4] != '_' {
		return "", "", false
	}
	ca, cert = stem[:4], stem[5:]
	return ca, cert, checkKeyID(ca, cert) == nil
}

// AddPEM trusts the public keys in PEM data — "PUBLIC KEY" blocks or X.509
// "CERTIFICATE"s — for (ca, cert). Private-key blocks are skipped, so a
// directory made by keygen can be given whole. It returns how many public
// keys it read.
func (k *Keyring) AddPEM(ca, cert string, data []byte) (int, error) {
	n := 0
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		var pub any
		switch block.Type {
		case "PUBLIC KEY":
			p, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return n, fmt.Errorf("clé publique illisible : %w", err)
			}
			pub = p
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return n, fmt.Errorf("certificat illisible : %w", err)
			}
			pub = c.PublicKey
		default:
			continue
		}
		ec, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return n, fmt.Errorf("clé %T : seules les clés ECDSA sont utilisées par le 2D-Doc", pub)
		}
		if err := k.Add(ca, cert, ec); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// errNoPublicKey is a file with no public key in it.
var errNoPublicKey = errors.New("aucune clé publique ni certificat PEM")

// LoadKeyring reads public keys from files and directories. A file is read
// whatever its name ends with and must hold a public key; a directory
// contributes its *.pem, *.crt and *.cer files that hold one (files with
// private keys only are skipped). Every file is named as IDsFromFileName
// expects.
func LoadKeyring(paths ...string) (*Keyring, error) {
	k := NewKeyring()
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("clés 2D-Doc : %w", err)
		}
		if !info.IsDir() {
			if err := k.loadFile(p); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("clés 2D-Doc : %w", err)
		}
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if e.IsDir() || ext != ".pem" && ext != ".crt" && ext != ".cer" {
				continue
			}
			if err := k.loadFile(filepath.Join(p, e.Name())); err != nil && !errors.Is(err, errNoPublicKey) {
				return nil, err
			}
		}
	}
	return k, nil
}

func (k *Keyring) loadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("clés 2D-Doc : %w", err)
	}
	ca, cert, ok := IDsFromFileName(path)
	if !ok {
		return fmt.Errorf("clés 2D-Doc : %s : le nom doit commencer par l'autorité et le certificat, comme FR00-0001.pem", path)
	}
	n, err := k.AddPEM(ca, cert, data)
	if err != nil {
		return fmt.Errorf("clés 2D-Doc : %s : %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("clés 2D-Doc : %s : %w", path, errNoPublicKey)
	}
	return nil
}

// ParseSigner reads a PEM private key ("PRIVATE KEY" in PKCS #8 or "EC
// PRIVATE KEY" in SEC 1) for (ca, cert).
func ParseSigner(ca, cert string, data []byte) (*Signer, error) {
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		switch block.Type {
		case "PRIVATE KEY":
			key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("clé privée illisible : %w", err)
			}
			ec, ok := key.(*ecdsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("clé privée %T : une clé ECDSA est attendue", key)
			}
			return NewSigner(ca, cert, ec)
		case "EC PRIVATE KEY":
			ec, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("clé privée illisible : %w", err)
			}
			return NewSigner(ca, cert, ec)
		}
	}
	return nil, errors.New("aucune clé privée PEM")
}

// LoadSigner reads a private key file named as IDsFromFileName expects
// ("FR00-0001.key.pem").
func LoadSigner(path string) (*Signer, error) {
	ca, cert, ok := IDsFromFileName(path)
	if !ok {
		return nil, fmt.Errorf("clé 2D-Doc : %s : le nom doit commencer par l'autorité et le certificat, comme FR00-0001.key.pem", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("clé 2D-Doc : %w", err)
	}
	s, err := ParseSigner(ca, cert, data)
	if err != nil {
		return nil, fmt.Errorf("clé 2D-Doc : %s : %w", path, err)
	}
	return s, nil
}

// GenerateSigner makes a new P-256 key for (ca, cert). Use the test
// authority FR00 for keys that no official trust list knows.
func GenerateSigner(ca, cert string, random io.Reader) (*Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), random)
	if err != nil {
		return nil, fmt.Errorf("génération de la clé : %w", err)
	}
	return NewSigner(ca, cert, key)
}

// PrivatePEM is the private key in PKCS #8 PEM.
func (s *Signer) PrivatePEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(s.key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// PublicPEM is the public key in PKIX PEM, what verifiers are given.
func (s *Signer) PublicPEM() ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// KeyFiles are the two files WriteKeyFiles wrote.
type KeyFiles struct {
	Private string `json:"private"` // DIR/FR00-0001.key.pem, mode 0600
	Public  string `json:"public"`  // DIR/FR00-0001.pub.pem
}

// WriteKeyFiles writes the signer's private and public keys into dir (made
// if missing) as CA-CERT.key.pem and CA-CERT.pub.pem. It refuses to replace
// existing files.
func WriteKeyFiles(dir string, s *Signer) (KeyFiles, error) {
	priv, err := s.PrivatePEM()
	if err != nil {
		return KeyFiles{}, err
	}
	pub, err := s.PublicPEM()
	if err != nil {
		return KeyFiles{}, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return KeyFiles{}, err
	}
	base := filepath.Join(dir, s.CA+"-"+s.Cert)
	kf := KeyFiles{Private: base + ".key.pem", Public: base + ".pub.pem"}
	for _, p := range []string{kf.Private, kf.Public} {
		if _, err := os.Lstat(p); err == nil {
			return KeyFiles{}, &existsError{p}
		}
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{kf.Private, priv, 0o600}, {kf.Public, pub, 0o644}} {
		if err := writeNew(f.path, f.data, f.mode); err != nil {
			return KeyFiles{}, err
		}
	}
	return kf, nil
}

// ErrKeyExists is returned (wrapped) by WriteKeyFiles when a file is there
// already.
var ErrKeyExists = errors.New("fichier de clé déjà présent")

type existsError struct{ path string }

func (e *existsError) Error() string {
	return e.path + " existe déjà : choisissez un autre certificat ou un autre répertoire"
}

func (e *existsError) Unwrap() error { return ErrKeyExists }

// writeNew creates path, failing if it exists.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return &existsError{path}
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
