package browsertest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The keyboard checks of the RGAA 4.1 that a test can make with real key
// events (Input.dispatchKeyEvent, as a person pressing the keys):
//
//   - 12.7: the skip link is the first stop of the tab order, and following
//     it moves the next stop into the main content;
//   - 10.7: focus is visible at every stop;
//   - 11.10: after a failed submission, focus is on the error summary, every
//     field it names is marked aria-invalid and linked to its message;
//   - 10.11: no horizontal scroll at the current width (320 px).

// Focused describes the element that has the focus.
type Focused struct {
	Tag     string `json:"tag"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Href    string `json:"href"`
	InMain  bool   `json:"inMain"`
	Visible bool   `json:"visible"` // a focus indicator is drawn (outline or box-shadow)
	Body    bool   `json:"body"`    // nothing has the focus
}

// focusedJS describes document.activeElement. A focus indicator is an
// outline of some width that is not "none", or a box-shadow, on the
// element or one of its pseudo-elements: both themes draw one of them for
// :focus-visible.
const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return {body: true};
  // The indicator may be drawn by a pseudo-element (the DSFR's tiles and
  // brand link draw it on a:before, which covers the whole block).
  const drawn = s => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
  const indicator = drawn(getComputedStyle(e)) || drawn(getComputedStyle(e, "::before")) || drawn(getComputedStyle(e, "::after"));
  const main = document.getElementById("contenu");
  return {tag: e.tagName.toLowerCase(), id: e.id || "", text: (e.innerText || e.value || "").trim().slice(0, 60),
    href: e.getAttribute("href") || "", inMain: !!(main && main.contains(e)), visible: !!indicator};
})()`

// Tab presses the Tab key (Shift+Tab when back) and returns the element
// that has the focus afterwards.
func (b *Browser) Tab(back bool) Focused {
	b.t.Helper()
	var opts []chromedp.KeyOption
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	b.run("touche Tab", chromedp.KeyEvent(kb.Tab, opts...))
	return b.Focused()
}

// Press presses one key (kb.Enter, kb.Escape, " "…) on the focused element.
func (b *Browser) Press(key string) {
	b.t.Helper()
	b.run("touche "+key, chromedp.KeyEvent(key))
}

// PressLoads presses key on the focused element, which loads a new page
// (a link, a submit button), waits for it and returns its HTTP status.
func (b *Browser) PressLoads(key string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(key))
	if err != nil {
		b.t.Fatalf("touche %q : %v", key, err)
	}
	return int(resp.Status)
}

// Focused returns the element that has the focus now.
func (b *Browser) Focused() Focused {
	b.t.Helper()
	return value(b, "élément actif", chromedp.Evaluate[Focused](focusedJS))
}

// CheckKeyboard checks the current page with the keyboard, from the top:
// the first Tab stop is the skip link to the content, every stop up to
// maxStops shows a focus indicator, and following the skip link with
// Enter makes the next Tab stop land in the main content (or the main
// content itself). The page is reloaded at the end, so that the test goes
// on from a page in its first state.
func (b *Browser) CheckKeyboard(t testing.TB, maxStops int) {
	t.Helper()
	c := b.With(t)
	url := c.URL()
	c.resetFocus()
	first := c.Tab(false)
	if first.Body || first.Href != "#contenu" {
		t.Errorf("clavier sur %s : le premier arrêt est %+v, pas le lien d'évitement vers #contenu", url, first)
		return
	}
	if !first.Visible {
		t.Errorf("clavier sur %s : le lien d'évitement n'a pas d'indicateur de focus", url)
	}
	for i := 1; i < maxStops; i++ {
		f := c.Tab(false)
		if f.Body || (f.Tag == first.Tag && f.Href == first.Href && f.ID == first.ID && i > 1) {
			break // back at the start: the whole page was walked
		}
		if !f.Visible {
			t.Errorf("clavier sur %s : arrêt %d (%s#%s %q) sans indicateur de focus visible", url, i+1, f.Tag, f.ID, f.Text)
		}
	}
	c.resetFocus()
	c.Tab(false)
	c.Press(kb.Enter)
	next := c.Focused()
	if !next.InMain {
		next = c.Tab(false)
	}
	if !next.InMain {
		t.Errorf("clavier sur %s : après le lien d'évitement, le focus est sur %+v, hors du contenu principal", url, next)
	}
}

