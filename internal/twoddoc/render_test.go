package twoddoc

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/boombuler/barcode/datamatrix"

	"permis/internal/testtool"
)

// The image is the DataMatrix symbol, module for module: each module is a
// square of whole pixels, inside a white quiet zone.
func TestRender(t *testing.T) {
	code := loadSpecimens(t)[1].code
	sym, err := datamatrix.Encode(code)
	if err != nil {
		t.Fatal(err)
	}
	n := sym.Bounds().Dx()
	const size = 300
	img, err := Render(code, size)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
		t.Fatalf("image %v, want %dx%d", b, size, size)
	}
	scale := size / (n + 2*quietZone)
	off := (size - n*scale) / 2
	dark := func(x, y int) bool { return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 0x80 }
	darkModules := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			want := color.GrayModel.Convert(sym.At(x, y)).(color.Gray).Y < 0x80
			for _, p := range [][2]int{{0, 0}, {scale - 1, scale - 1}, {scale / 2, scale / 2}} {
				if got := dark(off+x*scale+p[0], off+y*scale+p[1]); got != want {
					t.Fatalf("module (%d,%d) pixel %v: dark=%v, want %v", x, y, p, got, want)
				}
			}
			if want {
				darkModules++
			}
		}
	}
	if darkModules == 0 || darkModules == n*n {
		t.Fatalf("%d dark modules of %d", darkModules, n*n)
	}
	for i := 0; i < off; i++ {
		if dark(i, size/2) || dark(size/2, i) || dark(size-1-i, size/2) {
			t.Fatalf("quiet zone not white at %d", i)
		}
	}
	if _, err := Render(code, n+2*quietZone-1); err == nil {
		t.Error("a size below one pixel per module was accepted")
	}
}

func TestPNG(t *testing.T) {
	b, err := PNG(loadSpecimens(t)[0].code)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != pngSize {
		t.Errorf("PNG of %v", img.Bounds())
	}
}

// Where libdmtx's reader is installed (Debian package dmtx-utils; CI installs
// it and requires this test), the PNG reads back as the exact code, separators included.
func TestPNGReadsBack(t *testing.T) {
	reader := testtool.Need(t, "dmtx-utils", "dmtxread")[0]
	code := loadSpecimens(t)[1].code
	b, err := PNG(code)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "code.png")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(reader, "-N1", file).Output()
	if err != nil {
		t.Fatalf("dmtxread: %v", err)
	}
	if string(out) != code {
		t.Errorf("read back %q\nwant      %q", Escape(string(out)), Escape(code))
	}
}
