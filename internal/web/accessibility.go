package web

import "net/http"

// The accessibility statement (/accessibilite) follows the official model
// of the RGAA 4.1 (DINUM): conformity status, audit results with the rate,
// the pages sampled, the non-conformities that remain and their planned
// fix, how the statement was made, the alternative channel and the
// Défenseur des droits. Its figures come from the audit grid,
// docs/accessibility-audit.md; TestAccessibilityStatementMatchesTheGrid
// recounts the grid and fails when the two disagree.

// audit is the summary of the last audit of the service.
type audit struct {
	Date        string // JJ/MM/AAAA
	By          string
	Conform     int    // criteria met
	NonConform  int    // criteria not met
	NotTested   int    // applicable criteria the audit could not decide
	Applicable  int    // Conform + NonConform (the RGAA's rate ignores the others)
	Rate        string // Conform / Applicable, as the statement prints it: "97,1 %"
	Status      string // "totalement", "partiellement" or "non" conforme
	Sample      []Link // the pages audited
	Remaining   []nonConformity
	Environment []string // browser and assistive technology pairs, tools
}

type nonConformity struct {
	Criterion string
	What      string
	Fix       string // what is planned, and when
}

// lastAudit is the audit of 6 December 2026.
func lastAudit() audit {
	return audit{
		Date:       "06/12/2026",
		By:         "l'équipe du service (audit interne, non réalisé par un organisme indépendant)",
		Conform:    68,
		NonConform: 1,
		NotTested:  2,
		Applicable: 69,
		Rate:       "98,6 %",
		Status:     "partiellement",
		Sample: []Link{
			{Href: "/", Text: "Accueil"},
			{Href: "/connexion", Text: "Se connecter"},
			{Href: "/plan-du-site", Text: "Plan du site"},
			{Href: "/accessibilite", Text: "Déclaration d'accessibilité"},
			{Href: "/mentions-legales", Text: "Mentions légales"},
			{Href: "/aide", Text: "Aide (et la recherche dans l'aide)"},
			{Href: "/signaler-un-probleme", Text: "Signaler un dysfonctionnement (contact)"},
			{Href: "/mon-espace", Text: "Mon espace"},
			{Href: "/mon-espace/permis/rattacher", Text: "Rattacher mon permis (avec une erreur)"},
			{Href: "/mon-espace/points", Text: "Mes points (graphique et tableaux)"},
			{Href: "/mon-espace/documents", Text: "Mes documents, et la version accessible du relevé et de l'attestation"},
			{Href: "/mes-demarches", Text: "Mes démarches : une déclaration de perte, ses étapes et ses erreurs"},
			{Href: "/rendez-vous", Text: "Prendre rendez-vous sans compte : lieu, motif, créneau, coordonnées (avec des erreurs)"},
			{Href: "/verification-permis", Text: "Vérifier un permis avec un code (avec une erreur)"},
			{Href: "/verifier", Text: "Vérifier un document 2D-Doc (avec une erreur)"},
		},
		Remaining: []nonConformity{
			{"13.1", "La session se ferme après 30 minutes sans action, sans avertissement ni moyen de la prolonger. Les brouillons de démarche sont conservés, mais un formulaire en cours de saisie est perdu.",
				"Avertir avant la fin de la session et permettre de la prolonger d'un clic (premier trimestre 2027)."},
		},
		Environment: []string{
			"Chromium 156 sous Linux, au clavier seul (événements clavier réels), aux largeurs 320 px et 1280 px, texte agrandi à 200 %",
			"axe-core 4 (règles WCAG 2.0 et 2.1, niveaux A et AA) sur chaque page des parcours, thèmes DSFR et neutre",
			"Arbre d'accessibilité de Chromium (noms accessibles calculés)",
		},
	}
}

// AccessibilityStatus is the footer's text: "Accessibilité : partiellement
// conforme".
func accessibilityStatus() string {
	return "Accessibilité : " + lastAudit().Status + " conforme"
}

type accessibilityPage struct {
	Page
	Audit audit
}

func (r *Renderer) accessibility() http.Handler {
	return r.Handle(func(w http.ResponseWriter, req *http.Request) error {
		return r.Render(w, req, http.StatusOK, "accessibilite.html", &accessibilityPage{Audit: lastAudit()})
	})
}
