// Package demo generates a deterministic, realistic synthetic national
// register: persons, licences with their NEPH, categories and restrictions, a
// card each, and the points ledger (offences and courses). It feeds the demo
// (first start of `permis serve`), tests and benchmarks (`permis demo
// --licences 1000000`).
//
// Every licence is a pure function of (seed, size, today, index): the same
// configuration gives the same register byte for byte, records can be
// produced in any order or in parallel, and the NEPH of licence i is computed
// in constant time without generating the others (WriteOffencesNDJSON relies
// on it). Nothing here does I/O except the writers, which take an io.Writer.
//
// The figures the generator aims at come from REFERENCE §3 and §14.2: about
// 0.31 points withdrawn per holder per year, 56 % of withdrawals costing one
// point, ~89 % of holders at 11–12 points and ~1 % at zero.
package demo

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"runtime"
	"sync"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// Config is what decides a register. Two generators with equal configs
// produce the same records.
type Config struct {
	Seed     uint64
	Licences int       // number of licences (and persons), demo people included
	Today    date.Date // the reference day: nothing is dated after it
	Workers  int       // goroutines used by Generate; 0 means GOMAXPROCS. Does not change the output.
}

// Record is one generated licence with its holder, current card and ledger.
// Index is its position in the register, from 0; IDs are Index+1.
type Record struct {
	Index    int
	Person   licence.Person
	Licence  licence.Licence
	Title    licence.Title
	Offences []Offence
	Courses  []points.Course
	// ExpectedBalance is the balance on Today according to the generator's
	// own simplified model of §3.1–§3.5, used to shape the register. The
	// points engine, computing from the ledger, is the authority.
	ExpectedBalance int
}

// Offence is a ledger offence with the description the fines system sends.
type Offence struct {
	points.Offence
	Nature string
}

// Ledger returns the record's ledger in the form the points engine reads.
func (r *Record) Ledger() points.Ledger {
	l := points.Ledger{
		Licence: points.Licence{
			Obtained:              r.Licence.Obtained,
			Probation:             r.Licence.Probation,
			ComplementaryTraining: r.Licence.ComplementaryTraining,
		},
		Courses: r.Courses,
	}
	if len(r.Offences) > 0 {
		l.Offences = make([]points.Offence, len(r.Offences))
		for i, o := range r.Offences {
			l.Offences[i] = o.Offence
		}
	}
	return l
}

// Generator produces the register described by its Config. It is immutable
// after New and safe for concurrent use.
type Generator struct {
	cfg   Config
	slots *slotMap
	rules *points.Rules
	// pre-computed cumulative weights for the weighted draws
	communeCum     []int
	deskCommunes   [][]int // per desk, indexes of the communes of its département
	deskCommuneCum [][]int
	kindCum        [][]int // per points level, cumulative weights of offenceKinds
	kindIdx        [][]int
	titleA, titleB uint64 // affine permutation of card serials
}

// Errors returned by New.
var (
	ErrConfig   = errors.New("demo: invalid configuration")
	ErrTooLarge = errors.New("demo: register too large for the NEPH layout")
)

// New checks cfg and prepares the tables. It fails when Today is before 2000
// or the size does not fit the 4-digit NEPH order numbers (about 300 million
// licences).
func New(cfg Config) (*Generator, error) {
	if cfg.Licences < 0 {
		return nil, fmt.Errorf("%w: negative number of licences", ErrConfig)
	}
	if cfg.Today.Year() < 2000 || cfg.Today.Year() > 2090 {
		return nil, fmt.Errorf("%w: today %s is outside 2000–2090", ErrConfig, cfg.Today)
	}
	if cfg.Licences > maxLicences {
		return nil, fmt.Errorf("%w: %d licences, at most %d", ErrTooLarge, cfg.Licences, maxLicences)
	}
	g := &Generator{cfg: cfg, rules: points.DefaultRules()}
	synthetic := max(cfg.Licences-len(demoPeople), 0)
	sm, err := newSlotMap(cfg.Seed, synthetic, cfg.Today)
	if err != nil {
		return nil, err
	}
	g.slots = sm
	g.titleA = splitmix(cfg.Seed^0x5449544c45)%titleSerials | 1
	for gcd(g.titleA, titleSerials) != 1 {
		g.titleA += 2
	}
	g.titleB = splitmix(cfg.Seed^0x7469746c65) % titleSerials
	g.prepareTables()
	return g, nil
}

// maxLicences bounds the register so that title serials (26×26×100 000,
// minus the demo letters) and event ids stay unique.
const maxLicences = 60_000_000

func (g *Generator) prepareTables() {
	sum := 0
	for _, c := range communes {
		sum += c.Weight
		g.communeCum = append(g.communeCum, sum)
	}
	for _, d := range desks {
		var idx, cum []int
		s := 0
		for j, c := range communes {
			if c.Departement == d.Departement {
				s += c.Weight
				idx = append(idx, j)
				cum = append(cum, s)
			}
		}
		g.deskCommunes = append(g.deskCommunes, idx)
		g.deskCommuneCum = append(g.deskCommuneCum, cum)
	}
	for _, lv := range pointsLevels {
		var idx, cum []int
		s := 0
		for j, k := range offenceKinds {
			if k.Points == lv.Points {
				s += k.Weight
				idx = append(idx, j)
				cum = append(cum, s)
			}
		}
		g.kindIdx = append(g.kindIdx, idx)
		g.kindCum = append(g.kindCum, cum)
	}
}

