package points

import (
	"encoding/json"
	"fmt"
	"io"
)

// Rules holds every figure of the points law the engine applies. Amounts and
// delays that the law changes belong in configuration, not in constants:
// DefaultRules is the law as REFERENCE §3 states it, and LoadRules reads an
// override (permis --rules FILE, or PERMIS_POINTS_RULES).
type Rules struct {
	Maximum        int `json:"maximum"`          // 12 points (L223-1, §3.1)
	MaxPerOffence  int `json:"max_per_offence"`  // one offence costs at most 6 (§3.1)
	MaxPerOccasion int `json:"max_per_occasion"` // offences committed together cost at most 8 (§3.1)

	SingleRecoveryMonths int `json:"single_recovery_months"`  // a lone 1-point offence comes back after 6 months (§3.4)
	FullRecoveryYears    int `json:"full_recovery_years"`     // back to the ceiling after 2 years without offence (§3.4)
	SeriousRecoveryYears int `json:"serious_recovery_years"`  // 3 years when the file holds a délit or a class 4/5 offence (§3.4)
	TenYearRecoveryYears int `json:"ten_year_recovery_years"` // points of class 1–4 offences come back after 10 years (§3.4)

	CourseCredit        int `json:"course_credit"`         // +4 points (§3.5)
	CourseIntervalYears int `json:"course_interval_years"` // at most one course a year (§3.5)
	CourseDelayDays     int `json:"course_delay_days"`     // credited the day after the last day (§3.5)

	Letter48MBalance int `json:"letter_48m_balance"` // 48M when a withdrawal leaves this many points or fewer (§3.6)
	Letter48NPoints  int `json:"letter_48n_points"`  // 48N when a probationary licence loses this many points or more at once (§3.6)

	// Probation maps a path ("standard", "standard+training", "aac",
	// "aac+training") to its schedule (§3.1).
	Probation map[string]Schedule `json:"probation"`
}

// Schedule is how a probationary licence's ceiling grows: it starts at
// Initial and reaches each step's ceiling AfterMonths months after the
// licence was obtained; the probation ends EndMonths after.
type Schedule struct {
	Initial   int    `json:"initial"`
	Steps     []Step `json:"steps"`
	EndMonths int    `json:"end_months"`
}

// Step is one growth of the probationary ceiling.
type Step struct {
	AfterMonths int `json:"after_months"`
	Ceiling     int `json:"ceiling"`
}

// Schedule keys: the path, with "+training" when the complementary training
// was taken between the 6th and the 12th month (§3.1).
const trainingSuffix = "+training"

// DefaultRules returns the law as REFERENCE §3 states it: R223-1 as written
// by décret 2018-715 (in force 1 January 2019), L223-1, L223-5, L223-6.
// Re-check before going live.
func DefaultRules() *Rules {
	return &Rules{
		Maximum:              12,
		MaxPerOffence:        6,
		MaxPerOccasion:       8,
		SingleRecoveryMonths: 6,
		FullRecoveryYears:    2,
		SeriousRecoveryYears: 3,
		TenYearRecoveryYears: 10,
		CourseCredit:         4,
		CourseIntervalYears:  1,
		CourseDelayDays:      1,
		Letter48MBalance:     6,
		Letter48NPoints:      3,
		Probation: map[string]Schedule{
			// Traditional or supervised driving: +2 a year for 3 years.
			"standard": {Initial: 6, EndMonths: 36, Steps: []Step{{12, 8}, {24, 10}, {36, 12}}},
			// Traditional + complementary training: "réduit d'une année",
			// +2 at the end of the first year, 12 at the end (R223-1 II).
			"standard+training": {Initial: 6, EndMonths: 24, Steps: []Step{{12, 8}, {24, 12}}},
			// Early learning (AAC): +3 a year for 2 years (R223-1 II).
			"aac": {Initial: 6, EndMonths: 24, Steps: []Step{{12, 9}, {24, 12}}},
			// AAC + complementary training: "réduit de six mois et … majoré
			// de trois points au terme de la première année du délai
			// probatoire ainsi réduit", then the maximum at its end: 9 at 12
			// months, 12 at 18 months (R223-1 II, décret 2018-715).
			"aac+training": {Initial: 6, EndMonths: 18, Steps: []Step{{12, 9}, {18, 12}}},
		},
	}
}

// LoadRules reads rules as JSON. Fields left out keep their default value;
// unknown fields are refused, and the result is checked.
func LoadRules(r io.Reader) (*Rules, error) {
	rules := DefaultRules()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(rules); err != nil {
		return nil, fmt.Errorf("points rules: %w", err)
	}
	if err := rules.Check(); err != nil {
		return nil, err
	}
	return rules, nil
}

// Check verifies the rules are coherent, so a bad configuration fails at
// start-up rather than in a citizen's balance.
func (r *Rules) Check() error {
	positive := map[string]int{
		"maximum": r.Maximum, "max_per_offence": r.MaxPerOffence, "max_per_occasion": r.MaxPerOccasion,
		"single_recovery_months": r.SingleRecoveryMonths, "full_recovery_years": r.FullRecoveryYears,
		"serious_recovery_years": r.SeriousRecoveryYears, "ten_year_recovery_years": r.TenYearRecoveryYears,
		"course_credit": r.CourseCredit, "course_interval_years": r.CourseIntervalYears,
	}
	for name, v := range positive {
		if v <= 0 {
			return fmt.Errorf("points rules: %s must be positive, got %d", name, v)
		}
	}
	if r.CourseDelayDays < 0 {
		return fmt.Errorf("points rules: course_delay_days must not be negative")
	}
	for _, key := range []string{"standard", "standard+training", "aac", "aac+training"} {
		s, ok := r.Probation[key]
		if !ok {
			return fmt.Errorf("points rules: probation schedule %q is missing", key)
		}
		if s.Initial <= 0 || s.Initial > r.Maximum || s.EndMonths <= 0 {
			return fmt.Errorf("points rules: probation %q: initial must be 1–%d and end_months positive", key, r.Maximum)
		}
		prevM, prevC := 0, s.Initial
		for _, st := range s.Steps {
			if st.AfterMonths <= prevM || st.Ceiling < prevC || st.Ceiling > r.Maximum || st.AfterMonths > s.EndMonths {
				return fmt.Errorf("points rules: probation %q: steps must grow in months (≤ end_months) and in ceiling (≤ %d)", key, r.Maximum)
			}
			prevM, prevC = st.AfterMonths, st.Ceiling
		}
	}
	return nil
}
