package points

import (
	"fmt"
	"strings"
	"testing"

	"permis/internal/date"
)

// Helpers to write ledgers the way the law reads.

var d = date.MustParse

func off(id, committed, established string, pts int, class Class) Offence {
	return Offence{ID: id, Committed: d(committed), Established: d(established), Points: pts, Class: class}
}

func occ(o Offence, occasion string) Offence { o.Occasion = occasion; return o }

func course(id, lastDay string) Course { return Course{ID: id, LastDay: d(lastDay)} }

func full(obtained string) Licence { return Licence{Obtained: d(obtained), Probation: ProbationNone} }

func probation(obtained string, p Probation) Licence {
	return Licence{Obtained: d(obtained), Probation: p}
}

// history renders movements compactly: "2020-02-01 -3=9 offence o1".
func history(ms []Movement) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %+d=%d %s", m.Date, m.Delta, m.Balance, m.Kind)
		if m.Ref != "" {
			b.WriteString(" " + m.Ref)
		}
	}
	return b.String()
}

func letters(ls []Letter) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s %s %s", l.Date, l.Type, l.Ref)
	}
	return strings.Join(parts, "; ")
}

type ruleCase struct {
	name      string
	licence   Licence
	offences  []Offence
	courses   []Course
	notices   []Notice
	at        string
	balance   int
	ceiling   int
	valid     bool
	movements string // "" means none
	letters   string // checked when not "-"
	upcoming  string // checked when not "-"
	probEnd   string // end of the probation, checked when not ""
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := DefaultRules().Replay(Ledger{Licence: tc.licence, Offences: tc.offences, Courses: tc.courses, Notices: tc.notices}, d(tc.at))
			if err != nil {
				t.Fatalf("Replay: %v", err)
			}
			if res.Balance != tc.balance || res.Ceiling != tc.ceiling || res.Valid != tc.valid {
				t.Errorf("balance/ceiling/valid = %d/%d/%v, want %d/%d/%v", res.Balance, res.Ceiling, res.Valid, tc.balance, tc.ceiling, tc.valid)
			}
			if got := history(res.Movements); got != tc.movements {
				t.Errorf("movements:\n got %s\nwant %s", got, tc.movements)
			}
			if tc.letters != "-" {
				if got := letters(res.Letters); got != tc.letters {
					t.Errorf("letters:\n got %s\nwant %s", got, tc.letters)
				}
			}
			if tc.probEnd != "" && (!res.ProbationEnd.Valid || res.ProbationEnd.Date != d(tc.probEnd)) {
				t.Errorf("probation end = %v, want %s", res.ProbationEnd, tc.probEnd)
			}
			if tc.upcoming != "-" {
				if got := history(res.Upcoming); got != tc.upcoming {
					t.Errorf("upcoming:\n got %s\nwant %s", got, tc.upcoming)
				}
			}
			// The balance is the sum of its movements from the initial capital.
			start := 12
			if tc.licence.Probation != ProbationNone {
				start = 6
			}
			for _, m := range res.Movements {
				start += m.Delta
				if start != m.Balance || m.Balance < 0 || m.Balance > 12 {
					t.Fatalf("movement %+v does not follow from the previous balance", m)
				}
			}
			if start != res.Balance {
				t.Errorf("sum of movements %d != balance %d", start, res.Balance)
			}
		})
	}
}

// §3.3: points leave on the day the offence is established (payment, AFM
// title, composition, final conviction), not on the day it was committed.
func TestWithdrawalAtEstablishedDate_3_3(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "committed but not yet established: nothing moves", licence: full("2005-01-01"),
			offences: []Offence{off("o1", "2024-01-10", "2024-03-01", 2, Class4)},
			at:       "2024-02-15", balance: 12, ceiling: 12, valid: true, movements: "", letters: "", upcoming: "",
		},
		{
			name: "established: withdrawn that day", licence: full("2005-01-01"),
			offences: []Offence{off("o1", "2024-01-10", "2024-03-01", 2, Class4)},
			at:       "2024-03-01", balance: 10, ceiling: 12, valid: true,
			movements: "2024-03-01 -2=10 offence o1", letters: "2024-03-01 48 o1",
			upcoming: "2027-03-01 +2=12 recovery_full o1",
		},
	})
}