// resetFocus puts the sequential focus starting point back at the top of
// the document, as when a page has just loaded.
func (b *Browser) resetFocus() {
	b.t.Helper()
	b.run("retour en haut de la page", chromedp.Evaluate[chromedp.Void](`(() => {
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  const s = document.createElement("span");
  s.tabIndex = -1;
  document.body.prepend(s);
  s.focus();
  s.remove();
})()`))
}

// formErrorsJS reports on the error summary: whether it has the focus, and
// for each field it links to, what is wrong with the field's markup.
const formErrorsJS = `(() => {
  const sum = document.getElementById("resume-erreurs");
  if (!sum) return {summary: false, focused: false, problems: []};
  const problems = [];
  for (const a of sum.querySelectorAll("a[href^='#']")) {
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    const f = document.getElementById(id);
    if (!f) { problems.push(id + " : aucun champ ne porte cet id"); continue; }
    // A group (fieldset, radio group) is marked through its inputs.
    const inputs = f.matches("input,select,textarea") ? [f] : [...f.querySelectorAll("input,select,textarea")];
    if (inputs.length === 0) { problems.push(id + " : ni champ ni groupe de champs"); continue; }
    const marked = inputs.filter(i => i.getAttribute("aria-invalid") === "true");
    if (marked.length === 0) problems.push(id + " : pas d'aria-invalid");
    for (const i of marked) {
      const ids = (i.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      const text = ids.map(x => document.getElementById(x)).filter(Boolean).map(e => e.innerText.trim()).join(" ");
      if (!text) problems.push((i.id || id) + " : aucun message d'erreur relié (aria-describedby)");
    }
  }
  return {summary: true, focused: document.activeElement === sum, problems};
})()`

type formErrorsReport struct {
	Summary  bool     `json:"summary"`
	Focused  bool     `json:"focused"`
	Problems []string `json:"problems"`
}

// CheckFormErrors checks a page answered to a failed submission: it has an
// error summary, the summary has the focus, and every field it names is
// marked invalid and linked to its message.
func (b *Browser) CheckFormErrors(t testing.TB) {
	t.Helper()
	c := b.With(t)
	r := value(c, "résumé des erreurs", chromedp.Evaluate[formErrorsReport](formErrorsJS))
	url := c.URL()
	if !r.Summary {
		t.Errorf("%s : pas de résumé des erreurs (#resume-erreurs)", url)
		return
	}
	if !r.Focused {
		t.Errorf("%s : le résumé des erreurs n'a pas le focus (élément actif : %+v)", url, c.Focused())
	}
	if len(r.Problems) > 0 {
		t.Errorf("%s : champs en erreur mal signalés : %s", url, strings.Join(r.Problems, " ; "))
	}
}

// HorizontalOverflow returns how many CSS pixels the page is wider than
// the window (0 when it does not scroll sideways), and the widest element
// that sticks out, to say what to fix.
func (b *Browser) HorizontalOverflow() (int, string) {
	b.t.Helper()
	type r struct {
		Over  int    `json:"over"`
		Culpr string `json:"culprit"`
	}
	v := value(b, "défilement horizontal", chromedp.Evaluate[r](`(() => {
  const w = document.documentElement.clientWidth;
  const over = document.documentElement.scrollWidth - w;
  let culprit = "", max = w;
  if (over > 0) for (const e of document.body.querySelectorAll("*")) {
    const rc = e.getBoundingClientRect();
    if (rc.right > max + 0.5 && getComputedStyle(e).position !== "fixed") {
      max = rc.right;
      culprit = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "");
    }
  }
  return {over: over > 0 ? over : 0, culprit};
})()`))
	return v.Over, v.Culpr
}

// CheckNoHorizontalScroll fails t when the current page scrolls sideways
// at the current window width (RGAA 10.11: 320 px).
func (b *Browser) CheckNoHorizontalScroll(t testing.TB) {
	t.Helper()
	c := b.With(t)
	if over, culprit := c.HorizontalOverflow(); over > 0 {
		t.Errorf("%s : défilement horizontal de %d px (élément qui dépasse : %s)", c.URL(), over, culprit)
	}
}

// Eval runs a script in the page, for what this package has no helper for.
func (b *Browser) Eval(js string) {
	b.t.Helper()
	b.run("script", chromedp.Evaluate[chromedp.Void](js))
}

// EvalInto runs a script in the page and decodes its JSON result into out.
func (b *Browser) EvalInto(js string, out any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js))
	if err != nil {
		b.t.Fatalf("script : %v", err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		b.t.Fatalf("résultat du script : %v", err)
	}
}
