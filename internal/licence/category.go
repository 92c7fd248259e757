package licence

import (
	"slices"
	"strings"

	"permis/internal/date"
)

// The licence categories (§2.1), in the order a card lists them.
const (
	CategoryAM  Category = "AM"
	CategoryA1  Category = "A1"
	CategoryA2  Category = "A2"
	CategoryA   Category = "A"
	CategoryB1  Category = "B1"
	CategoryB   Category = "B"
	CategoryBE  Category = "BE"
	CategoryC1  Category = "C1"
	CategoryC1E Category = "C1E"
	CategoryC   Category = "C"
	CategoryCE  Category = "CE"
	CategoryD1  Category = "D1"
	CategoryD1E Category = "D1E"
	CategoryD   Category = "D"
	CategoryDE  Category = "DE"
)

// Categories returns every category, in card order.
func Categories() []Category {
	return []Category{
		CategoryAM, CategoryA1, CategoryA2, CategoryA, CategoryB1, CategoryB, CategoryBE,
		CategoryC1, CategoryC1E, CategoryC, CategoryCE, CategoryD1, CategoryD1E, CategoryD, CategoryDE,
	}
}

// ParseCategory reads a category, ignoring case and surrounding spaces
// ("c1e" → C1E). An unknown one is a *CheckError of class ErrCategory.
func ParseCategory(s string) (Category, error) {
	c := Category(strings.ToUpper(strings.TrimSpace(s)))
	if !c.Valid() {
		return "", checkErr(ErrCategory, "category", CodeUnknown, 0,
			"%q n'est pas une catégorie (AM, A1, A2, A, B1, B, BE, C1, C1E, C, CE, D1, D1E, D, DE)", strings.TrimSpace(s))
	}
	return c, nil
}

// Valid reports whether c is one of the fifteen categories.
func (c Category) Valid() bool { return slices.Contains(Categories(), c) }

// String returns the category's name as printed on the card.
func (c Category) String() string { return string(c) }

// Heavy reports whether c belongs to the heavy group ("groupe lourd": C1,
// C1E, C, CE, D1, D1E, D, DE), whose validity is 5 years at most and needs
// a medical opinion (§2.2).
func (c Category) Heavy() bool {
	switch c {
	case CategoryC1, CategoryC1E, CategoryC, CategoryCE, CategoryD1, CategoryD1E, CategoryD, CategoryDE:
		return true
	}
	return false
}

// ageRule is a minimum age in force from a date (the zero From: always).
type ageRule struct {
	From date.Date
	Age  int
}

// minimumAges lists, per category, the general minimum ages of R221-5
// (§2.1), latest rule last. The professional-training exceptions (C at 18,
// D at 21 or 23…) are not modelled: they depend on a diploma, not on the
// category alone. A is 20 for a motorcycle (21 for a 3-wheeler over 15 kW).
var minimumAges = map[Category][]ageRule{
	CategoryAM:  {{Age: 14}},
	CategoryA1:  {{Age: 16}},
	CategoryA2:  {{Age: 18}},
	CategoryA:   {{Age: 20}},
	CategoryB1:  {{Age: 16}},
	CategoryB:   {{Age: 18}, {From: date.MustParse("2024-01-01"), Age: 17}}, // décret 2023-1214
	CategoryBE:  {{Age: 18}},
	CategoryC1:  {{Age: 18}},
	CategoryC1E: {{Age: 18}},
	CategoryC:   {{Age: 21}},
	CategoryCE:  {{Age: 21}},
	CategoryD1:  {{Age: 21}},
	CategoryD1E: {{Age: 21}},
	CategoryD:   {{Age: 24}},
	CategoryDE:  {{Age: 24}},
}

// MinimumAge returns the general minimum age for c on the given day
// (§2.1): B is 17 from 1 January 2024 and 18 before. It returns 0 for an
// unknown category.
func (c Category) MinimumAge(on date.Date) int {
	rules := minimumAges[c]
	if len(rules) == 0 {
		return 0
	}
	age := rules[0].Age // the first rule has no start: it applies to any date
	for _, r := range rules[1:] {
		if !on.Before(r.From) {
			age = r.Age
		}
	}
	return age
}

// OldEnough reports whether a person born on born has reached the minimum
// age for c on the given day.
func (c Category) OldEnough(born, on date.Date) bool {
	minAge := c.MinimumAge(on)
	return minAge > 0 && date.YearsBetween(born, on) >= minAge
}

// Prerequisite returns the category that must already be held before c can
// be obtained (§2.1): B for BE, C1, C, D1 and D; the solo category for a
// trailer category (C1 for C1E…); A2 for A, which is reached only through
// A2 held for PrerequisiteYears. ok is false when c has none.
func (c Category) Prerequisite() (prereq Category, ok bool) {
	switch c {
	case CategoryA:
		return CategoryA2, true
	case CategoryBE, CategoryC1, CategoryC, CategoryD1, CategoryD:
		return CategoryB, true
	case CategoryC1E:
		return CategoryC1, true
	case CategoryCE:
		return CategoryC, true
	case CategoryD1E:
		return CategoryD1, true
	case CategoryDE:
		return CategoryD, true
	}
	return "", false
}

// PrerequisiteYears is how long the prerequisite must have been held: 2
// years of A2 before A ("accès progressif", §2.1), 0 otherwise.
func (c Category) PrerequisiteYears() int {
	if c == CategoryA {
		return 2
	}
	return 0
}