// Len returns the number of licences in the register.
func (g *Generator) Len() int { return g.cfg.Licences }

// Today returns the reference day of the register.
func (g *Generator) Today() date.Date { return g.cfg.Today }

// Record returns licence i (0 ≤ i < Len) in full. It costs a few
// microseconds and does not depend on other records.
func (g *Generator) Record(i int) Record {
	var r Record
	g.fill(&r, i, newRNG())
	return r
}

// Generate calls fn with consecutive batches of at most batchSize records,
// in index order, until the register is complete or fn returns an error.
// The batch slice is reused: fn must copy what it keeps. Records are built
// on Workers goroutines; the output does not depend on their number.
func (g *Generator) Generate(batchSize int, fn func([]Record) error) error {
	return g.GenerateFrom(0, batchSize, fn)
}

// GenerateFrom is Generate starting at record from (0 ≤ from ≤ Len): the
// records are the same as Generate's from that index on, so a register
// whose first from records were stored can be completed (a build resumed
// after an interruption).
func (g *Generator) GenerateFrom(from, batchSize int, fn func([]Record) error) error {
	if batchSize <= 0 {
		batchSize = 1000
	}
	n := g.cfg.Licences
	if from < 0 || from > n {
		return fmt.Errorf("%w: start at record %d of %d", ErrConfig, from, n)
	}
	workers := g.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batches := (n - from + batchSize - 1) / batchSize
	if workers == 1 || batches <= 1 {
		buf := make([]Record, batchSize)
		rng := newRNG()
		for start := from; start < n; start += batchSize {
			b := buf[:min(batchSize, n-start)]
			for k := range b {
				g.fill(&b[k], start+k, rng)
			}
			if err := fn(b); err != nil {
				return err
			}
		}
		return nil
	}
	return g.generateParallel(from, batchSize, batches, workers, fn)
}

// generateParallel lets workers fill batch buffers round-robin while the
// caller's goroutine hands them to fn in order.
func (g *Generator) generateParallel(from, batchSize, batches, workers int, fn func([]Record) error) error {
	n := g.cfg.Licences
	type slot struct {
		buf   []Record
		ready chan struct{}
		free  chan struct{}
	}
	// Two buffers per worker: one being filled while fn reads another.
	slots := make([]slot, 2*workers)
	for k := range slots {
		slots[k] = slot{buf: make([]Record, batchSize), ready: make(chan struct{}, 1), free: make(chan struct{}, 1)}
		slots[k].free <- struct{}{}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := newRNG()
			for b := w; b < batches; b += workers {
				s := &slots[b%len(slots)]
				select {
				case <-s.free:
				case <-stop:
					return
				}
				start := from + b*batchSize
				recs := s.buf[:min(batchSize, n-start)]
				for k := range recs {
					g.fill(&recs[k], start+k, rng)
				}
				s.ready <- struct{}{}
			}
		})
	}
	var err error
	for b := 0; b < batches; b++ {
		s := &slots[b%len(slots)]
		<-s.ready
		start := from + b*batchSize
		if err = fn(s.buf[:min(batchSize, n-start)]); err != nil {
			break
		}
		s.free <- struct{}{}
	}
	close(stop)
	wg.Wait()
	return err
}

// Records iterates over the whole register in index order, one record at a
// time, on the calling goroutine.
func (g *Generator) Records() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		rng := newRNG()
		for i := range g.cfg.Licences {
			var r Record
			g.fill(&r, i, rng)
			if !yield(r) {
				return
			}
		}
	}
}

// rng is a reusable random source re-seeded for every record, so each
// record's draws depend only on (seed, index, stream).
type rng struct {
	pcg *rand.PCG
	*rand.Rand
}

func newRNG() *rng {
	p := rand.NewPCG(0, 0)
	return &rng{pcg: p, Rand: rand.New(p)}
}

// Streams separate the draws of one record so that adding a draw to one part
// (the ledger, say) does not shift the others.
const (
	streamCore uint64 = iota + 1
	streamPerson
	streamLicence
	streamLedger
	streamFile
)

func (r *rng) seed(seed uint64, index int, stream uint64) {
	a := splitmix(seed ^ splitmix(uint64(index)+0x9e3779b97f4a7c15*stream))
	r.pcg.Seed(a, splitmix(a^stream))
}

// splitmix is the SplitMix64 finaliser: a cheap, well-mixed 64-bit hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// pick returns the index whose cumulative weight first exceeds a uniform draw.
func (r *rng) pick(cum []int) int {
	x := r.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.Float64() < p }

// between returns a uniform date in [a, b] (a if b < a).
func (r *rng) between(a, b date.Date) date.Date {
	if b <= a {
		return a
	}
	return a + date.Date(r.IntN(int(b-a)+1))
}
