package portal_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/browsertest"
	"permis/internal/requests"
	"permis/internal/store"
)

// picture is a w×h image with a frame, encoded by enc.
func picture(t *testing.T, w, h int, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			c := color.RGBA{0xe8, 0xe8, 0xf0, 0xff}
			if x < 4 || y < 4 || x >= w-4 || y >= h-4 {
				c = color.RGBA{0, 0, 0x91, 0xff}
			}
			m.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := enc(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The page that asks "is this you?" shows the 350×450 portrait and the
// signature in their own proportions, whole (they were squashed into 16:9
// boxes), on a desktop and on a phone.
func TestEPhotoConfirmationKeepsProportions(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	alice := e.Citizen(t, "48m", true)
	ph := store.User{Role: "photographer", Email: "studio@photo.test", ApprovalNumber: "AGR-34-9"}
	if err := e.Store.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	photo := picture(t, 350, 450, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
	sig := picture(t, 600, 180, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
	booth := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + strconv.FormatInt(ph.ID, 10), Role: access.Photographer}} // the photographer signed in
	issued, err := e.App.IssueEPhotoCode(ctx, booth, app.EPhotoCapture{Photo: photo, Signature: sig, ApprovalNumber: "AGR-34-9"})
	if err != nil {
		t.Fatalf("IssueEPhotoCode: %v", err)
	}
	r, err := e.App.StartRequest(ctx, alice.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	base := "/mes-demarches/" + strconv.FormatInt(r.ID, 10)
	res := e.Do(t, alice, http.MethodPost, base+"/etape/photo", map[string]string{"photo": "code", "ephoto_code": string(issued.Code)})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("code saved: %d", res.StatusCode)
	}
	b.SetCookie(e.URL, alice.Cookie())
	checked(b.Visit(e.URL+res.Header.Get("Location")), 200)

	type box struct{ W, H, NaturalW, NaturalH float64 }
	for _, width := range []int64{1280, 375} {
		b.Viewport(width, 900)
		for _, id := range []string{"ephoto-photo", "ephoto-signature"} {
			got := browsertest.Eval[box](b, `(() => { const i = document.getElementById('`+id+`'); const r = i.getBoundingClientRect();
				return {W: r.width, H: r.height, NaturalW: i.naturalWidth, NaturalH: i.naturalHeight}; })()`)
			if got.NaturalW == 0 {
				t.Fatalf("%s is not loaded", id)
			}
			if shown, real := got.W/got.H, got.NaturalW/got.NaturalH; math.Abs(shown/real-1) > 0.02 || got.W > float64(width) {
				t.Errorf("%d px: %s shown %.0f×%.0f, its own proportions are %.0f×%.0f", width, id, got.W, got.H, got.NaturalW, got.NaturalH)
			}
		}
		if dir := os.Getenv("PERMIS_SCREENSHOTS"); dir != "" {
			b.Screenshot(filepath.Join(dir, "ephoto-"+strconv.FormatInt(width, 10)+".png"))
		}
	}
}
