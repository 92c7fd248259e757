package points

import (
	"testing"

	"permis/internal/date"
)

// The probation and invalidation rules as the Code de la route writes them
// (issue 11): R223-1 as written by décret 2018-715, L223-1, L223-5, L223-6.

func trained(obtained string, p Probation, training string) Licence {
	l := probation(obtained, p)
	l.ComplementaryTraining = date.Some(d(training))
	return l
}

func notice(id, notified string) Notice { return Notice{ID: id, Notified: d(notified)} }

func withMeasure(o Offence, m Measure) Offence { o.Measure = m; return o }

// R223-1 II: "Si le titulaire du permis de conduire a bénéficié de
// l'apprentissage anticipé de la conduite … et a suivi la formation
// complémentaire, le délai probatoire de deux ans est réduit de six mois et
// le permis de conduire est majoré de trois points au terme de la première
// année du délai probatoire ainsi réduit. Au terme du délai probatoire
// réduit, le nombre de points affectés au permis est égal au nombre maximal."
func TestAACTrainingThreeThenTwelve_R223_1_II(t *testing.T) {
	lic := trained("2019-04-02", ProbationAAC, "2019-11-15")
	runRules(t, []ruleCase{
		{
			name: "6 during the first year", licence: lic, at: "2020-04-01", balance: 6, ceiling: 6, valid: true,
			movements: "", letters: "", upcoming: "2020-04-02 +3=9 probation; 2020-10-02 +3=12 probation", probEnd: "2020-10-02",
		},
		{
			name: "+3 at 12 months: 9, not 12", licence: lic, at: "2020-04-02", balance: 9, ceiling: 9, valid: true,
			movements: "2020-04-02 +3=9 probation", letters: "", upcoming: "2020-10-02 +3=12 probation", probEnd: "2020-10-02",
		},
		{
			name: "still 9 the day before 18 months", licence: lic, at: "2020-10-01", balance: 9, ceiling: 9, valid: true,
			movements: "2020-04-02 +3=9 probation", letters: "", upcoming: "-",
		},
		{
			name: "12 at 18 months, the end of the shortened probation", licence: lic, at: "2020-10-02", balance: 12, ceiling: 12, valid: true,
			movements: "2020-04-02 +3=9 probation; 2020-10-02 +3=12 probation", letters: "", upcoming: "",
		},
	})
}

// R223-1 II: the yearly increase comes "si aucune infraction ayant donné
// lieu à retrait de points n'a été commise depuis le début de la période
// probatoire"; R223-1 III: during the probation the licence holds at most
// six points "augmenté de la majoration résultant de l'application du II",
// i.e. of the increases actually granted; R223-1 IV: after an offence the
// maximum comes back "dans les conditions définies à l'article L. 223-6".
func TestProbationCeilingFrozenByOffence_R223_1_III(t *testing.T) {
	std := probation("2019-04-02", ProbationStandard)
	runRules(t, []ruleCase{
		{
			name: "2-point offence in month 3, course in month 17: 6, not 8", licence: std,
			offences: []Offence{off("o1", "2019-07-01", "2019-08-01", 2, Class3)},
			courses:  []Course{course("c1", "2020-09-01")},
			at:       "2020-10-01", balance: 6, ceiling: 6, valid: true,
			movements: "2019-08-01 -2=4 offence o1; 2020-09-02 +2=6 course c1", letters: "2019-08-01 48 o1",
			upcoming: "2022-04-02 +6=12 recovery_full o1",
		},
		{
			name: "offence in year 2: the year-1 increase stays, no later one (ceiling 8)", licence: std,
			offences: []Offence{off("o1", "2020-06-01", "2020-07-01", 2, Class3)},
			courses:  []Course{course("c1", "2020-09-01")},
			at:       "2021-05-01", balance: 8, ceiling: 8, valid: true,
			movements: "2020-04-02 +2=8 probation; 2020-07-01 -2=6 offence o1; 2020-09-02 +2=8 course c1", letters: "2020-07-01 48 o1",
			upcoming: "2022-07-01 +4=12 recovery_full o1", // the 2 years end after the probation: no top-up on 2022-04-02
		},
		{
			name: "a 6-month recovery stops at the frozen ceiling too", licence: std,
			offences: []Offence{off("o1", "2020-06-01", "2020-07-01", 1, Class3)},
			at:       "2021-05-01", balance: 8, ceiling: 8, valid: true,
			movements: "2020-04-02 +2=8 probation; 2020-07-01 -1=7 offence o1; 2021-01-01 +1=8 recovery_6m o1", letters: "-",
			upcoming: "2022-07-01 +4=12 recovery_full o1",
		},
		{
			name: "end of the probation before the 3-year period has run: no top-up (L223-6)", licence: std,
			offences: []Offence{off("o1", "2021-10-01", "2021-11-01", 3, Class4)},
			at:       "2022-05-01", balance: 7, ceiling: 12, valid: true,
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +2=10 probation; 2021-11-01 -3=7 offence o1",
			letters:   "2021-11-01 48N o1", upcoming: "2024-11-01 +5=12 recovery_full o1",
		},
	})
}

