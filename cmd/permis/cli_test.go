package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// docExample returns the example input and output of the replay contract,
// the first two ```json blocks of docs/points-replay.md, so that the test
// follows the published document.
func docExample(t *testing.T) (input, output string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "points-replay.md"))
	if err != nil {
		t.Fatalf("read the contract: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) < 2 {
		t.Fatalf("docs/points-replay.md has %d json blocks, want the input and the output", len(blocks))
	}
	return blocks[0][1], blocks[1][1]
}

// sameJSON fails unless got and want are the same JSON value.
func sameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected value is not JSON: %v\n%s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("output:\n%s\nwant the same JSON as:\n%s", got, want)
	}
}

func TestPointsReplayDocumentedExample(t *testing.T) {
	in, out := docExample(t)
	file := filepath.Join(t.TempDir(), "ledger.json")
	if err := os.WriteFile(file, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"file", "", []string{"points", "replay", file}},
		{"dash", in, []string{"points", "replay", "-"}},
		{"stdin", in, []string{"points", "replay"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, tc.stdin, tc.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q, want 0 and nothing", r.code, r.stderr)
			}
			sameJSON(t, r.stdout, out)
		})
	}
}

func TestPointsReplayBadInput(t *testing.T) {
	const lic = `"licence":{"obtained":"2019-04-02","probation":"standard"}`
	offence := func(fields string) string {
		return `{` + lic + `,"events":[{"id":"o1","type":"offence",` + fields + `}],"at":"2022-01-01"}`
	}
	for _, tc := range []struct {
		name, doc string
		field     string // the JSON path the message must name
		problem   string // and a word of the problem
	}{
		{"unknown field", offence(`"committed":"2020-01-05","established":"2020-02-01","points":3,"class":4,"speed":1`), "events[0].speed", "champ inconnu"},
		{"unknown licence field", `{"licence":{"obtained":"2019-04-02","probation":"standard","x":1},"events":[],"at":"2022-01-01"}`, "licence.x", "champ inconnu"},
		{"malformed date", offence(`"committed":"05/01/2020","established":"2020-02-01","points":3,"class":4`), "events[0].committed", "mal formée"},
		{"impossible date", offence(`"committed":"2020-01-05","established":"2021-02-30","points":3,"class":4`), "events[0].established", "impossible"},
		{"established before committed", offence(`"committed":"2020-01-05","established":"2020-01-01","points":3,"class":4`), "events[0].established", "antérieure"},
		{"duplicate id", `{` + lic + `,"events":[{"id":"o1","type":"offence","committed":"2020-01-05","established":"2020-02-01","points":3,"class":4},{"id":"o1","type":"course","date":"2021-03-10"}],"at":"2022-01-01"}`, "events[1].id", "double"},
		{"points above 6", offence(`"committed":"2020-01-05","established":"2020-02-01","points":9,"class":4`), "events[0].points", "hors limites"},
		{"negative points", offence(`"committed":"2020-01-05","established":"2020-02-01","points":-1,"class":4`), "events[0].points", "hors limites"},
		{"points as a string", offence(`"committed":"2020-01-05","established":"2020-02-01","points":"3","class":4`), "events[0].points", "entier"},
		{"missing points", offence(`"committed":"2020-01-05","established":"2020-02-01","class":4`), "events[0].points", "absent"},
		{"missing at", `{` + lic + `,"events":[]}`, "at", "absent"},
		{"missing obtained", `{"licence":{"probation":"standard"},"events":[],"at":"2022-01-01"}`, "licence.obtained", "absent"},
		{"unknown class", offence(`"committed":"2020-01-05","established":"2020-02-01","points":3,"class":7`), "events[0].class", "classe"},
		{"unknown probation", `{"licence":{"obtained":"2019-04-02","probation":"weird"},"events":[],"at":"2022-01-01"}`, "licence.probation", "weird"},
		{"event before the licence", offence(`"committed":"2018-01-05","established":"2018-02-01","points":3,"class":4`), "events[0].committed", "obtention"},
		{"not JSON", `not json`, "input", "JSON invalide"},
		{"trailing data", `{` + lic + `,"events":[],"at":"2022-01-01"} {}`, "input", "après la fin"},
		{"empty", ``, "input", "vide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, tc.doc, "points", "replay", "-")
			if r.code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Fatalf("stdout %q, want nothing", r.stdout)
			}
			lines := r.stderrLines()
			if len(lines) != 1 || !strings.HasSuffix(r.stderr, "\n") || strings.Count(r.stderr, "\n") != 1 {
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

func TestPointsReplayUnreadableFile(t *testing.T) {
	r := runPermis(t, "", "points", "replay", filepath.Join(t.TempDir(), "absent.json"))
	if r.code != 1 || r.stdout != "" || len(r.stderrLines()) != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1, nothing, one line", r.code, r.stdout, r.stderr)
	}
}

func TestNEPHCheck(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		code        int
		want        string // the JSON printed, or a word of the error line
	}{
		{"twelve digits", "240334110001", 0, `{"input":"240334110001","digits":"240334110001","length":12,"standard":true,
			"layout":{"year":"24","month":"03","departement":"34","office":"11","order":"0001","layout_confirmed":false}}`},
		{"ten digits", "0503341001", 0, `{"input":"0503341001","digits":"0503341001","length":10,"standard":false,
			"warnings":["Le NEPH compte 10 chiffres au lieu de 12 : il est accepté, mais vérifiez-le."]}`},
		{"letters", "abc", 2, "seuls les chiffres"},
		{"too short", "123456789", 2, "NEPH invalide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, "", "neph", "check", tc.value)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if tc.code == 0 {
				if r.stderr != "" {
					t.Fatalf("stderr %q, want nothing", r.stderr)
				}
				sameJSON(t, r.stdout, tc.want)
				return
			}
			wantOneErrorLine(t, r, tc.want)
		})
	}
}

