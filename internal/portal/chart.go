package portal

import (
	"fmt"
	"strings"

	"permis/internal/app"
	"permis/internal/date"
)

// chart is the balance over time, drawn as an inline SVG step line (no
// script, no external file): past movements in a solid line, the
// recoveries to come dotted. The table under it carries the same
// information for screen readers; the SVG has a text alternative.
type chart struct {
	Width, Height int
	Past, Future  string // SVG points attributes
	YTicks        []tick
	XTicks        []tick
	Summary       string
	Empty         bool
}

type tick struct {
	Pos   int
	Label string
}

const (
	chartW, chartH   = 640, 220
	padL, padR       = 40, 16
	padT, padB       = 12, 28
	chartYears       = 10
	chartFutureYears = 3
)

func pointsChart(pv app.PointsView) chart {
	c := chart{Width: chartW, Height: chartH}
	start := pv.At.AddYears(-chartYears)
	end := pv.At.AddYears(chartFutureYears)
	maxY := max(pv.Ceiling, 12)
	x := func(d date.Date) int {
		if d < start {
			d = start
		}
		return padL + int(float64(d-start)/float64(end-start)*float64(chartW-padL-padR))
	}
	y := func(v int) int {
		return padT + int(float64(maxY-v)/float64(maxY)*float64(chartH-padT-padB))
	}
	// Balance before the first movement of the window.
	bal := pv.Balance
	for i := len(pv.Movements) - 1; i >= 0; i-- {
		m := pv.Movements[i]
		if m.Date < start {
			break
		}
		bal = m.Balance - m.Delta
	}
	var past strings.Builder
	fmt.Fprintf(&past, "%d,%d", x(start), y(bal))
	for _, m := range pv.Movements {
		if m.Date < start {
			continue
		}
		fmt.Fprintf(&past, " %d,%d %d,%d", x(m.Date), y(bal), x(m.Date), y(m.Balance))
		bal = m.Balance
	}
	fmt.Fprintf(&past, " %d,%d", x(pv.At), y(pv.Balance))
	c.Past = past.String()
	var fut strings.Builder
	fmt.Fprintf(&fut, "%d,%d", x(pv.At), y(pv.Balance))
	bal = pv.Balance
	for _, m := range pv.Upcoming {
		if m.Date > end {
			break
		}
		fmt.Fprintf(&fut, " %d,%d %d,%d", x(m.Date), y(bal), x(m.Date), y(m.Balance))
		bal = m.Balance
	}
	fmt.Fprintf(&fut, " %d,%d", x(end), y(bal))
	c.Future = fut.String()
	for v := 0; v <= maxY; v += 3 {
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: fmt.Sprint(v)})
	}
	for yr := start.Year() + 1; yr <= end.Year(); yr += 2 {
		c.XTicks = append(c.XTicks, tick{Pos: x(date.Of(yr, 1, 1)), Label: fmt.Sprint(yr)})
	}
	c.Summary = fmt.Sprintf("Évolution du solde sur %d ans : %d point%s aujourd'hui sur %d", chartYears,
		pv.Balance, plural(pv.Balance), pv.Ceiling)
	if len(pv.Upcoming) > 0 {
		last := pv.Upcoming[len(pv.Upcoming)-1]
		c.Summary += fmt.Sprintf(", %d point%s le %s si aucune nouvelle infraction n'est constatée", last.Balance,
			plural(last.Balance), last.Date.French())
	}
	c.Summary += "."
	return c
}

func plural(n int) string {
	if n > 1 || n < -1 {
		return "s"
	}
	return ""
}