// L223-1 al. 2: "Le délai probatoire est en outre réduit pour le titulaire
// d'un premier permis de conduire qui se soumet à une formation
// complémentaire et ne commet durant ce délai aucune infraction ayant donné
// lieu à retrait de points ou ayant entraîné une mesure de restriction ou de
// suspension du droit de conduire." Otherwise the ordinary period applies.
func TestShortenedProbationLost_L223_1(t *testing.T) {
	ct := trained("2019-04-02", ProbationStandard, "2019-12-01")
	again := ct
	again.Reobtained = true
	runRules(t, []ruleCase{
		{
			name: "1-point offence in month 14, 3-point offence in month 29: still a probationer, 48N", licence: ct,
			offences: []Offence{off("o1", "2020-06-01", "2020-07-01", 1, Class3), off("o2", "2021-09-01", "2021-10-01", 3, Class4)},
			at:       "2021-10-02", balance: 5, ceiling: 8, valid: true, probEnd: "2022-04-02",
			movements: "2020-04-02 +2=8 probation; 2020-07-01 -1=7 offence o1; 2021-01-01 +1=8 recovery_6m o1; 2021-10-01 -3=5 offence o2",
			letters:   "2020-07-01 48 o1; 2021-10-01 48N o2", upcoming: "2024-10-01 +7=12 recovery_full o2",
		},
		{
			name: "without offence the training shortens the probation to 2 years", licence: ct,
			at: "2021-04-02", balance: 12, ceiling: 12, valid: true, probEnd: "2021-04-02",
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +4=12 probation", letters: "", upcoming: "",
		},
		{
			name: "a licence obtained again after an invalidation is not a first licence: 3 years", licence: again,
			at: "2021-04-02", balance: 10, ceiling: 10, valid: true, probEnd: "2022-04-02",
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +2=10 probation", letters: "", upcoming: "2022-04-02 +2=12 probation",
		},
		{
			name: "an offence without points that led to a suspension ends the shortening; growth goes on", licence: ct,
			offences: []Offence{withMeasure(off("s1", "2019-11-01", "2019-12-15", 0, Class4), MeasureSuspension)},
			at:       "2021-04-02", balance: 10, ceiling: 10, valid: true, probEnd: "2022-04-02",
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +2=10 probation", letters: "", upcoming: "2022-04-02 +2=12 probation",
		},
		{
			name: "an offence committed the day before the shortened end counts", licence: ct,
			offences: []Offence{off("o1", "2021-04-01", "2021-05-01", 2, Class3)},
			at:       "2021-05-02", balance: 6, ceiling: 8, valid: true, probEnd: "2022-04-02",
			movements: "2020-04-02 +2=8 probation; 2021-05-01 -2=6 offence o1", letters: "2021-05-01 48 o1",
			upcoming: "2023-05-01 +6=12 recovery_full o1",
		},
		{
			name: "an offence committed on the day the shortened probation ends does not", licence: ct,
			offences: []Offence{off("o1", "2021-04-02", "2021-05-01", 2, Class3)},
			at:       "2021-05-02", balance: 10, ceiling: 12, valid: true, probEnd: "2021-04-02",
			movements: "2020-04-02 +2=8 probation; 2021-04-02 +4=12 probation; 2021-05-01 -2=10 offence o1", letters: "2021-05-01 48 o1",
			upcoming: "2023-05-01 +2=12 recovery_full o1",
		},
		{
			name: "AAC + training lost by an offence: the AAC period of 2 years applies", licence: trained("2019-04-02", ProbationAAC, "2019-11-15"),
			offences: []Offence{off("o1", "2020-07-01", "2020-08-01", 3, Class4)},
			at:       "2020-12-01", balance: 6, ceiling: 9, valid: true, probEnd: "2021-04-02",
			movements: "2020-04-02 +3=9 probation; 2020-08-01 -3=6 offence o1", letters: "2020-08-01 48N o1", upcoming: "-",
		},
	})
}

