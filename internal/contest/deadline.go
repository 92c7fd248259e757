package contest

import (
	"time"

	"permis/internal/date"
	"permis/internal/holidays"
)

// Deadline returns the last day to contest notice n: 45 days from the
// sending of an avis de contravention (CPP 529-2), 30 days from the sending
// of an AFM (CPP 530), 3 months when the AFM was sent by registered letter
// to the address on the registration (CPP 530). A delay in days starts the
// day after the sending and ends on its last day at midnight; one that
// would end on a Saturday, a Sunday or a public holiday is extended to the
// next working day (CPP 801).
func Deadline(cfg Config, n Notice) date.Date {
	var last date.Date
	switch {
	case n.Kind == AFM && n.Mail == Registered:
		last = n.Sent.AddMonths(cfg.ClaimRegisteredMonths)
	case n.Kind == AFM:
		last = n.Sent.AddDays(cfg.ClaimDays)
	default:
		last = n.Sent.AddDays(cfg.ExemptionDays)
	}
	return WorkingDay(last, cfg.Departement)
}

// WorkingDay returns d, or the first day after it that is neither a
// Saturday, a Sunday nor a public holiday of departement (CPP 801; the
// holidays of Code du travail L3133-1, as Cass. crim. 10 May 2006,
// n° 05-86744, reads it).
func WorkingDay(d date.Date, departement string) date.Date {
	for {
		wd := d.Time().Weekday()
		_, holiday := holidays.Is(d, departement)
		if wd != time.Saturday && wd != time.Sunday && !holiday {
			return d
		}
		d = d.AddDays(1)
	}
}
