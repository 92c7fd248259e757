package points

import "permis/internal/date"

// Kind says why the balance moved.
type Kind string

// Movement kinds; their JSON spelling is part of the replay contract.
const (
	KindOffence      Kind = "offence"       // a withdrawal, on the day the offence was established (§3.3)
	KindRecovery6M   Kind = "recovery_6m"   // the point of a lone 1-point offence, 6 months on (§3.4)
	KindRecoveryFull Kind = "recovery_full" // back to the ceiling after 2 or 3 years without offence (§3.4)
	KindRecovery10Y  Kind = "recovery_10y"  // points of a class 1–4 contravention, 10 years on (§3.4)
	KindCourse       Kind = "course"        // voluntary awareness course, +4 (§3.5)
	KindProbation    Kind = "probation"     // yearly growth of a probationary licence (§3.1)
)

// LetterType is a ministry letter about points (§3.6).
type LetterType string

// Letters.
const (
	Letter48   LetterType = "48"   // each withdrawal, ordinary letter
	Letter48M  LetterType = "48M"  // withdrawal leaving 6 points or fewer, licence out of probation
	Letter48N  LetterType = "48N"  // probationary licence losing 3 points or more at once: compulsory course
	Letter48SI LetterType = "48SI" // balance at zero: invalidation
)

// Movement is one change of the balance.
type Movement struct {
	Date    date.Date
	Delta   int
	Balance int // balance after the movement
	Kind    Kind
	Ref     string // the offence or course it concerns; "" for probation growth
}

// Letter is a letter the ministry sends, dated by the withdrawal that causes it.
type Letter struct {
	Date date.Date
	Type LetterType
	Ref  string // the offence
}

// Result is the state of a licence's points at a date, with its history and
// the recoveries to come if nothing new happens.
type Result struct {
	At           date.Date
	Balance      int
	Ceiling      int
	Valid        bool      // false once the invalidation took effect (§3.6)
	InvalidSince date.Null // the day the invalidation took effect: the 48SI notification, or the zero balance when none is known
	ProbationEnd date.Null // end of the probationary period, if any
	Movements    []Movement
	Letters      []Letter
	Upcoming     []Movement // what will happen after At if nothing new happens; Balance is the projected balance
}

// NextChange returns the date of the first upcoming movement, if any: the day
// the nightly pass must look at this licence again.
func (r *Result) NextChange() date.Null {
	if len(r.Upcoming) == 0 {
		return date.Null{}
	}
	return date.Some(r.Upcoming[0].Date)
}

// Label is the movement's reason in French, as holders read it.
func (k Kind) Label() string {
	switch k {
	case KindOffence:
		return "Retrait de points après une infraction"
	case KindRecovery6M:
		return "Récupération du point retiré, 6 mois sans nouvelle infraction"
	case KindRecoveryFull:
		return "Récupération de tous les points, période sans infraction"
	case KindRecovery10Y:
		return "Récupération des points d'une infraction, 10 ans après"
	case KindCourse:
		return "Stage de sensibilisation à la sécurité routière"
	case KindProbation:
		return "Progression annuelle du permis probatoire"
	}
	return string(k)
}

// Label is the letter's name and purpose in French.
func (t LetterType) Label() string {
	switch t {
	case Letter48:
		return "Lettre 48 : information d'un retrait de points"
	case Letter48M:
		return "Lettre 48M : solde de 6 points ou moins, stage conseillé"
	case Letter48N:
		return "Lettre 48N : stage obligatoire (permis probatoire)"
	case Letter48SI:
		return "Lettre 48SI : invalidation du permis, solde nul"
	}
	return "Lettre " + string(t)
}
