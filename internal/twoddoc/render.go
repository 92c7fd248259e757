package twoddoc

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/datamatrix"
)

// quietZone is the white margin around the symbol, in modules. ISO/IEC 16022
// asks for at least one; two reads better on paper and screens.
const quietZone = 2

// Render draws a code as a square DataMatrix (ECC 200) of size×size pixels:
// whole pixels per module, a white quiet zone of two modules, the symbol
// centred. It fails when size leaves less than one pixel per module.
//
// The symbol is encoded by github.com/boombuler/barcode, which uses ASCII
// encodation (digit pairs packed) rather than the C40 encodation the 2D-Doc
// spec recommends. Any DataMatrix reader decodes it to the same text; the
// symbol is only larger than a C40 one would be.
func Render(text string, size int) (image.Image, error) {
	bc, err := datamatrix.Encode(text)
	if err != nil {
		return nil, fmt.Errorf("DataMatrix : %w", err)
	}
	n := bc.Bounds().Dx()
	modules := n + 2*quietZone
	scale := size / modules
	if scale < 1 {
		return nil, fmt.Errorf("DataMatrix : %d pixels ne suffisent pas pour %d modules", size, modules)
	}
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	off := (size - n*scale) / 2
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if g := color.GrayModel.Convert(bc.At(x, y)).(color.Gray); g.Y >= 0x80 {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := img.Pix[(off+y*scale+dy)*img.Stride:]
				for dx := 0; dx < scale; dx++ {
					row[off+x*scale+dx] = 0
				}
			}
		}
	}
	return img, nil
}

// pngSize is the side of PNG images: enough for the largest symbol (144
// modules and its quiet zone) at 4 pixels per module.
const pngSize = 592

// PNG renders a code as a PNG image (see Render).
func PNG(text string) ([]byte, error) {
	img, err := Render(text, pngSize)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
