package portal

import (
	"fmt"
	"strings"

	"permis/internal/app"
	"permis/internal/date"
)

// chart is the balance over time, drawn as an inline SVG step line (no
// script, no external file): past movements in a solid line, the
// recoveries to come dotted.
//
// The drawing is made to stay readable at every width and text size
// (RGAA 10.4, 10.11): the lines sit in a nested SVG whose coordinates
// (0 to plotSize on both axes) are stretched to the plot area, with strokes
// that do not scale; the labels sit outside it, in SVGs without a viewBox,
// placed in percent of the plot's width or height, so their font size is
// the page's (site.css sizes the areas in em). The figure is named by its
// heading and described once, by its caption; the SVG is hidden from
// screen readers, since the tables under it carry the same facts.
type chart struct {
	Past, Future string // SVG points attributes, in plot coordinates
	Grid         []int  // the y of the horizontal lines, in plot coordinates
	YTicks       []tick
	XTicks       []tick
	Summary      string
}

// tick is an axis label and its position in percent of the plot.
type tick struct {
	Pos   string
	Label string
	// Level is 0 for the labels always shown, 1 and 2 for those hidden
	// when the chart is too narrow for them (site.css), so that labels never
	// run into each other, whatever the width and the text size.
	Level int
}

const (
	plotSize         = 1000
	chartYears       = 10
	chartFutureYears = 3
)

func pointsChart(pv app.PointsView) chart {
	var c chart
	start := pv.At.AddYears(-chartYears)
	end := pv.At.AddYears(chartFutureYears)
	maxY := max(pv.Ceiling, 12)
	xf := func(d date.Date) float64 {
		if d < start {
			d = start
		}
		return float64(d-start) / float64(end-start)
	}
	yf := func(v int) float64 { return float64(maxY-v) / float64(maxY) }
	x := func(d date.Date) int { return int(xf(d) * plotSize) }
	y := func(v int) int { return int(yf(v) * plotSize) }
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
		c.Grid = append(c.Grid, y(v))
		c.YTicks = append(c.YTicks, tick{Pos: percent(yf(v)), Label: fmt.Sprint(v)})
	}
	for i, yr := 0, start.Year()+1; yr <= end.Year(); i, yr = i+1, yr+2 {
		c.XTicks = append(c.XTicks, tick{Pos: percent(xf(date.Of(yr, 1, 1))), Label: fmt.Sprint(yr), Level: tickLevel(i)})
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

// tickLevel is 0 for every 4th tick, 1 for the others of even index, 2
// for the odd ones.
func tickLevel(i int) int {
	switch {
	case i%4 == 0:
		return 0
	case i%2 == 0:
		return 1
	}
	return 2
}

func percent(f float64) string { return fmt.Sprintf("%.2f%%", f*100) }

func plural(n int) string {
	if n > 1 || n < -1 {
		return "s"
	}
	return ""
}