// L223-5 and REFERENCE §3.6: the invalidation takes effect when the 48SI
// letter is notified; until then the licence is still valid at zero points,
// and a course completed before the notification gives points back.
func TestCourseBeforeNotification_L223_5(t *testing.T) {
	lic := full("2000-01-01")
	twoDelits := []Offence{off("a", "2020-01-01", "2020-02-01", 6, Delit), off("b", "2020-03-01", "2020-04-01", 6, Delit)}
	runRules(t, []ruleCase{
		{
			name: "a course at zero, before the 48SI is notified, gives points back", licence: lic,
			offences: twoDelits, courses: []Course{course("c1", "2020-04-15")}, notices: []Notice{notice("n1", "2020-04-20")},
			at: "2020-05-01", balance: 4, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b; 2020-04-16 +4=4 course c1",
			letters:   "2020-02-01 48M a; 2020-04-01 48SI b", upcoming: "2023-04-01 +8=12 recovery_full b",
		},
		{
			name: "a notification dated after at is not known yet: the zero balance dates the invalidation", licence: lic,
			offences: twoDelits, notices: []Notice{notice("n1", "2020-04-20")},
			at: "2020-04-19", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b", letters: "-", upcoming: "",
		},
		{
			name: "invalid from the day of the notification", licence: lic,
			offences: twoDelits, notices: []Notice{notice("n1", "2020-04-20")},
			at: "2020-04-20", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b", letters: "-", upcoming: "",
		},
		{
			name: "a course ending on the day of the notification comes too late", licence: lic,
			offences: twoDelits, courses: []Course{course("c1", "2020-04-20")}, notices: []Notice{notice("n1", "2020-04-20")},
			at: "2020-05-01", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b", letters: "-", upcoming: "",
		},
		{
			name: "a course ending the day before is credited that day", licence: lic,
			offences: twoDelits, courses: []Course{course("c1", "2020-04-19")}, notices: []Notice{notice("n1", "2020-04-20")},
			at: "2020-05-01", balance: 4, ceiling: 12, valid: true,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b; 2020-04-20 +4=4 course c1", letters: "-", upcoming: "-",
		},
		{
			name: "without a known notification the zero balance dates the invalidation, as before", licence: lic,
			offences: twoDelits, courses: []Course{course("c1", "2020-04-15")},
			at: "2020-05-01", balance: 0, ceiling: 12, valid: false,
			movements: "2020-02-01 -6=6 offence a; 2020-04-01 -6=0 offence b", letters: "-", upcoming: "",
		},
	})
	res, err := DefaultRules().Replay(Ledger{Licence: lic, Offences: twoDelits, Notices: []Notice{notice("n1", "2020-04-20")}}, d("2020-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.InvalidSince.Valid || res.InvalidSince.Date != d("2020-04-20") {
		t.Errorf("invalid since %v, want the day of the notification 2020-04-20", res.InvalidSince)
	}
}

// L223-6 al. 3: "en cas de commission d'une infraction ayant entraîné le
// retrait d'un point, ce point est réattribué au terme du délai de six mois
// …, si le titulaire du permis de conduire n'a pas commis, dans cet
// intervalle, une infraction ayant donné lieu à un nouveau retrait de
// points." Any 1-point withdrawal; only an offence committed within the six
// months blocks it (Conseil d'État, 4 December 2017, n° 402423: an offence
// committed before, established during the six months, does not).
func TestSixMonthRecoveryAnyOnePoint_L223_6(t *testing.T) {
	lic := full("2000-01-01")
	runRules(t, []ruleCase{
		{
			name: "a 1-point offence committed together with a 3-point one: its point comes back", licence: lic,
			offences: []Offence{
				occ(off("a", "2024-01-05", "2024-01-20", 1, Class3), "k1"),
				occ(off("b", "2024-01-05", "2024-01-20", 3, Class4), "k1"),
			},
			at: "2024-07-20", balance: 9, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence a; 2024-01-20 -3=8 offence b; 2024-07-20 +1=9 recovery_6m a", letters: "-",
			upcoming: "2027-01-20 +3=12 recovery_full b",
		},
		{
			name: "an offence committed before the six months, established during them, does not block (CE n° 402423)", licence: lic,
			offences: []Offence{off("a", "2024-01-05", "2024-01-20", 1, Class3), off("b", "2024-01-10", "2024-03-01", 2, Class3)},
			at:       "2024-07-20", balance: 10, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence a; 2024-03-01 -2=9 offence b; 2024-07-20 +1=10 recovery_6m a", letters: "-",
			upcoming: "2026-03-01 +2=12 recovery_full b",
		},
		{
			name: "an offence committed within the six months blocks it", licence: lic,
			offences: []Offence{off("a", "2024-01-05", "2024-01-20", 1, Class3), off("b", "2024-07-19", "2024-08-01", 2, Class3)},
			at:       "2024-08-01", balance: 9, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence a; 2024-08-01 -2=9 offence b", letters: "-",
			upcoming: "2026-08-01 +3=12 recovery_full b",
		},
		{
			name: "two 1-point offences of one occasion: each point comes back", licence: lic,
			offences: []Offence{
				occ(off("a", "2024-01-05", "2024-01-20", 1, Class3), "k1"),
				occ(off("b", "2024-01-05", "2024-01-20", 1, Class3), "k1"),
			},
			at: "2024-07-20", balance: 12, ceiling: 12, valid: true,
			movements: "2024-01-20 -1=11 offence a; 2024-01-20 -1=10 offence b; 2024-07-20 +1=11 recovery_6m a; 2024-07-20 +1=12 recovery_6m b",
			letters:   "-", upcoming: "",
		},
	})
}
