package requests

import (
	"errors"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/stamp"
)

// Rate is the amount of a fee, everywhere ("" Departement) or in one
// département, where it overrides the general amount.
type Rate struct {
	Key         FeeKey       `json:"key"`
	Departement string       `json:"departement,omitempty"` // "973" for French Guiana; "" everywhere
	Amount      stamp.Amount `json:"amount_cents"`
}

// Config holds the amounts and delays of requests that the law sets and
// changes. DefaultConfig is the law as REFERENCE states it; a configuration
// file may override it (check it with Validate).
type Config struct {
	// Fees are the stamp duties by key and département (§8).
	Fees []Rate `json:"fees"`
	// RoadSafetyUnderAge: the ASSR2/ASR is asked for a first category
	// obtained before this age (§9, décret 2018-795): 21.
	RoadSafetyUnderAge int `json:"road_safety_under_age"`
	// RoadSafetyAMBornFrom: category AM asks the ASSR1, ASSR2 or ASR of
	// people born in this year or later (§9): 1988.
	RoadSafetyAMBornFrom int `json:"road_safety_am_born_from"`
	// LossAttestationMonths: the attestation de perte lets the holder drive
	// for 2 months (§5, §6.3).
	LossAttestationMonths int `json:"loss_attestation_months"`
	// PsychotechnicSuspensionMonths: a suspension of at least 6 months
	// adds a psychotechnic test to the medical check (§10.1).
	PsychotechnicSuspensionMonths int `json:"psychotechnic_suspension_months"`
	// PostOfficeHoldDays: an undelivered title waits 15 days at the post
	// office, then goes back to the sender (§6.1).
	PostOfficeHoldDays int `json:"post_office_hold_days"`
	// Rights are the register's rules on the driving right; the medical
	// check after a suspension uses their MedicalAfterSuspensionMonths
	// (§3.7), so the two never disagree. Give the rules the register uses.
	Rights licence.RightRules `json:"-"`
}

// DefaultConfig returns the figures of REFERENCE §5–§10: €25 for a
// duplicate, €12.50 in French Guiana; ASSR2 before 21; attestation de perte
// 2 months; psychotechnic test from 6 months of suspension; 15 days at the
// post office; and the register's default rules on the right.
func DefaultConfig() Config {
	return Config{
		Fees: []Rate{
			{Key: FeeDuplicate, Amount: 2500},
			{Key: FeeDuplicate, Departement: "973", Amount: 1250},
		},
		RoadSafetyUnderAge:            21,
		RoadSafetyAMBornFrom:          1988,
		LossAttestationMonths:         2,
		PsychotechnicSuspensionMonths: 6,
		PostOfficeHoldDays:            15,
		Rights:                        licence.DefaultRightRules(),
	}
}

// Validate refuses a configuration that would make no sense or that lacks
// the amount of a fee the catalogue uses, so it fails at start-up.
func (c Config) Validate() error {
	for _, r := range c.Fees {
		if r.Key == "" || r.Amount <= 0 {
			return errors.New("demandes : chaque tarif doit avoir une clé et un montant positif")
		}
	}
	for _, t := range catalogue {
		if t.Stamp != Never {
			if _, ok := c.Fee(t.Fee, ""); !ok {
				return errors.New("demandes : aucun montant général pour le droit de timbre « " + string(t.Fee) + " »")
			}
		}
	}
	if c.RoadSafetyUnderAge <= 0 || c.RoadSafetyAMBornFrom <= 0 || c.LossAttestationMonths <= 0 || c.PsychotechnicSuspensionMonths <= 0 || c.PostOfficeHoldDays <= 0 {
		return errors.New("demandes : les âges et délais doivent être positifs")
	}
	return c.Rights.Validate()
}

// Fee returns the amount of the fee key for an applicant living in the
// département dep: the rate of that département if there is one, else the
// general rate. ok is false when the key has no rate.
func (c Config) Fee(key FeeKey, dep string) (amount stamp.Amount, ok bool) {
	for _, r := range c.Fees {
		if r.Key == key && r.Departement != "" && r.Departement == dep {
			return r.Amount, true
		}
	}
	for _, r := range c.Fees {
		if r.Key == key && r.Departement == "" {
			return r.Amount, true
		}
	}
	return 0, false
}

// LossAttestation is the attestation de perte a loss declaration gives: it
// lets the holder drive until ValidUntil, its last day (§5, §6.3).
type LossAttestation struct {
	Issued     date.Date
	ValidUntil date.Date
}

// LossAttestation returns the attestation issued on day issued: valid
// LossAttestationMonths, through the same day that many months later (or
// the last day of a shorter month).
func (c Config) LossAttestation(issued date.Date) LossAttestation {
	return LossAttestation{Issued: issued, ValidUntil: issued.AddMonths(c.LossAttestationMonths)}
}

// ValidOn reports whether the attestation lets its holder drive on day d.
func (a LossAttestation) ValidOn(d date.Date) bool {
	return !d.Before(a.Issued) && !d.After(a.ValidUntil)
}

// HeldUntil returns the last day a title held at the post office on day
// held may be collected there, before it goes back to the sender (§6.1).
func (c Config) HeldUntil(held date.Date) date.Date { return held.AddDays(c.PostOfficeHoldDays) }
