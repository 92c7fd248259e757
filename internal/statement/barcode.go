package statement

import (
	"fmt"
	"strconv"

	"permis/internal/twoddoc"
)

// The 2D-Doc is drawn as vector squares, not as an image: it prints sharp at
// any resolution, and costs a fraction of drawing a bitmap and encoding it
// as PNG.
const (
	// barcodeSide is the printed side of the symbol with its quiet zone, in
	// millimetres.
	barcodeSide = 30.0

	// barcodeSteps divides barcodeSide into the steps (0.05 mm) on which
	// the symbol is laid out: a module is a whole number of steps, the
	// largest that leaves twoddoc.QuietZone modules of white on each side,
	// and the symbol is centred to the step. These steps are the pixels of
	// the 600-pixel image (twoddoc.Render) the documents used to carry, so
	// the symbol prints exactly where and exactly as large as it did, with
	// the same quiet zone: at least twoddoc.QuietZone (2) modules, where
	// ISO/IEC 16022 asks for one; about 3 to 7 for the 40- to 72-module
	// symbols that 2D-Doc codes need.
	barcodeSteps = 600
)

// symbol draws m, black on a white square of side millimetres whose top left
// corner is (x, y).
//
// The dark modules of each row are merged into runs, one rectangle a run, and
// all the rectangles form one path filled once. In module units (through a
// transformation matrix) every rectangle has whole-number corners, so
// neighbouring rows meet exactly: no hairline seams between rows, which
// separate fills leave in viewers that smooth edges. The operators are
// written directly (fpdf has no call that adds a rectangle to a path
// without painting it) inside q … Q, so fpdf's own colour state is left as
// it was.
func (b *builder) symbol(m twoddoc.Matrix, x, y, side float64) error {
	n := m.Size()
	scale := barcodeSteps / (n + 2*twoddoc.QuietZone) // steps per module
	if scale < 1 {
		return fmt.Errorf("statement: a 2D-Doc of %d modules does not fit its square", n)
	}
	step := side / barcodeSteps
	off := float64((barcodeSteps-n*scale)/2) * step // the quiet zone, in mm
	k := b.pdf.GetConversionRatio()
	_, pageHeight := b.pdf.GetPageSize()
	module := float64(scale) * step * k // in points

	buf := make([]byte, 0, 64+n*n*3)
	num := func(v float64) { buf = strconv.AppendFloat(buf, v, 'f', 4, 64); buf = append(buf, ' ') }
	integer := func(v int) { buf = strconv.AppendInt(buf, int64(v), 10); buf = append(buf, ' ') }

	// The white square, in page coordinates.
	buf = append(buf, "q\n1 g\n"...)
	num(x * k)
	num((pageHeight - y) * k)
	num(side * k)
	num(-side * k)
	buf = append(buf, "re f\n"...)
	// Module space: one unit a module, (0, 0) at the symbol's top left
	// corner, y downwards.
	num(module)
	buf = append(buf, "0 0 "...)
	num(-module)
	num((x + off) * k)
	num((pageHeight - y - off) * k)
	buf = append(buf, "cm\n0 g\n"...)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !m.Dark(col, row) {
				col++
				continue
			}
			start := col
			for col < n && m.Dark(col, row) {
				col++
			}
			integer(start)
			integer(row)
			integer(col - start)
			buf = append(buf, "1 re\n"...)
		}
	}
	buf = append(buf, "f\nQ"...)
	b.pdf.RawWriteStr(string(buf))
	return nil
}
