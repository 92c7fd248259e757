package contest

import (
	"testing"

	"permis/internal/date"
)

// aco is the example notice: a 4th-class offence, €135, 1 point,
// sent on Monday 3 March 2025 to a private holder.
func aco() Notice {
	return Notice{Kind: ACO, Sent: date.MustParse("2025-03-03"), Mail: Ordinary, Class: "4", Fine: 135,
		Holder: Person, Committed: date.MustParse("2025-02-01"), Points: 1}
}

// afm is an increased fine of the same offence (€375), sent on Monday 2 June 2025.
func afm() Notice {
	n := aco()
	n.Kind, n.Sent, n.Fine = AFM, date.MustParse("2025-06-02"), 375
	return n
}

func sold(filed string) Contest {
	return Contest{Filed: date.MustParse(filed), Ground: Sold, Documents: []Document{SaleDeclaration, SaleAcknowledgement}}
}

func TestEvaluate(t *testing.T) {
	with := func(n Notice, f func(*Notice)) Notice { f(&n); return n }
	for _, tc := range []struct {
		law      string // the article or fiche that decides
		name     string
		notice   Notice
		contest  Contest
		reason   Reason
		deadline string
		deposit  int
		points   int
	}{
		{"CPP 529-2, 529-10 1°", "sold vehicle, both documents, filed on the 45th day", aco(), sold("2025-04-17"),
			OK, "2025-04-17", 0, 0},
		{"CPP 529-2", "filed on the 46th day", aco(), sold("2025-04-18"),
			Late, "2025-04-17", 0, 1},
		{"CPP 529-10 1°", "sold vehicle without the registration acknowledgement", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: Sold, Documents: []Document{SaleDeclaration}},
			DocumentsMissing, "2025-04-17", 0, 1},
		{"CPP 529-10 1°", "stolen vehicle with the complaint receipt", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: Stolen, Documents: []Document{TheftReport}},
			OK, "2025-04-17", 0, 0},
		{"CPP 529-10 1°, C. route L317-4-1", "usurped plate with the complaint receipt", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: UsurpedPlate, Documents: []Document{TheftReport}},
			OK, "2025-04-17", 0, 0},
		{"CPP 529-10 1°", "destroyed vehicle with a complaint receipt instead of the destruction declaration", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: Destroyed, Documents: []Document{TheftReport}},
			DocumentsMissing, "2025-04-17", 0, 1},
		{"CPP 529-10 2°, C. route L121-2", "another driver designated: the holder loses no point", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: OtherDriver, Documents: []Document{DriverDesignation}},
			OK, "2025-04-17", 0, 0},
		{"CPP 529-10 2°", "another driver, no designation", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: OtherDriver},
			DocumentsMissing, "2025-04-17", 0, 1},
		{"CPP 529-10 3°", "offence contested without the deposit: inadmissible, points withdrawn", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: ContestOffence},
			DepositMissing, "2025-04-17", 135, 1},
		{"CPP 529-10 3°", "offence contested with a deposit short of the fine", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: ContestOffence, Deposit: 90},
			DepositMissing, "2025-04-17", 135, 1},
		{"CPP 529-10 3°, C. route L223-1", "offence contested with the deposit: no point until the outcome", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: ContestOffence, Deposit: 135},
			OK, "2025-04-17", 135, 0},
		{"CPP 529, C. route L223-1", "the fine was paid: the offence is established", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: Sold, Documents: []Document{SaleDeclaration, SaleAcknowledgement},
				Paid: date.Some(date.MustParse("2025-03-10"))},
			AlreadyPaid, "2025-04-17", 0, 1},
		{"CPP 529", "paid and late: the payment is the reason", aco(),
			Contest{Filed: date.MustParse("2025-05-20"), Ground: Sold, Paid: date.Some(date.MustParse("2025-03-10"))},
			AlreadyPaid, "2025-04-17", 0, 1},
		{"C. route L121-2, L121-3", "a company pays: no point is withdrawn", with(aco(), func(n *Notice) { n.Holder = Company }),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: OtherDriver, Paid: date.Some(date.MustParse("2025-03-10"))},
			AlreadyPaid, "2025-04-17", 0, 0},
		{"C. route L121-6", "a company designates after 45 days: late, still no point", with(aco(), func(n *Notice) { n.Holder = Company }),
			Contest{Filed: date.MustParse("2025-04-18"), Ground: OtherDriver, Documents: []Document{DriverDesignation}},
			Late, "2025-04-17", 0, 0},
		{"CPP 801", "45th day on Saturday 19 April 2025: Easter Sunday and Monday follow, Tuesday 22",
			with(aco(), func(n *Notice) { n.Sent = date.MustParse("2025-03-05") }), sold("2025-04-22"),
			OK, "2025-04-22", 0, 0},
		{"CPP 801", "45th day on 14 July 2025 (fête nationale)",
			with(aco(), func(n *Notice) { n.Sent = date.MustParse("2025-05-30") }), sold("2025-07-16"),
			Late, "2025-07-15", 0, 1},
		{"CPP 530", "réclamation against an AFM on the 30th day", afm(),
			Contest{Filed: date.MustParse("2025-07-02"), Ground: ContestOffence, Deposit: 375},
			OK, "2025-07-02", 375, 0},
		{"CPP 530, 529-10 3°", "réclamation contesting the offence: the deposit is the AFM's amount", afm(),
			Contest{Filed: date.MustParse("2025-06-20"), Ground: ContestOffence, Deposit: 135},
			DepositMissing, "2025-07-02", 375, 1},
		{"CPP 530", "AFM by ordinary mail: 31st day is late", afm(),
			Contest{Filed: date.MustParse("2025-07-03"), Ground: Sold, Documents: []Document{SaleDeclaration, SaleAcknowledgement}},
			Late, "2025-07-02", 0, 1},
		{"CPP 530", "AFM by registered letter to the registration's address: 3 months",
			with(afm(), func(n *Notice) { n.Mail = Registered }),
			Contest{Filed: date.MustParse("2025-08-20"), Ground: Sold, Documents: []Document{SaleDeclaration, SaleAcknowledgement}},
			OK, "2025-09-02", 0, 0},
		{"CPP 530, 801", "3 months from 30 November end on Saturday 28 February 2026, extended to Monday",
			with(afm(), func(n *Notice) { n.Mail, n.Sent = Registered, date.MustParse("2025-11-30") }),
			Contest{Filed: date.MustParse("2026-03-02"), Ground: OtherDriver, Documents: []Document{DriverDesignation}},
			OK, "2026-03-02", 0, 0},
		{"CPP 530-4, service-public F34207", "a payment delay was asked for the AFM: no réclamation", afm(),
			Contest{Filed: date.MustParse("2025-06-20"), Ground: ContestOffence, Deposit: 375, PaymentDelayRequested: true},
			PaymentDelayRequested, "2025-07-02", 375, 1},
		{"CPP 530-4", "the flag means nothing for an avis de contravention", aco(),
			Contest{Filed: date.MustParse("2025-03-20"), Ground: ContestOffence, Deposit: 135, PaymentDelayRequested: true},
			OK, "2025-04-17", 135, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Validate(tc.notice, tc.contest); err != nil {
				t.Fatalf("invalid case: %v", err)
			}
			got := Evaluate(DefaultConfig(), tc.notice, tc.contest)
			want := Decision{Admissible: tc.reason == OK, Reason: tc.reason, Deadline: date.MustParse(tc.deadline),
				DepositRequired: tc.deposit, PointsWithdrawn: tc.points}
			if got != want {
				t.Errorf("%s:\n got %+v\nwant %+v", tc.law, got, want)
			}
		})
	}
}

