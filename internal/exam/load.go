package exam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// LoadConfig reads a deployment's figures file (`permis serve --exam-rules
// FILE`, docs/exams.md "Figures in configuration") over DefaultConfig: one
// JSON object whose fields are the figures below, in snake_case; a field
// left out keeps today's value. An unknown field, a value that is not a
// whole number or one outside its bounds is an error naming the field, in
// French, and nothing is applied.
func LoadConfig(r io.Reader) (Config, error) {
	cfg := DefaultConfig()
	raw, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return cfg, fmt.Errorf("règles des examens : %w", err)
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil || m == nil {
		return DefaultConfig(), fmt.Errorf("règles des examens : un objet JSON est attendu")
	}
	if dec.More() {
		return DefaultConfig(), fmt.Errorf("règles des examens : un seul objet JSON est attendu")
	}
	fields := cfg.fields()
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		i := slices.IndexFunc(fields, func(f configField) bool { return f.name == name })
		if i < 0 {
			return DefaultConfig(), fmt.Errorf("règles des examens : champ inconnu « %s »", name)
		}
		f := fields[i]
		var v int
		if err := json.Unmarshal(m[name], &v); err != nil {
			return DefaultConfig(), fmt.Errorf("règles des examens : %s : un nombre entier est attendu", name)
		}
		if v < f.min || v > f.max {
			return DefaultConfig(), fmt.Errorf("règles des examens : %s : %d hors limites (%d à %d)", name, v, f.min, f.max)
		}
		*f.dst = v
	}
	if cfg.JDCFromAge >= cfg.JDCUntilAge {
		return DefaultConfig(), fmt.Errorf("règles des examens : jdc_from_age doit être inférieur à jdc_until_age")
	}
	return cfg, nil
}

// configField is one figure of the file: its name and its bounds.
type configField struct {
	name     string
	dst      *int
	min, max int
}

// fields lists the figures a file may set, with bounds that rule out the
// impossible (a delay of 0, an age of 200), not the unwise.
func (c *Config) fields() []configField {
	return []configField{
		{"registration_age", &c.RegistrationAge, 14, 30},
		{"aac_registration_age", &c.AACRegistrationAge, 14, 30},
		{"jdc_from_age", &c.JDCFromAge, 14, 30},
		{"jdc_until_age", &c.JDCUntilAge, 15, 40},
		{"jdc_aac_exempt_until", &c.JDCAACExemptUntil, 14, 30},
		{"road_safety_under_age", &c.RoadSafetyUnderAge, 14, 99},
		{"road_safety_am_born_from", &c.RoadSafetyAMBornFrom, 1900, 2100},
		{"adult_age", &c.AdultAge, 16, 21},
		{"address_proof_months", &c.AddressProofMonths, 1, 24},
		{"invalidation_wait_months", &c.InvalidationWaitMonths, 1, 120},
		{"repeat_invalidation_wait_months", &c.RepeatInvalidationWaitMonths, 1, 120},
		{"repeat_invalidation_years", &c.RepeatInvalidationYears, 1, 20},
		{"theory_only_held_years", &c.TheoryOnlyHeldYears, 1, 50},
		{"theory_only_ban_under_months", &c.TheoryOnlyBanUnderMonths, 1, 120},
		{"theory_only_within_months", &c.TheoryOnlyWithinMonths, 1, 120},
		{"theory_validity_years", &c.TheoryValidityYears, 1, 20},
		{"theory_validity_attempts", &c.TheoryValidityAttempts, 1, 20},
		{"training_hours_manual", &c.TrainingHoursManual, 1, 200},
		{"training_hours_automatic", &c.TrainingHoursAutomatic, 1, 200},
		{"companion_licence_years", &c.CompanionLicenceYears, 1, 50},
		{"no_show_block_days", &c.NoShowBlockDays, 1, 366},
		{"late_cancel_days", &c.LateCancelDays, 1, 90},
		{"certificate_validity_months", &c.CertificateValidityMonths, 1, 24},
	}
}
