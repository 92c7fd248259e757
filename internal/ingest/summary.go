package ingest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Summary is the account of one import.
type Summary struct {
	Format         Format
	Lines          int // lines read, blank lines and the CSV header included
	Records        int // rows read (non-blank lines, CSV records), good or bad
	Inserted       int // new events now in the register
	AlreadyPresent int // events the register already held, unchanged
	Rejected       map[Kind]int
	Batches        int // batches the sink accepted
	Bytes          int64
	Elapsed        time.Duration
	Interrupted    bool // the import stopped before the end of the file
}

// RejectedTotal returns the number of rejected rows, all reasons together.
func (s Summary) RejectedTotal() int {
	n := 0
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

// Unsent returns the rows read but neither recorded nor rejected: the
// unfinished batch of an interrupted import.
func (s Summary) Unsent() int {
	return s.Records - s.Inserted - s.AlreadyPresent - s.RejectedTotal()
}

// RowsPerSecond returns the throughput over the whole import.
func (s Summary) RowsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Records) / s.Elapsed.Seconds()
}

// String writes the summary in French for the operator, rejects counted by
// reason, most frequent first, and a closing sentence when the register is
// unchanged or the import did not finish.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Import %s : %s lues, %s en %s (%s lignes/s), %s.\n",
		s.Format, plural(s.Lines, "ligne", "lignes"), plural(s.Records, "événement", "événements"),
		frenchDuration(s.Elapsed), frenchInt(int64(s.RowsPerSecond())), plural(s.Batches, "lot", "lots"))
	fmt.Fprintf(&b, "  insérés : %s\n", frenchInt(int64(s.Inserted)))
	fmt.Fprintf(&b, "  déjà enregistrés : %s\n", frenchInt(int64(s.AlreadyPresent)))
	fmt.Fprintf(&b, "  rejetés : %s\n", frenchInt(int64(s.RejectedTotal())))
	kinds := slices.SortedFunc(maps.Keys(s.Rejected), func(a, b Kind) int {
		return cmp.Or(cmp.Compare(s.Rejected[b], s.Rejected[a]), cmp.Compare(a.Label(), b.Label()))
	})
	for _, k := range kinds {
		if s.Rejected[k] > 0 {
			fmt.Fprintf(&b, "    %s : %s\n", k.Label(), frenchInt(int64(s.Rejected[k])))
		}
	}
	if sentence := s.conclusion(); sentence != "" {
		b.WriteString(sentence)
		b.WriteByte('\n')
	}
	return b.String()
}

func (s Summary) conclusion() string {
	rejected := s.RejectedTotal()
	switch {
	case s.Interrupted:
		return "Import interrompu avant la fin du fichier : relancez-le sur le même fichier, " +
			"les événements déjà enregistrés ne seront pas ajoutés deux fois."
	case s.Inserted > 0:
		return ""
	case s.Records == 0:
		return "Aucune modification : le fichier ne contient aucun événement."
	case rejected == 0 && s.AlreadyPresent == 1:
		return "Aucune modification : l'événement était déjà enregistré."
	case rejected == 0:
		return "Aucune modification : les " + frenchInt(int64(s.AlreadyPresent)) + " événements étaient déjà enregistrés."
	case s.AlreadyPresent == 0:
		return "Aucune modification : toutes les lignes ont été rejetées."
	}
	return "Aucune modification : " + plural(s.AlreadyPresent, "événement était déjà enregistré", "événements étaient déjà enregistrés") +
		", " + plural(rejected, "ligne a été rejetée", "lignes ont été rejetées") + "."
}

// plural writes "1 lot" or "2 lots" (French uses the singular for 0 and 1).
func plural(n int, one, many string) string {
	if n <= 1 {
		return frenchInt(int64(n)) + " " + one
	}
	return frenchInt(int64(n)) + " " + many
}

// frenchInt groups digits by three with spaces: 1 234 567.
func frenchInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// frenchDuration writes 850 ms, 12,3 s, 2 min 05 s or 1 h 02 min.
func frenchDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', 1, 64), ".", ",", 1) + " s"
	case d < time.Hour:
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}