// §3.1: one offence costs at most 6 points; offences committed together at
// most 8.
func TestOccasionCap_3_1(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "two offences on one occasion: 6 + 4 capped at 8", licence: full("2000-01-01"),
			offences: []Offence{
				occ(off("a", "2023-05-01", "2023-06-01", 6, Delit), "k1"),
				occ(off("b", "2023-05-01", "2023-06-01", 4, Class4), "k1"),
			},
			at: "2023-06-02", balance: 4, ceiling: 12, valid: true,
			movements: "2023-06-01 -6=6 offence a; 2023-06-01 -2=4 offence b",
			letters:   "2023-06-01 48M a; 2023-06-01 48M b", upcoming: "2026-06-01 +8=12 recovery_full b",
		},
		{
			name: "the cap holds when the second offence is established later", licence: full("2000-01-01"),
			offences: []Offence{
				occ(off("a", "2023-05-01", "2023-06-01", 4, Class4), "k1"),
				occ(off("b", "2023-05-01", "2023-09-01", 6, Delit), "k1"),
			},
			at: "2023-09-02", balance: 4, ceiling: 12, valid: true,
			movements: "2023-06-01 -4=8 offence a; 2023-09-01 -4=4 offence b", letters: "-", upcoming: "-",
		},
		{
			name: "different occasions are not capped together", licence: full("2000-01-01"),
			offences: []Offence{
				occ(off("a", "2023-05-01", "2023-06-01", 6, Delit), "k1"),
				occ(off("b", "2023-05-02", "2023-06-01", 4, Class4), "k2"),
			},
			at: "2023-06-02", balance: 2, ceiling: 12, valid: true,
			movements: "2023-06-01 -6=6 offence a; 2023-06-01 -4=2 offence b", letters: "-", upcoming: "-",
		},
	})
}

func TestPointsOutOfRangeRefused_3_1(t *testing.T) {
	_, err := DefaultRules().Replay(Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "2020-01-01", "2020-02-01", 7, Class5)}}, d("2021-01-01"))
	if ie, ok := err.(*InputError); !ok || ie.Field != "points" || ie.EventID != "o" {
		t.Fatalf("7 points: err = %v, want an InputError on points", err)
	}
}

// §3.4, 6 months: the point of a lone 1-point offence comes back after six
// months without a new points offence.
func TestSixMonthRecovery_3_4(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "lone 1-point offence: back after 6 months", licence: full("2000-01-01"),
			offences: []Offence{off("o1", "2024-01-05", "2024-01-20", 1, Class3)},
			at:       "2024-08-01", balance: 12, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence o1; 2024-07-20 +1=12 recovery_6m o1", upcoming: "", letters: "-",
		},
		{
			name: "a new points offence committed within the 6 months keeps the point away", licence: full("2000-01-01"),
			offences: []Offence{
				off("o1", "2024-01-05", "2024-01-20", 1, Class3),
				off("o2", "2024-05-01", "2024-09-01", 2, Class3), // established after the 6 months: still interrupts
			},
			at: "2024-09-02", balance: 9, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence o1; 2024-09-01 -2=9 offence o2", letters: "-",
			upcoming: "2026-09-01 +3=12 recovery_full o2",
		},
		{
			name: "an offence without points does not interrupt", licence: full("2000-01-01"),
			offences: []Offence{off("o1", "2024-01-05", "2024-01-20", 1, Class3), off("z", "2024-03-01", "2024-03-10", 0, Class3)},
			at:       "2024-07-20", balance: 12, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence o1; 2024-07-20 +1=12 recovery_6m o1", letters: "-", upcoming: "",
		},
		{
			name: "a 2-point offence has no 6-month rule", licence: full("2000-01-01"),
			offences: []Offence{off("o1", "2024-01-05", "2024-01-20", 2, Class3)},
			at:       "2024-08-01", balance: 10, ceiling: 12, valid: true,
			movements: "2024-01-20 -2=10 offence o1", letters: "-", upcoming: "2026-01-20 +2=12 recovery_full o1",
		},
		{
			name: "31 August + 6 months ends on the last day of February", licence: full("2000-01-01"),
			offences: []Offence{off("o1", "2023-08-01", "2023-08-31", 1, Class3)},
			at:       "2024-03-01", balance: 12, ceiling: 12, valid: true,
			movements: "2023-08-31 -1=11 offence o1; 2024-02-29 +1=12 recovery_6m o1", letters: "-", upcoming: "",
		},
	})
}