// TestConfigChangesTheFigures checks that the delays come from Config: a
// law that changed them would change the answer without touching the code.
func TestConfigChangesTheFigures(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ExemptionDays = 30
	if got := Deadline(cfg, aco()); got != date.MustParse("2025-04-02") {
		t.Errorf("deadline with a 30-day requête: %s, want 2025-04-02", got)
	}
	cfg = DefaultConfig()
	cfg.Departement = "67" // Alsace: Good Friday 18 April 2025 is a holiday
	n := aco()
	n.Sent = date.MustParse("2025-03-04") // 45th day: Friday 18 April 2025
	if got := Deadline(cfg, n); got != date.MustParse("2025-04-22") {
		t.Errorf("deadline in Bas-Rhin: %s, want 2025-04-22 (Good Friday, weekend, Easter Monday)", got)
	}
	if got := Deadline(DefaultConfig(), n); got != date.MustParse("2025-04-18") {
		t.Errorf("national deadline: %s, want 2025-04-18", got)
	}
}

// TestRequiredDocuments is the table of CPP 529-10.
func TestRequiredDocuments(t *testing.T) {
	for g, want := range map[Ground][]Document{
		Stolen:         {TheftReport},
		UsurpedPlate:   {TheftReport},
		Destroyed:      {DestructionDeclaration},
		Sold:           {SaleDeclaration, SaleAcknowledgement},
		OtherDriver:    {DriverDesignation},
		ContestOffence: nil,
	} {
		got := RequiredDocuments(g)
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", g, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", g, got, want)
			}
		}
	}
}

// TestPaymentPeriods: reduced 15 days (30 online), standard 45 (60 online),
// service-public F34207.
func TestPaymentPeriods(t *testing.T) {
	want := []PaymentPeriod{{Reduced, 15, 30}, {Standard, 45, 60}}
	got := DefaultConfig().Payment
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("payment periods %v, want %v", got, want)
	}
	if nd := DefaultConfig().NonDesignation; nd != (Amounts{Reduced: 450, Standard: 675, Increased: 1875}) {
		t.Errorf("non-designation fine (L121-6, 4th class × 5) %+v", nd)
	}
}

// TestIncreased: without payment or contest within 45 days (60 online,
// service-public F34207), the fine is increased of right (CPP 529-2 al. 2);
// the last day moves to the next working day (CPP 801).
func TestIncreased(t *testing.T) {
	cfg := DefaultConfig()
	for _, c := range []struct {
		name      string
		sent, day string
		kind      Kind
		want      bool
	}{
		{"day 60 online: still payable (F34207)", "2026-01-05", "2026-03-06", ACO, false},
		{"day 61: increased (CPP 529-2 al. 2)", "2026-01-05", "2026-03-07", ACO, true},
		{"the 60th day is a Saturday: payable until Monday (CPP 801)", "2026-01-06", "2026-03-09", ACO, false},
		{"the Tuesday after: increased", "2026-01-06", "2026-03-10", ACO, true},
		{"an AFM is increased from its sending", "2026-03-10", "2026-03-10", AFM, true},
		{"day 45: within the offline period too", "2026-01-05", "2026-02-19", ACO, false},
	} {
		n := Notice{Kind: c.kind, Sent: date.MustParse(c.sent), Mail: Ordinary}
		if got := Increased(cfg, n, date.MustParse(c.day)); got != c.want {
			t.Errorf("%s: Increased(sent %s, on %s) = %v, want %v (last payment day %s)", c.name, c.sent, c.day, got, c.want, LastPaymentDay(cfg, n))
		}
	}
}
