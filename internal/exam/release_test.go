package exam

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// candidate of the simulation: when they ask after the opening, and
// whether a script asks for them.
type simCandidate struct {
	id     int
	script bool
	asks   time.Duration
}

// simPopulation draws 5 000 candidates for a release: 10 % use a script
// answering within 50 ms of the opening; people arrive after the opening
// with delays drawn from an exponential law of mean 45 s (most were
// waiting on the page; some come minutes later).
func simPopulation(r *rand.Rand, n int) []simCandidate {
	out := make([]simCandidate, n)
	for i := range out {
		c := simCandidate{id: i, script: i%10 == 0}
		if c.script {
			c.asks = time.Duration(r.IntN(50)) * time.Millisecond
		} else {
			c.asks = time.Duration(r.ExpFloat64() * float64(45*time.Second))
		}
		out[i] = c
	}
	return out
}

// firstComeFirstServed gives the places to the earliest requests.
func firstComeFirstServed(cs []simCandidate, places int) []simCandidate {
	s := slices.Clone(cs)
	slices.SortFunc(s, func(a, b simCandidate) int { return int(a.asks - b.asks) })
	return s[:places]
}

// withQueue gives the places by the release's rule: the window's entries
// in drawn order, then the latecomers by arrival.
func withQueue(cs []simCandidate, places int, seed [32]byte) []simCandidate {
	var queue, late []simCandidate
	for _, c := range cs {
		if InWindow(c.asks) {
			queue = append(queue, c)
		} else {
			late = append(late, c)
		}
	}
	slices.SortFunc(late, func(a, b simCandidate) int { return int(a.asks - b.asks) })
	order := append(DrawOrder(queue, seed), late...)
	return order[:min(places, len(order))]
}

func seedOf(i int) [32]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	return sha256.Sum256(b[:])
}

// TestReleaseFairness simulates 5 000 candidates for 300 places, 200
// times, and compares the race (first come, first served) with the queue
// of the release window. In the race, scripts take every place. With the
// queue, a script's chance is a person's chance: each group's share of the
// places is its share of the window's entrants, within 2 points, and every
// entrant's chance is places/entrants. BENCHMARKS.md reports the figures
// (go test ./internal/exam -run TestReleaseFairness -v).
func TestReleaseFairness(t *testing.T) {
	const n, places, runs = 5000, 300, 200
	var raceScripts, queueScripts, entrants, scriptEntrants float64
	wins := make([]int, n) // per candidate id, over the runs, with the queue
	inWindow := make([]int, n)
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 7))
		cs := simPopulation(r, n)
		for _, w := range firstComeFirstServed(cs, places) {
			if w.script {
				raceScripts++
			}
		}
		for _, c := range cs {
			if InWindow(c.asks) {
				entrants++
				inWindow[c.id]++
				if c.script {
					scriptEntrants++
				}
			}
		}
		for _, w := range withQueue(cs, places, seedOf(run)) {
			wins[w.id]++
			if w.script {
				queueScripts++
			}
		}
	}
	raceShare := raceScripts / (runs * places)
	queueShare := queueScripts / (runs * places)
	entrantShare := scriptEntrants / entrants
	chance := places / (entrants / runs)
	var humanWins, humanEntries float64
	for id := range n {
		if id%10 != 0 {
			humanWins += float64(wins[id])
			humanEntries += float64(inWindow[id])
		}
	}
	humanChance := humanWins / humanEntries
	scriptChance := queueScripts / scriptEntrants
	t.Logf("entrants in the 2-minute window: %.0f of %d on average; each entrant's chance %.2f %%", entrants/runs, n, 100*chance)
	t.Logf("race (first come, first served): scripts (10 %% of candidates) won %.1f %% of the places", 100*raceShare)
	t.Logf("queue: scripts won %.1f %% of the places for %.1f %% of the entrants; chance of a script %.2f %%, of a person in the window %.2f %%",
		100*queueShare, 100*entrantShare, 100*scriptChance, 100*humanChance)
	if raceShare < 0.99 {
		t.Errorf("the race should be won by scripts (the problem the queue solves): %.3f", raceShare)
	}
	if math.Abs(queueShare-entrantShare) > 0.02 {
		t.Errorf("queue: scripts' share of places %.3f, their share of entrants %.3f", queueShare, entrantShare)
	}
	if math.Abs(scriptChance-humanChance) > 0.01 {
		t.Errorf("queue: a script's chance %.4f, a person's %.4f: unequal", scriptChance, humanChance)
	}
}

// The draw is a permutation: nobody is lost or doubled, and the seed alone
// decides the order.
func TestDrawOrder(t *testing.T) {
	in := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	a, b := DrawOrder(in, seedOf(1)), DrawOrder(in, seedOf(1))
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different orders")
	}
	if slices.Equal(a, DrawOrder(in, seedOf(2))) || slices.Equal(a, in) {
		t.Fatal("the order does not depend on the seed")
	}
	s := slices.Clone(a)
	slices.Sort(s)
	if !slices.Equal(s, in) || !slices.Equal(in, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Fatalf("not a permutation, or the input changed: %v", a)
	}
	// Every position is equally likely for entry 1 over many seeds.
	counts := make([]int, len(in))
	for i := range 10000 {
		counts[slices.Index(DrawOrder(in, seedOf(i)), 1)]++
	}
	for pos, c := range counts {
		if c < 850 || c > 1150 {
			t.Errorf("entry 1 drawn at position %d %d times in 10 000, want about 1 000", pos, c)
		}
	}
	if !InWindow(0) || !InWindow(ReleaseWindow-time.Millisecond) || InWindow(ReleaseWindow) || InWindow(-time.Second) {
		t.Error("window bounds")
	}
}
