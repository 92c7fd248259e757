package ingest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Progress report intervals: a terminal bar is redrawn at most 10 times a
// second; a log (not a terminal) gets a plain line every 5 seconds at most.
const (
	terminalInterval = 100 * time.Millisecond
	plainInterval    = 5 * time.Second
	barWidth         = 24
)

// progress reports how far an import has got. Its methods do nothing when
// there is no writer. Write errors are ignored: progress is a courtesy, the
// summary and the rejects are what count.
type progress struct {
	w        io.Writer
	tty      bool
	size     int64
	start    time.Time
	last     time.Time
	interval time.Duration
	drawn    int // characters of the last bar, to blank out a longer one
}

func newProgress(w io.Writer, tty bool, size int64, start time.Time) *progress {
	p := &progress{w: w, tty: tty, size: size, start: start, last: start, interval: plainInterval}
	if tty {
		p.interval = terminalInterval
	}
	return p
}

// update reports if the interval has passed since the last report.
func (p *progress) update(now time.Time, bytes int64, rows int) {
	if p.w == nil || now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	if p.tty {
		p.draw(p.line(now, bytes, rows))
		return
	}
	fmt.Fprintf(p.w, "import : %s\n", p.line(now, bytes, rows))
}

// finish draws the bar one last time and ends its line; a plain report
// leaves the last word to the summary.
func (p *progress) finish(now time.Time, bytes int64, rows int, complete bool) {
	if p.w == nil || !p.tty {
		return
	}
	if complete && p.size > 0 {
		bytes = p.size // gzip and buffering may stop a few bytes short of the size
	}
	p.draw(p.line(now, bytes, rows))
	io.WriteString(p.w, "\n")
}

func (p *progress) draw(s string) {
	n := utf8.RuneCountInString(s)
	pad := ""
	if n < p.drawn {
		pad = strings.Repeat(" ", p.drawn-n)
	}
	p.drawn = n
	io.WriteString(p.w, "\r"+s+pad)
}

// line describes the state: a bar, the share of bytes read and the time
// left when the size is known, the rows and their rate always.
func (p *progress) line(now time.Time, bytes int64, rows int) string {
	elapsed := now.Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(rows) / elapsed.Seconds()
	}
	var b strings.Builder
	if p.size > 0 {
		frac := min(float64(bytes)/float64(p.size), 1)
		if p.tty {
			full := int(frac * barWidth)
			b.WriteString("[" + strings.Repeat("#", full) + strings.Repeat("-", barWidth-full) + "] ")
		}
		fmt.Fprintf(&b, "%3d %% (%s / %s)  ", int(frac*100), megabytes(bytes), megabytes(p.size))
	} else {
		fmt.Fprintf(&b, "%s lus  ", megabytes(bytes))
	}
	fmt.Fprintf(&b, "%s lignes  %s lignes/s", frenchInt(int64(rows)), frenchInt(int64(rate)))
	if p.size > 0 && bytes > 0 && bytes < p.size && elapsed > 0 {
		left := time.Duration(float64(elapsed) * float64(p.size-bytes) / float64(bytes))
		b.WriteString("  reste " + eta(left))
	}
	return b.String()
}

// megabytes writes a byte count in Mo (10⁶ bytes) with one decimal.
func megabytes(n int64) string {
	return strings.Replace(strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64), ".", ",", 1) + " Mo"
}

// eta writes the time left in whole seconds: "8 s", "2 min 05 s".
func eta(d time.Duration) string {
	if d = d.Round(time.Second); d < time.Minute {
		return strconv.Itoa(int(d.Seconds())) + " s"
	}
	return frenchDuration(d)
}
