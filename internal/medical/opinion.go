package medical

import (
	"fmt"
	"slices"

	"permis/internal/date"
)

// Outcome is the opinion of cerfa 14880 ("avis médical").
type Outcome string

// The outcomes.
const (
	// Fit is "apte".
	Fit Outcome = "fit"
	// FitLimited is "apte temporaire": fit until an end date.
	FitLimited Outcome = "fit_limited"
	// FitRestricted is "apte avec restrictions": fit with the EU codes of
	// directive 2006/126/CE annex I (01 corrective lenses, 69 alcohol
	// interlock…), which go on the licence.
	FitRestricted Outcome = "fit_restricted"
	// Unfit is "inapte".
	Unfit Outcome = "unfit"
)

// Outcomes lists the outcomes in the cerfa's order.
func Outcomes() []Outcome { return []Outcome{Fit, FitLimited, FitRestricted, Unfit} }

// Label is the outcome as the cerfa writes it.
func (o Outcome) Label() string {
	switch o {
	case Fit:
		return "Apte"
	case FitLimited:
		return "Apte temporaire"
	case FitRestricted:
		return "Apte avec restrictions"
	case Unfit:
		return "Inapte"
	}
	return string(o)
}

// Interlock is the EU code of an alcohol interlock (directive 2006/126/CE
// annex I, code 69).
const Interlock = "69"

// Codes lists the EU restriction codes (directive 2006/126/CE annex I,
// arrêté du 20 avril 2012 annex) an opinion may set, with their meaning.
func Codes() map[string]string {
	return map[string]string{
		"01":      "correction et/ou protection de la vision",
		"02":      "prothèse auditive / aide à la communication",
		"03":      "prothèse / orthèse des membres",
		"05":      "limitation d'utilisation (raison médicale)",
		"10":      "transmission adaptée",
		"15":      "embrayage adapté",
		"20":      "mécanismes de freinage adaptés",
		"25":      "mécanismes d'accélération adaptés",
		"30":      "freinage et accélération combinés adaptés",
		"35":      "dispositifs de commande adaptés",
		"40":      "direction adaptée",
		"42":      "rétroviseurs adaptés",
		"43":      "siège du conducteur adapté",
		"44":      "adaptations du motocycle",
		"45":      "motocycle avec side-car uniquement",
		"46":      "tricycles uniquement",
		"47":      "véhicules à plus de deux roues",
		"50":      "limité à un véhicule spécifique",
		"61":      "conduite de jour uniquement",
		"62":      "conduite dans un rayon limité",
		"63":      "conduite sans passager",
		"64":      "vitesse limitée",
		"65":      "conduite accompagnée",
		"66":      "sans remorque",
		"67":      "pas de conduite sur autoroute",
		"68":      "pas d'alcool",
		Interlock: "éthylotest antidémarrage",
	}
}

// Opinion is what the examiner records (cerfa 14880).
type Opinion struct {
	By       Examiner
	Outcome  Outcome
	Examined date.Date
	// Until is the end of a temporary fitness (FitLimited only).
	Until date.Null
	// Restrictions are EU codes (FitRestricted only), sorted, no repeats.
	Restrictions []string
}

// OpinionError is a problem with an opinion: the field and the problem in
// French.
type OpinionError struct {
	Field   string
	Problem string
}

func (e *OpinionError) Error() string { return e.Field + " : " + e.Problem }

// Check validates an opinion against cerfa 14880 and the arrêté du
// 31 juillet 2012:
//   - an end date only for a temporary fitness, after the examination;
//   - restriction codes only for a restricted fitness, at least one, known;
//   - the alcohol interlock (code 69) only from a commission (art. 5 V).
func (o Opinion) Check() error {
	switch {
	case !slices.Contains(Outcomes(), o.Outcome):
		return &OpinionError{"outcome", fmt.Sprintf("avis inconnu %q", o.Outcome)}
	case o.Outcome == FitLimited && !o.Until.Valid:
		return &OpinionError{"until", "la date de fin de l'aptitude temporaire est obligatoire"}
	case o.Outcome == FitLimited && !o.Until.Date.After(o.Examined):
		return &OpinionError{"until", "la date de fin doit être postérieure à l'examen"}
	case o.Outcome != FitLimited && o.Until.Valid:
		return &OpinionError{"until", "une date de fin ne va qu'avec un avis « apte temporaire »"}
	case o.Outcome == FitRestricted && len(o.Restrictions) == 0:
		return &OpinionError{"restrictions", "indiquez au moins un code de restriction"}
	case o.Outcome != FitRestricted && len(o.Restrictions) > 0:
		return &OpinionError{"restrictions", "des restrictions ne vont qu'avec un avis « apte avec restrictions »"}
	}
	codes := Codes()
	for _, c := range o.Restrictions {
		if _, ok := codes[c]; !ok {
			return &OpinionError{"restrictions", fmt.Sprintf("code de restriction inconnu %q", c)}
		}
		if c == Interlock && o.By != Commission {
			return &OpinionError{"restrictions", "seule la commission médicale peut prescrire l'éthylotest antidémarrage (code 69)"}
		}
	}
	return nil
}
