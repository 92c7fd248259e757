package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Table is one result table, rendered as GitHub markdown.
type Table struct {
	Header []string
	Rows   [][]string
}

// Section is one benchmark's account: a title, the table, and notes saying
// what was measured against what.
type Section struct {
	Title string
	Table Table
	Notes []string
}

// Markdown renders the section: a level-3 heading, the table, the notes.
func (s Section) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", s.Title)
	b.WriteString(s.Table.Markdown())
	for _, n := range s.Notes {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}

// Markdown renders the table; pipes inside cells are escaped.
func (t Table) Markdown() string {
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for i := range t.Header {
			c := ""
			if i < len(cells) {
				c = strings.ReplaceAll(cells[i], "|", `\|`)
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for range t.Header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	return b.String()
}

// Machine describes where the measure ran, for the reader of BENCHMARKS.md.
type Machine struct {
	CPUs     int
	CPUModel string
	MemTotal string
	Go       string
	Kernel   string
	Database string // e.g. "SQLite 3.50.1 (modernc.org/sqlite)"
}

// ReadMachine reads the machine's description from /proc where it can.
func ReadMachine(database string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), Database: database, CPUModel: "?", MemTotal: "?"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPUModel = procField(string(b), "model name")
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(procField(string(b), "MemTotal"), " kB"), 10, 64); err == nil {
			m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	m.Kernel = runtime.GOOS
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel += " " + strings.TrimSpace(string(b))
	}
	return m
}

// procField returns the value of the first "key : value" line of a /proc file.
func procField(text, key string) string {
	for line := range strings.Lines(text) {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// Markdown renders the machine as a short list.
func (m Machine) Markdown() string {
	return fmt.Sprintf("- Machine : %d CPU (%s), %s de mémoire, %s\n- Go : %s\n- Base : %s\n",
		m.CPUs, m.CPUModel, m.MemTotal, m.Kernel, m.Go, m.Database)
}

// Header is what precedes the sections in the report: the command, the
// machine and the date.
func Header(command string, m Machine, at time.Time) string {
	return fmt.Sprintf("## Mesures du %s\n\nCommande :\n\n```\n%s\n```\n\n%s", at.Format("2006-01-02 15:04"), command, m.Markdown())
}

// Median returns the median of xs (the mean of the two middle values for an
// even count), or 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Emit writes text to every writer that is not nil.
func emit(text string, ws ...io.Writer) {
	for _, w := range ws {
		if w != nil {
			io.WriteString(w, text)
		}
	}
}

// frenchNumber formats n with thin spaces between thousands, as French
// readers expect: 1 234 567.
func frenchNumber(n float64) string {
	s := strconv.FormatInt(int64(n+0.5), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// seconds formats a duration in seconds with one or two decimals.
func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}

// percent formats a ratio as a percentage.
func percent(r float64) string { return strconv.FormatFloat(100*r, 'f', 0, 64) + " %" }

// millis formats a latency in milliseconds.
func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}
