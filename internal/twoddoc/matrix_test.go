package twoddoc

import (
	"image/color"
	"strings"
	"testing"
)

// Render's bitmap and the matrix agree module by module, for symbols of
// several sizes, at the 600 pixels the statements used and at the smallest
// size Render accepts; everything outside the symbol is white in the bitmap
// and not dark in the matrix.
func TestModulesAgreeWithRender(t *testing.T) {
	codes := map[string]string{"short": "DC04FR0000011E471E47AB01FR6HM"}
	for _, s := range loadSpecimens(t) {
		codes["specimen "+s.name] = s.code
	}
	codes["long"] = loadSpecimens(t)[1].code + "\x1d" + strings.Repeat("ANNEXE LONGUE ", 20)
	sizes := map[int]bool{}
	for name, code := range codes {
		m, err := Modules(code)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := m.Size()
		sizes[n] = true
		for _, px := range []int{600, n + 2*QuietZone} {
			img, err := Render(code, px)
			if err != nil {
				t.Fatalf("%s at %d px: %v", name, px, err)
			}
			scale := px / (n + 2*QuietZone)
			off := (px - n*scale) / 2
			dark := 0
			for py := 0; py < px; py++ {
				for qx := 0; qx < px; qx++ {
					got := color.GrayModel.Convert(img.At(qx, py)).(color.Gray).Y < 0x80
					mx, my := (qx-off)/scale, (py-off)/scale
					if qx < off || py < off {
						mx, my = -1, -1 // (qx-off)/scale rounds towards zero
					}
					if want := m.Dark(mx, my); got != want {
						t.Fatalf("%s at %d px: pixel (%d,%d), module (%d,%d): bitmap dark=%v, matrix %v",
							name, px, qx, py, mx, my, got, want)
					}
					if got {
						dark++
					}
				}
			}
			if dark == 0 || dark >= n*n*scale*scale {
				t.Fatalf("%s at %d px: %d dark pixels for a %d-module symbol", name, px, dark, n)
			}
		}
	}
	if len(sizes) < 3 {
		t.Errorf("symbol sizes %v: the cases should cover at least three", sizes)
	}
}

func TestModulesEdges(t *testing.T) {
	var zero Matrix
	if zero.Size() != 0 || zero.Dark(0, 0) {
		t.Error("the zero Matrix is not an empty symbol")
	}
	m, err := Modules("DC04FR0000011E471E47AB01FR6HM")
	if err != nil {
		t.Fatal(err)
	}
	n := m.Size()
	// ECC 200: the left column and the bottom row are solid (the "L"), the
	// top row and the right column alternate, starting dark at the top left.
	for i := 0; i < n; i++ {
		if !m.Dark(0, i) || !m.Dark(i, n-1) {
			t.Fatalf("finder pattern: module %d of the L is light", i)
		}
		if m.Dark(i, 0) != (i%2 == 0) || m.Dark(n-1, i) != (i%2 == 1) {
			t.Fatalf("timing pattern broken at %d", i)
		}
	}
	for _, p := range [][2]int{{-1, 0}, {0, -1}, {n, 0}, {0, n}} {
		if m.Dark(p[0], p[1]) {
			t.Errorf("module %v outside the symbol is dark", p)
		}
	}
	if _, err := Modules(strings.Repeat("A", 3000)); err == nil || !strings.HasPrefix(err.Error(), "DataMatrix : ") {
		t.Errorf("3000 characters: err = %v, want a DataMatrix error", err)
	}
}
