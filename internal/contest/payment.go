package contest

import "permis/internal/date"

// Rate is the rate a notice is paid at.
type Rate string

// The rates of an amende forfaitaire (service-public F34207).
const (
	Reduced  Rate = "reduced"  // minorée
	Standard Rate = "standard" // forfaitaire
)

// PaymentPeriod is how long after the notice's sending it may be paid at a
// rate: Days by cheque, stamp or at a counter, OnlineDays online.
type PaymentPeriod struct {
	Rate       Rate
	Days       int
	OnlineDays int
}

// DefaultPaymentPeriods returns the periods in force: reduced rate within 15
// days (30 online), standard rate within 45 days (60 online) of the sending
// (service-public F34207; ANTAI). After that the notice becomes an AFM.
func DefaultPaymentPeriods() []PaymentPeriod {
	return []PaymentPeriod{
		{Rate: Reduced, Days: 15, OnlineDays: 30},
		{Rate: Standard, Days: 45, OnlineDays: 60},
	}
}

// LastPaymentDay returns the last day an avis de contravention can be paid
// at its standard rate online: the end of the standard period's online
// delay from the sending (45 days, 60 online: service-public F34207),
// moved to the next working day like every delay (CPP 801). Without a
// payment or a contest by then, the fine is increased of right (CPP 529-2
// al. 2): the notice becomes an amende forfaitaire majorée, sent again to
// the holder. An AFM has no later payment day here: it is due at its
// increased rate.
func LastPaymentDay(cfg Config, n Notice) date.Date {
	days := cfg.ExemptionDays
	for _, p := range cfg.Payment {
		if p.Rate == Standard {
			days = max(p.Days, p.OnlineDays)
		}
	}
	return WorkingDay(n.Sent.AddDays(days), cfg.Departement)
}

// Increased reports whether, on day, an unpaid and uncontested avis de
// contravention n has become an amende forfaitaire majorée (CPP 529-2
// al. 2): the day after LastPaymentDay. An AFM is already increased.
func Increased(cfg Config, n Notice, day date.Date) bool {
	return n.Kind == AFM || day.After(LastPaymentDay(cfg, n))
}
