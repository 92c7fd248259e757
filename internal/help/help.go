// Package help is the service's help centre: short articles answering, in
// our own plain words, the questions people ask about the driving licence
// (what the NEPH is, the ASSR2, the photo and signature, the fiscal stamp,
// the medical check, contesting a fine, following a request, where to get
// help), and a search over them. Procedures link to the article a person
// needs at the step where they need it (Link gives the address).
//
// Each article's body is a file of articles/ (trusted HTML, written by us);
// its title, summary and search keywords are in the table below.
package help

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed articles/*.html
var files embed.FS

// Article is one answer.
type Article struct {
	Slug     string // its address: /aide/<slug>
	Title    string // the question, as people ask it
	Summary  string // the answer in one sentence
	Keywords string // other words people search with
	Body     template.HTML
}

// Href is the article's address.
func (a Article) Href() string { return Link(a.Slug) }

// Link is the address of the article slug; it panics on an unknown slug,
// so that a page linking to a missing article fails its tests.
func Link(slug string) string {
	if _, ok := bySlug[slug]; !ok {
		panic("help: no article " + slug)
	}
	return "/aide/" + slug
}

// table is every article, in the order of the help page.
var table = []Article{
	{Slug: "demarches-en-ligne", Title: "Comment faire une demande de permis ?",
		Summary:  "Toutes les demandes se font en ligne ; un dossier papier envoyé à la préfecture vous est renvoyé.",
		Keywords: "guichet préfecture dossier papier courrier internet téléprocédure perte vol renouvellement"},
	{Slug: "perte-du-permis", Title: "J'ai perdu mon permis : que faire ?",
		Summary:  "Demandez un nouveau permis en ligne en déclarant la perte dans la demande ; l'attestation de perte vous permet de conduire 2 mois.",
		Keywords: "perdu perdue perte égaré égarée déclaration de perte attestation de perte duplicata nouveau permis vol volé"},
	{Slug: "neph", Title: "Qu'est-ce que le NEPH et où le trouver ?",
		Summary:  "Le NEPH est le numéro de votre dossier de permis, à 12 chiffres ; il figure sur vos courriers et, pour les anciens permis, au dos du titre.",
		Keywords: "numéro dossier permis numéro d'enregistrement préfectoral harmonisé auto-école inscription examen"},
	{Slug: "passer-le-permis", Title: "Comment passer le permis : auto-école ou candidat libre ?",
		Summary:  "Inscrivez-vous à l'examen (seul ou par votre auto-école), passez le code chez un opérateur agréé, réservez une place d'examen pratique ; le certificat d'examen vous permet de conduire 4 mois.",
		Keywords: "inscription examen code ETG épreuve théorique examen pratique conduite candidat libre auto-école place réservation RdvPermis accompagnateur double commande CEPC certificat premier permis"},
	{Slug: "assr2", Title: "L'ASSR2 ou l'ASR m'est-elle demandée ?",
		Summary:  "Seulement pour une première catégorie de permis obtenue avant 21 ans ; une déclaration sur l'honneur remplace une attestation perdue.",
		Keywords: "attestation scolaire sécurité routière collège brevet BSR AM perdue duplicata GRETA"},
	{Slug: "photo-signature", Title: "Où faire la photo et la signature numériques ?",
		Summary:  "Chez un photographe ou dans une cabine agréés, qui vous remettent un code à 22 caractères à saisir dans votre demande.",
		Keywords: "ePhoto code photo signature photographe cabine photomaton agréé 22 caractères"},
	{Slug: "timbre-fiscal", Title: "Faut-il acheter le timbre fiscal à l'avance ?",
		Summary:  "Non : vous l'achetez pendant la demande. Il coûte 25 € pour une perte, un vol ou une détérioration, et n'est pas dû dans les autres cas.",
		Keywords: "timbre fiscal électronique prix 25 euros perte vol détérioration Guyane remboursement validité"},
	{Slug: "visite-medicale", Title: "Visite médicale : médecin agréé ou commission médicale ?",
		Summary:  "La commission médicale après une suspension ou une annulation liée à l'alcool ou aux stupéfiants ; un médecin agréé dans tous les autres cas.",
		Keywords: "médecin agréé commission médicale avis médical aptitude suspension annulation alcool stupéfiants poids lourd renouvellement"},
	{Slug: "contester-amende", Title: "Comment contester une amende et le retrait de points ?",
		Summary:  "Auprès de l'officier du ministère public indiqué sur l'avis, en ligne ou par courrier, dans les délais de l'avis.",
		Keywords: "contestation amende avis de contravention ANTAI OMP officier ministère public véhicule vendu désignation conducteur points retirés"},
	{Slug: "suivre-ma-demande", Title: "Où en est ma demande ?",
		Summary:  "Chaque étape de votre demande s'affiche dans votre espace, avec la date prévue de la suivante et, si elle attend, ce qu'elle attend.",
		Keywords: "suivi demande instruction délai envoi titre lettre suivie bureau de poste attente"},
	{Slug: "mes-points", Title: "Comment lire mon solde de points ?",
		Summary:  "Votre solde, son maximum, les retraits et les récupérations à venir sont dans « Mes points ».",
		Keywords: "solde points récupération retrait stage permis probatoire 12 points lettre 48"},
	{Slug: "releve-et-attestation", Title: "Relevé intégral ou attestation de droits : lequel demander ?",
		Summary:  "Le relevé intégral est pour vous seul ; l'attestation de droits à conduire, sans vos points, est celle à remettre à un tiers.",
		Keywords: "relevé d'information intégral restreint attestation droits à conduire télécharger PDF assureur employeur 2D-Doc"},
	{Slug: "prouver-mes-droits", Title: "Un employeur ou un loueur me demande mon permis",
		Summary:  "Donnez-lui un code de vérification : il voit vos catégories et leur validité, jamais vos points.",
		Keywords: "employeur loueur assurance vérification code solde points exiger"},
	{Slug: "se-faire-aider", Title: "Où me faire aider ?",
		Summary:  "Au 3400, dans les points numériques des préfectures et sous-préfectures, et dans les espaces France Services.",
		Keywords: "aide téléphone 3400 point numérique France Services MSAP rendez-vous accompagnement préfecture"},
	{Slug: "signaler-un-probleme", Title: "Un service en ligne ne fonctionne pas",
		Summary:  "Signalez-le : vous recevez un numéro de suivi et l'équipe du service vous répond.",
		Keywords: "dysfonctionnement bug erreur panne page blanche signaler incident"},
}

var bySlug = map[string]*Article{}

func init() {
	for i := range table {
		a := &table[i]
		b, err := fs.ReadFile(files, "articles/"+a.Slug+".html")
		if err != nil {
			panic(fmt.Sprintf("help: article %s has no body: %v", a.Slug, err))
		}
		a.Body = template.HTML(b) // our own files, embedded
		bySlug[a.Slug] = a
	}
	index = buildIndex(table)
}

// Articles returns every article, in the help page's order.
func Articles() []Article { return slices.Clone(table) }

// Find returns the article slug.
func Find(slug string) (Article, bool) {
	a, ok := bySlug[slug]
	if !ok {
		return Article{}, false
	}
	return *a, true
}

// Related returns the articles linked from slug's body, in order.
func Related(slug string) []Article {
	a, ok := bySlug[slug]
	if !ok {
		return nil
	}
	var out []Article
	seen := map[string]bool{slug: true}
	for _, m := range hrefRE.FindAllStringSubmatch(string(a.Body), -1) {
		if r, ok := bySlug[m[1]]; ok && !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, *r)
		}
	}
	return out
}

var (
	hrefRE = regexp.MustCompile(`href="/aide/([a-z0-9-]+)"`)
	linkRE = regexp.MustCompile(`href="(/[^"]*)"`)
)

// fold lowers, strips accents and turns punctuation into spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}
