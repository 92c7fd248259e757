package openinghours

import (
	"fmt"
	"strings"
)

// Warnings returns, in French, what in a value that reads is probably not
// what its author meant, each with the likely intended value; none for most
// values. Forms and the directory import show them next to the field, and
// keep the value as written (it is valid, and the specification says how
// it reads).
//
// Today one case: a rule with times only after ";" ("Mo-Fr 08:30-12:00;
// 13:30-16:30"). It selects every day and replaces the rule before it, so
// the weekday mornings are closed and the afternoons open all week; people
// who type it mean "Mo-Fr 08:30-12:00,13:30-16:30".
func (s *Schedule) Warnings() []string {
	if s == nil {
		return nil
	}
	var out []string
	for i := 1; i < len(s.rules); i++ {
		r, prev := &s.rules[i], &s.rules[i-1]
		if r.sep != sepNormal || !r.timesOnly() || len(prev.times) == 0 || prev.timesOnly() ||
			r.state() != prev.state() || r.hasComment || prev.hasComment {
			continue
		}
		fixed := &Schedule{rules: append([]rule(nil), s.rules...)}
		merged := *prev
		merged.times = append(append([]span(nil), prev.times...), r.times...)
		fixed.rules[i-1] = merged
		fixed.rules = append(fixed.rules[:i], fixed.rules[i+1:]...)
		var rb, pb strings.Builder
		r.write(&rb)
		prev.write(&pb)
		out = append(out, fmt.Sprintf(`après ";", la règle %q vaut pour tous les jours et remplace %q (ses horaires ne s'appliquent plus) ; vouliez-vous écrire %q ?`,
			rb.String(), pb.String(), fixed.String()))
	}
	return out
}

// timesOnly reports whether the rule has times and no other selector.
func (r *rule) timesOnly() bool {
	return !r.always && len(r.times) > 0 && len(r.years)+len(r.dates)+len(r.weeks) == 0 && r.days == nil
}
