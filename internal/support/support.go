// Package support names what people report and contest: the online
// procedures a fault report or an incident is about (with the pages each
// covers, so that an incident's notice shows on exactly those pages), the
// states of a ticket, and the checks of a fault report and of an appeal.
// It does no I/O.
package support

import (
	"strings"
	"unicode/utf8"
)

// Procedure is an online procedure of the service.
type Procedure struct {
	Code  string
	Label string // French, as the form lists it
	// Paths are the URL path prefixes of its pages: an incident on the
	// procedure shows on each of them.
	Paths []string
}

// procedures is the list the fault-report form offers, in its order.
var procedures = []Procedure{
	{"compte", "Connexion et compte", []string{"/connexion", "/inscription", "/compte", "/mot-de-passe", "/mon-espace"}},
	{"points", "Consultation du solde de points", []string{"/mon-espace/points", "/api/v1/me/points"}},
	{"documents", "Relevé d'information et attestation de droits", []string{"/mon-espace/documents", "/verifier"}},
	{"verification", "Codes de vérification pour un employeur ou un loueur", []string{"/mon-espace/codes", "/verification-permis"}},
	{"demande", "Demande de permis (perte, vol, renouvellement…)", []string{"/demarches", "/mes-demandes", "/suivi"}},
	{"rendez-vous", "Rendez-vous dans un point d'accueil", []string{"/rendez-vous", "/points-accueil"}},
	{"autre", "Autre", nil},
}

// Procedures returns every procedure, in the form's order.
func Procedures() []Procedure { return append([]Procedure(nil), procedures...) }

// LookupProcedure returns the procedure of code.
func LookupProcedure(code string) (Procedure, bool) {
	for _, p := range procedures {
		if p.Code == code {
			return p, true
		}
	}
	return Procedure{}, false
}

// Covers reports whether path is one of the procedure's pages. "autre"
// covers every page: an incident on it is service-wide.
func (p Procedure) Covers(path string) bool {
	if p.Code == "autre" {
		return true
	}
	for _, prefix := range p.Paths {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// The kinds of ticket.
const (
	KindFault  = "fault"
	KindAppeal = "appeal"
)

// The states of a ticket.
const (
	StatusNew        = "new"
	StatusInProgress = "in_progress"
	StatusAnswered   = "answered"
	StatusClosed     = "closed"
)

// Statuses lists the states in the queue's order.
func Statuses() []string { return []string{StatusNew, StatusInProgress, StatusAnswered, StatusClosed} }

// StatusLabel is a state in French.
func StatusLabel(s string) string {
	switch s {
	case StatusNew:
		return "Nouveau" // un signalement, un recours
	case StatusInProgress:
		return "En cours de traitement"
	case StatusAnswered:
		return "Réponse envoyée"
	case StatusClosed:
		return "Clos"
	}
	return s
}

// Limits of the texts people type.
const (
	MaxSummary = 200
	MaxDetails = 5000
	MaxName    = 120
	MaxMessage = 5000
)

// Report is a fault report as typed.
type Report struct {
	Procedure string
	Summary   string // what went wrong, in one line
	Details   string // what was done, what happened, when
	Name      string // optional
	Email     string
}

// Appeal is an appeal about a licence decision, as typed.
type Appeal struct {
	Name        string
	Email       string
	NEPH        string // optional: the licence concerned
	DecisionRef string // optional: the reference of the decision contested
	Summary     string // the decision contested, in one line
	Details     string // the reasons
}

// Check returns the report's problems by form field, nil when none.
func (r Report) Check() map[string]string {
	p := map[string]string{}
	if _, ok := LookupProcedure(r.Procedure); !ok {
		p["procedure"] = "Choisissez la démarche concernée."
	}
	text(p, "summary", r.Summary, MaxSummary, "Dites en une phrase ce qui ne fonctionne pas.")
	text(p, "details", r.Details, MaxDetails, "Décrivez ce que vous faisiez et ce qui s'est passé.")
	optional(p, "name", r.Name, MaxName)
	email(p, r.Email)
	return nilIfEmpty(p)
}

// Check returns the appeal's problems by form field, nil when none.
func (a Appeal) Check() map[string]string {
	p := map[string]string{}
	text(p, "name", a.Name, MaxName, "Saisissez votre nom et votre prénom.")
	email(p, a.Email)
	if n := strings.TrimSpace(a.NEPH); n != "" && !digits(n, 12) {
		p["neph"] = "Le NEPH compte 12 chiffres, par exemple 240334110001. Laissez ce champ vide si vous ne le connaissez pas."
	}
	optional(p, "decision_ref", a.DecisionRef, 60)
	text(p, "summary", a.Summary, MaxSummary, "Indiquez la décision que vous contestez.")
	text(p, "details", a.Details, MaxDetails, "Expliquez pourquoi vous contestez cette décision.")
	return nilIfEmpty(p)
}

func text(p map[string]string, field, v string, max int, empty string) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		p[field] = empty
	case utf8.RuneCountInString(v) > max:
		p[field] = tooLong(max)
	}
}

func optional(p map[string]string, field, v string, max int) {
	if utf8.RuneCountInString(strings.TrimSpace(v)) > max {
		p[field] = tooLong(max)
	}
}

func tooLong(max int) string {
	return "Ce texte est trop long : " + itoa(max) + " caractères au plus."
}

func email(p map[string]string, v string) {
	v = strings.TrimSpace(v)
	at := strings.LastIndexByte(v, '@')
	if at < 1 || at > len(v)-4 || !strings.Contains(v[at:], ".") || strings.ContainsAny(v, " \t\r\n<>,;\"") || len(v) > 254 {
		p["email"] = "Saisissez une adresse électronique valide, par exemple nom@exemple.fr : la réponse y sera envoyée."
	}
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	s := string(b[i:])
	if len(s) > 3 { // 5000 → "5 000"
		s = s[:len(s)-3] + "\u00a0" + s[len(s)-3:]
	}
	return s
}

func nilIfEmpty(p map[string]string) map[string]string {
	if len(p) == 0 {
		return nil
	}
	return p
}