// wantOneErrorLine checks a refusal: nothing on stdout, one line on stderr
// that says want.
func wantOneErrorLine(t *testing.T, r result, want string) {
	t.Helper()
	if r.stdout != "" {
		t.Fatalf("stdout %q, want nothing", r.stdout)
	}
	lines := r.stderrLines()
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "permis: ") || !strings.Contains(lines[0], want) {
		t.Fatalf("stderr %q, want one line saying %q", r.stderr, want)
	}
}

func TestTitleCheck(t *testing.T) {
	number := `{"number":"24AB12345","year":"24","letters":"AB","serial":"12345","format_confirmed":false}`
	for _, tc := range []struct {
		name, value string
		code        int
		want        string
	}{
		{"title number", "24AB12345", 0, `{"input":"24AB12345","kind":"title_number","title_number":` + number + `}`},
		{"MRZ", "D1FRA24AB123458390315DUPONT<<5", 0, `{"input":"D1FRA24AB123458390315DUPONT<<5","kind":"mrz","title_number":` + number + `,
			"mrz":{"line":"D1FRA24AB123458390315DUPONT<<5","document_code":"D1","country":"FRA","document_number":"24AB12345",
			"number_check_digit":{"position":15,"expected":8,"found":8,"valid":true},"expiry":"2039-03-15","surname":"DUPONT",
			"composite_check_digit":{"position":30,"expected":5,"found":5,"valid":true}}}`},
		{"wrong number check digit", "D1FRA24AB123459390315DUPONT<<5", 2, "chiffre de contrôle du numéro du document"},
		{"wrong composite check digit", "D1FRA24AB123458390315DUPONT<<4", 2, "chiffre de contrôle global"},
		{"malformed number", "24A", 2, "numéro de titre invalide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runPermis(t, "", "title", "check", tc.value)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if tc.code == 0 {
				sameJSON(t, r.stdout, tc.want)
				return
			}
			wantOneErrorLine(t, r, tc.want)
		})
	}
}

func TestMigrateTwice(t *testing.T) {
	forEachRegister(t, func(t *testing.T, reg register) {
		first := mustRun(t, 0, append([]string{"migrate"}, reg.flags...)...)
		if !strings.Contains(first.stdout, "migration appliquée : 0001_register.sql") {
			t.Fatalf("first migrate printed %q, want the migration applied", first.stdout)
		}
		second := mustRun(t, 0, append([]string{"migrate"}, reg.flags...)...)
		if !strings.Contains(second.stdout, "aucune migration à appliquer") || strings.Contains(second.stdout, "migration appliquée") {
			t.Fatalf("second migrate printed %q, want nothing to apply", second.stdout)
		}
	})
}

