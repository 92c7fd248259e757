package statement

import (
	"bytes"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"permis/internal/pdftext/pdftest"
	"strconv"
	"strings"
	"testing"

	"permis/internal/testtool"
	"permis/internal/twoddoc"
)

// Where the 2D-Doc image was placed before the symbol was drawn as vectors
// (the top right corner of the first page), in millimetres: the symbol must
// print at the same place and size.
const (
	symbolX, symbolY = 155.0, 15.0
	symbolPixels     = 600 // the pixels of the former image, twoddoc.Render(code, 600)
)

// painted is what a page's fills leave on a square of the page, pixel by
// pixel: -1 where nothing was painted, -2 in colour, else the grey level.
type painted struct {
	pix   []int
	fills int // fill operations that touched the square
}

// paintSquare interprets the path and fill operators of a content stream
// (q, Q, cm, g, rg, re, f…) and paints, on a grid of px×px pixels over the
// square of side mm at (x, y) mm from the top left corner of the page, every
// pixel whose centre a filled rectangle covers. Text and the rest are
// ignored: it checks where the fills land, nothing more.
func paintSquare(t *testing.T, content []byte, x, y, side float64, px int) painted {
	t.Helper()
	const k = 72 / 25.4
	type affine [6]float64 // a b c d e f: x' = a x + c y + e, y' = b x + d y + f
	apply := func(m affine, u, v float64) (float64, float64) { return m[0]*u + m[2]*v + m[4], m[1]*u + m[3]*v + m[5] }
	type state struct {
		ctm  affine
		grey int
	}
	st := state{ctm: affine{1, 0, 0, 1, 0, 0}, grey: 0}
	var stack []state
	var path [][4]float64 // rectangles in mm from the top left: x0, y0, x1, y1
	out := painted{pix: make([]int, px*px)}
	for i := range out.pix {
		out.pix[i] = -1
	}
	pitch := side / float64(px)
	var args []string
	for _, tok := range pdftest.Tokens(t, content) {
		if tok.Str || tok.Text == "[" || tok.Text == "]" || pdftest.IsOperand(tok.Text) {
			args = append(args, tok.Text)
			continue
		}
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(args[len(args)-6+i], 64)
			if err != nil {
				t.Fatalf("operand %q of %s", args[len(args)-6+i], tok.Text)
			}
			return v
		}
		switch tok.Text {
		case "q":
			stack = append(stack, st)
		case "Q":
			st, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case "cm":
			m := affine{num(0), num(1), num(2), num(3), num(4), num(5)}
			c := st.ctm
			st.ctm = affine{
				m[0]*c[0] + m[1]*c[2], m[0]*c[1] + m[1]*c[3],
				m[2]*c[0] + m[3]*c[2], m[2]*c[1] + m[3]*c[3],
				m[4]*c[0] + m[5]*c[2] + c[4], m[4]*c[1] + m[5]*c[3] + c[5],
			}
		case "g":
			v, _ := strconv.ParseFloat(args[len(args)-1], 64)
			st.grey = int(v*255 + 0.5)
		case "rg", "k", "sc", "scn":
			st.grey = -2
		case "re":
			if st.ctm[1] != 0 || st.ctm[2] != 0 {
				t.Fatalf("a rectangle drawn under a rotation: %v", st.ctm)
			}
			rx, ry, rw, rh := num(2), num(3), num(4), num(5)
			ax, ay := apply(st.ctm, rx, ry)
			bx, by := apply(st.ctm, rx+rw, ry+rh)
			ax, bx, ay, by = ax/k, bx/k, pageH-ay/k, pageH-by/k
			path = append(path, [4]float64{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)})
		case "f", "f*", "F", "B", "B*", "b", "b*":
			touched := false
			for _, r := range path {
				for py := 0; py < px; py++ {
					cy := y + (float64(py)+0.5)*pitch
					if cy < r[1] || cy > r[3] {
						continue
					}
					for qx := 0; qx < px; qx++ {
						if cx := x + (float64(qx)+0.5)*pitch; cx >= r[0] && cx <= r[2] {
							out.pix[py*px+qx] = st.grey
							touched = true
						}
					}
				}
			}
			if touched {
				out.fills++
			}
			path = path[:0]
		case "n", "S", "s":
			path = path[:0]
		}
		args = args[:0]
	}
	return out
}

