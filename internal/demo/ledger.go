package demo

import (
	"cmp"
	"slices"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// Ledger shape. offencesPerYear is calibrated so that, with the 56 % share
// of one-point withdrawals, holders lose about 0.31 points a year (15 M
// points for 48 M holders, §14.2) and ~89 % sit at 11–12 points, ~1 % at
// zero. Offences are concentrated: most drivers have none, a few have many.
const (
	offencesPerYear = 0.16
	ledgerYears     = 10 // older offences no longer weigh on the balance (§3.4)
	maxOffences     = 60 // per licence; event ids leave room for 64
	pairShare       = 0.06
)

// riskClasses spread the offence rate between careful, average and
// habitual offenders; the weighted mean multiplier is 1.
var riskClasses = [...]struct {
	PerCent int
	Factor  float64
}{{55, 0.2}, {33, 1.2}, {12, 4.0}}

// ledger draws the offences and courses of rec's licence and sets the state
// of the right. Offences follow a Poisson process over the last ten years;
// each is established 1 to 4 months after it was committed, and only those
// established by today are on file. The points engine replays the ledger as
// it grows, to decide on courses (most often after a 48M or 48N) and on
// invalidation when the balance reaches zero.
func (g *Generator) ledger(rec *Record, i int, r *rng) {
	r.seed(g.cfg.Seed, i, streamLedger)
	today := g.cfg.Today
	l := &rec.Licence
	start := max(l.Obtained, today.AddYears(-ledgerYears))
	rate := offencesPerYear
	x := r.IntN(100)
	for _, rc := range riskClasses {
		if x < rc.PerCent {
			rate *= rc.Factor
			break
		}
		x -= rc.PerCent
	}
	if date.YearsBetween(rec.Person.BirthDate, today) < 26 {
		rate *= 1.4
	}
	var offs []Offence
	for t := start; len(offs) < maxOffences-1; {
		t = t.AddDays(1 + int(r.ExpFloat64()*365/rate))
		if t >= today {
			break
		}
		est := t.AddDays(30 + r.IntN(45) + r.IntN(46))
		if est > today {
			continue
		}
		first := g.offence(i, len(offs), g.drawLevel(r), t, est, r)
		offs = append(offs, first)
		if r.chance(pairShare) {
			second := g.offence(i, len(offs), 1+r.IntN(3), t, est, r)
			occ := "OC" + first.ID[2:]
			offs[len(offs)-1].Occasion, second.Occasion = occ, occ
			offs = append(offs, second)
		}
	}
	slices.SortStableFunc(offs, func(a, b Offence) int { return cmp.Compare(a.Established, b.Established) })
	g.settle(rec, i, offs, r)
}

// drawLevel draws how many points an offence costs (§3.2).
func (g *Generator) drawLevel(r *rng) int {
	x := r.IntN(1000)
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
	for _, o := range offs {
		led.Offences = append(led.Offences, o.Offence)
		kept++
		lost += o.Points
		probation := led.Licence.Probation != points.ProbationNone && o.Established.Before(led.Licence.Obtained.AddYears(3))
		if lost < 6 && !probation {
			continue // a 12-point licence cannot be in danger yet
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
