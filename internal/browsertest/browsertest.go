// Package browsertest drives a real headless Chromium from tests, with
// chromedp: visit pages, fill and submit forms, download files, and check
// every visited page for accessibility with axe-core (WCAG 2.0 and 2.1,
// levels A and AA).
//
// Without Chromium (or without axe.min.js, which `make assets` copies into
// axe/), the tests that need it are skipped with a message saying why,
// unless PERMIS_BROWSER_REQUIRED=1, as in CI, which makes them fail.
//
// One Browser is one tab of a fresh browser with an empty profile; create
// one per test. Methods that take no testing.TB fail the test given to New
// (or to With, for subtests).
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Timeout bounds each browser action (a navigation, a click, an axe run).
const Timeout = 30 * time.Second

// Browser is a headless Chromium tab.
type Browser struct {
	t         testing.TB
	ctx       context.Context
	downloads string
	console   *consoleLog
}

// consoleLog collects the page's console errors and uncaught exceptions
// (a refused Content-Security-Policy shows up there).
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// required reports whether a missing browser must fail the test.
func required() bool { return os.Getenv("PERMIS_BROWSER_REQUIRED") == "1" }

// skipOrFail skips the test, or fails it when the browser is required.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if required() {
		t.Fatal(msg + " (PERMIS_BROWSER_REQUIRED=1)")
	}
	t.Skip(msg)
}

// execPath finds Chromium: $PERMIS_CHROMIUM, /usr/bin/chromium, or
// chromium on the PATH; "" when none is there.
func execPath() string {
	if p := os.Getenv("PERMIS_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// New starts a headless Chromium with an empty profile in a temporary
// folder, which it closes when the test ends. Downloads are allowed, into
// another temporary folder (see Download).
func New(t testing.TB) *Browser {
	t.Helper()
	path := execPath()
	if path == "" {
		skipOrFail(t, "navigateur absent : installez Chromium (apt-get install chromium) ou indiquez son chemin dans PERMIS_CHROMIUM (ici : "+strconv.Quote(os.Getenv("PERMIS_CHROMIUM"))+")")
	}
	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(filepath.Join(dir, "profil")),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Back loads the page again rather than restoring it from the
		// back/forward cache, which sends none of the events the DevTools
		// helpers wait for (a click after Back would wait forever).
		chromedp.Flag("disable-features", "BackForwardCache"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first action starts the browser; its context must not time out,
	// or the browser would die with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("démarrage de Chromium (%s) : %v", path, err)
	}
	b := &Browser{t: t, ctx: ctx, downloads: filepath.Join(dir, "telechargements"), console: &consoleLog{}}
	if err := os.Mkdir(b.downloads, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior:      browser.SetDownloadBehaviorBehaviorAllowAndName,
		DownloadPath:  b.downloads,
		EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("téléchargements : %v", err)
	}
	go b.console.collect(ctx)
	return b
}

// collect reads the console until the tab closes.
func (c *consoleLog) collect(ctx context.Context) {
	for m, err := range chromedp.Console(ctx) {
		if err != nil {
			return
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			c.mu.Lock()
			c.msgs = append(c.msgs, m)
			c.mu.Unlock()
		}
	}
}

// take returns the messages collected so far and forgets them.
func (c *consoleLog) take() []chromedp.ConsoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

// With returns the same tab, failing t instead of the test given to New:
// use it in subtests.
func (b *Browser) With(t testing.TB) *Browser {
	c := *b
	c.t = t
	return &c
}

// Context returns the tab's chromedp context, for actions this package has
// no helper for.
func (b *Browser) Context() context.Context { return b.ctx }

// run runs steps with Timeout, failing the test with what on error.
func (b *Browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s : %v", what, err)
	}
}

// value runs one action that returns a value, with Timeout.
func value[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s : %v", what, err)
	}
	return v
}

// Visit loads url, waits for the page to load, and returns the HTTP status
// of the document.
func (b *Browser) Visit(url string) int {
	b.t.Helper()
	resp := value(b, "ouverture de "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		b.t.Fatalf("ouverture de %s : pas de réponse", url)
	}
	return int(resp.Status)
}

// VisitChecked is Visit, then CheckA11y and CheckConsole on the page: the
// way to open a page in a test, so that every page a test sees is checked.
func (b *Browser) VisitChecked(t testing.TB, url string) int {
	t.Helper()
	status := b.With(t).Visit(url)
	b.CheckA11y(t)
	b.CheckConsole(t)
	return status
}

// Follow clicks the element sel (a link or a submit button) that loads a
// new page, waits for it, and returns its HTTP status.
func (b *Browser) Follow(sel string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("clic sur %s : %v", sel, err)
	}
	return int(resp.Status)
}

