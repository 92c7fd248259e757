package points

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"permis/internal/date"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The example of the issue, replayed end to end through the contract.
func TestReplayContractGolden(t *testing.T) {
	in, err := os.ReadFile("testdata/replay_issue_example.json")
	if err != nil {
		t.Fatal(err)
	}
	r := DefaultRules()
	l, at, err := r.DecodeReplay(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Replay(l, at)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := EncodeReplay(&out, res); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/replay_issue_example.out.json"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("output differs from %s:\n%s", golden, out.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"at", "balance", "ceiling", "valid", "movements", "letters", "upcoming"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("output lacks %q", k)
		}
	}
}

func TestDecodeReplayErrors(t *testing.T) {
	const lic = `"licence":{"obtained":"2019-04-02","probation":"none","complementary_training":null}`
	ev := func(s string) string { return `{` + lic + `,"events":[` + s + `],"at":"2022-01-01"}` }
	good := `{"id":"o1","type":"offence","committed":"2020-01-05","established":"2020-02-01","points":3,"class":4}`
	tests := []struct {
		name, in, field, problem string
	}{
		{"empty", "", "input", "vide"},
		{"not json", "{", "input", "JSON invalide"},
		{"trailing data", ev(good) + " {}", "input", "après la fin"},
		{"unknown top field", `{` + lic + `,"events":[],"at":"2022-01-01","x":1}`, "x", "champ inconnu"},
		{"unknown licence field", `{"licence":{"obtained":"2019-04-02","probation":"none","nope":1},"events":[],"at":"2022-01-01"}`, "licence.nope", "champ inconnu"},
		{"unknown event field", ev(strings.Replace(good, `"class":4`, `"class":4,"speed":3`, 1)), "events[0].speed", "champ inconnu"},
		{"missing at", `{` + lic + `,"events":[]}`, "at", "obligatoire"},
		{"missing licence", `{"events":[],"at":"2022-01-01"}`, "licence", "obligatoire"},
		{"malformed date", ev(strings.Replace(good, `"2020-01-05"`, `"05/01/2020"`, 1)), "events[0].committed", "mal formée"},
		{"impossible date", ev(strings.Replace(good, `"2020-02-01"`, `"2020-02-30"`, 1)), "events[0].established", "impossible"},
		{"established before committed", ev(strings.Replace(good, `"2020-02-01"`, `"2020-01-01"`, 1)), "events[0].established", "antérieure"},
		{"points out of range", ev(strings.Replace(good, `"points":3`, `"points":9`, 1)), "events[0].points", "hors limites"},
		{"points not an integer", ev(strings.Replace(good, `"points":3`, `"points":2.5`, 1)), "events[0].points", "entier"},
		{"bad class", ev(strings.Replace(good, `"class":4`, `"class":"6"`, 1)), "events[0].class", "classe inconnue"},
		{"duplicate id", ev(good + `,{"id":"o1","type":"course","date":"2021-01-01"}`), "events[1].id", "en double"},
		{"unknown type", ev(`{"id":"x","type":"fine"}`), "events[0].type", "type inconnu"},
		{"course with points", ev(`{"id":"c","type":"course","date":"2021-01-01","points":4}`), "events[0].points", "champ inconnu"},
		{"bad probation", `{"licence":{"obtained":"2019-04-02","probation":"long"},"events":[],"at":"2022-01-01"}`, "licence.probation", "parcours inconnu"},
		{"second event bad", ev(good + `,{"id":"c","type":"course","date":"2018-01-01"}`), "events[1].date", "antérieure"},
		{"unknown measure", ev(strings.Replace(good, `"class":4`, `"class":4,"measure":"annulation"`, 1)), "events[0].measure", "mesure inconnue"},
		{"reobtained not a boolean", `{"licence":{"obtained":"2019-04-02","probation":"standard","reobtained":"yes"},"events":[],"at":"2022-01-01"}`, "licence.reobtained", "true ou false"},
		{"notice before the licence", ev(`{"id":"n","type":"invalidation_notice","date":"2019-01-01"}`), "events[0].date", "antérieure"},
		{"notice with points", ev(`{"id":"n","type":"invalidation_notice","date":"2021-01-01","points":0}`), "events[0].points", "champ inconnu"},
		{"notice without date", ev(`{"id":"n","type":"invalidation_notice"}`), "events[0].date", "obligatoire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DefaultRules().DecodeReplay(strings.NewReader(tt.in))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			if ie.Field != tt.field || !strings.Contains(ie.Problem, tt.problem) {
				t.Fatalf("got %q / %q, want field %q and a problem containing %q", ie.Field, ie.Problem, tt.field, tt.problem)
			}
			if strings.Contains(ie.Error(), "\n") {
				t.Fatalf("error spans several lines: %q", ie.Error())
			}
		})
	}
}

