package requestpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// This file is a small PDF reader for tests: enough of the format to find
// the pages of an fpdf document, read their content streams (compressed or
// not) and list the strings drawn by Tj and TJ with their position, decoded
// from Windows-1252. It is not a general PDF parser.

// pdfFile is a parsed document: its objects by number and its trailer.
type pdfFile struct {
	data    []byte
	offsets map[int]int
	trailer string
}

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reRef       = regexp.MustCompile(`(\d+) 0 R`)
	reLength    = regexp.MustCompile(`/Length (\d+)`)
)

func parsePDF(t testing.TB, data []byte) *pdfFile {
	t.Helper()
	m := reStartXref.FindSubmatch(data)
	if m == nil {
		t.Fatal("pdf: no startxref")
	}
	at, _ := strconv.Atoi(string(m[1]))
	rest := string(data[at:])
	if !strings.HasPrefix(rest, "xref\n") {
		t.Fatalf("pdf: no xref table at %d", at)
	}
	lines := strings.Split(rest, "\n")
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil {
		t.Fatalf("pdf: xref subsection %q: %v", lines[1], err)
	}
	f := &pdfFile{data: data, offsets: map[int]int{}}
	for i := 0; i < count; i++ {
		var off, gen int
		var kind string
		if _, err := fmt.Sscanf(lines[2+i], "%d %d %s", &off, &gen, &kind); err != nil {
			t.Fatalf("pdf: xref entry %q: %v", lines[2+i], err)
		}
		if kind == "n" {
			f.offsets[first+i] = off
		}
	}
	trailer := strings.Join(lines[2+count:], "\n")
	f.trailer = trailer
	return f
}

// object returns object n's dictionary text and its stream, decompressed.
func (f *pdfFile) object(t testing.TB, n int) (dict string, stream []byte) {
	t.Helper()
	off, ok := f.offsets[n]
	if !ok {
		t.Fatalf("pdf: no object %d", n)
	}
	head := fmt.Sprintf("%d 0 obj\n", n)
	body := f.data[off:]
	if !bytes.HasPrefix(body, []byte(head)) {
		t.Fatalf("pdf: object %d does not start at its offset", n)
	}
	body = body[len(head):]
	s := bytes.Index(body, []byte("\nstream\n"))
	e := bytes.Index(body, []byte("endobj"))
	if s < 0 || s > e {
		return string(body[:e]), nil
	}
	dict = string(body[:s])
	lm := reLength.FindStringSubmatch(dict)
	if lm == nil {
		t.Fatalf("pdf: stream object %d without a direct /Length", n)
	}
	length, _ := strconv.Atoi(lm[1])
	stream = body[s+len("\nstream\n") : s+len("\nstream\n")+length]
	if strings.Contains(dict, "/FlateDecode") && !strings.Contains(dict, "/Subtype /Image") {
		r, err := zlib.NewReader(bytes.NewReader(stream))
		if err != nil {
			t.Fatalf("pdf: object %d: %v", n, err)
		}
		if stream, err = io.ReadAll(r); err != nil {
			t.Fatalf("pdf: object %d: %v", n, err)
		}
	}
	return dict, stream
}

