package contest

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