// §3.4, 2 and 3 years: back to the ceiling when no new points offence is
// committed for 2 years after the last one was established, 3 years when
// the file holds a délit or a class 4/5 contravention.
func TestFullRecovery_3_4(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "class 3 only: 2 years", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 2, Class3), off("b", "2020-06-01", "2020-07-01", 3, Class3)},
			at:       "2022-07-01", balance: 12, ceiling: 12, valid: true,
			movements: "2020-02-01 -2=10 offence a; 2020-07-01 -3=7 offence b; 2022-07-01 +5=12 recovery_full b", letters: "-", upcoming: "",
		},
		{
			name: "a class 4 in the file: 3 years", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 4, Class4), off("b", "2020-06-01", "2020-07-01", 2, Class3)},
			at:       "2022-07-01", balance: 6, ceiling: 12, valid: true,
			movements: "2020-02-01 -4=8 offence a; 2020-07-01 -2=6 offence b", letters: "-",
			upcoming: "2023-07-01 +6=12 recovery_full b",
		},
		{
			name: "a délit: 3 years", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit)},
			at:       "2023-02-01", balance: 12, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a; 2023-02-01 +6=12 recovery_full a", letters: "2020-02-01 48M a", upcoming: "",
		},
		{
			name: "each establishment restarts the clock", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 2, Class3), off("b", "2021-12-01", "2022-01-10", 2, Class3)},
			at:       "2022-02-02", balance: 8, ceiling: 12, valid: true,
			movements: "2020-02-01 -2=10 offence a; 2022-01-10 -2=8 offence b", letters: "-",
			upcoming: "2024-01-10 +4=12 recovery_full b",
		},
		{
			name: "an offence committed before the deadline but established after it interrupts", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 2, Class3), off("b", "2022-01-20", "2022-03-01", 2, Class3)},
			at:       "2022-03-02", balance: 8, ceiling: 12, valid: true,
			movements: "2020-02-01 -2=10 offence a; 2022-03-01 -2=8 offence b", letters: "-",
			upcoming: "2024-03-01 +4=12 recovery_full b",
		},
		{
			name: "a full recovery closes the 10-year rule", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2010-01-01", "2010-02-01", 3, Class3)},
			at:       "2021-01-01", balance: 12, ceiling: 12, valid: true,
			movements: "2010-02-01 -3=9 offence a; 2012-02-01 +3=12 recovery_full a", letters: "-", upcoming: "",
		},
	})
}

// §3.4, 10 years: the points of each class 1–4 contravention come back ten
// years after its establishment, even when later offences keep the balance
// from a full recovery; a class 5 contravention or a délit never does.
func TestTenYearRecovery_3_4(t *testing.T) {
	var offences []Offence
	// A 3-point class 4 offence in 2010, then a 1-point class 3 offence every
	// 20 months, so that no 2- or 3-year clock ever completes.
	offences = append(offences, off("base", "2010-01-01", "2010-02-01", 3, Class4))
	offences = append(offences, occ(off("d5", "2010-01-02", "2010-02-01", 2, Class5), "x"))
	e := d("2011-06-01")
	for i := 0; i < 7; i++ {
		offences = append(offences, off(fmt.Sprintf("s%d", i), e.AddDays(-10).String(), e.String(), 1, Class3))
		e = e.AddMonths(20)
	}
	res, err := DefaultRules().Replay(Ledger{Licence: full("2000-01-01"), Offences: offences}, d("2020-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	var tenYear []Movement
	for _, m := range res.Movements {
		if m.Kind == KindRecovery10Y {
			tenYear = append(tenYear, m)
		}
		if m.Kind == KindRecoveryFull {
			t.Fatalf("no full recovery expected, got %+v", m)
		}
	}
	if len(tenYear) != 1 || tenYear[0].Ref != "base" || tenYear[0].Delta != 3 || tenYear[0].Date != d("2020-02-01") {
		t.Fatalf("10-year recoveries = %+v, want +3 for base on 2020-02-01 (and nothing for the class 5 d5)\n%s", tenYear, history(res.Movements))
	}
}

// §3.5: +4 the day after the last day, within the ceiling, once a year,
// never once the balance reached zero.
func TestCourse_3_5(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "credited the day after its last day", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit)},
			courses:  []Course{course("c1", "2020-12-02")},
			at:       "2020-12-03", balance: 10, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a; 2020-12-03 +4=10 course c1", letters: "-",
			upcoming: "2023-02-01 +2=12 recovery_full a",
		},
		{
			name: "not yet credited on its last day", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit)},
			courses:  []Course{course("c1", "2020-12-02")},
			at:       "2020-12-02", balance: 6, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a", letters: "-",
			upcoming: "2020-12-03 +4=10 course c1; 2023-02-01 +2=12 recovery_full a",
		},
		{
			name: "capped by the maximum", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 2, Class4)},
			courses:  []Course{course("c1", "2020-06-02")},
			at:       "2020-07-01", balance: 12, ceiling: 12, valid: true,
			movements: "2020-02-01 -2=10 offence a; 2020-06-03 +2=12 course c1", letters: "-", upcoming: "",
		},
		{
			name: "at most once a year: 1–2 Dec 2020 allows the next from 1 Dec 2021", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit), off("b", "2020-03-01", "2020-04-01", 4, Class4)},
			courses:  []Course{course("c1", "2020-12-02"), course("c2", "2021-12-01"), course("c3", "2021-12-02")},
			at:       "2022-01-01", balance: 10, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -4=2 offence b; 2020-12-03 +4=6 course c1; 2021-12-03 +4=10 course c3",
			letters:   "-", upcoming: "-",
		},
		{
			name: "no course after the balance hit zero", licence: full("2000-01-01"),
			offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit), off("b", "2020-03-01", "2020-04-01", 6, Delit)},
			courses:  []Course{course("c1", "2020-05-02")},
			at:       "2020-06-01", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b",
			letters:   "2020-02-01 48M a; 2020-04-01 48SI b", upcoming: "",
		},
		{
			name: "capped by the probationary ceiling in force", licence: probation("2021-01-10", ProbationStandard),
			offences: []Offence{off("a", "2022-03-01", "2022-04-01", 4, Class4)},
			courses:  []Course{course("c1", "2022-06-02")},
			at:       "2022-07-01", balance: 8, ceiling: 8, valid: true,
			movements: "2022-01-10 +2=8 probation; 2022-04-01 -4=4 offence a; 2022-06-03 +4=8 course c1",
			letters:   "2022-04-01 48N a", upcoming: "-",
		},
	})
}

