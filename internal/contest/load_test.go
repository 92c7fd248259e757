package contest

import (
	"strings"
	"testing"
)

// A deployment changes a figure the law changes without a new build: the
// file sets what it names, the rest stays DefaultConfig; nonsense is
// refused with the field's name.
func TestLoadConfig(t *testing.T) {
	cfg, err := LoadConfig(strings.NewReader(`{"designation_days": 30, "non_designation": {"reduced": 500, "standard": 750, "increased": 2000}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.DesignationDays = 30
	want.NonDesignation = Amounts{Reduced: 500, Standard: 750, Increased: 2000}
	if cfg.DesignationDays != 30 || cfg.NonDesignation != want.NonDesignation || cfg.ExemptionDays != 45 || len(cfg.Payment) != 2 {
		t.Fatalf("LoadConfig = %+v", cfg)
	}
	for doc, field := range map[string]string{
		`{"claim_days": 0}`:     "claim_days",
		`{"exemption_day": 45}`: "exemption_day",
		`{"non_designation": {"reduced": 900, "standard": 675, "increased": 1875}}`: "non_designation",
		`{"payment": [{"rate": "minoree", "days": 15, "online_days": 30}]}`:         "payment[0]",
	} {
		if _, err := LoadConfig(strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("LoadConfig(%s) = %v, want an error naming %s", doc, err, field)
		}
	}
}
