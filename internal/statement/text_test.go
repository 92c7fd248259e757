package statement

import (
	"image"
	"image/color"
	"testing"
	"time"
)

func TestEncode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Dupont", "Dupont"},
		{"Élodie Françoise", "\xc9lodie Fran\xe7oise"},
		{"D’Argençon", "D\x92Argen\xe7on"},
		{"Lefèvre-Cœur", "Lef\xe8vre-C\x9cur"},
		{"« 12 € »", "\xab 12 \x80 \xbb"},
		{"Service — démo", "Service \x97 d\xe9mo"},
		{"Bőr", "Bor"},                       // a Hungarian letter outside the code page loses its accent
		{"Łukasz", "?ukasz"},                 // a letter with no base letter cannot be printed
		{"12\u202f%", "12\xa0%"},             // narrow no-break space
		{"a\x1db\tc", "a b c"},               // control characters
		{"\u2212" + "3 points", "-3 points"}, // minus sign
	}
	for _, tt := range tests {
		if got := encode(tt.in); got != tt.want {
			t.Errorf("encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := decode1252(encode(tt.in)); len([]rune(back)) != len([]rune(tt.in)) {
			t.Errorf("encode(%q) does not keep one byte per character: %q", tt.in, back)
		}
	}
}

func TestFrenchDateTime(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 3, 12, 13, 5, 0, 0, time.UTC), "12/03/2025 à 14 h 05"}, // winter: UTC+1
		{time.Date(2025, 7, 1, 22, 30, 0, 0, time.UTC), "02/07/2025 à 00 h 30"}, // summer: UTC+2, next day
	}
	for _, tt := range tests {
		if got := frenchDateTime(tt.at); got != tt.want {
			t.Errorf("frenchDateTime(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
}

// TestGrey checks the 2D-Doc keeps its modules sharp: a small image is
// enlarged by a whole factor, pixel by pixel, and any image becomes 8-bit
// grey.
func TestGrey(t *testing.T) {
	small := image.NewGray(image.Rect(0, 0, 20, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			if (x+y)%2 == 0 {
				small.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	g := grey(small)
	if g.Rect.Dx() != 160 || g.Rect.Dy() != 160 {
		t.Fatalf("20 px enlarged to %v, want 160×160", g.Rect)
	}
	for y := 0; y < 160; y++ {
		for x := 0; x < 160; x++ {
			if got, want := g.GrayAt(x, y), small.GrayAt(x/8, y/8); got != want {
				t.Fatalf("pixel (%d,%d) = %v, want the module's %v", x, y, got, want)
			}
		}
	}

	big := image.NewRGBA64(image.Rect(10, 10, 210, 210)) // not at the origin, 16-bit colour
	big.Set(10, 10, color.White)
	g = grey(big)
	if g.Rect != image.Rect(0, 0, 200, 200) {
		t.Fatalf("200 px image became %v", g.Rect)
	}
	if g.GrayAt(0, 0).Y != 255 || g.GrayAt(1, 0).Y != 0 {
		t.Errorf("corner pixels %v %v, want white then black", g.GrayAt(0, 0), g.GrayAt(1, 0))
	}
	if already := image.NewGray(image.Rect(0, 0, 300, 300)); grey(already) != already {
		t.Error("a large grey image at the origin is copied")
	}
}
