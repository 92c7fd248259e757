package booking

import (
	"fmt"
	"time"

	"permis/internal/date"
	"permis/internal/openinghours"
)

// Grain is the unit of time of seats: slots start on multiples of it (from
// the Unix epoch, so on round minutes of Paris time) and kinds last a whole
// number of it. An appointment occupies one cell per Grain of its length on
// its seat, and the store keeps each (help point, cell, seat) unique.
// Changing it invalidates the cells already recorded.
const Grain = 5 * time.Minute

// Site is what slot generation needs of a help point: its parsed hours,
// its département (for public holidays), the agents on duty and its
// closures. Build it with NewSite.
type Site struct {
	Hours       *openinghours.Schedule
	Departement string
	Agents      int
	Closures    []Closure
}

// NewSite parses the help point's opening hours and gathers its closures.
func NewSite(p HelpPoint, closures []Closure) (Site, error) {
	sch, err := openinghours.Parse(p.OpeningHours)
	if err != nil {
		return Site{}, fmt.Errorf("booking: help point %d: opening hours: %w", p.ID, err)
	}
	return Site{Hours: sch, Departement: p.Departement(), Agents: p.Agents, Closures: closures}, nil
}

// ClosedOn returns the closure covering day d, if any.
func (s Site) ClosedOn(d date.Date) (Closure, bool) {
	for _, c := range s.Closures {
		if d >= c.From && d <= c.To {
			return c, true
		}
	}
	return Closure{}, false
}

// Slot is one bookable period: Start and End in Europe/Paris, Capacity the
// seats (agents on duty), Free the seats not taken (Capacity until
// Available counts the taken ones).
type Slot struct {
	Start, End time.Time
	Capacity   int
	Free       int
}

// Slots returns the slots of kind k at site s on the days from to to (both
// included), in time order: each open interval of the opening hours (public
// holidays applied as the hours say, "PH off"), on days without a closure,
// is cut into pieces of the kind's duration from its start rounded up to the
// Grain; a last piece that would end after the interval is not offered.
// Slots follow the real timeline: on the days clocks change, an interval
// holds the hours it really lasts.
func Slots(s Site, k Kind, from, to date.Date) []Slot {
	dur := k.Duration()
	if s.Agents < 1 || dur <= 0 || to < from || s.Hours == nil {
		return nil
	}
	var out []Slot
	for d := from; d <= to; d++ {
		if _, closed := s.ClosedOn(d); closed {
			continue
		}
		for _, iv := range s.Hours.Intervals(d, s.Departement) {
			start := ceilGrain(iv.Start)
			for end := start.Add(dur); !end.After(iv.End); start, end = end, end.Add(dur) {
				out = append(out, Slot{Start: start.In(paris), End: end.In(paris), Capacity: s.Agents, Free: s.Agents})
			}
		}
	}
	return out
}

// ceilGrain rounds t up to a multiple of the Grain.
func ceilGrain(t time.Time) time.Time {
	if r := t.Truncate(Grain); r.Before(t) {
		return r.Add(Grain)
	}
	return t
}

// OnGrain reports whether t is a multiple of the Grain.
func OnGrain(t time.Time) bool { return t.Truncate(Grain).Equal(t) }

// Cells returns the instants of the Grain-long cells from start (included)
// to end (excluded): what an appointment occupies on its seat.
func Cells(start, end time.Time) []time.Time {
	var out []time.Time
	for t := start; t.Before(end); t = t.Add(Grain) {
		out = append(out, t)
	}
	return out
}

// Cell is one taken cell: a seat at an instant.
type Cell struct {
	Seat int
	At   time.Time
}

type cellKey struct {
	seat int
	at   int64
}

// Available sets the Free seats of each slot, given the cells already
// taken at the help point (by any kind): a seat is free for a slot when
// none of the slot's cells is taken on it. Only seats 1 to Capacity count.
func Available(slots []Slot, taken []Cell) {
	set := make(map[cellKey]struct{}, len(taken))
	for _, c := range taken {
		set[cellKey{c.Seat, c.At.Unix()}] = struct{}{}
	}
	for i := range slots {
		sl := &slots[i]
		sl.Free = 0
		for seat := 1; seat <= sl.Capacity; seat++ {
			if seatFree(set, seat, sl.Start, sl.End) {
				sl.Free++
			}
		}
	}
}

// FreeSeats returns the seats (1 to capacity) on which no cell of the
// period from start to end is taken, in order: the seats a booking tries.
func FreeSeats(capacity int, start, end time.Time, taken []Cell) []int {
	set := make(map[cellKey]struct{}, len(taken))
	for _, c := range taken {
		set[cellKey{c.Seat, c.At.Unix()}] = struct{}{}
	}
	var out []int
	for seat := 1; seat <= capacity; seat++ {
		if seatFree(set, seat, start, end) {
			out = append(out, seat)
		}
	}
	return out
}

func seatFree(set map[cellKey]struct{}, seat int, start, end time.Time) bool {
	for t := start; t.Before(end); t = t.Add(Grain) {
		if _, ok := set[cellKey{seat, t.Unix()}]; ok {
			return false
		}
	}
	return true
}

// FindSlot returns the slot of slots that starts at start.
func FindSlot(slots []Slot, start time.Time) (Slot, bool) {
	for _, sl := range slots {
		if sl.Start.Equal(start) {
			return sl, true
		}
	}
	return Slot{}, false
}
