package browsertest

import (
	"context"
	"embed"
	"io/fs"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeFiles holds axe/axe.min.js once `make assets` has copied it.
//
//go:embed all:axe
var axeFiles embed.FS

// A11yTags are the axe-core rule tags CheckA11y runs: WCAG 2.0 and 2.1,
// levels A and AA, which the RGAA 4.1 follows.
var A11yTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one accessibility rule a page breaks, as axe-core reports it.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"` // minor, moderate, serious or critical
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"` // CSS selectors of the offending elements
}

// axeRun runs axe on the document and returns its violations.
const axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: %TAGS%},
  resultTypes: ["violations"]
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
  targets: v.nodes.map(n => n.target.join(" "))
})))`

// A11y runs axe-core on the current page and returns every violation of
// the WCAG 2.0/2.1 A and AA rules.
func (b *Browser) A11y(t testing.TB) []Violation {
	t.Helper()
	src, err := fs.ReadFile(axeFiles, "axe/axe.min.js")
	if err != nil {
		skipOrFail(t, "axe-core absent (internal/browsertest/axe/axe.min.js) : lancez `make assets`")
	}
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	// The DSFR's script gives the header's menu its dialog role when it
	// starts; checked before, the menu's aria-labelledby reads as
	// prohibited. Wait for it (3 s at most; without JavaScript it never
	// comes, and the menu button is hidden anyway).
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](dsfrReady, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("attente du DSFR : %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("injection d'axe-core : %v", err)
	}
	tags := `["` + strings.Join(A11yTags, `","`) + `"]`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](strings.Replace(axeRun, "%TAGS%", tags, 1), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core : %v", err)
	}
	return vs
}

// CheckA11y runs axe-core on the current page and fails t once for each
// serious or critical violation, with the rule, its help and the elements;
// minor and moderate ones are logged.
func (b *Browser) CheckA11y(t testing.TB) {
	t.Helper()
	url := b.With(t).URL()
	for _, v := range b.A11y(t) {
		msg := v.ID + " (" + v.Impact + ") sur " + url + " : " + v.Help + " — " + strings.Join(v.Targets, ", ") + " — " + v.HelpURL
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error("accessibilité : " + msg)
		} else {
			t.Log("accessibilité (mineur) : " + msg)
		}
	}
}

// dsfrReady resolves once the DSFR's script has set up the header's menu,
// or at once on a page without it.
const dsfrReady = `new Promise(done => {
  const start = Date.now();
  (function check() {
    const script = document.querySelector('script[src*="dsfr.module"]');
    const menu = document.getElementById('menu-entete');
    if (!script || !menu || menu.hasAttribute('role') || menu.hasAttribute('data-fr-js-modal') || Date.now() - start > 3000) {
      return done();
    }
    setTimeout(check, 25);
  })();
})`
