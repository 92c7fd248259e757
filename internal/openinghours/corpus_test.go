package openinghours

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpus checks testdata/corpus.txt: each value, and its state at fixed
// instants (Paris wall-clock time, holidays of département 75). The same file
// is checked against opening_hours.js by `make crosscheck`
// (TestCorpusWithOpeningHoursJS), so the expectations are not only ours.
func TestCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "corpus.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sch *Schedule
	var value string
	n := 0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "":
		case !strings.HasPrefix(l, " "):
			value = l
			if sch, err = Parse(value); err != nil {
				t.Errorf("line %d: %q: %v", line, value, err)
			}
		case strings.HasPrefix(strings.TrimSpace(l), "!"): // a note on opening_hours.js
		default:
			at, want, ok := strings.Cut(strings.TrimSpace(l), " ")
			instant, perr := time.ParseInLocation("2006-01-02T15:04", at, paris)
			if !ok || perr != nil || sch == nil {
				t.Errorf("line %d: %q unreadable (%v)", line, l, perr)
				continue
			}
			if got, _ := sch.StateAt(instant, "75"); got.String() != want {
				t.Errorf("line %d: %q at %s: %s, want %s", line, value, at, got, want)
			}
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 500 {
		t.Fatalf("only %d instants in the corpus", n)
	}
}

// TestCorpusWithOpeningHoursJS runs the corpus through opening_hours.js when
// `make crosscheck` installed it (testdata/crosscheck/node_modules) and node
// is there; otherwise it skips (TestCorpus always runs).
func TestCorpusWithOpeningHoursJS(t *testing.T) {
	node, err := exec.LookPath("node")
	dir := filepath.Join("testdata", "crosscheck")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "opening_hours")); err != nil || serr != nil {
		t.Skip("node or opening_hours.js missing: run `make crosscheck`")
	}
	cmd := exec.Command(node, "opening_hours.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TZ=Europe/Paris")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("opening_hours.js disagrees with the corpus: %v", err)
	}
}
