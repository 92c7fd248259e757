package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/store"
)

// TestContestEvaluateAnswersTheLaw runs `permis contest evaluate` on the
// documents of testdata/contest, checks the answer the law gives, then the
// whole output against its .out.json.
func TestContestEvaluateAnswersTheLaw(t *testing.T) {
	for _, tc := range []struct {
		file   string
		law    string // the article that decides
		reason string
		points int
	}{
		{"sold_ok", "CPP 529-2, 529-10 1°", "ok", 0},
		{"sold_without_acknowledgement", "CPP 529-10 1°", "documents_missing", 1},
		{"other_driver_designated", "CPP 529-10 2°, C. route L121-2", "ok", 0},
		{"offence_without_deposit", "CPP 529-10 3°", "deposit_missing", 1},
		{"offence_with_deposit", "CPP 529-10 3°, C. route L223-1", "ok", 0},
		{"already_paid", "CPP 529, C. route L223-1", "already_paid", 1},
		{"late", "CPP 529-2", "late", 1},
		{"company_late_designation", "C. route L121-6, L121-3", "late", 0},
		{"deadline_after_easter", "CPP 801", "ok", 0},
		{"afm_registered_three_months", "CPP 530", "ok", 0},
		{"afm_payment_delay_requested", "CPP 530-4, service-public F34207", "payment_delay_requested", 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			in := filepath.Join("testdata", "contest", tc.file+".json")
			r := runPermis(t, "", "contest", "evaluate", in)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var got struct {
				Reason string `json:"reason"`
				Points int    `json:"points_withdrawn"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			if got.Reason != tc.reason || got.Points != tc.points {
				t.Errorf("%s: reason %q, %d points; want %q, %d", tc.law, got.Reason, got.Points, tc.reason, tc.points)
			}
			want, err := os.ReadFile(strings.TrimSuffix(in, ".json") + ".out.json")
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, r.stdout, string(want))
		})
	}
}

// TestContestEvaluateDocumentedExamples checks every input/output pair of
// docs/contest-evaluate.md: each ```json block of an input is followed by
// the block of its output.
func TestContestEvaluateDocumentedExamples(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "contest-evaluate.md"))
	if err != nil {
		t.Fatalf("read the contract: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) < 4 || len(blocks)%2 != 0 {
		t.Fatalf("docs/contest-evaluate.md has %d json blocks, want input/output pairs", len(blocks))
	}
	for i := 0; i < len(blocks); i += 2 {
		in, out := blocks[i][1], blocks[i+1][1]
		for _, args := range [][]string{{"contest", "evaluate", "-"}, {"contest", "evaluate"}} {
			r := runPermis(t, in, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("example %d: exit %d, stderr %q", i/2+1, r.code, r.stderr)
			}
			sameJSON(t, r.stdout, out)
		}
	}
}

func TestContestEvaluateBadInput(t *testing.T) {
	const notice = `"notice":{"kind":"aco","sent":"2025-03-03","class":4,"fine":135,"holder":"person","committed":"2025-02-01","points":1}`
	withContest := func(fields string) string { return `{` + notice + `,"contest":{` + fields + `}}` }
	withNotice := func(fields string) string {
		return `{"notice":{` + fields + `},"contest":{"filed":"2025-03-20","ground":"sold"}}`
	}
	const okNotice = `"kind":"aco","sent":"2025-03-03","class":4,"fine":135,"holder":"person","committed":"2025-02-01","points":1`
	for _, tc := range []struct {
		name, doc string
		field     string // the JSON path the message must name
		problem   string // and a word of the problem
	}{
		{"unknown top field", `{` + notice + `,"contest":{"filed":"2025-03-20","ground":"sold"},"x":1}`, "x", "champ inconnu"},
		{"unknown notice field", withNotice(okNotice + `,"plate":"AB-123-CD"`), "notice.plate", "champ inconnu"},
		{"unknown contest field", withContest(`"filed":"2025-03-20","ground":"sold","reasons":"x"`), "contest.reasons", "champ inconnu"},
		{"missing notice", `{"contest":{"filed":"2025-03-20","ground":"sold"}}`, "notice", "absent"},
		{"missing ground", withContest(`"filed":"2025-03-20"`), "contest.ground", "absent"},
		{"unknown kind", withNotice(strings.Replace(okNotice, `"aco"`, `"pv"`, 1)), "notice.kind", "pv"},
		{"unknown mail", withNotice(okNotice + `,"mail":"email"`), "notice.mail", "email"},
		{"unknown holder", withNotice(strings.Replace(okNotice, `"person"`, `"ngo"`, 1)), "notice.holder", "ngo"},
		{"unknown class", withNotice(strings.Replace(okNotice, `"class":4`, `"class":7`, 1)), "notice.class", "classe"},
		{"fine as a string", withNotice(strings.Replace(okNotice, `"fine":135`, `"fine":"135"`, 1)), "notice.fine", "entier"},
		{"zero fine", withNotice(strings.Replace(okNotice, `"fine":135`, `"fine":0`, 1)), "notice.fine", "positif"},
		{"points above 6", withNotice(strings.Replace(okNotice, `"points":1`, `"points":9`, 1)), "notice.points", "hors limites"},
		{"malformed date", withNotice(strings.Replace(okNotice, `"2025-03-03"`, `"03/03/2025"`, 1)), "notice.sent", "mal formée"},
		{"impossible date", withContest(`"filed":"2025-02-30","ground":"sold"`), "contest.filed", "impossible"},
		{"committed after sent", withNotice(strings.Replace(okNotice, `"2025-02-01"`, `"2025-04-01"`, 1)), "notice.committed", "postérieure"},
		{"filed before sent", withContest(`"filed":"2025-03-01","ground":"sold"`), "contest.filed", "antérieure"},
		{"unknown ground", withContest(`"filed":"2025-03-20","ground":"lost"`), "contest.ground", "lost"},
		{"unknown document", withContest(`"filed":"2025-03-20","ground":"sold","documents":["sale_declaration","carte_grise"]`), "contest.documents[1]", "carte_grise"},
		{"documents not an array", withContest(`"filed":"2025-03-20","ground":"sold","documents":"sale_declaration"`), "contest.documents", "tableau"},
		{"negative deposit", withContest(`"filed":"2025-03-20","ground":"contest_offence","deposit":-5`), "contest.deposit", "négative"},
		{"paid before the offence", withContest(`"filed":"2025-03-20","ground":"sold","paid":"2025-01-01"`), "contest.paid", "antérieure"},
		{"payment delay not a boolean", withContest(`"filed":"2025-03-20","ground":"sold","payment_delay_requested":"no"`), "contest.payment_delay_requested", "true ou false"},
		{"not JSON", `not json`, "input", "JSON invalide"},
		{"trailing data", withContest(`"filed":"2025-03-20","ground":"sold"`) + ` {}`, "input", "après la fin"},
		{"empty", ``, "input", "vide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, tc.doc, "contest", "evaluate", "-")
			if r.code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Fatalf("stdout %q, want nothing", r.stdout)
			}
			lines := r.stderrLines()
			if len(lines) != 1 || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("stderr %q, want exactly one line", r.stderr)
			}
			if want := "permis: " + tc.field + " : "; !strings.HasPrefix(lines[0], want) {
				t.Fatalf("stderr %q, want it to start with %q", lines[0], want)
			}
			if !strings.Contains(lines[0], tc.problem) {
				t.Fatalf("stderr %q does not say %q", lines[0], tc.problem)
			}
		})
	}
}

