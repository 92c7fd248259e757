// Package web is the HTML shell every page of the service shares: the
// layout (header, footer, skip links, banners, error summary, step
// indicator), the two themes (the French State design system, DSFR, when it
// is built in, and a neutral look otherwise), the typed page data, the
// renderer that parses every template at start-up and renders into a
// buffer, the adapter that answers handler errors with French error pages,
// and the shell's own public pages (home, accessibility statement, legal
// notice, personal data, site map, help).
//
// Audiences (citizen portal, back office) write their pages as template
// files that define "title" and "content", pass them to NewRenderer, and
// render them with Renderer.Render and a struct that embeds Page. The
// README.md beside this file shows how a form field is written.
package web

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
)

// files holds the layout, the shell's pages and the static files.
//
//go:embed layout/*.html pages/*.html static
var files embed.FS

// dsfrFiles holds what `make assets` copied into dsfr/dist; only the README
// is there before that.
//
//go:embed all:dsfr
var dsfrFiles embed.FS

// The themes.
const (
	ThemeAuto    = "auto"    // DSFR when its files are built in, neutral otherwise
	ThemeDSFR    = "dsfr"    // the French State design system; refuses to start without its files
	ThemeNeutral = "neutral" // our own small stylesheet, no State marks
)

// DefaultServiceName is the service name shown in the header and in every
// page title when Options.ServiceName is empty.
const DefaultServiceName = "Permis de conduire"

// Options configure a Renderer.
type Options struct {
	// Theme is ThemeAuto (also when empty), ThemeDSFR or ThemeNeutral.
	Theme string
	// ServiceName is shown in the header and in every <title>;
	// DefaultServiceName when empty.
	ServiceName string
	// DevPages adds /dev/composants, a page showing every shared
	// component, for developers and the accessibility tests.
	DevPages bool
	// Logger receives the theme warning and the causes of errors; nil
	// discards them.
	Logger *slog.Logger
	// Banner, when set, gives the service-wide notices of a request's page
	// (an ongoing incident on the procedure it belongs to); they are
	// added to Page.Banner of every page rendered.
	Banner func(*http.Request) []Notice
	// HelpTopics are the help centre's articles, listed on /aide with a
	// search form (GET /aide/recherche?q=); none: the page shows only the
	// contacts.
	HelpTopics []Link
	// SiteMap gives the sections of /plan-du-site for the person reading
	// it (nil: nobody signed in); the router builds them from its route
	// table, so that every page is listed, and a signed-in person sees the
	// pages open to them. Nil: an empty site map.
	SiteMap func(*User) []SiteSection
}

// Theme is what the templates know of the theme.
type Theme struct {
	Name  string // ThemeDSFR or ThemeNeutral
	State bool   // show the State marks (Marianne, "République française") and load DSFR
}

// resolveTheme chooses the theme from the option and the DSFR files found
// in dsfr (a tree holding dsfr/dist, as dsfrFiles does). It returns the
// DSFR distribution folder when the theme uses it.
func resolveTheme(name string, dsfr fs.FS, logger *slog.Logger) (Theme, fs.FS, error) {
	dist, err := fs.Sub(dsfr, "dsfr/dist")
	if err != nil {
		return Theme{}, nil, err
	}
	_, statErr := fs.Stat(dist, "dsfr.min.css")
	built := statErr == nil
	switch name {
	case "", ThemeAuto:
		if built {
			return Theme{Name: ThemeDSFR, State: true}, dist, nil
		}
		logger.Warn("thème neutre : le système de design de l'État (DSFR) n'est pas intégré à ce binaire ; lancez `make assets` puis recompilez pour l'avoir")
		return Theme{Name: ThemeNeutral}, nil, nil
	case ThemeDSFR:
		if !built {
			return Theme{}, nil, fmt.Errorf("web: thème %q demandé, mais les fichiers du DSFR ne sont pas intégrés : lancez `make assets` puis recompilez", ThemeDSFR)
		}
		return Theme{Name: ThemeDSFR, State: true}, dist, nil
	case ThemeNeutral:
		return Theme{Name: ThemeNeutral}, nil, nil
	}
	return Theme{}, nil, fmt.Errorf("web: thème inconnu %q (attendu : %s, %s ou %s)", name, ThemeAuto, ThemeDSFR, ThemeNeutral)
}
