package files

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"

	"permis/internal/apperr"
)

// pngHeader is the start of a PNG declaring w × h pixels: signature and
// IHDR chunk, enough for image.DecodeConfig — no pixel data at all.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, RGB
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	b.WriteString("rest of the file")
	return b.Bytes()
}

func deflate(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// Issue 10, finding 5: PDFs that act by themselves, images declaring more
// pixels than the budget (decompression bombs) are refused before anything
// is stored; bidirectional overrides are removed from file names.
func TestAcceptRefusesActiveAndOversizedContent(t *testing.T) {
	ctx := context.Background()
	const plain = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
	for _, tc := range []struct {
		name, content, wantErr string
	}{
		{"plain PDF", plain, ""},
		{"JavaScript", "%PDF-1.7\n1 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj", "contenu actif"},
		{"OpenAction", "%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj", "contenu actif"},
		{"Launch", "%PDF-1.7\n1 0 obj << /S /Launch /F (calc.exe) >> endobj", "contenu actif"},
		{"additional actions", "%PDF-1.7\n1 0 obj << /Type /Page /AA << /O 4 0 R >> >> endobj", "contenu actif"},
		{"escaped name", "%PDF-1.7\n1 0 obj << /S /J#61vaScript /JS (x) >> endobj", "contenu actif"},
		{"inside a compressed object stream", "%PDF-1.7\n5 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n" +
			deflate("<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>") + "\nendstream\nendobj", "contenu actif"},
		{"a word, not a name", "%PDF-1.7\n1 0 obj (JavaScript OpenAction Launch) endobj", ""},
		{"image within the budget", string(pngHeader(6000, 8000)), ""},
		{"decompression bomb", string(pngHeader(100000, 100000)), "trop grande"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			d, err := NewDir(root)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Accept(ctx, d, "piece", "x", strings.NewReader(tc.content), 0)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := apperr.As(err); e.Code != apperr.Invalid || !strings.Contains(e.Fields["piece"], tc.wantErr) {
				t.Fatalf("err %v (%+v), want a problem on piece saying %q", err, e, tc.wantErr)
			}
			if left := files(t, root); len(left) != 0 {
				t.Fatalf("a refused file left %v", left)
			}
		})
	}
	for in, want := range map[string]string{
		"facture\u202Efdp.exe":           "facturefdp.exe",
		"a\u2066b\u2069c\u200F.pdf":      "abc.pdf",
		"justificatif\u00a0domicile.pdf": "justificatif\u00a0domicile.pdf",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
