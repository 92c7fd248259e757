package twoddoc

import (
	"fmt"
	"image/color"

	"github.com/boombuler/barcode/datamatrix"
)

// QuietZone is the least white margin, in modules, to leave around a
// symbol: the one Render draws (see quietZone).
const QuietZone = quietZone

// Matrix is the module grid of a square DataMatrix (ECC 200) symbol, without
// its quiet zone: Size×Size modules, (0, 0) in the top left corner. It lets a
// caller draw the symbol at any resolution, for instance as vector squares in
// a PDF. The zero Matrix is no symbol (Size 0).
type Matrix struct {
	size int
	dark []bool // row by row: dark[y*size+x]
}

// Modules encodes a code as Render does (same library, same ASCII
// encodation, same symbol size) and returns its modules. Render's image and
// the matrix agree module by module.
func Modules(text string) (Matrix, error) {
	bc, err := datamatrix.Encode(text)
	if err != nil {
		return Matrix{}, fmt.Errorf("DataMatrix : %w", err)
	}
	b := bc.Bounds()
	if b.Dx() != b.Dy() {
		return Matrix{}, fmt.Errorf("DataMatrix : symbole de %d×%d modules, carré attendu", b.Dx(), b.Dy())
	}
	m := Matrix{size: b.Dx(), dark: make([]bool, b.Dx()*b.Dy())}
	for y := 0; y < m.size; y++ {
		for x := 0; x < m.size; x++ {
			m.dark[y*m.size+x] = isDark(bc.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return m, nil
}

// Size is the number of modules on a side (10 to 144); 0 for no symbol.
func (m Matrix) Size() int { return m.size }

// Dark reports whether the module at column x, row y is dark. Outside the
// symbol (the quiet zone) it is false.
func (m Matrix) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= m.size || y >= m.size {
		return false
	}
	return m.dark[y*m.size+x]
}

// isDark is Render's reading of a module: darker than mid-grey.
func isDark(c color.Color) bool { return color.GrayModel.Convert(c).(color.Gray).Y < 0x80 }