// The symbol is drawn black on white where the 600-pixel image was, the
// same size, module for module the same as twoddoc.Render's bitmap (so the
// quiet zone is the one printed before), with one fill for the white square
// and one for all the dark modules. Codes of several lengths give symbols of
// several sizes, hence several module widths and quiet zones.
func TestSymbolWhereTheImageWas(t *testing.T) {
	codes := map[string]string{
		"fixture":    testCode,
		"no annex":   testCode[:strings.IndexByte(testCode, '\x1f')] + "\x1f" + strings.Repeat("A", 103),
		"long annex": testCode + "\x1d" + strings.Repeat("ANNEXE ", 12),
	}
	sizes := map[int]bool{}
	for name, code := range codes {
		t.Run(name, func(t *testing.T) {
			m, err := twoddoc.Modules(code)
			if err != nil {
				t.Fatal(err)
			}
			sizes[m.Size()] = true
			want, err := twoddoc.Render(code, symbolPixels)
			if err != nil {
				t.Fatal(err)
			}
			f := noOffences()
			f.Barcode, f.BarcodeText = m, code
			a := attestationOf(f)
			for doc, render := range map[string]func() ([]byte, error){
				"full statement": func() ([]byte, error) { return FullStatement(f) },
				"attestation":    func() ([]byte, error) { return Attestation(a) },
			} {
				pdf, err := render()
				if err != nil {
					t.Fatal(err)
				}
				got := paintSquare(t, pdftest.Parse(t, pdf).Pages(t)[0], symbolX, symbolY, barcodeSide, symbolPixels)
				if got.fills != 2 {
					t.Errorf("%s: %d fills on the symbol's square, want 2 (white, then the modules)", doc, got.fills)
				}
				for py := 0; py < symbolPixels; py++ {
					for px := 0; px < symbolPixels; px++ {
						dark := color.GrayModel.Convert(want.At(px, py)).(color.Gray).Y < 0x80
						wantGrey := 255
						if dark {
							wantGrey = 0
						}
						if g := got.pix[py*symbolPixels+px]; g != wantGrey {
							t.Fatalf("%s, %d-module symbol: pixel (%d,%d) painted %d, the image has %d",
								doc, m.Size(), px, py, g, wantGrey)
						}
					}
				}
			}
		})
	}
	if len(sizes) < 3 {
		t.Errorf("symbol sizes %v: the cases should cover three", sizes)
	}
}

// TestBarcode checks the 2D-Doc is no longer an image, and that a document
// without one still explains how to verify it and paints nothing there.
func TestBarcode(t *testing.T) {
	pdf, err := FullStatement(noOffences())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("the PDF still carries an image")
	}
	f := noOffences()
	f.Barcode = twoddoc.Matrix{}
	pdf, err = FullStatement(f)
	if err != nil {
		t.Fatal(err)
	}
	if p := paintSquare(t, pdftest.Parse(t, pdf).Pages(t)[0], symbolX, symbolY, barcodeSide, 60); p.fills != 0 {
		t.Errorf("%d fills where the symbol would be, without a symbol", p.fills)
	}
	text := pdftest.PageText(t, pdf)
	if !strings.Contains(text, "Vérifiez ce document sur") || !strings.Contains(text, "DC04FR0000011E471E47AB01FR6HM<GS>") {
		t.Error("no verification caption or code text without a symbol")
	}
}

// Where poppler's pdftoppm and libdmtx's dmtxread are installed (Debian
// packages poppler-utils and dmtx-utils), the first page of a production
// statement, rasterised, reads back as the exact code, separators included.
func TestSymbolReadsBack(t *testing.T) {
	tools := testtool.Need(t, "poppler-utils dmtx-utils", "pdftoppm", "dmtxread")
	raster, reader := tools[0], tools[1]
	f := noOffences()
	f.Uncompressed = false
	pdf, err := FullStatement(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "releve.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dpi := range []int{150, 300, 600} {
		// The 40 mm square around the symbol, at dpi.
		mm := func(v float64) string { return strconv.Itoa(int(v * float64(dpi) / 25.4)) }
		png := filepath.Join(dir, "symbol-"+strconv.Itoa(dpi))
		cmd := exec.Command(raster, "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
			"-x", mm(symbolX-5), "-y", mm(symbolY-5), "-W", mm(barcodeSide+10), "-H", mm(barcodeSide+10), file, png)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm at %d dpi: %v\n%s", dpi, err, out)
		}
		out, err := exec.Command(reader, "-N1", png+".png").Output()
		if err != nil {
			t.Fatalf("dmtxread at %d dpi: %v", dpi, err)
		}
		if string(out) != testCode {
			t.Errorf("at %d dpi, read back %q\nwant %q", dpi, visibleControls(string(out)), visibleControls(testCode))
		}
	}
}
