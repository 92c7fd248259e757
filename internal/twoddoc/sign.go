package twoddoc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"math/big"
	"sort"
)

// curve is one ECDSA curve a 2D-Doc signature may use, with the hash the
// spec pairs with it and the size of each of r and s.
type curve struct {
	curve    elliptic.Curve
	size     int // bytes of r (and of s)
	name     string
	hashName string
	hash     func([]byte) []byte
}

var curves = []curve{
	{elliptic.P256(), 32, "P-256", "SHA-256", func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }},
	{elliptic.P384(), 48, "P-384", "SHA-384", func(b []byte) []byte { h := sha512.Sum384(b); return h[:] }},
	{elliptic.P521(), 66, "P-521", "SHA-512", func(b []byte) []byte { h := sha512.Sum512(b); return h[:] }},
}

// curveForSigLen returns the curve whose r‖s is n bytes long.
func curveForSigLen(n int) (curve, bool) {
	for _, c := range curves {
		if 2*c.size == n {
			return c, true
		}
	}
	return curve{}, false
}

// curveOf returns the description of a supported curve.
func curveOf(c elliptic.Curve) (curve, bool) {
	for _, k := range curves {
		if k.curve == c {
			return k, true
		}
	}
	return curve{}, false
}

// Signer signs codes with one private key, known to verifiers as the
// certificate Cert of the certification authority CA.
type Signer struct {
	CA   string
	Cert string
	key  *ecdsa.PrivateKey
}

// NewSigner returns a signer for a P-256, P-384 or P-521 key.
func NewSigner(ca, cert string, key *ecdsa.PrivateKey) (*Signer, error) {
	if err := checkKeyID(ca, cert); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, fmt.Errorf("clé privée absente")
	}
	if _, ok := curveOf(key.Curve); !ok {
		return nil, fmt.Errorf("courbe %s non prise en charge (P-256, P-384 ou P-521)", key.Curve.Params().Name)
	}
	return &Signer{CA: ca, Cert: cert, key: key}, nil
}

// checkKeyID checks a CA id and a certificate id: 4 characters A–Z, 0–9.
func checkKeyID(ca, cert string) error {
	if len(ca) != 4 || !isIDString(ca) {
		return fmt.Errorf("autorité de certification « %s » : 4 caractères A à Z ou 0 à 9 attendus (ex. FR00)", ca)
	}
	if len(cert) != 4 || !isIDString(cert) {
		return fmt.Errorf("certificat « %s » : 4 caractères A à Z ou 0 à 9 attendus (ex. 0001)", cert)
	}
	return nil
}

// Public returns the verification key.
func (s *Signer) Public() *ecdsa.PublicKey { return &s.key.PublicKey }

// Sign returns the raw r‖s signature of data, each half left-padded to the
// curve's size (64 bytes on P-256).
func (s *Signer) Sign(data []byte) ([]byte, error) {
	c, _ := curveOf(s.key.Curve)
	r, v, err := ecdsa.Sign(rand.Reader, s.key, c.hash(data))
	if err != nil {
		return nil, fmt.Errorf("signature ECDSA : %w", err)
	}
	out := make([]byte, 2*c.size)
	r.FillBytes(out[:c.size])
	v.FillBytes(out[c.size:])
	return out, nil
}

// Seal signs data (header and message) and returns the whole code: data,
// <US>, then the signature in Base32 without padding (103 characters on
// P-256).
func (s *Signer) Seal(data string) (string, error) {
	h, _, err := decodeHeader(data)
	if err != nil {
		return "", err
	}
	if h.CA != s.CA || h.Cert != s.Cert {
		return "", fmt.Errorf("l'en-tête désigne %s/%s mais la clé est %s/%s", h.CA, h.Cert, s.CA, s.Cert)
	}
	sig, err := s.Sign([]byte(data))
	if err != nil {
		return "", err
	}
	return data + string(rune(US)) + b32.EncodeToString(sig), nil
}

// Issue builds and signs a code: the header gets the signer's CA and
// certificate ids, then Encode and Seal.
func (s *Signer) Issue(h Header, fields []Field) (string, error) {
	h.CA, h.Cert = s.CA, s.Cert
	data, err := Encode(h, fields)
	if err != nil {
		return "", err
	}
	return s.Seal(data)
}

