package exam

// Config holds the figures the law sets and may change: ages, delays, hours
// and counts. DefaultConfig gives the values in force (checked December
// 2026, sources in docs/exams.md); a deployment may override them.
type Config struct {
	// RegistrationAge is the age from which one registers for the exam
	// of category B (SP F2825: 16); AACRegistrationAge with the
	// apprentissage anticipé de la conduite (arrêté du 22 décembre 2009,
	// titre I: 15).
	RegistrationAge, AACRegistrationAge int
	// JDCFromAge and JDCUntilAge bound the ages at which a French national
	// shows the JDC certificate on a first registration (Code du service
	// national L114-6: from 17, before 25). AAC candidates younger than
	// JDCAACExemptUntil are exempt.
	JDCFromAge, JDCUntilAge, JDCAACExemptUntil int
	// RoadSafetyUnderAge: the ASSR2 or ASR is needed for a first category
	// obtained before this age (R221-5, décret 2018-795: 21).
	RoadSafetyUnderAge int
	// RoadSafetyAMBornFrom: the ASSR1, ASSR2 or ASR is needed for AM by
	// people born this year or later (R211-2, REFERENCE §9: 1988).
	RoadSafetyAMBornFrom int
	// AdultAge: below it, a legal representative consents (Code civil 388, 414).
	AdultAge int
	// AddressProofMonths: a proof of address is at most this old (6).
	AddressProofMonths int

	// InvalidationWaitMonths: no new licence before this many months from
	// handing the card in (L223-5 II: 6); RepeatInvalidationWaitMonths
	// when another invalidation came within RepeatInvalidationYears (1
	// year, 5 years).
	InvalidationWaitMonths, RepeatInvalidationWaitMonths, RepeatInvalidationYears int
	// TheoryOnlyHeldYears, TheoryOnlyBanUnderMonths, TheoryOnlyWithinMonths:
	// the practical test is waived for a licence held this many years
	// when the ban is shorter than this and the new licence is asked
	// within this many months of the date it may be (R224-20 al. 2: 3
	// years, 1 year, 9 months).
	TheoryOnlyHeldYears, TheoryOnlyBanUnderMonths, TheoryOnlyWithinMonths int

	// TheoryValidityYears and TheoryValidityAttempts: a theory pass (ETG)
	// stays valid this many years and for this many practical attempts
	// (arrêté du 20 avril 2012; REFERENCE §15: 5 and 5).
	TheoryValidityYears, TheoryValidityAttempts int
	// TrainingHoursManual and TrainingHoursAutomatic: the minimum practical
	// training before the practical exam of category B at a school
	// (arrêté du 22 décembre 2009: 20 h; arrêté du 14 octobre 2016: 13 h on
	// an automatic gearbox).
	TrainingHoursManual, TrainingHoursAutomatic int
	// CompanionLicenceYears: the candidat libre's accompanying person has
	// held licence B this many years (SP F2825: 5).
	CompanionLicenceYears int
	// NoShowBlockDays: a place booked and not used, or cancelled late,
	// blocks a new booking for this many days (RdvPermis, arrêté du 27
	// avril 2021: 40).
	NoShowBlockDays int
	// LateCancelDays: a cancellation fewer than this many days before the
	// exam is late (our reading of RdvPermis practice: 7; see docs/exams.md).
	LateCancelDays int
	// CertificateValidityMonths: the CEPC lets its holder drive in France
	// this many months (arrêté du 20 avril 2012; REFERENCE §6.3: 4).
	CertificateValidityMonths int
}

// DefaultConfig returns the figures in force (checked December 2026).
func DefaultConfig() Config {
	return Config{
		RegistrationAge: 16, AACRegistrationAge: 15,
		JDCFromAge: 17, JDCUntilAge: 25, JDCAACExemptUntil: 18,
		RoadSafetyUnderAge: 21, RoadSafetyAMBornFrom: 1988,
		AdultAge: 18, AddressProofMonths: 6,
		InvalidationWaitMonths: 6, RepeatInvalidationWaitMonths: 12, RepeatInvalidationYears: 5,
		TheoryOnlyHeldYears: 3, TheoryOnlyBanUnderMonths: 12, TheoryOnlyWithinMonths: 9,
		TheoryValidityYears: 5, TheoryValidityAttempts: 5,
		TrainingHoursManual: 20, TrainingHoursAutomatic: 13,
		CompanionLicenceYears: 5,
		NoShowBlockDays:       40, LateCancelDays: 7,
		CertificateValidityMonths: 4,
	}
}