// ref returns the object number after key in dict ("/Root 12 0 R").
func ref(t testing.TB, dict, key string) int {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + ` (\d+) 0 R`).FindStringSubmatch(dict)
	if m == nil {
		t.Fatalf("pdf: no %s in %q", key, dict)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pages returns the content stream of each page, in page order.
func (f *pdfFile) pages(t testing.TB) [][]byte {
	t.Helper()
	catalog, _ := f.object(t, ref(t, f.trailer, "/Root"))
	tree, _ := f.object(t, ref(t, catalog, "/Pages"))
	k := strings.Index(tree, "/Kids [")
	if k < 0 {
		t.Fatal("pdf: no /Kids in the page tree")
	}
	kids := tree[k:]
	kids = kids[:strings.Index(kids, "]")]
	var out [][]byte
	for _, m := range reRef.FindAllStringSubmatch(kids, -1) {
		n, _ := strconv.Atoi(m[1])
		page, _ := f.object(t, n)
		_, content := f.object(t, ref(t, page, "/Contents"))
		out = append(out, content)
	}
	return out
}

// info returns the document information dictionary's string entries.
func (f *pdfFile) info(t testing.TB) map[string]string {
	t.Helper()
	dict, _ := f.object(t, ref(t, f.trailer, "/Info"))
	out := map[string]string{}
	toks := tokens(t, []byte(dict))
	for i := 0; i+1 < len(toks); i++ {
		if strings.HasPrefix(toks[i].text, "/") && toks[i+1].str {
			out[toks[i].text[1:]] = pdfText(toks[i+1].text)
		}
	}
	return out
}

// pdfText decodes a PDF text string: UTF-16BE with a byte-order mark, or
// (for this producer) Windows-1252.
func pdfText(s string) string {
	if strings.HasPrefix(s, "\xfe\xff") {
		b := []byte(s[2:])
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	return decode1252(s)
}

func decode1252(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(charmap.Windows1252.DecodeByte(s[i]))
	}
	return b.String()
}

// token is a lexical item of a content stream: a string literal (str, with
// its escapes resolved) or any other word (number, name, operator, bracket).
type token struct {
	text string
	str  bool
}

func tokens(t testing.TB, b []byte) []token {
	t.Helper()
	var out []token
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(':
			s, n := literal(t, b[i:])
			out = append(out, token{text: s, str: true})
			i += n
		case c == '[' || c == ']':
			out = append(out, token{text: string(c)})
			i++
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			out = append(out, token{text: string(b[i : i+2])})
			i += 2
		default:
			j := i + 1
			for j < len(b) && !strings.ContainsRune(" \n\r\t()[]<>/", rune(b[j])) {
				j++
			}
			out = append(out, token{text: string(b[i:j])})
			i = j
		}
	}
	return out
}

// literal reads a (string) at the start of b and returns its bytes and the
// length it spans.
func literal(t testing.TB, b []byte) (string, int) {
	t.Helper()
	var s []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '\\':
			i++
			switch e := b[i]; e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v, j := 0, 0
				for ; j < 3 && i+j < len(b) && b[i+j] >= '0' && b[i+j] <= '7'; j++ {
					v = v*8 + int(b[i+j]-'0')
				}
				s = append(s, byte(v))
				i += j - 1
			default:
				s = append(s, e)
			}
		case '(':
			if depth > 0 {
				s = append(s, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(s), i + 1
			}
			s = append(s, c)
		default:
			s = append(s, c)
		}
	}
	t.Fatal("pdf: unterminated string")
	return "", 0
}

// textRun is a string drawn on a page at (x, y), in PDF points from the
// bottom left corner.
type textRun struct {
	page int
	x, y float64
	text string
}

// extractRuns lists the text a PDF shows, page by page, in drawing order.
func extractRuns(t testing.TB, pdf []byte) []textRun {
	t.Helper()
	var runs []textRun
	for p, content := range parsePDF(t, pdf).pages(t) {
		var stack []token
		var x, y float64
		for _, tok := range tokens(t, content) {
			if tok.str || tok.text == "[" || tok.text == "]" || isOperand(tok.text) {
				stack = append(stack, tok)
				continue
			}
			switch tok.text {
			case "Td", "TD":
				if len(stack) >= 2 {
					x, _ = strconv.ParseFloat(stack[len(stack)-2].text, 64)
					y, _ = strconv.ParseFloat(stack[len(stack)-1].text, 64)
				}
			case "Tj":
				if len(stack) > 0 && stack[len(stack)-1].str {
					runs = append(runs, textRun{p + 1, x, y, decode1252(stack[len(stack)-1].text)})
				}
			case "TJ":
				var b strings.Builder
				for _, s := range stack {
					if s.str {
						b.WriteString(s.text)
					}
				}
				runs = append(runs, textRun{p + 1, x, y, decode1252(b.String())})
			}
			stack = stack[:0]
		}
	}
	return runs
}

func isOperand(s string) bool {
	if strings.HasPrefix(s, "/") {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// pageText is the text of a PDF as lines: strings drawn one after the other
// on the same baseline are joined with " | ", and each page starts with a
// "=== page n ===" line.
func pageText(t testing.TB, pdf []byte) string {
	t.Helper()
	var b strings.Builder
	page := 0
	var lastY float64
	for i, r := range extractRuns(t, pdf) {
		switch {
		case r.page != page:
			if page != 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "=== page %d ===\n", r.page)
			page = r.page
			b.WriteString(r.text)
		case i > 0 && abs(r.y-lastY) < 0.01:
			b.WriteString(" | " + r.text)
		default:
			b.WriteString("\n" + r.text)
		}
		lastY = r.y
	}
	b.WriteByte('\n')
	return b.String()
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
