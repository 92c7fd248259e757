package exam

import (
	"math/rand/v2"
	"time"
)

// Release fairness (docs/exams.md, "Releases"). Places published by the
// road-education bureau open at an announced time. Whoever asks first
// would win them all — scripts answer in milliseconds, people in tens of
// seconds — so the first minutes of a release are a queue, not a race:
// every request received within ReleaseWindow of the opening joins the
// release's queue (one entry per candidate and category), and when the
// window closes the queue is drawn in a uniformly random order, each entry
// in turn taking a free place. After the window, the places left go first
// come, first served. Coming faster inside the window gains nothing;
// rate limits per account stop one account from entering many times.

// ReleaseWindow is how long after a release's opening the requests queue
// for the draw instead of racing (our choice: 2 minutes, long enough for a
// person who was waiting on the page, short enough not to delay anyone).
const ReleaseWindow = 2 * time.Minute

// InWindow reports whether a request at offset after the opening joins the
// draw.
func InWindow(offset time.Duration) bool { return offset >= 0 && offset < ReleaseWindow }

// DrawOrder returns the queue's entries in the order they choose a place:
// a uniform random permutation (Fisher–Yates) from seed, so the order is
// reproducible from the seed recorded with the draw and depends on nothing
// else — not on when or how often an entry asked.
func DrawOrder[T any](entries []T, seed [32]byte) []T {
	out := make([]T, len(entries))
	copy(out, entries)
	r := rand.New(rand.NewChaCha8(seed))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