func TestTokenCommands(t *testing.T) {
	forEachRegister(t, func(t *testing.T, reg register) {
		tokenArgs := func(args ...string) []string { return append(append([]string{"token"}, args...), reg.flags...) }
		for _, tc := range []struct {
			name string
			args []string
			want string // a word the error line must contain
		}{
			{"unknown role", tokenArgs("create", "--role", "pilot", "--name", "x"), "pilot"},
			{"empty name", tokenArgs("create", "--role", "agent", "--name", " "), "nom"},
			{"no subcommand", []string{"token"}, "sous-commande"},
			{"exam operator without its account", tokenArgs("create", "--role", "exam_operator", "--name", "x"), "--account"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := runPermis(t, "", tc.args...)
				if r.code != 2 {
					t.Fatalf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
				}
				if r.stdout != "" {
					t.Fatalf("stdout %q, want nothing", r.stdout)
				}
				last := r.stderrLines()[len(r.stderrLines())-1]
				if !strings.Contains(last, tc.want) {
					t.Errorf("error line %q does not say %q", last, tc.want)
				}
			})
		}

		tok := createToken(t, reg, "helpdesk")
		list := mustRun(t, 0, tokenArgs("list")...)
		row := regexp.MustCompile(`(?m)^(\d+)\s+(pmt_\S+)…\s+helpdesk\s+e2e-helpdesk\s+\d{4}-\d{2}-\d{2}\s+actif$`).FindStringSubmatch(list.stdout)
		if row == nil {
			t.Fatalf("token list:\n%s\nwant an active helpdesk row", list.stdout)
		}
		if !strings.HasPrefix(tok, row[2]) || strings.Contains(list.stdout, tok) {
			t.Fatalf("token list shows %q for token %q: want its prefix only", row[2], tok)
		}
		revoke := mustRun(t, 0, append(append([]string{"token", "revoke"}, reg.flags...), row[1])...)
		if want := "Jeton " + row[1] + " révoqué."; strings.TrimSpace(revoke.stdout) != want {
			t.Fatalf("revoke printed %q, want %q", revoke.stdout, want)
		}
		list = mustRun(t, 0, tokenArgs("list")...)
		if !regexp.MustCompile(`(?m)^` + row[1] + `\s.*helpdesk.*révoqué le \d{4}-\d{2}-\d{2}$`).MatchString(list.stdout) {
			t.Fatalf("token list after revoke:\n%s\nwant the token revoked", list.stdout)
		}
		r := runPermis(t, "", append(append([]string{"token", "revoke"}, reg.flags...), "not-a-number")...)
		if r.code != 2 {
			t.Fatalf("revoke not-a-number: exit %d, want 2", r.code)
		}
		r = runPermis(t, "", append(append([]string{"token", "revoke"}, reg.flags...), "987654")...)
		if r.code == 0 || r.stdout != "" || len(r.stderrLines()) != 1 {
			t.Fatalf("revoke unknown id: exit %d, stdout %q, stderr %q; want a failure on one line", r.code, r.stdout, r.stderr)
		}
		if line := r.stderrLines()[0]; !strings.Contains(line, "Jeton d'accès inconnu") || strings.Contains(line, "sql") {
			t.Errorf("revoke unknown id says %q: want the French message, without the driver's error", line)
		}
	})
}

func TestUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"points", "frob"}, {"neph"}, {}} {
		r := runPermis(t, "", args...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("permis %v: exit %d stdout %q, want 2 and nothing", args, r.code, r.stdout)
			continue
		}
		lines := r.stderrLines()
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "permis: commande") {
			t.Errorf("permis %v: last line %q, want the refusal", args, last)
		}
		if !strings.Contains(r.stderr, "Usage : permis COMMANDE") {
			t.Errorf("permis %v: stderr does not show the usage", args)
		}
	}
}

// A figures file that cannot be applied stops any command that opens the
// register with exit 2 and the field named, before it touches anything
// (`--exam-rules`, PERMIS_EXAM_RULES; docs/exams.md).
func TestExamRulesFile(t *testing.T) {
	forEachRegister(t, func(t *testing.T, reg register) {
		bad := filepath.Join(t.TempDir(), "examens.json")
		if err := os.WriteFile(bad, []byte(`{"no_show_block_days": 0}`), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runPermis(t, "", append([]string{"token", "list", "--exam-rules", bad}, reg.flags...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "no_show_block_days : 0 hors limites") {
			t.Fatalf("exit %d, stderr %q; want 2 naming the field", r.code, r.stderr)
		}
		good := filepath.Join(t.TempDir(), "examens.json")
		if err := os.WriteFile(good, []byte(`{"no_show_block_days": 30}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := runPermis(t, "", append([]string{"token", "list", "--exam-rules", good}, reg.flags...)...); r.code != 0 {
			t.Fatalf("a good file: exit %d, stderr %q", r.code, r.stderr)
		}
	})
}
