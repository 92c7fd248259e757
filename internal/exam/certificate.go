package exam

import "permis/internal/date"

// CertificateValidUntil returns the last day the exam certificate (CEPC)
// lets its holder drive in France: 4 months after the favourable
// practical exam (REFERENCE §6.3). After an annulment or invalidation the
// certificate runs from the day after the ban ends when that is later.
func CertificateValidUntil(passed date.Date, banEnds date.Null, cfg Config) date.Date {
	start := passed
	if banEnds.Valid && banEnds.Date.After(passed) {
		start = banEnds.Date
	}
	return start.AddMonths(cfg.CertificateValidityMonths).AddDays(-1)
}
