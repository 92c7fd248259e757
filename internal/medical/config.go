package medical

import (
	"strconv"

	"permis/internal/date"
)

// Fee is an amount in euro cents.
type Fee int

// Euros returns the fee in euros.
func (f Fee) Euros() float64 { return float64(f) / 100 }

// MarshalJSON writes the fee in euros as a number with its decimals
// (50.0, 36.5): the contract's "fee".
func (f Fee) MarshalJSON() ([]byte, error) {
	if f%10 == 0 {
		return strconv.AppendFloat(nil, f.Euros(), 'f', 1, 64), nil
	}
	return strconv.AppendFloat(nil, f.Euros(), 'f', 2, 64), nil
}

// French writes the fee as people read it: "36 €", "36,50 €".
func (f Fee) French() string {
	s := strconv.Itoa(int(f) / 100)
	if c := int(f) % 100; c != 0 {
		s += "," + strconv.Itoa(c/10) + strconv.Itoa(c%10)
	}
	return s + "\u00a0€"
}

// Fees is the price of one consultation from a given day on. It is paid by
// the person and not reimbursed by the health insurance (R226-4).
type Fees struct {
	From           date.Date
	ApprovedDoctor Fee
	Commission     Fee // the whole commission (two doctors share it)
	Source         string
}

// Config holds the figures the law sets and changes.
type Config struct {
	// Fees is the schedule of consultation fees, oldest first. A day before
	// the first entry gets the first entry's figures.
	Fees []Fees
	// RemindBeforeMonths is how long before the end of a heavy category's
	// medical validity its holder is reminded (our choice: 3 months, the
	// time to find a doctor and have the préfecture decide).
	RemindBeforeMonths int
}

// DefaultConfig gives the figures in force, as checked on 6 December 2026
// (docs/medical.md, "Fees"):
//   - arrêté du 29 juin 2011: 33 € for both (the commission's two doctors
//     share it);
//   - arrêté du 1er février 2016 (JO of 20 February 2016) art. 1: 33 € for
//     an approved doctor, 46 € (2 C) for the commission;
//   - the same arrêté art. 2 indexes both on the consultation letter C: at
//     25 € from 1 May 2017, 36 € and 50 €.
func DefaultConfig() Config {
	return Config{
		Fees: []Fees{
			{From: date.MustParse("2011-07-01"), ApprovedDoctor: 3300, Commission: 3300, Source: "arrêté du 29 juin 2011"},
			{From: date.MustParse("2016-02-21"), ApprovedDoctor: 3300, Commission: 4600, Source: "arrêté du 1er février 2016, art. 1"},
			{From: date.MustParse("2017-05-01"), ApprovedDoctor: 3600, Commission: 5000, Source: "arrêté du 1er février 2016, art. 2 (C à 25 € au 1er mai 2017)"},
		},
		RemindBeforeMonths: 3,
	}
}

// FeesOn returns the fees in force on day at.
func (c Config) FeesOn(at date.Date) Fees {
	if len(c.Fees) == 0 {
		return Fees{}
	}
	f := c.Fees[0]
	for _, e := range c.Fees[1:] {
		if !e.From.After(at) {
			f = e
		}
	}
	return f
}

// FeeOn returns what one examiner's consultation costs on day at.
func (c Config) FeeOn(at date.Date, e Examiner) Fee {
	f := c.FeesOn(at)
	if e == Commission {
		return f.Commission
	}
	return f.ApprovedDoctor
}
