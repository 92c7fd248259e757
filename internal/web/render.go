package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strconv"
	"time"

	"permis/internal/access"
	"permis/internal/server"
)

// ContentSecurityPolicy is sent with every page, in place of the service's
// general policy (server.ContentSecurityPolicy): the same, plus images
// from data: URLs, which the DSFR's stylesheet uses for the Marianne logo
// and some icons. Scripts, styles, fonts and images otherwise come only
// from this site: no third-party request, no inline script.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// Renderer renders pages in the shared layout. It is built once at
// start-up and safe for concurrent use.
type Renderer struct {
	theme   Theme
	service string
	dev     bool
	logger  *slog.Logger
	pages   map[string]*template.Template // by file base name
	static  fs.FS                         // package web's static/
	dsfr    fs.FS                         // DSFR's dist/, nil with the neutral theme
	version string                        // hash of the static files, busts caches on change
	banner  func(*http.Request) []Notice  // service-wide notices (Options.Banner)

	helpTopics []Link
	siteMapOf  func(*User) []SiteSection // Options.SiteMap
}

// NewRenderer parses the shared layout, the shell's own pages and the
// caller's page files: each file of pages matching one of patterns (as
// fs.Glob reads them) defines "content" and usually "title", and becomes a
// page named after its base name ("points.html"), in its own template set
// cloned from the layout. Everything is parsed here, so a broken template,
// a pattern matching nothing or two pages with the same name fail at
// start-up. pages may be nil when there are no patterns.
func NewRenderer(opts Options, pages fs.FS, patterns ...string) (*Renderer, error) {
	return newRenderer(opts, dsfrFiles, pages, patterns...)
}

// Source is one audience's page files: the files of FS matching Patterns.
type Source struct {
	FS       fs.FS
	Patterns []string
}

// NewRendererSources is NewRenderer over the pages of several audiences
// (the citizen portal, the back office), so that one renderer serves them
// all; page names must be unique across them.
func NewRendererSources(opts Options, sources ...Source) (*Renderer, error) {
	return newRendererSources(opts, dsfrFiles, sources...)
}

// newRenderer is NewRenderer with the DSFR files as a parameter, so that
// tests can build both themes whatever `make assets` did.
func newRenderer(opts Options, dsfr fs.FS, pages fs.FS, patterns ...string) (*Renderer, error) {
	var src []Source
	if len(patterns) > 0 {
		src = append(src, Source{FS: pages, Patterns: patterns})
	}
	return newRendererSources(opts, dsfr, src...)
}

// newRendererSources is NewRendererSources with the DSFR files as a
// parameter.
func newRendererSources(opts Options, dsfr fs.FS, sources ...Source) (*Renderer, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	theme, dist, err := resolveTheme(opts.Theme, dsfr, logger)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	r := &Renderer{theme: theme, service: opts.ServiceName, dev: opts.DevPages, logger: logger,
		pages: map[string]*template.Template{}, static: static, dsfr: dist}
	if r.service == "" {
		r.service = DefaultServiceName
	}
	if r.version, err = hashFiles(static, dist); err != nil {
		return nil, err
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	layout, err := template.New("layout").Funcs(funcs(paris, r.staticURL)).ParseFS(files, "layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: gabarit commun : %w", err)
	}
	if err := r.parsePages(layout, files, "pages/*.html"); err != nil {
		return nil, err
	}
	for _, src := range sources {
		if src.FS == nil {
			return nil, errors.New("web: des motifs de pages sans système de fichiers")
		}
		for _, p := range src.Patterns {
			if err := r.parsePages(layout, src.FS, p); err != nil {
				return nil, err
			}
		}
	}
	r.banner = opts.Banner
	r.helpTopics = opts.HelpTopics
	r.siteMapOf = opts.SiteMap
	return r, nil
}

// parsePages adds one page per file of fsys matching pattern.
func (r *Renderer) parsePages(layout *template.Template, fsys fs.FS, pattern string) error {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return fmt.Errorf("web: motif %q : %w", pattern, err)
	}
	if len(names) == 0 {
		return fmt.Errorf("web: le motif %q ne désigne aucun fichier", pattern)
	}
	for _, file := range names {
		name := path.Base(file)
		if _, dup := r.pages[name]; dup {
			return fmt.Errorf("web: deux pages s'appellent %q", name)
		}
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return err
		}
		t, err := layout.Clone()
		if err != nil {
			return err
		}
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return fmt.Errorf("web: page %s : %w", file, err)
		}
		if t.Lookup("content") == nil {
			return fmt.Errorf("web: la page %s ne définit pas {{define \"content\"}}", file)
		}
		r.pages[name] = t
	}
	return nil
}

// Theme returns the theme the renderer resolved.
func (r *Renderer) Theme() Theme { return r.theme }

// Render fills the common part of data (theme, service name, signed-in
// user from the request's actor, path, request id), renders the page name
// into a buffer and only then writes it with status: a failed render
// returns its error with nothing written, so the caller's error adapter
// can still answer a clean 500.
func (r *Renderer) Render(w http.ResponseWriter, req *http.Request, status int, name string, data Pager) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("web: page %q inconnue", name)
	}
	p := data.Base()
	p.Theme = r.theme
	p.Service = r.service
	p.User = userOf(access.FromContext(req.Context()))
	p.Path = req.URL.Path
	p.Nav = navOf(p.User, p.Path)
	p.RequestID = server.RequestID(req.Context())
	if r.banner != nil {
		p.Banner = append(p.Banner, r.banner(req)...)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: page %s : %w", name, err)
	}
	// The error summary lists the problems in the order of the form's
	// fields (RGAA 11.10), whatever order the application found them in:
	// the rendered page says where each field is.
	if inFormOrder(p.Errors, buf.Bytes()) {
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
			return fmt.Errorf("web: page %s : %w", name, err)
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	switch {
	case p.User != nil:
		h.Set("Cache-Control", "no-store") // a person's data stays out of every cache
	case h.Get("Cache-Control") != "":
		// The handler's own choice stands: a personal answer to a visitor
		// who is not signed in (a check-code result, /suivi, an
		// appointment's page) is sent "no-store".
	default:
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// staticURL is the template func "static": the URL of a static file, with
// the version of the static files so that browsers may cache it for long.
// Files of the DSFR are named "dsfr/…".
func (r *Renderer) staticURL(name string) string {
	return "/static/" + name + "?v=" + r.version
}

// hashFiles returns a short hash of every file of the given folders (nil
// ones skipped).
func hashFiles(folders ...fs.FS) (string, error) {
	h := sha256.New()
	for _, fsys := range folders {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// inFormOrder sorts errs by the position in page of the element whose id
// is each error's field (errors without a field, or whose field is not in
// the page, keep their order after the others), and reports whether the
// order changed.
func inFormOrder(errs []FieldError, page []byte) bool {
	if len(errs) < 2 {
		return false
	}
	pos := make(map[string]int, len(errs))
	for _, e := range errs {
		i := -1
		if e.Field != "" {
			i = bytes.Index(page, []byte(` id="`+template.HTMLEscapeString(e.Field)+`"`))
		}
		if i < 0 {
			i = len(page)
		}
		pos[e.Field] = i
	}
	if slices.IsSortedFunc(errs, func(a, b FieldError) int { return pos[a.Field] - pos[b.Field] }) {
		return false
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int { return pos[a.Field] - pos[b.Field] })
	return true
}
