package router

import (
	"strings"

	"permis/internal/access"
	"permis/internal/web"
)

// The site map (/plan-du-site) is built from the route table: every GET
// page without a wildcard, under the title and section below. A public page
// missing from this table is still listed (under "Autres pages", by its
// path), and TestSiteMapListsEveryPublicPage fails until it gets a title
// here, or a line in notPages saying why it is not a page to open from a
// link.

// sitePage is a page's title and section in the site map.
type sitePage struct {
	pattern, title string
}

// siteSection is one heading of the site map.
type siteSection struct {
	title, note string
	pages       []sitePage
	help        bool // the help centre's articles follow
}

// siteSections are the site map's headings and pages, in the order shown.
var siteSections = []siteSection{
	{title: "Le service", pages: []sitePage{
		{"GET /{$}", "Accueil"},
		{"GET /connexion", "Se connecter"},
		{"GET /inscription", "Créer un compte"},
		{"GET /mot-de-passe/oubli", "Mot de passe oublié"},
	}},
	{title: "Démarches", pages: []sitePage{
		{"GET /suivi", "Suivre une demande avec sa référence"},
		{"GET /avis-de-contravention", "Mes avis de contravention : payer, contester, désigner le conducteur"},
		{"GET /avis-de-contravention/designation-groupee", "Entreprises : désigner les conducteurs de plusieurs avis (fichier CSV)"},
		{"GET /rendez-vous", "Prendre rendez-vous dans un point d'accueil"},
		{"GET /points-accueil", "Trouver un point d'accueil, un photographe ou un médecin agréé"},
		{"GET /visite-medicale", "Quelle visite médicale ? Médecin agréé ou commission médicale"},
		{"GET /signaler-un-probleme", "Signaler un dysfonctionnement"},
		{"GET /recours", "Faire un recours"},
	}},
	{title: "Vérifier un permis ou un document", pages: []sitePage{
		{"GET /verification-permis", "Vérifier un permis avec un code de vérification"},
		{"GET /verifier", "Vérifier un document 2D-Doc (relevé, attestation, CEPC)"},
	}},
	{title: "Aide", help: true, pages: []sitePage{
		{"GET /aide", "Aide et contacts"},
		{"GET /aide/recherche", "Rechercher dans l'aide"},
	}},
	{title: "Mon espace", note: "Après connexion avec un compte d'usager.", pages: []sitePage{
		{"GET /mon-espace", "Mon espace"},
		{"GET /mes-demarches", "Mes démarches : faire une demande, suivre mes demandes"},
		{"GET /mon-espace/permis/rattacher", "Rattacher mon permis"},
		{"GET /mon-espace/points", "Mes points"},
		{"GET /mon-espace/documents", "Mes documents : relevé d'information, attestation"},
		{"GET /mon-espace/codes", "Mes codes de vérification"},
		{"GET /mon-espace/autorisations", "Organismes informés de mes droits"},
		{"GET /mon-espace/consultations", "Qui a consulté mon dossier"},
		{"GET /mon-espace/examen", "Mon examen du permis : code, places d'examen pratique, résultats, CEPC"},
		{"GET /mon-espace/rendez-vous", "Mes rendez-vous"},
		{"GET /mon-espace/avis-medicaux", "Mes avis médicaux"},
		{"GET /mon-espace/avis", "Mes avis de contravention"},
		{"GET /mon-espace/sms", "Être prévenu par SMS"},
	}},
	{title: "Auto-écoles", note: "Après connexion avec un compte d'auto-école.", pages: []sitePage{
		{"GET /auto-ecole", "Mes élèves : leurs demandes, places d'examen et résultats"},
	}},
	{title: "Photographes agréés", note: "Après connexion avec un compte de photographe agréé.", pages: []sitePage{
		{"GET /photographe", "Codes ePhoto"},
	}},
	{title: "Médecins agréés", note: "Après connexion avec un compte de médecin agréé.", pages: []sitePage{
		{"GET /medecin", "Avis médicaux : recevoir une personne, rendre un avis"},
		{"GET /medecin/commission", "Séance de la commission médicale (médecins qui y siègent)"},
	}},
	{title: "Agents de l'administration", note: "Après connexion avec un compte d'agent, selon son rôle.", pages: []sitePage{
		{"GET /agents", "Espace agents"},
		{"GET /agents/demandes", "Demandes à instruire"},
		{"GET /agents/courriers-papier", "Courriers papier"},
		{"GET /agents/examens", "Places d'examen pratique : publier, feuilles d'examen"},
		{"GET /agents/avis-medicaux", "Avis médicaux à décider"},
		{"GET /agents/signalements", "Signalements et recours"},
		{"GET /agents/agenda", "Agenda des points d'accueil"},
		{"GET /agents/incidents", "Incidents"},
	}},
	{title: "À propos du site", pages: []sitePage{
		{"GET /accessibilite", "Accessibilité"},
		{"GET /mentions-legales", "Mentions légales"},
		{"GET /donnees-personnelles", "Données personnelles"},
		{"GET /plan-du-site", "Plan du site"},
	}},
}

