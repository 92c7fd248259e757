package web

import (
	"strings"

	"permis/internal/access"
)

// HomeOf is a role's own space: where a person lands after signing in and
// where the header's "Mon espace" leads. Citizens have their space, driving
// schools their students, instructing agents their queue of requests, the
// help desk and administrators the agents' home (support, agenda,
// incidents), photographers their ePhoto page, the officers of the
// ministère public their queue of contested fines. Roles without pages of
// their own (doctor: the API) get "", and land on the home page.
func HomeOf(r access.Role) string {
	switch r {
	case access.Citizen:
		return "/mon-espace"
	case access.DrivingSchool:
		return "/auto-ecole"
	case access.Agent:
		return "/agents/demandes"
	case access.Helpdesk, access.Admin:
		return "/agents"
	case access.Photographer:
		return "/photographe"
	case access.Doctor:
		return "/medecin"
	case access.Prosecutor:
		return "/agents/contestations"
	}
	return ""
}

// NavLink is one link of the header's navigation.
type NavLink struct {
	Href, Text string
	// Current is "page" on the page the link leads to, "true" on a page
	// below it (the DSFR marks both), "" elsewhere.
	Current string
}

// The header's links, by audience. The public ones answer the questions
// people come with (file a request, follow it, get help, check a licence);
// each role then has its own tasks first.
var (
	navPublic = []Link{
		{Href: "/mes-demarches", Text: "Faire une demande"},
		{Href: "/suivi", Text: "Suivre une demande"},
		{Href: "/rendez-vous", Text: "Prendre rendez-vous"},
		{Href: "/points-accueil", Text: "Trouver un lieu"},
		{Href: "/verification-permis", Text: "Vérifier un permis"},
		{Href: "/aide", Text: "Aide"},
	}
	navSchool = []Link{
		{Href: "/auto-ecole", Text: "Mes élèves"},
		{Href: "/rendez-vous", Text: "Prendre rendez-vous"},
		{Href: "/points-accueil", Text: "Trouver un lieu"},
		{Href: "/aide", Text: "Aide"},
	}
	navInstruction = []Link{
		{Href: "/agents/demandes", Text: "Demandes à instruire"},
		{Href: "/agents/courriers-papier", Text: "Courriers papier"},
		{Href: "/agents/avis-medicaux", Text: "Avis médicaux"},
		{Href: "/agents/examens", Text: "Places d'examen"},
	}
	navSupport = []Link{
		{Href: "/agents/signalements", Text: "Signalements et recours"},
		{Href: "/agents/agenda", Text: "Agenda"},
		{Href: "/agents/incidents", Text: "Incidents"},
	}
	navPhotographer = []Link{
		{Href: "/photographe", Text: "Codes ePhoto"},
		{Href: "/points-accueil", Text: "Trouver un lieu"},
		{Href: "/aide", Text: "Aide"},
	}
	navDoctor = []Link{
		{Href: "/medecin", Text: "Avis médicaux"},
		{Href: "/visite-medicale", Text: "Quelle visite médicale ?"},
		{Href: "/aide", Text: "Aide"},
	}
	navProsecutor = []Link{
		{Href: "/agents/contestations", Text: "Contestations d'amendes"},
		{Href: "/verification-permis", Text: "Vérifier un permis"},
		{Href: "/aide", Text: "Aide"},
	}
	navOther = []Link{
		{Href: "/verification-permis", Text: "Vérifier un permis"},
		{Href: "/points-accueil", Text: "Trouver un lieu"},
		{Href: "/aide", Text: "Aide"},
	}
)

// navLinks returns the header's links for u (nil: nobody signed in).
func navLinks(u *User) []Link {
	if u == nil {
		return navPublic
	}
	switch u.Role {
	case access.Citizen:
		return navPublic
	case access.DrivingSchool:
		return navSchool
	case access.Agent:
		return append(append([]Link{}, navInstruction...), navSupport...)
	case access.Helpdesk:
		return append([]Link{{Href: "/agents", Text: "Espace agents"}}, navSupport...)
	case access.Admin:
		return append(append([]Link{{Href: "/agents", Text: "Espace agents"}}, navInstruction...), navSupport...)
	case access.Photographer:
		return navPhotographer
	case access.Doctor:
		return navDoctor
	case access.Prosecutor:
		return navProsecutor
	}
	return navOther
}

// navOf returns the header's navigation for u on the page at path: the
// link to the page itself is marked "page", and the link the page is
// below (the longest matching prefix) "true".
func navOf(u *User, path string) []NavLink {
	links := navLinks(u)
	out := make([]NavLink, len(links))
	best := -1
	for i, l := range links {
		out[i] = NavLink{Href: l.Href, Text: l.Text}
		if path == l.Href {
			out[i].Current = "page"
			best = -2
			continue
		}
		if best != -2 && strings.HasPrefix(path, l.Href+"/") && (best < 0 || len(l.Href) > len(links[best].Href)) {
			best = i
		}
	}
	if best >= 0 {
		out[best].Current = "true"
	}
	return out
}
