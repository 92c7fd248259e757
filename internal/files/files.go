// Package files keeps the documents people upload (identity papers, proofs
// of address, medical opinions, photos) outside the database, behind a
// small storage interface: a local directory by default, an object store
// later. The database keeps each file's key, type, size and SHA-256.
//
// A file is accepted by its content, never by its name: PDF, JPEG or PNG,
// recognised by their first bytes, within a size limit. Keys are random
// and say nothing of the person or the file; files are written once and
// never overwritten.
package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"permis/internal/apperr"
)

// The accepted types.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// DefaultMaxSize is the size limit the pages state when none is
// configured: 10 Mo, what a scanned document or a phone photo needs.
const DefaultMaxSize = 10 << 20

// Storage keeps files by key. Implementations must be safe for concurrent
// use.
type Storage interface {
	// Put writes a new file under key; an existing key is an error.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open reads the file of key (apperr.NotFound when absent).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file of key; a missing one is not an error.
	Delete(ctx context.Context, key string) error
}

// Stored is what the database keeps of an accepted file.
type Stored struct {
	Key    string
	Type   string // PDF, JPEG or PNG
	Size   int64
	SHA256 string // hex
	Name   string // the name the person's browser gave, cleaned, for display only
}

// Sniff returns the type of content from its first bytes, "" when it is
// none of the accepted types.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	}
	return ""
}

// Accept checks and stores one upload: the type by content, the size
// within maxSize (DefaultMaxSize when 0), then writes it under a new random
// key. The field names the form's input for the error messages. Nothing
// is kept when it fails.
func Accept(ctx context.Context, st Storage, field, name string, r io.Reader, maxSize int64) (Stored, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	// Read whole (within the limit): the content is checked before anything
	// is written.
	body, err := io.ReadAll(&limited{r: r, left: maxSize + 1})
	if err != nil {
		return Stored{}, fmt.Errorf("files: lecture : %w", err)
	}
	if len(body) == 0 {
		return Stored{}, apperr.Field(field, "Le fichier est vide. Choisissez le document à joindre.")
	}
	typ := Sniff(body[:min(len(body), 8)])
	if typ == "" {
		return Stored{}, apperr.Field(field, "Ce fichier n'est ni un PDF, ni une image JPEG, ni une image PNG. Enregistrez votre document dans l'un de ces formats.")
	}
	if int64(len(body)) > maxSize {
		return Stored{}, apperr.Field(field, fmt.Sprintf("Le fichier dépasse %s. Réduisez sa taille (en le numérisant en noir et blanc, par exemple) puis joignez-le de nouveau.", FormatSize(maxSize)))
	}
	if err := checkContent(field, typ, body); err != nil {
		return Stored{}, err
	}
	key, err := newKey(typ)
	if err != nil {
		return Stored{}, err
	}
	if err := st.Put(ctx, key, bytes.NewReader(body)); err != nil {
		_ = st.Delete(context.WithoutCancel(ctx), key)
		return Stored{}, fmt.Errorf("files: enregistrement : %w", err)
	}
	sum := sha256.Sum256(body)
	return Stored{Key: key, Type: typ, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:]), Name: cleanName(name)}, nil
}

// limited reads at most left bytes; it stops there without error, so that
// the caller sees the size went over the limit.
type limited struct {
	r    io.Reader
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// FormatSize writes a size as French pages state it: "10 Mo", "500 ko".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d Mo", n>>20)
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d ko", n>>10)
	}
	return fmt.Sprintf("%d octets", n)
}

// newKey is a random key with the type's extension, sharded by its first
// two characters so that no directory grows too large.
func newKey(typ string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	ext := map[string]string{PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}[typ]
	h := hex.EncodeToString(b[:])
	return h[:2] + "/" + h + ext, nil
}

// cleanName keeps a displayable base name: no path, no control character,
// at most 120 characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		return ""
	}
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	return name
}

// Dir is a Storage in a local directory.
type Dir struct{ root string }

// NewDir returns the storage in root, created (mode 0700) if missing.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	return &Dir{root: root}, nil
}

// path refuses keys that could leave the root.
func (d *Dir) path(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00") ||
		filepath.Clean(key) != key {
		return "", apperr.New(apperr.NotFound, "Document introuvable.")
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put writes to a temporary file, then links it in place, so that a reader
// never sees half a file and an existing key is never replaced.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".envoi-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Link(tmp, p) // fails if p exists
}

// Open reads a stored file.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.New(apperr.NotFound, "Document introuvable.")
	}
	return f, err
}

// Delete removes a stored file.
func (d *Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