// KeyID names a verification key: a certification authority and one of its
// certificates, as in the header.
type KeyID struct {
	CA   string `json:"ca"`
	Cert string `json:"cert"`
}

// String is "FR00/0001".
func (id KeyID) String() string { return id.CA + "/" + id.Cert }

// Keyring holds the public keys a verifier trusts, by (CA, certificate).
// The zero value is not usable; a nil *Keyring trusts nothing.
type Keyring struct {
	keys map[KeyID]*ecdsa.PublicKey
}

// NewKeyring returns an empty keyring.
func NewKeyring() *Keyring { return &Keyring{keys: make(map[KeyID]*ecdsa.PublicKey)} }

// Add trusts pub for codes signed by (ca, cert). Adding the same key twice is
// harmless; a different key under an id already taken is refused.
func (k *Keyring) Add(ca, cert string, pub *ecdsa.PublicKey) error {
	if err := checkKeyID(ca, cert); err != nil {
		return err
	}
	if pub == nil {
		return fmt.Errorf("clé publique absente pour %s/%s", ca, cert)
	}
	if _, ok := curveOf(pub.Curve); !ok {
		return fmt.Errorf("clé %s/%s : courbe %s non prise en charge (P-256, P-384 ou P-521)", ca, cert, pub.Curve.Params().Name)
	}
	id := KeyID{ca, cert}
	if old, ok := k.keys[id]; ok && !old.Equal(pub) {
		return fmt.Errorf("deux clés différentes pour %s", id)
	}
	k.keys[id] = pub
	return nil
}

// Lookup returns the key trusted for (ca, cert).
func (k *Keyring) Lookup(ca, cert string) (*ecdsa.PublicKey, bool) {
	if k == nil {
		return nil, false
	}
	p, ok := k.keys[KeyID{ca, cert}]
	return p, ok
}

// IDs lists the trusted keys, sorted.
func (k *Keyring) IDs() []KeyID {
	if k == nil {
		return nil
	}
	out := make([]KeyID, 0, len(k.keys))
	for id := range k.keys {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Status is the outcome of a verification.
type Status string

// The four outcomes. Only Valid means the code is what its issuer signed.
const (
	Valid              Status = "valid"
	BadSignature       Status = "bad_signature"
	UnknownCertificate Status = "unknown_certificate"
	Malformed          Status = "malformed"
)

// Verdict is what Verify concludes: the status, a French sentence that
// explains it, the decoded document (nil when malformed) and the decode
// error (when malformed).
type Verdict struct {
	Status Status
	Reason string
	Doc    *Document
	Err    *DecodeError
}

// Verify decodes a code and checks its signature with the key of the
// (CA, certificate) its header names.
func (k *Keyring) Verify(text string) Verdict {
	doc, err := Decode(text)
	if err != nil {
		de, _ := err.(*DecodeError)
		return Verdict{Status: Malformed, Reason: "code mal formé : " + err.Error(), Err: de}
	}
	return k.VerifyDocument(doc)
}

// VerifyDocument checks the signature of a decoded document.
func (k *Keyring) VerifyDocument(doc *Document) Verdict {
	id := KeyID{doc.Header.CA, doc.Header.Cert}
	v := Verdict{Doc: doc}
	pub, ok := k.Lookup(id.CA, id.Cert)
	if !ok {
		v.Status, v.Reason = UnknownCertificate, "certificat inconnu : aucune clé configurée pour "+id.String()+", la signature n'a pas pu être vérifiée"
		return v
	}
	kc, _ := curveOf(pub.Curve)
	sc, _ := curveForSigLen(len(doc.Signature))
	if kc.size != sc.size {
		v.Status = BadSignature
		v.Reason = fmt.Sprintf("signature invalide : signature %s de %d octets, mais la clé %s est %s", sc.name, len(doc.Signature), id, kc.name)
		return v
	}
	r := new(big.Int).SetBytes(doc.Signature[:kc.size])
	s := new(big.Int).SetBytes(doc.Signature[kc.size:])
	if !ecdsa.Verify(pub, kc.hash(doc.Signed()), r, s) {
		v.Status, v.Reason = BadSignature, "signature invalide : les données ne correspondent pas à la signature de "+id.String()
		return v
	}
	v.Status, v.Reason = Valid, "signature valide ("+id.String()+", ECDSA "+kc.name+" "+kc.hashName+")"
	return v
}
