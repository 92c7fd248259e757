package pdftest

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

// File is a parsed document: its objects by number and its Trailer.
type File struct {
	data    []byte
	offsets map[int]int
	Trailer string
}

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reRef       = regexp.MustCompile(`(\d+) 0 R`)
	reLength    = regexp.MustCompile(`/Length (\d+)`)
)

func Parse(t testing.TB, data []byte) *File {
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
	f := &File{data: data, offsets: map[int]int{}}
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
	Trailer := strings.Join(lines[2+count:], "\n")
	f.Trailer = Trailer
	return f
}

// object returns object n's dictionary text and its stream, decompressed.
func (f *File) Object(t testing.TB, n int) (dict string, stream []byte) {
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
func Ref(t testing.TB, dict, key string) int {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + ` (\d+) 0 R`).FindStringSubmatch(dict)
	if m == nil {
		t.Fatalf("pdf: no %s in %q", key, dict)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pages returns the content stream of each page, in page order.
func (f *File) Pages(t testing.TB) [][]byte {
	t.Helper()
	catalog, _ := f.Object(t, Ref(t, f.Trailer, "/Root"))
	tree, _ := f.Object(t, Ref(t, catalog, "/Pages"))
	k := strings.Index(tree, "/Kids [")
	if k < 0 {
		t.Fatal("pdf: no /Kids in the page tree")
	}
	kids := tree[k:]
	kids = kids[:strings.Index(kids, "]")]
	var out [][]byte
	for _, m := range reRef.FindAllStringSubmatch(kids, -1) {
		n, _ := strconv.Atoi(m[1])
		page, _ := f.Object(t, n)
		_, content := f.Object(t, Ref(t, page, "/Contents"))
		out = append(out, content)
	}
	return out
}

// info returns the document information dictionary's string entries.
func (f *File) Info(t testing.TB) map[string]string {
	t.Helper()
	dict, _ := f.Object(t, Ref(t, f.Trailer, "/Info"))
	out := map[string]string{}
	toks := Tokens(t, []byte(dict))
	for i := 0; i+1 < len(toks); i++ {
		if strings.HasPrefix(toks[i].Text, "/") && toks[i+1].Str {
			out[toks[i].Text[1:]] = PDFText(toks[i+1].Text)
		}
	}
	return out
}

// PDFText decodes a PDF text string: UTF-16BE with a byte-order mark, or
// (for this producer) Windows-1252.
func PDFText(s string) string {
	if strings.HasPrefix(s, "\xfe\xff") {
		b := []byte(s[2:])
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	return Decode1252(s)
}

func Decode1252(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(charmap.Windows1252.DecodeByte(s[i]))
	}
	return b.String()
}

// Token is a lexical item of a content stream: a string literal (str, with
// its escapes resolved) or any other word (number, name, operator, bracket).
type Token struct {
	Text string // the token as written (a string's bytes decoded)
	Str  bool   // a string operand
}

func Tokens(t testing.TB, b []byte) []Token {
	t.Helper()
	var out []Token
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(':
			s, n := literal(t, b[i:])
			out = append(out, Token{Text: s, Str: true})
			i += n
		case c == '[' || c == ']':
			out = append(out, Token{Text: string(c)})
			i++
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			out = append(out, Token{Text: string(b[i : i+2])})
			i += 2
		default:
			j := i + 1
			for j < len(b) && !strings.ContainsRune(" \n\r\t()[]<>/", rune(b[j])) {
				j++
			}
			out = append(out, Token{Text: string(b[i:j])})
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

// TextRun is a string drawn on a page at (x, y), in PDF points from the
// bottom left corner.
type TextRun struct {
	Page int // from 1
	X, Y float64
	Text string
}

// ExtractRuns lists the text a PDF shows, page by page, in drawing order.
func ExtractRuns(t testing.TB, pdf []byte) []TextRun {
	t.Helper()
	var runs []TextRun
	for p, content := range Parse(t, pdf).Pages(t) {
		var stack []Token
		var x, y float64
		for _, tok := range Tokens(t, content) {
			if tok.Str || tok.Text == "[" || tok.Text == "]" || IsOperand(tok.Text) {
				stack = append(stack, tok)
				continue
			}
			switch tok.Text {
			case "Td", "TD":
				if len(stack) >= 2 {
					x, _ = strconv.ParseFloat(stack[len(stack)-2].Text, 64)
					y, _ = strconv.ParseFloat(stack[len(stack)-1].Text, 64)
				}
			case "Tj":
				if len(stack) > 0 && stack[len(stack)-1].Str {
					runs = append(runs, TextRun{p + 1, x, y, Decode1252(stack[len(stack)-1].Text)})
				}
			case "TJ":
				var b strings.Builder
				for _, s := range stack {
					if s.Str {
						b.WriteString(s.Text)
					}
				}
				runs = append(runs, TextRun{p + 1, x, y, Decode1252(b.String())})
			}
			stack = stack[:0]
		}
	}
	return runs
}

func IsOperand(s string) bool {
	if strings.HasPrefix(s, "/") {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// PageText is the text of a PDF as lines: strings drawn one after the other
// on the same baseline are joined with " | ", and each page starts with a
// "=== page n ===" line.
func PageText(t testing.TB, pdf []byte) string {
	t.Helper()
	var b strings.Builder
	page := 0
	var lastY float64
	for i, r := range ExtractRuns(t, pdf) {
		switch {
		case r.Page != page:
			if page != 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "=== page %d ===\n", r.Page)
			page = r.Page
			b.WriteString(r.Text)
		case i > 0 && abs(r.Y-lastY) < 0.01:
			b.WriteString(" | " + r.Text)
		default:
			b.WriteString("\n" + r.Text)
		}
		lastY = r.Y
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
