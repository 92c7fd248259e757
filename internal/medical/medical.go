// Package medical holds the rules of the medical check of fitness to drive
// (contrôle médical de l'aptitude à la conduite): when a check is required,
// who examines (a commission médicale or an approved doctor), when a
// psychotechnic test comes first, the opinions of cerfa 14880 and the
// validity periods of heavy categories. It does no I/O; the sources of each
// rule are in docs/medical.md.
package medical

import "permis/internal/date"

// Kind is the measure or event that may call for a medical check.
type Kind string

// The kinds of the public contract (docs/medical-route.md).
const (
	// Suspension is a suspension of the licence (administrative or judicial).
	Suspension Kind = "suspension"
	// Annulment is a judicial annulment of the licence.
	Annulment Kind = "annulment"
	// Invalidation is the loss of every point (solde nul, L223-1).
	Invalidation Kind = "invalidation"
	// HeavyRenewal is the first issue or renewal of a heavy category
	// (C1, C, D1, D and their E; R221-10, R221-11).
	HeavyRenewal Kind = "heavy_renewal"
	// DeclaredCondition is a condition of the arrêté du 28 mars 2022 list,
	// declared by the candidate or the holder (R221-10, R226-1).
	DeclaredCondition Kind = "declared_condition"
	// None is no measure: only a follow-up of a previous opinion may
	// still call for a check.
	None Kind = "none"
)

// Kinds lists the kinds in the contract's order.
func Kinds() []Kind {
	return []Kind{Suspension, Annulment, Invalidation, HeavyRenewal, DeclaredCondition, None}
}

// Cause is what the measure punishes.
type Cause string

// The causes of the contract.
const (
	// Alcohol is driving under the influence of alcohol or refusing the
	// test (L234-1, L234-8).
	Alcohol Cause = "alcohol"
	// Drugs is driving after using drugs or refusing the test (L235-1, L235-3).
	Drugs Cause = "drugs"
	// Speed is a speeding offence.
	Speed Cause = "speed"
	// HomicideInjury is an involuntary homicide or injury by a driver
	// (code pénal 221-6-1, 222-19-1, 222-20-1).
	HomicideInjury Cause = "homicide_injury"
	// Other is any other cause.
	Other Cause = "other"
)

// Causes lists the causes in the contract's order.
func Causes() []Cause { return []Cause{Alcohol, Drugs, Speed, HomicideInjury, Other} }

// Examiner is who examines the person.
type Examiner string

// The examiners.
const (
	// Commission is the commission médicale primaire (two approved doctors
	// sitting together, arrêté du 31 juillet 2012 art. 5 I).
	Commission Examiner = "commission"
	// ApprovedDoctor is a médecin agréé consulting outside the commission
	// (art. 5 II); never the person's own doctor (R226-2).
	ApprovedDoctor Examiner = "approved_doctor"
)

// Measure is the measure that brings the person to the check.
type Measure struct {
	Kind Kind
	// Months is the length of a suspension as pronounced, in whole months
	// (0 for less than a month); ignored for other kinds.
	Months int
	Cause  Cause
}

// Previous is the last opinion given on the person, when there is one.
type Previous struct {
	By      Examiner
	Outcome Outcome
}

// Route is the answer to "which medical check?".
type Route struct {
	Required      bool
	Examiner      Examiner // "" when no check is required
	Psychotechnic bool
	Fee           Fee // 0 when no check is required
}

// Decide answers for a measure, the previous opinion (nil when none) and
// the day of the question, whose fees apply.
func Decide(cfg Config, m Measure, prev *Previous, at date.Date) Route {
	r := Route{Required: Required(m) || followUp(prev), Psychotechnic: Psychotechnic(m)}
	if !r.Required {
		return Route{}
	}
	r.Examiner = Who(m, prev)
	r.Fee = cfg.FeeOn(at, r.Examiner)
	return r
}

// Required reports whether the measure calls for a medical check:
//   - a suspension of more than one month, or any suspension for alcohol
//     or drugs (R224-22; arrêté du 31 juillet 2012 art. 1 2°);
//   - an annulment or an invalidation, before a new licence (R224-22,
//     arrêté art. 1 1° a);
//   - the first issue and each renewal of a heavy category (R221-10 II,
//     R221-11);
//   - a declared condition of the arrêté du 28 mars 2022 list (R226-1 2°).
func Required(m Measure) bool {
	switch m.Kind {
	case Suspension:
		return m.Months > 1 || linkedToAlcoholOrDrugs(m.Cause)
	case Annulment, Invalidation, HeavyRenewal, DeclaredCondition:
		return true
	}
	return false
}

// followUp reports whether a previous temporary, restrictive or negative
// opinion calls for a new check at the end of its validity (arrêté du
// 31 juillet 2012 art. 5 III).
func followUp(prev *Previous) bool {
	return prev != nil && prev.Outcome != Fit
}

// Who picks the examiner (arrêté du 31 juillet 2012 art. 5):
//   - the commission for measures linked to alcohol or drugs (L234-1,
//     L234-8, L235-1, L235-3; art. 1 1° a and 2° a), for annulments under
//     code pénal 221-6-1, 222-19-1, 222-20-1 (art. 1 1° b), and to follow up
//     its own temporary, restrictive or negative opinion (art. 5 III);
//   - otherwise an approved doctor (art. 5 II).
func Who(m Measure, prev *Previous) Examiner {
	switch {
	case (m.Kind == Suspension || m.Kind == Annulment || m.Kind == Invalidation) && linkedToAlcoholOrDrugs(m.Cause):
		return Commission
	case m.Kind == Annulment && m.Cause == HomicideInjury:
		return Commission
	case prev != nil && prev.By == Commission && prev.Outcome != Fit:
		return Commission
	}
	return ApprovedDoctor
}

// Psychotechnic reports whether a psychotechnic test must come before the
// opinion: after an invalidation, an annulment, or a suspension of six
// months or more (R224-21, R224-22).
func Psychotechnic(m Measure) bool {
	switch m.Kind {
	case Invalidation, Annulment:
		return true
	case Suspension:
		return m.Months >= 6
	}
	return false
}

func linkedToAlcoholOrDrugs(c Cause) bool { return c == Alcohol || c == Drugs }
