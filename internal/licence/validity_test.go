package licence

import (
	"testing"

	"permis/internal/date"
)

// REFERENCE §2.2 (R221-11): light groups 15 years; heavy groups 5 years
// under 60, 2 years from 60 to 75, 1 year from 76, by age at issue.
func TestAdministrativeEnd(t *testing.T) {
	r := DefaultValidityRules()
	tests := []struct {
		name         string
		cat          Category
		issued, born string
		want         string
	}{
		{"B, 15 years", CategoryB, "2013-09-16", "1990-01-01", "2028-09-16"},
		{"A2, 15 years even at 80", CategoryA2, "2020-03-01", "1940-01-01", "2035-03-01"},
		{"AM, light", CategoryAM, "2020-03-01", "2005-01-01", "2035-03-01"},
		{"C at 59, 5 years", CategoryC, "2020-03-01", "1960-03-02", "2025-03-01"},
		{"C on the 60th birthday, 2 years", CategoryC, "2020-03-01", "1960-03-01", "2022-03-01"},
		{"D at 75, 2 years", CategoryD, "2020-03-01", "1944-06-01", "2022-03-01"},
		{"D1E on the 76th birthday, 1 year", CategoryD1E, "2020-03-01", "1944-03-01", "2021-03-01"},
		{"CE at 80, 1 year", CategoryCE, "2020-03-01", "1940-01-01", "2021-03-01"},
		{"issued on 29 February", CategoryB, "2024-02-29", "1990-01-01", "2039-02-28"},
	}
	for _, tt := range tests {
		if got := r.AdministrativeEnd(tt.cat, d(tt.issued), d(tt.born)); got != d(tt.want) {
			t.Errorf("%s: AdministrativeEnd = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// Configuration may override the figures (§2.2, dated: re-check before going live).
func TestValidityRulesOverride(t *testing.T) {
	r := DefaultValidityRules()
	r.LightYears, r.HeavyYears = 10, 3
	if got := r.AdministrativeEnd(CategoryB, d("2020-01-01"), d("1990-01-01")); got != d("2030-01-01") {
		t.Errorf("light override: %s", got)
	}
	if got := r.AdministrativeEnd(CategoryC, d("2020-01-01"), d("1990-01-01")); got != d("2023-01-01") {
		t.Errorf("heavy override: %s", got)
	}
	if err := DefaultValidityRules().Validate(); err != nil {
		t.Errorf("default rules: %v", err)
	}
	bad := []ValidityRules{
		{LightYears: 0, HeavyYears: 5, SeniorFromAge: 60, HeavySeniorYears: 2, ElderFromAge: 76, HeavyElderYears: 1},
		{LightYears: 15, HeavyYears: 5, SeniorFromAge: 76, HeavySeniorYears: 2, ElderFromAge: 60, HeavyElderYears: 1},
	}
	for _, b := range bad {
		if err := b.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", b)
		}
	}
}

// §2.2: the effective end is the earlier of the administrative end and the
// medical limit; §3.8: a heavy category expires when its medical date passes.
func TestCategoryEntryValidity(t *testing.T) {
	r := DefaultValidityRules()
	born := d("1970-01-01")
	tests := []struct {
		name    string
		entry   CategoryEntry
		on      string
		valid   bool
		expired bool
		effEnd  date.Null
	}{
		{"C before medical date", r.Entry(CategoryC, d("2015-01-01"), d("2020-01-01"), born, some("2022-06-30")), "2022-06-30", true, false, some("2022-06-30")},
		{"C after medical date", r.Entry(CategoryC, d("2015-01-01"), d("2020-01-01"), born, some("2022-06-30")), "2022-07-01", false, true, some("2022-06-30")},
		{"medical later than card", r.Entry(CategoryC, d("2015-01-01"), d("2020-01-01"), born, some("2030-01-01")), "2025-01-02", false, true, some("2025-01-01")},
		{"B no medical", r.Entry(CategoryB, d("2015-01-01"), d("2020-01-01"), born, date.Null{}), "2035-01-01", true, false, some("2035-01-01")},
		{"not yet obtained", r.Entry(CategoryB, d("2015-01-01"), d("2020-01-01"), born, date.Null{}), "2014-12-31", false, false, some("2035-01-01")},
		{"pink licence, no end", CategoryEntry{Category: CategoryB, Obtained: d("1995-01-01")}, "2030-01-01", true, false, date.Null{}},
		{"only a medical limit", CategoryEntry{Category: CategoryB, Obtained: d("1995-01-01"), MedicalUntil: some("2021-01-01")}, "2021-01-02", false, true, some("2021-01-01")},
	}
	for _, tt := range tests {
		on := d(tt.on)
		if got := tt.entry.ValidOn(on); got != tt.valid {
			t.Errorf("%s: ValidOn = %v, want %v", tt.name, got, tt.valid)
		}
		if got := tt.entry.Expired(on); got != tt.expired {
			t.Errorf("%s: Expired = %v, want %v", tt.name, got, tt.expired)
		}
		if got := tt.entry.End(); got != tt.effEnd {
			t.Errorf("%s: End = %+v, want %+v", tt.name, got, tt.effEnd)
		}
	}
}

// §3.7–§3.8: driving needs a valid right and a valid category.
func TestLicenceCanDrive(t *testing.T) {
	l := Licence{
		State: StateValid,
		Categories: []CategoryEntry{
			{Category: CategoryB, Obtained: d("2000-01-01"), ValidUntil: some("2035-01-01")},
			{Category: CategoryC, Obtained: d("2005-01-01"), ValidUntil: some("2025-01-01"), MedicalUntil: some("2023-01-01")},
		},
	}
	on := d("2024-01-01")
	if !l.CanDrive(CategoryB, on) || l.CanDrive(CategoryC, on) || l.CanDrive(CategoryD, on) {
		t.Errorf("CanDrive on %s: B %v C %v D %v", on, l.CanDrive(CategoryB, on), l.CanDrive(CategoryC, on), l.CanDrive(CategoryD, on))
	}
	if got := l.ExpiredCategories(on); len(got) != 1 || got[0] != CategoryC {
		t.Errorf("ExpiredCategories = %v, want [C]", got)
	}
	l.State = StateSuspendedAdmin
	if l.CanDrive(CategoryB, on) {
		t.Error("CanDrive while suspended = true")
	}
}
