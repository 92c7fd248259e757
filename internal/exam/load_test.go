package exam

import (
	"reflect"
	"strings"
	"testing"
)

// A deployment changes the figures the law changes without a new binary
// (issue 14: "delays and limits in configuration"): a field left out keeps
// the value in force; bad files are refused whole, naming the field.
func TestLoadConfig(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       func(*Config) // the change from DefaultConfig; nil when refused
		err        string
	}{
		{"empty object: the law in force", `{}`, func(*Config) {}, ""},
		{"RdvPermis block shortened by a new arrêté", `{"no_show_block_days": 30}`, func(c *Config) { c.NoShowBlockDays = 30 }, ""},
		{"CEPC validity and late cancellation", `{"certificate_validity_months": 6, "late_cancel_days": 10}`,
			func(c *Config) { c.CertificateValidityMonths, c.LateCancelDays = 6, 10 }, ""},
		{"L223-5 II waits", `{"invalidation_wait_months": 6, "repeat_invalidation_wait_months": 12, "repeat_invalidation_years": 5}`,
			func(*Config) {}, ""},
		{"unknown field", `{"no_show_days": 30}`, nil, "champ inconnu « no_show_days »"},
		{"not a whole number", `{"no_show_block_days": "40"}`, nil, "no_show_block_days : un nombre entier est attendu"},
		{"fraction", `{"training_hours_manual": 20.5}`, nil, "training_hours_manual : un nombre entier est attendu"},
		{"zero delay", `{"late_cancel_days": 0}`, nil, "late_cancel_days : 0 hors limites (1 à 90)"},
		{"impossible age", `{"registration_age": 200}`, nil, "registration_age : 200 hors limites"},
		{"JDC bounds crossed", `{"jdc_from_age": 26}`, nil, "jdc_from_age doit être inférieur à jdc_until_age"},
		{"an array", `[]`, nil, "un objet JSON est attendu"},
		{"two objects", `{} {}`, nil, "un seul objet JSON est attendu"},
		{"not JSON", `no_show_block_days = 30`, nil, "un objet JSON est attendu"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := LoadConfig(strings.NewReader(c.file))
			if c.want == nil {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("LoadConfig = %v; want an error containing %q", err, c.err)
				}
				if got != DefaultConfig() {
					t.Errorf("a refused file changed the figures: %+v", got)
				}
				return
			}
			want := DefaultConfig()
			c.want(&want)
			if err != nil || got != want {
				t.Fatalf("LoadConfig = %+v, %v; want %+v", got, err, want)
			}
		})
	}
}

// Every figure of Config can be set from the file: a field added to Config
// without its name in fields() fails here.
func TestLoadConfigCoversEveryFigure(t *testing.T) {
	var c Config
	set := map[*int]bool{}
	for _, f := range c.fields() {
		set[f.dst] = true
	}
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		if p := v.Field(i).Addr().Interface().(*int); !set[p] {
			t.Errorf("Config.%s cannot be set from the figures file", v.Type().Field(i).Name)
		}
	}
}