// Click clicks the visible element sel, without waiting for a page (use
// Follow or Submit when the click loads one).
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.run("clic sur "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Fill empties the field sel and types text into it, as a person would.
func (b *Browser) Fill(sel, text string) {
	b.t.Helper()
	b.run("saisie dans "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		// The value property, not Clear: Clear refuses an empty textarea.
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[string]("document.querySelector("+strconv.Quote(sel)+").value = ''")(ctx, t)
			return chromedp.Void{}, err
		},
		chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// Submit submits the form that sel is (or is in), waits for the page that
// answers, and returns its HTTP status (after redirects).
func (b *Browser) Submit(sel string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS(sel), chromedp.NodeReady))
	if err != nil {
		b.t.Fatalf("envoi du formulaire %s : %v", sel, err)
	}
	return int(resp.Status)
}

// Text returns the text of the first element matching sel, as rendered
// (innerText), trimmed. It waits for the element.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "texte de "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeReady)))
}

// Exists reports whether an element matches sel now, without waiting.
func (b *Browser) Exists(sel string) bool {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	return value(b, "recherche de "+sel, chromedp.Evaluate[bool]("document.querySelector("+string(q)+") !== null"))
}

// Visible reports whether an element matching sel is rendered now, without
// waiting: it has a box larger than a pixel, inside the page (not moved
// off-screen, as skip links are until focused), and is not hidden.
func (b *Browser) Visible(sel string) bool {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	return value(b, "visibilité de "+sel, chromedp.Evaluate[bool](`(e => {
  if (!e || e.getClientRects().length === 0 || getComputedStyle(e).visibility === "hidden") return false;
  const r = e.getBoundingClientRect();
  return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 &&
    r.left < document.documentElement.scrollWidth && r.top < document.documentElement.scrollHeight;
})(document.querySelector(`+string(q)+`))`))
}

// Viewport sets the size of the page's window in CSS pixels, to see a
// page as on a phone (375×740) or a desktop (1280×800).
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.run("taille de la fenêtre", chromedp.EmulateViewport(width, height))
}

// DisableJavaScript turns the page's scripts off (or on again) for the
// next loads, to check that a page works without them. The helpers of
// this package still work: they go through the DevTools protocol.
func (b *Browser) DisableJavaScript(off bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
		b.t.Fatalf("JavaScript : %v", err)
	}
}

// URL returns the address of the current page.
func (b *Browser) URL() string {
	b.t.Helper()
	return value(b, "adresse de la page", chromedp.Location())
}

// WaitVisible waits until an element matching sel is visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	b.run("attente de "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Download clicks sel, waits for the download it starts to complete, and
// returns the path of the file, named as the server suggested.
func (b *Browser) Download(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	begins := chromedp.Events(ctx, browser.DownloadWillBegin)
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("clic sur %s : %v", sel, err)
	}
	var begin browser.EventDownloadWillBegin
	for ev, err := range begins {
		if err != nil {
			b.t.Fatalf("aucun téléchargement après le clic sur %s : %v", sel, err)
		}
		begin = ev
		break
	}
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("téléchargement de %s : %v", begin.URL, err)
		}
		if ev.GUID != begin.GUID {
			continue
		}
		switch ev.State {
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("téléchargement de %s annulé", begin.URL)
		case browser.DownloadProgressStateCompleted:
			b.waitSize(filepath.Join(b.downloads, begin.GUID), int64(ev.ReceivedBytes))
			return b.rename(begin)
		}
	}
	b.t.Fatalf("téléchargement de %s : inachevé", begin.URL)
	return ""
}

// waitSize waits, up to Timeout, until the file at path has size bytes:
// "completed" can be reported before the file is all on disk.
func (b *Browser) waitSize(path string, size int64) {
	b.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		fi, err := os.Stat(path)
		if err == nil && fi.Size() >= size {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("téléchargement %s incomplet sur le disque (%v)", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rename gives the downloaded file (saved under its GUID) the name the
// server suggested.
func (b *Browser) rename(ev browser.EventDownloadWillBegin) string {
	b.t.Helper()
	from := filepath.Join(b.downloads, ev.GUID)
	name := filepath.Base(ev.SuggestedFilename)
	if name == "." || name == "/" || name == "" {
		return from
	}
	to := filepath.Join(b.downloads, name)
	if err := os.Rename(from, to); err != nil {
		b.t.Fatal(err)
	}
	return to
}

// CheckConsole fails t for each error the page wrote to the console since
// the last check (a script error, a resource refused by the
// Content-Security-Policy, a file that failed to load). The error status
// of the page itself is not one: tests check it with Visit's result.
func (b *Browser) CheckConsole(t testing.TB) {
	t.Helper()
	// Console messages arrive asynchronously; a round trip to the page
	// lets those of the load come in first.
	page, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	for _, m := range b.console.take() {
		if m.URL == page && strings.HasPrefix(m.Text, "Failed to load resource") {
			continue
		}
		text := m.Text
		if len(text) > 300 {
			text = text[:300] + "…"
		}
		t.Errorf("console du navigateur : %s (%s:%d)", text, m.URL, m.Line+1)
	}
}
