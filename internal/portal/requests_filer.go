package portal

import (
	"strings"

	"permis/internal/store"
	"permis/internal/web"
)

// A request's pages serve two filers: the citizen for themself, and a
// driving school for its student under mandate (issue 9 §2). The school's
// pages speak to the school about its student and their links stay in the
// school's space: "Mes démarches" is a citizen's page, which a school may
// not open.

// filedBySchool reports whether a driving school filed rq for its student.
func filedBySchool(rq store.Request) bool { return rq.FilerRole == "driving_school" }

// reqHome is the page that lists rq among its filer's requests: the
// school's students, or the citizen's requests.
func reqHome(rq store.Request) string {
	if filedBySchool(rq) {
		return "/auto-ecole"
	}
	return "/mes-demarches"
}

// reqCrumbs is the breadcrumb of a page of rq, ending with the links of
// tail (the last one is the current page).
func reqCrumbs(rq store.Request, tail ...web.Link) []web.Link {
	if filedBySchool(rq) {
		student := strings.TrimSpace(rq.GivenNames + " " + rq.FamilyName)
		if student == "" {
			student = "Élève"
		}
		return append([]web.Link{{Href: "/auto-ecole", Text: "Mes élèves"}, {Href: "/auto-ecole", Text: student}}, tail...)
	}
	return append([]web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Href: "/mes-demarches", Text: "Mes démarches"}}, tail...)
}

// School reports whether the draft is a school's, for its student.
func (d *draft) School() bool { return filedBySchool(d.Req) }

// Home is the page that lists the draft among its filer's requests.
func (d *draft) Home() string { return reqHome(d.Req) }

// School reports whether a driving school filed the request.
func (p reqDonePage) School() bool { return filedBySchool(p.Req) }

// Home is the page that lists the request among its filer's.
func (p reqDonePage) Home() string { return reqHome(p.Req) }

// School reports whether a driving school filed the request.
func (p reqViewPage) School() bool { return filedBySchool(p.Req) }

// Home is the page that lists the request among its filer's.
func (p reqViewPage) Home() string { return reqHome(p.Req) }
