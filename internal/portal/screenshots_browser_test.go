package portal_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestScreenshots writes the screenshots of the README (docs/screenshots):
// the home page, "Mes points" and a help point, on a desktop (1280 px) and
// a phone (375 px). It runs only when PERMIS_SCREENSHOTS names a folder:
// `make screenshots` regenerates them, so that they stay true. Each page is
// checked as in every browser test (status, axe-core, console).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("PERMIS_SCREENSHOTS")
	if dir == "" {
		t.Skip("PERMIS_SCREENSHOTS (un dossier) absent : `make screenshots` écrit les captures de docs/screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, e, checked := startInBrowser(t, 3)
	// A visitor's home page and help point; a citizen's points.
	for _, page := range []struct{ name, path string }{
		{"accueil", "/"},
		{"point-accueil", "/points-accueil/1"},
		{"mes-points", "/mon-espace/points"},
	} {
		if page.name == "mes-points" {
			b.SetCookie(e.URL, e.Citizen(t, "48m", true).Cookie())
		}
		for _, width := range []int64{1280, 375} {
			b.Viewport(width, 800)
			checked(b.Visit(e.URL+page.path), 200)
			b.Screenshot(filepath.Join(dir, page.name+"-"+strconv.FormatInt(width, 10)+".png"))
		}
	}
}
