package portal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"permis/internal/browsertest"
)

// chartLook is what Chromium drew of the points chart.
type chartLook struct {
	PastStroke, FutureStroke, GridStroke string
	PastWidth, FutureDash                string
	PastBox                              float64 // width of the drawn line, in CSS pixels
	LabelHeight                          float64 // height of the smallest label, in CSS pixels
	LabelsInside                         bool    // every label inside the window, horizontally
	LabelsApart                          bool    // no label over the plot or over another label
	PageWidth, WindowWidth               float64
}

const chartJS = `(() => {
  const cs = s => getComputedStyle(document.querySelector(s));
  const shown = s => [...document.querySelectorAll(s)].filter(l => getComputedStyle(l).display != 'none').map(l => l.getBoundingClientRect());
  const labels = shown('.permis-chart__label'), ys = shown('.permis-chart__y text').sort((a, b) => a.top - b.top), xs = shown('.permis-chart__x text');
  const plot = document.querySelector('.permis-chart__plot').getBoundingClientRect();
  return {
    PastStroke: cs('.permis-chart__past').stroke, FutureStroke: cs('.permis-chart__future').stroke,
    GridStroke: cs('.permis-chart__grid').stroke, PastWidth: cs('.permis-chart__past').strokeWidth,
    FutureDash: cs('.permis-chart__future').strokeDasharray,
    PastBox: document.querySelector('.permis-chart__past').getBoundingClientRect().width,
    LabelHeight: Math.min(...labels.map(r => r.height)),
    LabelsInside: labels.every(r => r.left >= 0 && r.right <= window.innerWidth),
    LabelsApart: ys.every(r => r.right <= plot.left) && xs.every(r => r.top >= plot.bottom) &&
      xs.every((r, i) => i == 0 || r.left > xs[i-1].right) && ys.every((r, i) => i == 0 || r.top >= ys[i-1].bottom),
    PageWidth: document.documentElement.scrollWidth, WindowWidth: window.innerWidth,
  };
})()`

// "Mes points" draws its chart: the lines have a visible stroke (they had
// none: no CSS gave them one), the recoveries to come are dashed, the
// labels stay readable on a 320 px phone and grow with the text size, and
// a screen reader hears the figure's name once and its summary once.
func TestPointsChartIsDrawnAndReadable(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	s := e.Citizen(t, "48m", true)
	b.SetCookie(e.URL, s.Cookie())
	checked(b.Visit(e.URL+"/mon-espace/points"), 200)

	shots := os.Getenv("PERMIS_SCREENSHOTS") // a folder, to look at the pages
	for _, width := range []int64{1280, 320} {
		b.Viewport(width, 900)
		c := browsertest.Eval[chartLook](b, chartJS)
		for name, stroke := range map[string]string{"past": c.PastStroke, "future": c.FutureStroke, "grid": c.GridStroke} {
			if stroke == "" || stroke == "none" || strings.HasSuffix(stroke, ", 0)") {
				t.Errorf("%d px: the %s line is not drawn (stroke %q)", width, name, stroke)
			}
		}
		if c.PastWidth != "3px" || c.FutureDash == "none" {
			t.Errorf("%d px: past line %s wide, future dashes %q", width, c.PastWidth, c.FutureDash)
		}
		if c.PastBox < float64(width)/2 {
			t.Errorf("%d px: the past line is %.0f px wide", width, c.PastBox)
		}
		if c.LabelHeight < 14 {
			t.Errorf("%d px: labels %.1f px high, unreadable", width, c.LabelHeight)
		}
		if !c.LabelsInside || c.PageWidth > c.WindowWidth {
			t.Errorf("%d px: labels or page wider than the window (%v, %.0f > %.0f)", width, c.LabelsInside, c.PageWidth, c.WindowWidth)
		}
		if !c.LabelsApart {
			t.Errorf("%d px: labels over the plot or over each other", width)
		}
		if shots != "" {
			b.Screenshot(filepath.Join(shots, fmt.Sprintf("points-%d.png", width)))
		}
	}

	// Text at 200 %: the labels follow.
	before := browsertest.Eval[chartLook](b, chartJS).LabelHeight
	browsertest.Eval[string](b, `document.documentElement.style.fontSize = '200%'`)
	after := browsertest.Eval[chartLook](b, chartJS)
	if !after.LabelsApart || !after.LabelsInside {
		t.Error("with text at 200 %, labels over the plot, over each other or out of the window")
	}
	if after.LabelHeight < 1.6*before {
		t.Errorf("labels %.1f px high with text at 200 %%, %.1f px before", after.LabelHeight, before)
	}
	if shots != "" {
		b.Screenshot(filepath.Join(shots, "points-320-200.png"))
		b.ScreenshotOf(".permis-chart", filepath.Join(shots, "chart-320-200.png"))
	}

	if got := b.AXNames(t, "figure"); len(got) != 1 || got[0] != "Évolution de mon solde" {
		t.Errorf("figures' accessible names %q", got)
	}
	if got := b.AXNames(t, "image"); len(got) != 0 {
		t.Errorf("the chart's drawing is exposed as images %q (the caption already says it)", got)
	}
	n := 0
	for _, text := range b.AXNames(t, "StaticText") {
		n += strings.Count(text, "Évolution du solde sur")
	}
	if n != 1 {
		t.Errorf("the summary is read %d times", n)
	}
}
