package demo

import (
	"fmt"
	"sort"
	"time"

	"permis/internal/date"
	"permis/internal/licence"
)

// slotMap turns the index of a synthetic licence into its registration
// month, desk and order number, which make its NEPH (§1.1: YY MM DD PP NNNN).
// The map is a bijection, so NEPHs are unique by construction:
//
//  1. an affine permutation p = (a·j + b) mod n of the synthetic index j
//     spreads the months over the register (index order is not date order);
//  2. p falls in a month through the cumulative month sizes, which follow
//     the age pyramid of holders;
//  3. the rank k within the month is dealt to the desks in proportion to
//     their weights: with k = q·W + k', r = (c·k' + o) mod W (c coprime
//     with W, o from the month) goes to the desk whose cumulative range
//     holds r, with order q·w + (r − start) + 1.
//
// Distinct p give distinct (month, desk, order), hence distinct NEPHs.
type slotMap struct {
	n          int
	a, b       uint64
	firstMonth int     // months since year 0 of the first registration month
	monthCum   []int64 // monthCum[m] is the first rank of month m; len = months+1
	deskStart  []int   // cumulative desk weights, start of each desk's range
	deskTotal  int
	deskMul    int // coprime with deskTotal
	oldSeed    uint64
}

func newSlotMap(seed uint64, n int, today date.Date) (*slotMap, error) {
	s := &slotMap{n: n, oldSeed: splitmix(seed ^ 0x4e455048)}
	if n > 0 {
		s.a = splitmix(seed)%uint64(n) | 1
		for gcd(s.a, uint64(n)) != 1 {
			s.a++
		}
		s.b = splitmix(seed+1) % uint64(n)
	}
	// Registrations run from 72 years ago (holders are at most 90 and
	// register at 15 or later) to 3 months ago (the licence comes after).
	ty, tm, _ := today.Civil()
	last := ty*12 + int(tm) - 1 - 3
	s.firstMonth = last - 72*12 + 1
	weights := make([]float64, last-s.firstMonth+1)
	total := 0.0
	for m := range weights {
		age := float64(last-(s.firstMonth+m)) / 12 // years since registration
		w := 1.0
		switch {
		case age < 5:
			w = 1.1 // more licences are issued now than in the 1980s
		case age > 50:
			w = 1 - 0.85*(age-50)/22 // mortality and giving up driving
		}
		weights[m] = w
		total += w
	}
	s.monthCum = make([]int64, len(weights)+1)
	acc := 0.0
	for m, w := range weights {
		acc += w
		s.monthCum[m+1] = int64(acc / total * float64(n))
	}
	s.monthCum[len(weights)] = int64(n)
	maxWeight := 0
	for _, d := range desks {
		s.deskStart = append(s.deskStart, s.deskTotal)
		s.deskTotal += d.Weight
		maxWeight = max(maxWeight, d.Weight)
	}
	s.deskMul = s.deskTotal*618/1000 | 1
	for gcd(uint64(s.deskMul), uint64(s.deskTotal)) != 1 {
		s.deskMul += 2
	}
	var biggest int64
	for m := range weights {
		biggest = max(biggest, s.monthCum[m+1]-s.monthCum[m])
	}
	if maxOrder := (biggest/int64(s.deskTotal) + 1) * int64(maxWeight); maxOrder > 9999 {
		return nil, fmt.Errorf("%w: %d licences need order numbers up to %d", ErrTooLarge, n, maxOrder)
	}
	return s, nil
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// slot is where a synthetic licence was registered.
type slot struct {
	year, month int // registration month
	desk        int // index in desks
	order       int // 1–9999
}

func (s *slotMap) slot(j int) slot {
	p := int64((s.a*uint64(j) + s.b) % uint64(s.n))
	m := sort.Search(len(s.monthCum)-1, func(m int) bool { return s.monthCum[m+1] > p })
	k := int(p - s.monthCum[m])
	// Within a block of deskTotal ranks, r = (mul·k + offset) mod deskTotal
	// is a bijection that spreads a small month over all the desks.
	q := k / s.deskTotal
	r := (s.deskMul*(k%s.deskTotal) + int(splitmix(uint64(m))%uint64(s.deskTotal))) % s.deskTotal
	d := sort.Search(len(s.deskStart), func(d int) bool { return s.deskStart[d] > r }) - 1
	order := q*desks[d].Weight + (r - s.deskStart[d]) + 1
	abs := s.firstMonth + m
	return slot{year: abs / 12, month: abs%12 + 1, desk: d, order: order}
}

// nephOf writes the NEPH of a slot. About one licence in a hundred
// registered before 1992 keeps an old shorter number (§1.1 says older
// dossier numbers exist): 11 digits with a one-digit office, or 10 digits
// without the office for office 10. Each form is injective on its own and
// the lengths differ, so uniqueness holds across forms.
func (s *slotMap) nephOf(j int, sl slot) licence.NEPH {
	d := desks[sl.desk]
	var b [12]byte
	out := b[:0]
	out = append2(out, sl.year%100)
	out = append2(out, sl.month)
	out = append(out, d.NEPHDept...)
	old := sl.year < 1992 && splitmix(s.oldSeed^uint64(j))%100 < 3
	switch {
	case old && d.Office == "10" && sl.order%2 == 0:
		// 10 digits: YY MM DD NNNN
	case old:
		out = append(out, d.Office[0]) // 11 digits: YY MM DD P NNNN
	default:
		out = append(out, d.Office...)
	}
	out = append4(out, sl.order)
	return licence.NEPH(out)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// core is the part of a licence derived cheaply from its index: enough for
// WriteOffencesNDJSON to aim at existing licences with plausible dates.
type core struct {
	neph       licence.NEPH
	desk       int
	registered date.Date
	obtained   date.Date
}

// NEPH returns the NEPH of licence i in constant time.
func (g *Generator) NEPH(i int) licence.NEPH {
	return g.core(i, newRNG()).neph
}

// FirstObtained returns the date licence i was first obtained, in constant
// time. A licence passed again after an invalidation has a later Obtained
// date in its record, but never within the 6 months before Today.
func (g *Generator) FirstObtained(i int) date.Date {
	return g.core(i, newRNG()).obtained
}

func (g *Generator) core(i int, r *rng) core {
	if i < len(demoPeople) {
		p := &demoPeople[i]
		return core{neph: p.NEPH, desk: p.desk, obtained: g.cfg.Today.AddMonths(-p.ObtainedMonthsAgo), registered: g.cfg.Today.AddMonths(-p.ObtainedMonthsAgo - 8)}
	}
	j := i - len(demoPeople)
	sl := g.slots.slot(j)
	r.seed(g.cfg.Seed, i, streamCore)
	first := date.Of(sl.year, time.Month(sl.month), 1)
	registered := first.AddDays(r.IntN(28))
	today := g.cfg.Today
	// Most candidates pass within 4 to 12 months of registering.
	obtained := registered.AddDays(60 + r.IntN(90) + r.IntN(90) + r.IntN(150))
	if obtained >= today {
		obtained = r.between(registered.AddDays(30), today.AddDays(-1))
	}
	return core{neph: g.slots.nephOf(j, sl), desk: sl.desk, registered: registered, obtained: obtained}
}