// §3.1: a probationary licence starts at 6 and grows each year while no
// points offence has been committed since it was obtained.
func TestProbation_3_1(t *testing.T) {
	ct := probation("2019-04-02", ProbationStandard)
	ct.ComplementaryTraining = date.Some(d("2019-12-01"))
	aacCT := probation("2019-04-02", ProbationAAC)
	aacCT.ComplementaryTraining = date.Some(d("2019-11-15"))
	runRules(t, []ruleCase{
		{
			name: "standard: 6, 8, 10, 12 over three years", licence: probation("2019-04-02", ProbationStandard),
			at: "2022-04-02", balance: 12, ceiling: 12, valid: true,
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +2=10 probation; 2022-04-02 +2=12 probation", letters: "", upcoming: "",
		},
		{
			name: "standard: ceiling 6 in year one, upcoming growth shown", licence: probation("2019-04-02", ProbationStandard),
			at: "2019-10-01", balance: 6, ceiling: 6, valid: true, movements: "", letters: "",
			upcoming: "2020-04-02 +2=8 probation; 2021-04-02 +2=10 probation; 2022-04-02 +2=12 probation",
		},
		{
			name: "AAC: 6, 9, 12 over two years", licence: probation("2019-04-02", ProbationAAC),
			at: "2021-04-02", balance: 12, ceiling: 12, valid: true,
			movements: "2020-04-02 +3=9 probation; 2021-04-02 +3=12 probation", letters: "", upcoming: "",
		},
		{
			name: "standard + complementary training: +2 then +4, two years", licence: ct,
			at: "2021-04-02", balance: 12, ceiling: 12, valid: true,
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +4=12 probation", letters: "", upcoming: "",
		},
		{
			name: "AAC + complementary training: 9 after one year, 12 at 18 months (R223-1 II)", licence: aacCT,
			at: "2020-10-02", balance: 12, ceiling: 12, valid: true,
			movements: "2020-04-02 +3=9 probation; 2020-10-02 +3=12 probation", letters: "", upcoming: "",
		},
		{
			name: "an offence stops every later growth, even once its point is back; the ceiling stays 6 (R223-1 III)", licence: probation("2019-04-02", ProbationStandard),
			offences: []Offence{off("o1", "2019-06-01", "2019-07-01", 1, Class3)},
			at:       "2021-06-01", balance: 6, ceiling: 6, valid: true,
			movements: "2019-07-01 -1=5 offence o1; 2020-01-01 +1=6 recovery_6m o1", letters: "2019-07-01 48 o1",
			upcoming: "2022-04-02 +6=12 recovery_full o1",
		},
		{
			name: "the full recovery during probation returns to the frozen ceiling; at the end L223-6 gives 12 (R223-1 IV)", licence: probation("2019-04-02", ProbationStandard),
			offences: []Offence{off("o1", "2019-06-01", "2019-07-01", 2, Class3)},
			at:       "2022-05-01", balance: 12, ceiling: 12, valid: true,
			movements: "2019-07-01 -2=4 offence o1; 2021-07-01 +2=6 recovery_full o1; 2022-04-02 +6=12 recovery_full o1", letters: "2019-07-01 48 o1",
			upcoming: "",
		},
		{
			name: "6 points in year one empty the licence", licence: probation("2023-09-01", ProbationStandard),
			offences: []Offence{off("o1", "2024-01-01", "2024-02-01", 6, Delit)},
			at:       "2024-03-01", balance: 0, ceiling: 6, valid: false,
			movements: "2024-02-01 -6=0 offence o1", letters: "2024-02-01 48SI o1", upcoming: "",
		},
	})
}

