package statement

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"sync"

	"github.com/go-pdf/fpdf"
)

// minBarcodePixels is the width under which the 2D-Doc is enlarged, module
// by module, before it goes into the PDF: a DataMatrix drawn one pixel per
// module would be smoothed, hence blurred, by viewers that interpolate.
const minBarcodePixels = 160

// encoderBuffers lets PNG encodings reuse their compressor: a new one is
// most of the cost of encoding a 2D-Doc. A sync.Pool is safe for concurrent
// documents and holds nothing between them that matters.
var encoderBuffers = &bufferPool{}

type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() *png.EncoderBuffer {
	e, _ := b.p.Get().(*png.EncoderBuffer)
	return e
}

func (b *bufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// image places img as a grey PNG at (x, y), side millimetres wide, keeping
// its proportions.
func (b *builder) image(name string, img image.Image, x, y, side float64) error {
	g := grey(img)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: encoderBuffers}
	if err := enc.Encode(&buf, g); err != nil {
		return fmt.Errorf("statement: encoding the 2D-Doc image: %w", err)
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	info := b.pdf.RegisterImageOptionsReader(name, opt, &buf)
	if err := b.pdf.Error(); err != nil {
		return fmt.Errorf("statement: adding the 2D-Doc image: %w", err)
	}
	h := side * info.Height() / info.Width()
	b.pdf.ImageOptions(name, x, y, side, h, false, opt, 0, "")
	return nil
}

// grey returns img as 8-bit grey (fpdf reads no 16-bit PNG), enlarged by a
// whole factor when it is small.
func grey(img image.Image) *image.Gray {
	r := img.Bounds()
	scale := 1
	if w := r.Dx(); w > 0 && w < minBarcodePixels {
		scale = (minBarcodePixels + w - 1) / w
	}
	g, ok := img.(*image.Gray)
	if !ok || g.Rect.Min != (image.Point{}) {
		g = image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(g, g.Rect, img, r.Min, draw.Src)
	}
	if scale == 1 {
		return g
	}
	out := image.NewGray(image.Rect(0, 0, r.Dx()*scale, r.Dy()*scale))
	for y := 0; y < out.Rect.Dy(); y++ {
		src := g.Pix[(y/scale)*g.Stride:]
		dst := out.Pix[y*out.Stride : y*out.Stride+out.Rect.Dx()]
		for x := range dst {
			dst[x] = src[x/scale]
		}
	}
	return out
}
