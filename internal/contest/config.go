package contest

// Config holds the figures the law sets and may change: delays and amounts.
// DefaultConfig gives today's values; a deployment may override them.
type Config struct {
	// ExemptionDays is the delay of a requête en exonération from the
	// notice's sending (CPP 529-2 al. 1: 45 days).
	ExemptionDays int
	// ClaimDays is the delay of a réclamation against an AFM from its
	// sending (CPP 530: 30 days).
	ClaimDays int
	// ClaimRegisteredMonths is that delay when the AFM was sent by
	// registered letter to the registration's address (CPP 530: 3 months).
	ClaimRegisteredMonths int
	// DesignationDays is the delay a company's representative has to
	// designate the driver (L121-6: 45 days).
	DesignationDays int
	// Departement is the INSEE code whose public holidays extend a
	// deadline (CPP 801); "" is the national list.
	Departement string
	// Payment is the payment periods of a notice, from its sending.
	Payment []PaymentPeriod
	// NonDesignation is the fine of a company that does not designate
	// the driver (L121-6: a 4th-class contravention, × 5 for a legal person).
	NonDesignation Amounts
}

// Amounts is a fine at its three rates, in euros.
type Amounts struct {
	Reduced, Standard, Increased int
}

// DefaultConfig returns the figures in force (checked December 2026).
func DefaultConfig() Config {
	return Config{
		ExemptionDays:         45,
		ClaimDays:             30,
		ClaimRegisteredMonths: 3,
		DesignationDays:       45,
		Payment:               DefaultPaymentPeriods(),
		NonDesignation:        Amounts{Reduced: 450, Standard: 675, Increased: 1875},
	}
}
