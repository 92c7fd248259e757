package contest

import (
	"encoding/json"
	"fmt"
	"io"
)

// fileConfig is the JSON form of Config: a deployment's figures file
// (`permis serve --contest-rules FILE`). A field left out keeps today's
// value (DefaultConfig).
type fileConfig struct {
	ExemptionDays         *int     `json:"exemption_days"`
	ClaimDays             *int     `json:"claim_days"`
	ClaimRegisteredMonths *int     `json:"claim_registered_months"`
	DesignationDays       *int     `json:"designation_days"`
	Departement           *string  `json:"departement"`
	NonDesignation        *amounts `json:"non_designation"`
	Payment               []period `json:"payment"`
}

type amounts struct {
	Reduced   int `json:"reduced"`
	Standard  int `json:"standard"`
	Increased int `json:"increased"`
}

type period struct {
	Rate       Rate `json:"rate"`
	Days       int  `json:"days"`
	OnlineDays int  `json:"online_days"`
}

// LoadConfig reads a figures file over DefaultConfig. Unknown fields and
// figures that cannot be (a delay of 0 days, a negative amount, a rate
// other than reduced or standard) are errors naming the field, in French.
func LoadConfig(r io.Reader) (Config, error) {
	cfg := DefaultConfig()
	var f fileConfig
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return cfg, fmt.Errorf("règles des contestations : %w", err)
	}
	days := []struct {
		name string
		v    *int
		dst  *int
	}{
		{"exemption_days", f.ExemptionDays, &cfg.ExemptionDays},
		{"claim_days", f.ClaimDays, &cfg.ClaimDays},
		{"claim_registered_months", f.ClaimRegisteredMonths, &cfg.ClaimRegisteredMonths},
		{"designation_days", f.DesignationDays, &cfg.DesignationDays},
	}
	for _, d := range days {
		if d.v == nil {
			continue
		}
		if *d.v <= 0 || *d.v > 366 {
			return cfg, fmt.Errorf("règles des contestations : %s : %d hors limites (1 à 366)", d.name, *d.v)
		}
		*d.dst = *d.v
	}
	if f.Departement != nil {
		cfg.Departement = *f.Departement
	}
	if a := f.NonDesignation; a != nil {
		if a.Reduced <= 0 || a.Standard < a.Reduced || a.Increased < a.Standard {
			return cfg, fmt.Errorf("règles des contestations : non_designation : il faut 0 < reduced ≤ standard ≤ increased")
		}
		cfg.NonDesignation = Amounts{Reduced: a.Reduced, Standard: a.Standard, Increased: a.Increased}
	}
	if f.Payment != nil {
		cfg.Payment = nil
		for i, p := range f.Payment {
			if (p.Rate != Reduced && p.Rate != Standard) || p.Days <= 0 || p.OnlineDays < p.Days {
				return cfg, fmt.Errorf("règles des contestations : payment[%d] : taux reduced ou standard, 0 < days ≤ online_days", i)
			}
			cfg.Payment = append(cfg.Payment, PaymentPeriod(p))
		}
	}
	return cfg, nil
}