// notPages are the GET routes without wildcard that are not pages a person
// opens from a link, and why.
var notPages = map[string]string{
	"GET /":                                                "toute adresse inconnue : la page introuvable",
	"GET /static/":                                         "feuilles de style, scripts et images",
	"GET /favicon.ico":                                     "icône du site",
	"GET /connexion/oidc":                                  "renvoie vers le fournisseur d'identité",
	"GET /connexion/proconnect":                            "renvoie vers ProConnect",
	"GET /connexion/proconnect/retour":                     "retour de ProConnect",
	"GET /connexion/oidc/retour":                           "retour du fournisseur d'identité",
	"GET /connexion/second-facteur":                        "étape de la connexion des agents",
	"GET /connexion/second-facteur/qr.png":                 "image de l'étape de connexion",
	"GET /deconnexion/fin":                                 "page affichée après la déconnexion",
	"GET /inscription/envoye":                              "page affichée après l'inscription",
	"GET /signaler-un-probleme/recu":                       "accusé de réception d'un signalement",
	"GET /rendez-vous/reserve":                             "page affichée après une réservation",
	"GET /recours/recu":                                    "accusé de réception d'un recours",
	"GET /avis-de-contravention/avis":                      "page d'un avis, après sa recherche",
	"GET /avis-de-contravention/contestation/confirmation": "page affichée après une contestation",
	"GET /avis-de-contravention/designation":               "désignation depuis la page d'un avis",
	"GET /avis-de-contravention/designation/confirmation":  "page affichée après une désignation",
	"GET /api/v1/me/points":                                "données JSON",
	"GET /mon-espace/examen/reserver":                      "formulaire ouvert depuis une demi-journée de « Mon examen du permis »",
	"GET /dev/courriels":                                   "page de développement",
	"GET /dev/composants":                                  "page de développement",
}

// siteMap returns the site map's sections for the routes rs: the pages of
// siteSections that are in rs, then any public page that has no title. A
// visitor sees every page (those of an account lead to the sign-in page);
// a signed-in person u only the public ones and those of their role.
func siteMap(rs []access.Route, help []web.Link, u *web.User) []web.SiteSection {
	have := map[string]bool{}
	for _, r := range rs {
		have[r.Pattern] = u == nil || r.Policy.Allows(u.Role)
	}
	known := map[string]bool{}
	var out []web.SiteSection
	for _, s := range siteSections {
		sec := web.SiteSection{Title: s.title, Note: s.note}
		for _, p := range s.pages {
			known[p.pattern] = true
			if have[p.pattern] {
				sec.Links = append(sec.Links, web.Link{Href: pathOf(p.pattern), Text: p.title})
			}
		}
		if s.help {
			sec.Links = append(sec.Links, help...)
		}
		if len(sec.Links) > 0 {
			out = append(out, sec)
		}
	}
	var other []web.Link
	for _, r := range SitePages(rs) {
		if !known[r.Pattern] && r.Policy.IsPublic() {
			other = append(other, web.Link{Href: pathOf(r.Pattern), Text: pathOf(r.Pattern)})
		}
	}
	if len(other) > 0 {
		out = append(out, web.SiteSection{Title: "Autres pages", Links: other})
	}
	return out
}

// SitePages returns the routes of rs that are pages: GET, no wildcard,
// not in notPages.
func SitePages(rs []access.Route) []access.Route {
	var out []access.Route
	for _, r := range rs {
		path, ok := strings.CutPrefix(r.Pattern, "GET ")
		if !ok || notPages[r.Pattern] != "" || (strings.Contains(path, "{") && path != "/{$}") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// pathOf is the path of a GET pattern without wildcard.
func pathOf(pattern string) string {
	return strings.TrimSuffix(strings.TrimPrefix(pattern, "GET "), "{$}")
}
