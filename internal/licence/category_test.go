package licence

import "testing"

// REFERENCE §2.1: minimum ages (R221-5), B at 17 since 1 January 2024.
func TestMinimumAge(t *testing.T) {
	tests := []struct {
		cat  Category
		on   string
		want int
	}{
		{CategoryAM, "2024-06-01", 14},
		{CategoryA1, "2024-06-01", 16},
		{CategoryA2, "2024-06-01", 18},
		{CategoryA, "2024-06-01", 20},
		{CategoryB1, "2024-06-01", 16},
		{CategoryB, "2023-12-31", 18}, // before décret 2023-1214
		{CategoryB, "2024-01-01", 17},
		{CategoryBE, "2024-06-01", 18},
		{CategoryC1, "2024-06-01", 18},
		{CategoryC1E, "2024-06-01", 18},
		{CategoryC, "2024-06-01", 21},
		{CategoryCE, "2024-06-01", 21},
		{CategoryD1, "2024-06-01", 21},
		{CategoryD1E, "2024-06-01", 21},
		{CategoryD, "2024-06-01", 24},
		{CategoryDE, "2024-06-01", 24},
		{"Z", "2024-06-01", 0},
	}
	for _, tt := range tests {
		if got := tt.cat.MinimumAge(d(tt.on)); got != tt.want {
			t.Errorf("%s.MinimumAge(%s) = %d, want %d", tt.cat, tt.on, got, tt.want)
		}
	}
}

// §2.1: a person born on 2006-06-15 is 17 on 2023-12-31 and on 2024-01-01.
func TestOldEnough(t *testing.T) {
	born := d("2006-06-15")
	tests := []struct {
		cat  Category
		on   string
		want bool
	}{
		{CategoryB, "2023-12-31", false}, // 17, but 18 required then
		{CategoryB, "2024-01-01", true},  // 17 suffices from then
		{CategoryB, "2023-06-14", false},
		{CategoryA2, "2024-06-14", false},
		{CategoryA2, "2024-06-15", true},
		{"Z", "2050-01-01", false},
	}
	for _, tt := range tests {
		if got := tt.cat.OldEnough(born, d(tt.on)); got != tt.want {
			t.Errorf("%s.OldEnough(%s) = %v, want %v", tt.cat, tt.on, got, tt.want)
		}
	}
}

// §2.1 "Prerequisite", §2.2 "groupe lourd".
func TestCategoryProperties(t *testing.T) {
	tests := []struct {
		cat    Category
		heavy  bool
		prereq Category
		years  int
	}{
		{CategoryAM, false, "", 0},
		{CategoryA1, false, "", 0},
		{CategoryA2, false, "", 0},
		{CategoryA, false, CategoryA2, 2},
		{CategoryB1, false, "", 0},
		{CategoryB, false, "", 0},
		{CategoryBE, false, CategoryB, 0},
		{CategoryC1, true, CategoryB, 0},
		{CategoryC1E, true, CategoryC1, 0},
		{CategoryC, true, CategoryB, 0},
		{CategoryCE, true, CategoryC, 0},
		{CategoryD1, true, CategoryB, 0},
		{CategoryD1E, true, CategoryD1, 0},
		{CategoryD, true, CategoryB, 0},
		{CategoryDE, true, CategoryD, 0},
	}
	if len(tests) != len(Categories()) {
		t.Fatalf("table has %d categories, Categories() %d", len(tests), len(Categories()))
	}
	for _, tt := range tests {
		p, ok := tt.cat.Prerequisite()
		if tt.cat.Heavy() != tt.heavy || p != tt.prereq || ok != (tt.prereq != "") || tt.cat.PrerequisiteYears() != tt.years {
			t.Errorf("%s: heavy %v prereq %q,%v years %d", tt.cat, tt.cat.Heavy(), p, ok, tt.cat.PrerequisiteYears())
		}
	}
}

func TestParseCategory(t *testing.T) {
	for _, c := range Categories() {
		got, err := ParseCategory(" " + toLower(string(c)) + " ")
		if err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	for _, in := range []string{"", "E", "B96", "A3", "CD"} {
		_, err := ParseCategory(in)
		mustCheckErr(t, err, ErrCategory, "category", CodeUnknown, "n'est pas une catégorie")
	}
}

func TestMinimumAgeBefore1970(t *testing.T) {
	// Dates before 1970 are negative day counts: the undated rule must still apply.
	if got := CategoryB.MinimumAge(d("1965-03-01")); got != 18 {
		t.Fatalf("B in 1965: %d, want 18", got)
	}
	if !CategoryB.OldEnough(d("1940-01-01"), d("1960-01-01")) {
		t.Fatal("a 20-year-old in 1960 is old enough for B")
	}
}