func TestDecodeReplayAcceptsClassForms(t *testing.T) {
	for _, c := range []string{`4`, `"4"`, `"delit"`} {
		in := `{"licence":{"obtained":"2019-04-02","probation":"aac"},"events":[{"id":"o","type":"offence","committed":"2020-01-05","established":"2020-02-01","points":1,"class":` + c + `,"occasion":null}],"at":"2022-01-01"}`
		if _, _, err := DefaultRules().DecodeReplay(strings.NewReader(in)); err != nil {
			t.Errorf("class %s: %v", c, err)
		}
	}
}

// The fields added for issue 11 are optional: a document without them means
// what it meant before (a first licence, no measure, no known notification).
func TestDecodeReplayIssue11Fields(t *testing.T) {
	in := `{"licence":{"obtained":"2019-04-02","probation":"standard","complementary_training":"2019-12-01","reobtained":true},
	"events":[{"id":"o","type":"offence","committed":"2019-11-01","established":"2019-12-15","points":0,"class":4,"measure":"suspension"},
	{"id":"n","type":"invalidation_notice","date":"2021-01-01"}],"at":"2022-01-01"}`
	l, _, err := DefaultRules().DecodeReplay(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !l.Licence.Reobtained || l.Offences[0].Measure != MeasureSuspension || len(l.Notices) != 1 || l.Notices[0].Notified != date.MustParse("2021-01-01") {
		t.Fatalf("decoded %+v", l)
	}
	l, _, err = DefaultRules().DecodeReplay(strings.NewReader(`{"licence":{"obtained":"2019-04-02","probation":"standard","reobtained":null},"events":[],"at":"2022-01-01"}`))
	if err != nil || l.Licence.Reobtained {
		t.Fatalf("reobtained null: %+v, %v; want a first licence", l.Licence, err)
	}
}

// FuzzDecodeReplay: any input either decodes into a ledger the engine
// replays without error, or is refused with an InputError; never a panic.
func FuzzDecodeReplay(f *testing.F) {
	seed, _ := os.ReadFile("testdata/replay_issue_example.json")
	f.Add(string(seed))
	f.Add(`{"licence":{"obtained":"2019-04-02","probation":"none"},"events":[],"at":"2022-01-01"}`)
	f.Fuzz(func(t *testing.T, in string) {
		r := DefaultRules()
		l, at, err := r.DecodeReplay(strings.NewReader(in))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("non-input error %v", err)
			}
			return
		}
		res, err := r.Replay(l, at)
		if err != nil {
			t.Fatalf("decoded ledger refused by Replay: %v", err)
		}
		if res.Balance < 0 || res.Balance > res.Ceiling {
			t.Fatalf("balance %d outside 0..%d", res.Balance, res.Ceiling)
		}
	})
}

// A 20-event history: the size of a busy driver's ten years.
func twentyEvents() Ledger {
	l := Ledger{Licence: Licence{Obtained: date.MustParse("2010-03-01"), Probation: ProbationNone}}
	e := date.MustParse("2014-01-10")
	for i := 0; i < 17; i++ {
		pts := []int{1, 1, 2, 3, 1, 4}[i%6]
		class := Class3
		if pts >= 3 {
			class = Class4
		}
		l.Offences = append(l.Offences, Offence{ID: fmt.Sprintf("AF%04d", i), Committed: e.AddDays(-30), Established: e, Points: pts, Class: class})
		e = e.AddMonths(7)
	}
	for i := 0; i < 3; i++ {
		l.Courses = append(l.Courses, Course{ID: fmt.Sprintf("ST%d", i), LastDay: date.MustParse("2016-05-02").AddYears(3 * i)})
	}
	return l
}

func BenchmarkReplay20Events(b *testing.B) {
	r := DefaultRules()
	l := twentyEvents()
	at := date.MustParse("2025-11-25")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Replay(l, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplayBaseline is the floor any replay of the same ledger pays:
// copy the events, sort them by date and add up their points, with no rule
// applied. BENCHMARKS.md puts BenchmarkReplay20Events beside it.
func BenchmarkReplayBaseline(b *testing.B) {
	l := twentyEvents()
	b.ReportAllocs()
	sink := 0
	for b.Loop() {
		evs := slices.Clone(l.Offences)
		slices.SortFunc(evs, func(x, y Offence) int { return int(x.Established - y.Established) })
		total := 0
		for _, o := range evs {
			total += o.Points
		}
		sink += total
	}
	if sink == 0 {
		b.Fatal("no work done")
	}
}
