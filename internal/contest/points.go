package contest

// PointsWithdrawn returns the points the registration holder loses if
// nothing else happens after the contest is decided admissible or not.
//
//   - A company loses none: it owes the fine's amount only (L121-2, L121-3),
//     and its representative must designate the driver (L121-6).
//   - An admissible contest withdraws none until its outcome: the deposit is
//     not a payment, and a réclamation cancels the AFM's title (CPP 530).
//   - Otherwise the offence becomes established — by the payment, by the
//     deposit kept as payment, or by the AFM's title — and the offence's
//     points are withdrawn (L223-1).
func PointsWithdrawn(n Notice, admissible bool) int {
	if n.Holder == Company || admissible {
		return 0
	}
	return n.Points
}