// §3.6: one letter for each withdrawal.
func TestLetters_3_6(t *testing.T) {
	runRules(t, []ruleCase{
		{
			name: "48 above 6 points, 48M at 6 or below, 48SI at zero", licence: full("2000-01-01"),
			offences: []Offence{
				off("a", "2020-01-01", "2020-02-01", 4, Class4),
				off("b", "2020-02-01", "2020-03-01", 2, Class4),
				off("c", "2020-03-01", "2020-04-01", 6, Delit),
			},
			at: "2020-05-01", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -4=8 offence a; 2020-03-01 -2=6 offence b; 2020-04-01 -6=0 offence c",
			letters:   "2020-02-01 48 a; 2020-03-01 48M b; 2020-04-01 48SI c", upcoming: "",
		},
		{
			name: "48N for 3 points or more in probation; 48 below", licence: probation("2022-01-01", ProbationStandard),
			offences: []Offence{off("a", "2022-03-01", "2022-04-01", 2, Class3), off("b", "2022-05-01", "2022-06-01", 3, Class4)},
			at:       "2022-07-01", balance: 1, ceiling: 6, valid: true,
			movements: "2022-04-01 -2=4 offence a; 2022-06-01 -3=1 offence b",
			letters:   "2022-04-01 48 a; 2022-06-01 48N b", upcoming: "-",
		},
	})
}

func TestInvalidationStopsEverything_3_6(t *testing.T) {
	res, err := DefaultRules().Replay(Ledger{
		Licence:  full("2000-01-01"),
		Offences: []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit), off("b", "2020-01-02", "2020-02-01", 6, Delit), off("c", "2020-05-01", "2020-06-01", 2, Class3)},
	}, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid || res.Balance != 0 || !res.InvalidSince.Valid || res.InvalidSince.Date != d("2020-02-01") || len(res.Upcoming) != 0 || len(res.Movements) != 2 {
		t.Fatalf("got %+v", res)
	}
}

func TestValidateRefuses(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name  string
		l     Ledger
		field string
	}{
		{"unknown probation", Ledger{Licence: Licence{Obtained: d("2020-01-01"), Probation: "x"}}, "licence.probation"},
		{"training outside months 6–12", Ledger{Licence: Licence{Obtained: d("2020-01-01"), Probation: ProbationStandard, ComplementaryTraining: date.Some(d("2020-03-01"))}}, "licence.complementary_training"},
		{"training without probation", Ledger{Licence: Licence{Obtained: d("2020-01-01"), Probation: ProbationNone, ComplementaryTraining: date.Some(d("2020-08-01"))}}, "licence.complementary_training"},
		{"established before committed", Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "2020-02-01", "2020-01-01", 2, Class3)}}, "established"},
		{"negative points", Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "2020-01-01", "2020-01-01", -1, Class3)}}, "points"},
		{"unknown class", Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "2020-01-01", "2020-01-01", 1, "6")}}, "class"},
		{"before the licence", Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "1999-01-01", "2000-02-01", 1, Class3)}}, "committed"},
		{"duplicate id", Ledger{Licence: full("2000-01-01"), Offences: []Offence{off("o", "2020-01-01", "2020-01-01", 1, Class3)}, Courses: []Course{course("o", "2021-01-01")}}, "id"},
	}
	for _, tt := range tests {
		err := r.Validate(tt.l)
		ie, ok := err.(*InputError)
		if !ok || ie.Field != tt.field {
			t.Errorf("%s: err = %v, want an InputError on %s", tt.name, err, tt.field)
		}
	}
}
