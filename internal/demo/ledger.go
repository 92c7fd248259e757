package demo

import (
	"cmp"
	"slices"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// Ledger shape. Holders lose about 0.31 points a year (15 M points for
// 48 M holders, §14.2) at about 2 points an offence, so 0.155 offences a
// year, 56 % of them costing one point (§3.2). One-point offences (mostly
// small speeding caught by radar) are spread over all drivers and come back
// after 6 months; heavier ones are concentrated on a few habitual offenders,
// which is what keeps most holders at 11–12 points and ~1 % at zero. The
// major rate is raised by 30 % and the minor one lowered by 20 % to make up
// for the offences an invalidation cuts short. Measured on 200 000 licences:
// ~83 % at 11–12 (the ~7 % of probationary licences sit at 6–10), ~1.5 % at
// zero, ~62 % of offences on file cost one point.
const (
	offencesPerYear = 0.155
	ledgerYears     = 10 // older offences no longer weigh on the balance (§3.4)
	maxOffences     = 64 // per licence, the room event ids leave
	pairShare       = 0.06
)

// riskClass multiplies a holder's offence rate; the weighted mean factor of
// each table is about 1.
type riskClass struct {
	PerCent int
	Factor  float64
}

var (
	minorRisk = [...]riskClass{{70, 0.5}, {30, 2.15}}
	majorRisk = [...]riskClass{{92, 0.2}, {7, 4.0}, {1, 25}}
)

func drawRisk(classes []riskClass, r *rng) float64 {
	x := r.IntN(100)
	for _, rc := range classes {
		if x < rc.PerCent {
			return rc.Factor
		}
		x -= rc.PerCent
	}
	return 1
}

// ledger draws the offences and courses of rec's licence and sets the state
// of the right. Offences follow a Poisson process over the last ten years;
// each is established 1 to 4 months after it was committed, and only those
// established by today are on file. The points engine replays the ledger as
// it grows, to decide on courses (most often after a 48M or 48N) and on
// invalidation when the balance reaches zero.
func (g *Generator) ledger(rec *Record, i int, r *rng) {
	r.seed(g.cfg.Seed, i, streamLedger)
	share1 := float64(pointsLevels[0].PerMille) / 1000
	minor := 0.8 * offencesPerYear * share1 * drawRisk(minorRisk[:], r)
	major := 1.3 * offencesPerYear * (1 - share1) * drawRisk(majorRisk[:], r)
	if date.YearsBetween(rec.Person.BirthDate, g.cfg.Today) < 26 {
		major *= 1.4
	}
	ord := 0
	for round := 0; ; round++ {
		offs := g.drawOffences(i, &ord, rec.Licence.Obtained, minor, major, r)
		g.settle(rec, i, offs, r)
		if round == 2 || !g.reobtain(rec, r) {
			return
		}
	}
}

// drawOffences draws the offences committed since start (at most ten years
// back) and established by today, in established order. ord numbers them
// across calls so event ids stay unique.
func (g *Generator) drawOffences(i int, ord *int, obtained date.Date, minor, major float64, r *rng) []Offence {
	today := g.cfg.Today
	var offs []Offence
	rate := minor + major
	for t := max(obtained, today.AddYears(-ledgerYears)); *ord < maxOffences-1; {
		t = t.AddDays(1 + int(r.ExpFloat64()*365/rate))
		if t >= today {
			break
		}
		level := 1
		if r.Float64()*rate >= minor {
			level = g.drawMajorLevel(r)
		}
		est := t.AddDays(30 + r.IntN(45) + r.IntN(46))
		if est > today {
			continue
		}
		first := g.offence(i, *ord, level, t, est, r)
		*ord++
		offs = append(offs, first)
		if r.chance(pairShare) {
			second := g.offence(i, *ord, 1+r.IntN(3), t, est, r)
			*ord++
			occ := "OC" + first.ID[2:]
			offs[len(offs)-1].Occasion, second.Occasion = occ, occ
			offs = append(offs, second)
		}
	}
	slices.SortStableFunc(offs, func(a, b Offence) int { return cmp.Compare(a.Established, b.Established) })
	return offs
}

// reobtain lets most holders invalidated long enough ago pass the licence
// again (§3.6): the new licence keeps the NEPH, is probationary with code
// 105, and its ledger starts afresh (the points engine counts from the
// obtained date; the old withdrawals belong to the previous licence).
func (g *Generator) reobtain(rec *Record, r *rng) bool {
	today := g.cfg.Today
	l := &rec.Licence
	// Never in the last 6 months: FirstObtained promises import files that
	// any recent offence comes after the licence in force.
	from, to := l.StateUntil.Date.AddMonths(1), min(l.StateUntil.Date.AddMonths(12), today.AddMonths(-6))
	if l.State != licence.StateInvalidated || from > to || !r.chance(0.75) {
		return false
	}
	obtained := r.between(from, to)
	l.Obtained, l.State, l.StateSince, l.StateUntil = obtained, licence.StateValid, obtained, date.Null{}
	l.ComplementaryTraining = date.Null{}
	l.Probation = points.ProbationNone
	if obtained.After(today.AddYears(-3)) {
		l.Probation = points.ProbationStandard
	}
	// The new card carries only the current probation (code 105), not the
	// one of an earlier reinstatement.
	l.Restrictions = slices.DeleteFunc(l.Restrictions, func(r licence.Restriction) bool { return r.Code == "105" })
	l.Restrictions = append(l.Restrictions, licence.ProbationRestriction(obtained, obtained.AddYears(3)))
	rec.Offences, rec.Courses = nil, nil
	return true
}

// drawMajorLevel draws how many points an offence of 2 points or more
// costs, in the proportions of §3.2.
func (g *Generator) drawMajorLevel(r *rng) int {
	x := pointsLevels[0].PerMille + r.IntN(1000-pointsLevels[0].PerMille)
	for _, lv := range pointsLevels {
		if x < lv.PerMille {
			return lv.Points
		}
		x -= lv.PerMille
	}
	return 1
}

func (g *Generator) offence(i, n, pts int, committed, established date.Date, r *rng) Offence {
	lv := slices.IndexFunc(pointsLevels[:], func(l struct{ Points, PerMille int }) bool { return l.Points == pts })
	k := offenceKinds[g.kindIdx[lv][r.pick(g.kindCum[lv])]]
	return Offence{
		Offence: points.Offence{
			ID: eventID("PV", uint64(i)*64+uint64(n)), Committed: committed, Established: established,
			Points: k.Points, Class: k.Class,
		},
		Nature: k.Nature,
	}
}

// eventID writes prefix + 12 digits, the shape of the fines system's event
// numbers as we model them. Register events use serials below
// importSerialBase, import files serials from it up.
func eventID(prefix string, serial uint64) string {
	var b [14]byte
	out := append(b[:0], prefix...)
	for d := uint64(100_000_000_000); d > 0; d /= 10 {
		out = append(out, byte('0'+serial/d%10))
	}
	return string(out)
}

// settle adds the offences one by one in established order, replaying the
// ledger with the points engine where the balance may matter, and decides on
// courses and invalidation.
func (g *Generator) settle(rec *Record, i int, offs []Offence, r *rng) {
	today := g.cfg.Today
	led := rec.Ledger()
	if len(offs) == 0 && led.Licence.Probation == points.ProbationNone {
		rec.ExpectedBalance = g.rules.Maximum
		return
	}
	lost := 0
	lastCourse, zeroDay := date.Date(0), date.Date(0)
	kept := 0
	for k, o := range offs {
		led.Offences = append(led.Offences, o.Offence)
		kept++
		// Points lost in the last 3 years: below 6, a 12-point licence is
		// neither near a 48M nor at zero, and the replay can be spared.
		lost = 0
		for _, p := range offs[:k+1] {
			if p.Established.After(o.Established.AddYears(-3)) {
				lost += p.Points
			}
		}
		probation := led.Licence.Probation != points.ProbationNone && o.Established.Before(led.Licence.Obtained.AddYears(3))
		if lost < 6 && !probation {
			continue
		}
		res, err := g.rules.Replay(led, o.Established)
		if err != nil {
			panic("demo: generated ledger refused by the points engine: " + err.Error())
		}
		if !res.Valid || res.Balance == 0 {
			zeroDay = o.Established
			g.invalidate(rec, res, r)
			break
		}
		pCourse := 0.0
		switch {
		case probation && o.Points >= 3:
			pCourse = 0.8 // 48N: compulsory course
		case res.Balance <= 6:
			pCourse = 0.45 // 48M: invited
		case res.Balance <= 8:
			pCourse = 0.05
		}
		if pCourse > 0 && r.chance(pCourse) {
			last := o.Established.AddDays(15 + r.IntN(100))
			if last < today && (lastCourse == 0 || last.AddDays(-1) >= lastCourse.AddYears(1)) {
				led.Courses = append(led.Courses, points.Course{ID: eventID("ST", uint64(i)*64+uint64(len(led.Courses))), LastDay: last})
				lastCourse = last
			}
		}
	}
	rec.Offences = offs[:kept]
	if zeroDay != 0 {
		// The engine credits no course once the balance is nil: keep none.
		led.Courses = slices.DeleteFunc(led.Courses, func(c points.Course) bool { return c.LastDay >= zeroDay })
	}
	rec.Courses = led.Courses
	res, err := g.rules.Replay(led, today)
	if err != nil {
		panic("demo: generated ledger refused by the points engine: " + err.Error())
	}
	rec.ExpectedBalance = res.Balance
}

// invalidate records the 48SI: notified 3 to 8 weeks after the balance
// reached zero; until then the right stays valid (§3.6). The holder may not
// apply again for 6 months from handing the card in.
func (g *Generator) invalidate(rec *Record, res points.Result, r *rng) {
	notified := res.InvalidSince.Date.AddDays(20 + r.IntN(40))
	if notified > g.cfg.Today {
		return
	}
	l := &rec.Licence
	l.State, l.StateSince = licence.StateInvalidated, notified
	l.StateUntil = date.Some(notified.AddDays(10).AddMonths(6))
}
