package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// SetCookie gives the tab cookie c for the site at url (the session of an
// account the test signed in another way), as if the site had set it.
func (b *Browser) SetCookie(url string, c *http.Cookie) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: c.Name, Value: c.Value, URL: url, Path: "/", HTTPOnly: new(true),
	}); err != nil {
		b.t.Fatalf("cookie %s : %v", c.Name, err)
	}
}

// Eval evaluates the JavaScript expression expr in the page and returns its
// value (JSON-decoded into T), to read what the browser computed: a
// computed style, a bounding box.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	return value(b, "évaluation de "+expr, chromedp.Evaluate[T](expr))
}

// Screenshot writes a PNG of the whole page to path, for a person to look
// at (tests do not compare pixels).
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	png := value(b, "capture d'écran", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// AXNames returns the accessible names that Chromium computed for the
// nodes of role (as the accessibility tree names it: "figure", "image"…)
// that are exposed to assistive technologies.
func (b *Browser) AXNames(t testing.TB, role string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	tree, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatalf("arbre d'accessibilité : %v", err)
	}
	var names []string
	for _, n := range tree.Nodes {
		if n.Ignored || n.Role == nil || !jsonEquals(n.Role.Value, role) {
			continue
		}
		name := ""
		if n.Name != nil {
			_ = json.Unmarshal(n.Name.Value, &name)
		}
		names = append(names, name)
	}
	return names
}

func jsonEquals(raw []byte, s string) bool {
	var v string
	return json.Unmarshal(raw, &v) == nil && v == s
}

// ScreenshotOf writes a PNG of the first element matching sel to path.
func (b *Browser) ScreenshotOf(sel, path string) {
	b.t.Helper()
	png := value(b, "capture de "+sel, chromedp.Screenshot(chromedp.CSS(sel), chromedp.NodeVisible))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// EvalAsync is Eval for an expression that returns a promise: it waits for
// the promise and returns its value.
func EvalAsync[T any](b *Browser, expr string) T {
	b.t.Helper()
	return value(b, "évaluation de "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}
