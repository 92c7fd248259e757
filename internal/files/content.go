package files

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads JPEG headers
	_ "image/png"  // … and PNG headers
	"io"
	"regexp"
	"unicode"

	"permis/internal/apperr"
)

// MaxPixels is the pixel budget of an uploaded image (issue 10, finding 5):
// 50 million pixels, a 48-megapixel phone photo. A small file can declare a
// huge image (a "decompression bomb": 10 Mo of PNG for 100 000 × 100 000
// pixels, tens of gigabytes once decoded); its dimensions are read from
// its header, never by decoding it.
const MaxPixels = 50_000_000

// checkContent refuses, before anything is stored, an image over the pixel
// budget (or whose header cannot be read) and a PDF with active content.
func checkContent(field, typ string, body []byte) error {
	switch typ {
	case JPEG, PNG:
		// A header that cannot be read declares no size: no decoder will
		// make anything of it either, so it is kept as sent.
		cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
		if err == nil && int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
			return apperr.Field(field, fmt.Sprintf("Cette image est trop grande (%d × %d pixels). Réduisez sa définition puis joignez-la de nouveau.", cfg.Width, cfg.Height))
		}
	case PDF:
		if activePDF(body) != "" {
			return apperr.Field(field, "Ce PDF contient du contenu actif (script ou action automatique) : nous ne pouvons pas l'accepter. "+
				"Imprimez-le en PDF (« Imprimer » puis « Enregistrer au format PDF ») ou numérisez le document, puis joignez-le de nouveau.")
		}
	}
	return nil
}

// activeNames are the PDF names that make a document act by itself: run
// a script, an action when opened or on an event, launch a program.
var activeNames = []string{"JavaScript", "JS", "OpenAction", "Launch", "AA"}

// pdfName matches a PDF name token: a slash and regular characters, with
// #xx escapes ("/J#61vaScript" is "/JavaScript").
var pdfName = regexp.MustCompile(`/[^\s/<>\[\]()%{}]+`)

// streamRE finds the streams of a PDF, to look inside compressed object
// streams too (PDF 1.5 hides dictionaries there).
var streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)

// maxInflated bounds what activePDF inflates in all, against a compressed
// bomb inside the PDF itself.
const maxInflated = 64 << 20

// activePDF returns the first active name found in the PDF body, in its
// text or in its Flate-compressed streams, or "".
func activePDF(body []byte) string {
	if n := activeName(body); n != "" {
		return n
	}
	budget := int64(maxInflated)
	for _, m := range streamRE.FindAllSubmatch(body, -1) {
		if budget <= 0 {
			return "" // what is left is image or font data, not worth more
		}
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not Flate: raw or image data
		}
		out, _ := io.ReadAll(io.LimitReader(zr, budget))
		budget -= int64(len(out))
		if n := activeName(out); n != "" {
			return n
		}
	}
	return ""
}

func activeName(b []byte) string {
	for _, tok := range pdfName.FindAll(b, -1) {
		name := unescapeName(tok[1:])
		for _, a := range activeNames {
			if name == a {
				return a
			}
		}
	}
	return ""
}

// unescapeName decodes the #xx escapes of a PDF name.
func unescapeName(b []byte) string {
	if !bytes.ContainsRune(b, '#') {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			var v byte
			if _, err := fmt.Sscanf(string(b[i+1:i+3]), "%02x", &v); err == nil {
				out = append(out, v)
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// invisible reports the characters removed from file names: controls, and
// format characters such as the bidirectional overrides (U+202E turns
// "facture‮fdp.exe" into what reads "facture exe.pdf").
func invisible(r rune) bool {
	return r < 0x20 || r == 0x7f || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}
