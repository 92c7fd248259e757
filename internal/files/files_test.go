package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"permis/internal/apperr"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		head, want string
	}{
		{"%PDF-1.7\n", PDF},
		{"\xFF\xD8\xFF\xE0\x00\x10JFIF", JPEG},
		{"\x89PNG\r\n\x1a\n\x00", PNG},
		{"GIF89a", ""},
		{"<html>%PDF-", ""}, // a type is read at the start only
		{"PK\x03\x04", ""},  // a zip (or .docx) named .pdf
		{"", ""},
	} {
		if got := Sniff([]byte(tc.head)); got != tc.want {
			t.Errorf("Sniff(%q) = %q, want %q", tc.head, got, tc.want)
		}
	}
}

// files lists what the storage holds, temporary files included.
func files(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAccept(t *testing.T) {
	ctx := context.Background()
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 1000)
	for _, tc := range []struct {
		name, content, filename string
		max                     int64
		wantErr                 string // part of the message; "" for success
		wantType                string
	}{
		{name: "pdf", content: pdf, filename: `C:\Users\léa\Scans\justificatif domicile.pdf`, wantType: PDF},
		{name: "png at the limit", content: "\x89PNG\r\n\x1a\n" + strings.Repeat("p", 92), max: 100, wantType: PNG},
		{name: "one byte over", content: "\x89PNG\r\n\x1a\n" + strings.Repeat("p", 93), max: 100, wantErr: "dépasse 100 octets"},
		{name: "a text named pdf", content: "bonjour", filename: "piece.pdf", wantErr: "ni un PDF"},
		{name: "empty", content: "", wantErr: "vide"},
		{name: "tiny", content: "%P", wantErr: "ni un PDF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			d, err := NewDir(root)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Accept(ctx, d, "piece", tc.filename, strings.NewReader(tc.content), tc.max)
			if tc.wantErr != "" {
				e := apperr.As(err)
				if e.Code != apperr.Invalid || !strings.Contains(e.Fields["piece"], tc.wantErr) {
					t.Fatalf("err %v (%+v), want a problem on piece saying %q", err, e, tc.wantErr)
				}
				if left := files(t, root); len(left) != 0 {
					t.Fatalf("a refused file left %v", left)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(tc.content))
			if got.Type != tc.wantType || got.Size != int64(len(tc.content)) || got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("stored %+v", got)
			}
			if strings.ContainsAny(got.Name, `\/`) || strings.Contains(got.Key, "justificatif") {
				t.Fatalf("name %q, key %q", got.Name, got.Key)
			}
			rc, err := d.Open(ctx, got.Key)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(b, []byte(tc.content)) {
				t.Fatal("read back differs")
			}
			if left := files(t, root); len(left) != 1 {
				t.Fatalf("storage holds %v", left)
			}
		})
	}
}

func TestDirKeys(t *testing.T) {
	ctx := context.Background()
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"", "../x.pdf", "/etc/passwd", "a/../../x", `a\b`, "a//b", "./a"} {
		if err := d.Put(ctx, key, strings.NewReader("x")); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Put(%q): %v, want refused", key, err)
		}
		if _, err := d.Open(ctx, key); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Open(%q): %v, want refused", key, err)
		}
	}
	if err := d.Put(ctx, "ab/cd.pdf", strings.NewReader("one")); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "ab/cd.pdf", strings.NewReader("two")); err == nil {
		t.Error("a key was written twice")
	}
	if _, err := d.Open(ctx, "ab/none.pdf"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("missing file: %v", err)
	}
	if err := d.Delete(ctx, "ab/cd.pdf"); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "ab/cd.pdf"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{10 << 20: "10 Mo", 5<<20 + 1<<19: "5,5 Mo", 500 << 10: "500 ko", 100: "100 octets"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
