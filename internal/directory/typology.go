package directory

import "strings"

// Typology codes are the data.inclusion vocabulary that the national
// mediation-places schema uses in its "typologie" field (REFERENCE §14.1).
// The ones a help point of this service most often has:
const (
	TypologyFranceServices = "RFS"  // Réseau France Services
	TypologyPrefecture     = "PREF" // Préfecture, sous-préfecture (their points numériques)
	TypologyEPN            = "EPN"  // Espace public numérique
	TypologyLibrary        = "BIB"  // Bibliothèque, médiathèque
	TypologyMSAP           = "MSAP" // Maison de services au public (before France Services)
)

// typologies maps each code of the vocabulary to its French label. The
// list is the one of the schema's reference implementation; a code outside
// it is dropped at import with a warning.
var typologies = map[string]string{
	"ACI": "Atelier et chantier d'insertion", "ACIPHC": "Atelier chantier d'insertion premières heures",
	"AFPA": "AFPA", "AI": "Association intermédiaire", "ASE": "Aide sociale à l'enfance",
	"ASSO": "Association", "ASSO_CHOMEUR": "Association de chômeurs", "AUTRE": "Autre",
	"AVIP": "Crèche à vocation d'insertion professionnelle", "BIB": "Bibliothèque, médiathèque",
	"CAARUD": "CAARUD", "CADA": "Centre d'accueil de demandeurs d'asile",
	"CAF": "Caisse d'allocations familiales", "CAP_EMPLOI": "Cap emploi",
	"CAVA": "Centre d'adaptation à la vie active", "CC": "Communauté de communes",
	"CCAS": "Centre communal d'action sociale", "CCONS": "Chambre consulaire",
	"CD": "Conseil départemental", "CDAS": "Centre départemental d'action sociale",
	"CFP": "Centre des finances publiques", "CHRS": "Centre d'hébergement et de réinsertion sociale",
	"CHU": "Centre d'hébergement d'urgence", "CIAS": "Centre intercommunal d'action sociale",
	"CIDFF": "Centre d'information sur les droits des femmes et des familles", "CITMET": "Cité des métiers",
	"CMP": "Centre médico-psychologique", "CMS": "Centre médico-social",
	"CPAM": "Caisse primaire d'assurance maladie", "CPH": "Centre provisoire d'hébergement",
	"CS": "Centre social", "CSAPA": "CSAPA", "CSC": "Centre socioculturel", "DEETS": "DEETS",
	"DEPT": "Services sociaux du conseil départemental", "DIPLP": "DIPLP",
	"E2C": "École de la deuxième chance", "EA": "Entreprise adaptée", "EATT": "Entreprise adaptée de travail temporaire",
	"EI": "Entreprise d'insertion", "EITI": "Entreprise d'insertion par le travail indépendant",
	"ENM": "Espace numérique mobile", "EPCI": "Intercommunalité", "EPI": "Espace public internet",
	"EPIDE": "EPIDE", "EPN": "Espace public numérique", "ES": "Épicerie solidaire", "ESAT": "ESAT",
	"ESS": "Entreprise de l'économie sociale et solidaire", "ETTI": "Entreprise de travail temporaire d'insertion",
	"EVS": "Espace de vie sociale", "FABLAB": "Fablab", "FABRIQUE": "Fabrique",
	"FAIS": "Fédération d'acteurs de l'insertion et de la solidarité", "FT": "France Travail",
	"GEIQ": "GEIQ", "HUDA": "Hébergement d'urgence pour demandeurs d'asile", "LA_POSTE": "La Poste",
	"MDE": "Maison de l'emploi", "MDEF": "Maison de l'emploi et de la formation", "MDH": "Maison des habitants",
	"MDPH": "Maison départementale des personnes handicapées", "MDS": "Maison départementale des solidarités",
	"MJC": "Maison des jeunes et de la culture", "ML": "Mission locale", "MQ": "Maison de quartier",
	"MSA": "Mutualité sociale agricole", "MSAP": "Maison de services au public", "MUNI": "Mairie",
	"OACAS": "OACAS", "ODC": "Organisation délégataire d'un conseil départemental", "OF": "Organisme de formation",
	"OIL": "Opérateur d'intermédiation locative", "OPCS": "Organisation porteuse de la clause sociale",
	"PAD": "Point d'accès au droit", "PENSION": "Pension de famille", "PI": "Point info",
	"PIJ_BIJ": "Point ou bureau information jeunesse", "PIMMS": "Point information médiation multi-services",
	"PJJ": "Protection judiciaire de la jeunesse", "PLIE": "Plan local pour l'insertion et l'emploi",
	"PREF": "Préfecture, sous-préfecture", "PREVENTION": "Service ou club de prévention", "REG": "Région",
	"RELAIS_LECTURE": "Relais lecture", "RESSOURCERIE": "Ressourcerie", "RFS": "France Services",
	"RS_FJT": "Résidence sociale, foyer de jeunes travailleurs", "SCP": "Service ou club de prévention",
	"SPIP": "Service pénitentiaire d'insertion et de probation", "TIERS_LIEUX": "Tiers-lieu",
	"UDAF": "Union départementale des associations familiales",
}

// TypologyLabel returns the French label of a typology code, and whether
// the code is known.
func TypologyLabel(code string) (string, bool) {
	l, ok := typologies[code]
	return l, ok
}

// ParseTypology reads one code as found in the data: trimmed, in any case
// ("rfs", "Autre"). It reports false for a code outside the vocabulary.
func ParseTypology(s string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(s))
	_, ok := typologies[c]
	return c, ok
}

// helpOrder is the order in which a help point's codes name it: a France
// Services that is also a town hall is shown as a France Services.
var helpOrder = []string{TypologyFranceServices, TypologyMSAP, TypologyPrefecture, TypologyEPN, "EPI", TypologyLibrary}

// HelpLabel is the French name of what a help point is, from its typology:
// "France Services", "Point numérique de la préfecture ou sous-préfecture",
// "Espace public numérique", "Bibliothèque, médiathèque", or another
// label of the vocabulary; "Lieu de médiation numérique" without one.
// Only help points have one: a photographer, a booth or a doctor is named
// by its kind (Kind.Label), never as a lieu de médiation numérique.
func (e Entry) HelpLabel() string {
	if e.Kind != HelpPoint {
		return ""
	}
	for _, c := range helpOrder {
		for _, t := range e.Typology {
			if t == c {
				if c == TypologyPrefecture {
					return "Point numérique de la préfecture ou sous-préfecture"
				}
				return typologies[c]
			}
		}
	}
	for _, t := range e.Typology {
		if l, ok := typologies[t]; ok {
			return l
		}
	}
	return "Lieu de médiation numérique"
}