// `permis contest nightly` issues the L121-6 fine of a company
// that did not designate its driver within 45 days, once.
func TestContestNightlyCommand(t *testing.T) {
	forEachRegister(t, func(t *testing.T, reg register) {
		mustRun(t, 0, append([]string{"migrate"}, reg.flags...)...)
		s := mustOpenStore(t, reg.dsn)
		today := date.Today(time.Now())
		n := store.Notice{Number: "12345678901234", Plate: "AB-123-CD", Kind: contest.ACO, Committed: today.AddDays(-110),
			Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 3, Sent: today.AddDays(-100), Mail: contest.Ordinary,
			Holder: store.NoticeHolder{Kind: contest.Company, Name: "Transports Rhône SARL", SIREN: "552100554"}}
		if err := s.CreateNotice(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		args := append([]string{"contest", "nightly"}, reg.flags...)
		// A deployment whose figures give companies 200 days: nothing yet.
		dir := t.TempDir()
		long, bad := filepath.Join(dir, "long.json"), filepath.Join(dir, "bad.json")
		os.WriteFile(long, []byte(`{"designation_days": 200}`), 0o600)
		os.WriteFile(bad, []byte(`{"designation_days": 0}`), 0o600)
		// The notice, sent 100 days ago and unpaid, is increased of
		// right (CPP 529-2): it becomes an AFM, and keeps its first
		// sending, from which the 45 days of L121-6 still run.
		if r := mustRun(t, 0, append(args, "--contest-rules", long)...); !strings.HasPrefix(r.stdout, "Amendes pour non-désignation du conducteur émises : 0.\n") ||
			!strings.Contains(r.stdout, "Avis devenus amendes forfaitaires majorées : 1.\n") {
			t.Fatalf("with 200 days: %q", r.stdout)
		}
		if r := mustRun(t, 2, append(args, "--contest-rules", bad)...); !strings.Contains(r.stderr, "designation_days") {
			t.Fatalf("bad figures: %q", r.stderr)
		}
		if r := mustRun(t, 0, args...); !strings.HasPrefix(r.stdout, "Amendes pour non-désignation du conducteur émises : 1.\n") {
			t.Fatalf("first pass: %q", r.stdout)
		}
		if r := mustRun(t, 0, args...); r.stdout != "Amendes pour non-désignation du conducteur émises : 0.\nContestations closes faute de consignation : 0.\nAvis devenus amendes forfaitaires majorées : 0.\nPaiements remboursés : 0.\n" {
			t.Fatalf("second pass: %q", r.stdout)
		}
	})
}
