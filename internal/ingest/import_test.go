package ingest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"permis/internal/store"
)

// The store is the production sink.
var _ Sink = (*store.Store)(nil)

// recordingSink plays the store: it remembers every event (idempotent by
// event id, like the real one), knows a fixed set of NEPHs, and records the
// batches it was given.
type recordingSink struct {
	known    map[string]bool             // NEPHs with a licence
	register map[string]store.OffenceRow // event id → row, as recorded
	batches  [][]int                     // lines of each batch
	failAt   int                         // batch number (1-based) that fails, 0 for none
	onBatch  func(n int)                 // called after each successful batch
}

func newSink(nephs ...string) *recordingSink {
	s := &recordingSink{known: map[string]bool{}, register: map[string]store.OffenceRow{}}
	for _, n := range nephs {
		s.known[n] = true
	}
	return s
}

func (s *recordingSink) ImportOffences(ctx context.Context, rows []store.OffenceRow) ([]store.RowResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.failAt == len(s.batches)+1 {
		return nil, errors.New("base indisponible")
	}
	var batch []int
	results := make([]store.RowResult, len(rows))
	staged := map[string]store.OffenceRow{}
	for i, r := range rows {
		batch = append(batch, r.Line)
		res := store.RowResult{Line: r.Line, EventID: r.Offence.ID}
		prev, ok := s.register[r.Offence.ID]
		if !ok {
			prev, ok = staged[r.Offence.ID]
		}
		switch {
		case !s.known[string(r.NEPH)]:
			res.Outcome = store.UnknownNEPH
		case !ok:
			res.Outcome = store.Inserted
			staged[r.Offence.ID] = r
		case same(prev, r):
			res.Outcome = store.AlreadyPresent
		default:
			res.Outcome = store.ConflictingDuplicate
			res.Detail = fmt.Sprintf("ligne %d du fichier déjà enregistrée", prev.Line)
		}
		results[i] = res
	}
	for id, r := range staged { // commit
		s.register[id] = r
	}
	s.batches = append(s.batches, batch)
	if s.onBatch != nil {
		s.onBatch(len(s.batches))
	}
	return results, nil
}

// sortingSink is a recordingSink that also sorts like the store
// (LicenceSorter): by the rank of the NEPH's licence, unknown NEPHs first.
type sortingSink struct {
	*recordingSink
	rank  map[string]int
	sorts int // calls to SortByLicence
}

var _ LicenceSorter = (*sortingSink)(nil)
var _ LicenceSorter = (*store.Store)(nil)

func (s *sortingSink) SortByLicence(ctx context.Context, rows []store.OffenceRow) error {
	s.sorts++
	slices.SortStableFunc(rows, func(a, b store.OffenceRow) int { return s.rank[string(a.NEPH)] - s.rank[string(b.NEPH)] })
	return nil
}

// newSortingSink knows the NEPHs, ranked in the order given.
func newSortingSink(nephs ...string) *sortingSink {
	s := &sortingSink{recordingSink: newSink(nephs...), rank: map[string]int{}}
	for i, n := range nephs {
		s.rank[n] = i + 1
	}
	return s
}

func same(a, b store.OffenceRow) bool {
	a.Line, b.Line = 0, 0
	return a == b
}

// fakeClock advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

// offenceLine is a valid NDJSON line for event id and NEPH.
func offenceLine(id, neph string, points int) string {
	return fmt.Sprintf(`{"event_id":%q,"neph":%q,"committed":"2024-01-05","established":"2024-02-01","points":%d,"class":"4"}`, id, neph, points)
}

const neph1, neph2, nephUnknown = "230334100123", "230334100124", "999999999999"

func TestImportBatchesOutcomesAndRejects(t *testing.T) {
	input := strings.Join([]string{
		offenceLine("E1", neph1, 3),         // 1 inserted
		offenceLine("E2", neph2, 2),         // 2 inserted
		with("established", `"2024-02-30"`), // 3 bad date
		"",                                  // 4 blank
		offenceLine("E3", nephUnknown, 1),   // 5 unknown NEPH
		offenceLine("E1", neph1, 3),         // 6 same event again: already present
		offenceLine("E4", neph1, 4),         // 7 inserted
		offenceLine("E2", neph2, 4),         // 8 same id, other content
		`{"event_id":"E5"`,                  // 9 broken
		offenceLine("E5", neph1, 1),         // 10 inserted
	}, "\n")
	sink := newSink(neph1, neph2)
	sink.register["E0"] = store.OffenceRow{}
	var rejects strings.Builder
	sum, err := Import(context.Background(), strings.NewReader(input), sink,
		Options{BatchSize: 3, Rejects: &rejects, Now: fakeClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	wantBatches := [][]int{{1, 2, 5}, {6, 7, 8}, {10}}
	if !slices.EqualFunc(sink.batches, wantBatches, slices.Equal) {
		t.Errorf("batches %v, want %v", sink.batches, wantBatches)
	}
	wantRejects := "ligne 3 : established : date impossible (2024-02-30)\n" +
		"ligne 5 : neph : aucun permis avec ce NEPH (999999999999)\n" +
		"ligne 8 : event_id : ligne 2 du fichier déjà enregistrée (E2)\n" +
		"ligne 9 : JSON invalide : objet non terminé en fin de ligne\n"
	if rejects.String() != wantRejects {
		t.Errorf("rejects:\n%s\nwant:\n%s", rejects.String(), wantRejects)
	}
	want := Summary{
		Format: FormatNDJSON, Lines: 10, Records: 9, Inserted: 4, AlreadyPresent: 1, Batches: 3,
		Rejected: map[Kind]int{KindDateImpossible: 1, KindUnknownNEPH: 1, KindConflict: 1, KindSyntax: 1},
		Bytes:    int64(len(input)),
	}
	if !equalSummary(sum, want) {
		t.Errorf("summary %+v\nwant    %+v", sum, want)
	}
	for _, id := range []string{"E1", "E2", "E4", "E5"} {
		if _, ok := sink.register[id]; !ok {
			t.Errorf("%s not recorded", id)
		}
	}
	if sink.register["E2"].Offence.Points != 2 {
		t.Errorf("the first E2 must stay: %+v", sink.register["E2"])
	}
}

func equalSummary(a, b Summary) bool { return reflect.DeepEqual(a, b) }

func TestImportDefaultBatchSize(t *testing.T) {
	var b strings.Builder
	for i := range DefaultBatchSize + 1 {
		b.WriteString(offenceLine(fmt.Sprint("E", i), neph1, 1) + "\n")
	}
	sink := newSink(neph1)
	sum, err := Import(context.Background(), strings.NewReader(b.String()), sink, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.batches) != 2 || len(sink.batches[0]) != DefaultBatchSize || len(sink.batches[1]) != 1 {
		t.Errorf("batches of %d and %d", len(sink.batches[0]), len(sink.batches[1]))
	}
	if sum.Inserted != DefaultBatchSize+1 || sum.Batches != 2 || sum.RejectedTotal() != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// A window goes to a sink that sorts as the first occurrence of each event
// id in licence order, then the later occurrences in file order; so the
// first occurrence of an event id wins even when a later one belongs to a
// licence that sorts first.
func TestImportWindowSortedByLicence(t *testing.T) {
	const nephA = "230334100125" // ranked first
	input := strings.Join([]string{
		offenceLine("E1", neph1, 3),       // 1
		offenceLine("E2", nephA, 2),       // 2
		offenceLine("E3", nephUnknown, 1), // 3 unknown: sorts first
		offenceLine("E1", nephA, 3),       // 4 E1 again, other licence, ranked before line 1's
		offenceLine("E4", neph2, 1),       // 5
		offenceLine("E5", nephA, 1),       // 6
		offenceLine("E6", neph1, 1),       // 7 second window
		offenceLine("E7", nephA, 1),       // 8
	}, "\n")
	// Windows of 6 rows in batches of 2: lines 1–6, then 7–8.
	sink := newSortingSink(nephA, neph2, neph1)
	var rejects strings.Builder
	sum, err := Import(context.Background(), strings.NewReader(input), sink,
		Options{BatchSize: 2, WindowRows: 6, Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	wantBatches := [][]int{{3, 2}, {6, 5}, {1, 4}, {7, 8}} // the last window is one batch: file order
	if !slices.EqualFunc(sink.batches, wantBatches, slices.Equal) {
		t.Errorf("batches %v, want %v", sink.batches, wantBatches)
	}
	if got := sink.register["E1"].NEPH; got != neph1 {
		t.Errorf("E1 recorded for %s, want the first occurrence's %s", got, neph1)
	}
	wantRejects := "ligne 3 : neph : aucun permis avec ce NEPH (999999999999)\n" +
		"ligne 4 : event_id : ligne 1 du fichier déjà enregistrée (E1)\n"
	if rejects.String() != wantRejects {
		t.Errorf("rejects:\n%s\nwant:\n%s", rejects.String(), wantRejects)
	}
	if sum.Inserted != 6 || sum.Batches != 4 || sink.sorts != 1 {
		t.Errorf("summary %+v, %d sorts", sum, sink.sorts)
	}
}

// A window of one batch is sent in file order, sorted by the store within
// its batch only.
func TestImportWindowOfOneBatchNotSorted(t *testing.T) {
	input := offenceLine("E1", neph1, 3) + "\n" + offenceLine("E2", neph2, 3)
	sink := newSortingSink(neph2, neph1)
	if _, err := Import(context.Background(), strings.NewReader(input), sink, Options{BatchSize: 2, WindowRows: 1}); err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{1, 2}}; !slices.EqualFunc(sink.batches, want, slices.Equal) || sink.sorts != 0 {
		t.Errorf("batches %v (want %v), %d sorts", sink.batches, want, sink.sorts)
	}
}

// An interrupted run followed by a second run leaves the register one clean
// run leaves: the importer's half of the kill -9 argument of the package doc.
// With a sink that sorts, the later occurrences of E0…E9 belong to a
// licence ranked first: they must still lose to the first occurrences.
func TestImportRerunAfterInterruption(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		neph := neph1
		if i >= 90 {
			neph = neph2
		}
		b.WriteString(offenceLine(fmt.Sprint("E", i%90), neph, 1+i/90) + "\n") // E0…E9 again with other points
	}
	input := b.String()
	for _, sorted := range []bool{false, true} {
		sink := func() (Sink, *recordingSink) {
			if sorted {
				s := newSortingSink(neph2, neph1)
				return s, s.recordingSink
			}
			s := newSink(neph1, neph2)
			return s, s
		}
		opts := Options{BatchSize: 7, WindowRows: 100} // one window: the repeats sort before their first occurrences
		t.Run(fmt.Sprint("sorted=", sorted), func(t *testing.T) {
			testRerun(t, input, sink, opts)
		})
	}
}

func testRerun(t *testing.T, input string, newSink func() (Sink, *recordingSink), opts Options) {
	cleanSink, clean := newSink()
	if _, err := Import(context.Background(), strings.NewReader(input), cleanSink, opts); err != nil {
		t.Fatal(err)
	}
	for id, r := range clean.register {
		if r.NEPH != neph1 {
			t.Fatalf("clean run: %s recorded for %s, the later occurrence", id, r.NEPH)
		}
	}

	for stopAfter := 1; stopAfter <= 15; stopAfter++ {
		ctx, cancel := context.WithCancel(context.Background())
		s, sink := newSink()
		sink.onBatch = func(n int) {
			if n == stopAfter {
				cancel()
			}
		}
		first, err := Import(ctx, strings.NewReader(input), s, opts)
		if stopAfter < 15 && !errors.Is(err, context.Canceled) {
			t.Fatalf("stop after %d: %v", stopAfter, err)
		}
		if stopAfter < 15 && (first.Batches != stopAfter || !first.Interrupted) {
			t.Fatalf("stop after %d: summary %+v", stopAfter, first)
		}
		second, err := Import(context.Background(), strings.NewReader(input), s, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !mapsEqual(sink.register, clean.register) {
			t.Fatalf("stop after %d: register differs from a clean run", stopAfter)
		}
		if second.Inserted+second.AlreadyPresent != 90 || second.Rejected[KindConflict] != 10 {
			t.Fatalf("stop after %d: second run %+v", stopAfter, second)
		}
		cancel()
	}
}

func mapsEqual(a, b map[string]store.OffenceRow) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !same(v, w) {
			return false
		}
	}
	return true
}

func TestImportCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sink := newSink(neph1)
	input := offenceLine("E1", neph1, 1) + "\n" + with("points", "8") + "\n"
	var rejects strings.Builder
	sum, err := Import(ctx, strings.NewReader(input), sink, Options{Rejects: &rejects})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if len(sink.batches) != 0 || sum.Unsent() != 1 || !sum.Interrupted {
		t.Errorf("batches %v, summary %+v", sink.batches, sum)
	}
	if rejects.String() != "ligne 2 : points : 8 hors de l'intervalle 0 à 6\n" {
		t.Errorf("rejects %q", rejects.String())
	}
}

func TestImportCancelledWhileOnlyBadRows(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	input := strings.Repeat("{}\n", 3*ctxCheckEvery)
	sum, err := Import(ctx, strings.NewReader(input), newSink(), Options{})
	if !errors.Is(err, context.Canceled) || sum.Records != ctxCheckEvery {
		t.Fatalf("err %v, records %d: a file of bad rows must still notice the cancellation", err, sum.Records)
	}
}

func TestImportSinkError(t *testing.T) {
	var b strings.Builder
	for i := range 10 {
		b.WriteString(offenceLine(fmt.Sprint("E", i), neph1, 1) + "\n")
	}
	sink := newSink(neph1)
	sink.failAt = 2
	sum, err := Import(context.Background(), strings.NewReader(b.String()), sink, Options{BatchSize: 4})
	if err == nil || err.Error() != "lot 2 (lignes 5 à 8) non enregistré : base indisponible" {
		t.Fatalf("err %v", err)
	}
	if sum.Batches != 1 || sum.Inserted != 4 || !sum.Interrupted {
		t.Errorf("summary %+v", sum)
	}
}

// shortSink breaks the one-result-per-row contract.
type shortSink struct{}

func (shortSink) ImportOffences(context.Context, []store.OffenceRow) ([]store.RowResult, error) {
	return nil, nil
}

func TestImportSinkContract(t *testing.T) {
	_, err := Import(context.Background(), strings.NewReader(offenceLine("E1", neph1, 1)), shortSink{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "le registre a rendu 0 résultats pour 1 lignes") {
		t.Fatalf("err %v", err)
	}
}

func TestImportFatalParseErrors(t *testing.T) {
	_, err := Import(context.Background(), strings.NewReader("event_id,neph\n"), newSink(), Options{})
	if err == nil || err.Error() != "ligne 1 : en-tête CSV : colonne obligatoire committed absente" {
		t.Fatalf("err %v", err)
	}
}

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disque plein") }

func TestImportRejectsWriteError(t *testing.T) {
	input := offenceLine("E1", neph1, 1) + "\n{}\n"
	sink := newSink(neph1)
	_, err := Import(context.Background(), strings.NewReader(input), sink, Options{Rejects: failingWriter{}})
	if err == nil || err.Error() != "écriture du rapport des rejets : disque plein" {
		t.Fatalf("err %v", err)
	}
}

// fixedSink answers every row with the same outcome and detail.
type fixedSink struct {
	outcome store.ImportOutcome
	detail  string
}

func (s fixedSink) ImportOffences(_ context.Context, rows []store.OffenceRow) ([]store.RowResult, error) {
	out := make([]store.RowResult, len(rows))
	for i, r := range rows {
		out[i] = store.RowResult{Line: r.Line, EventID: r.Offence.ID, Outcome: s.outcome, Detail: s.detail}
	}
	return out, nil
}

func TestImportStoreDetails(t *testing.T) {
	tests := []struct {
		sink fixedSink
		want string
	}{
		{fixedSink{store.UnknownNEPH, ""}, "ligne 1 : neph : aucun permis avec ce NEPH (230334100123)\n"},
		{fixedSink{store.UnknownNEPH, "aucun permis de conduire\navec le NEPH 230334100123"}, "ligne 1 : neph : aucun permis de conduire avec le NEPH 230334100123\n"},
		{fixedSink{store.ConflictingDuplicate, ""}, "ligne 1 : event_id : événement E1 déjà enregistré avec un contenu différent\n"},
		{fixedSink{store.ConflictingDuplicate, "autre champ : points"}, "ligne 1 : event_id : autre champ : points (E1)\n"},
	}
	for _, tt := range tests {
		var rejects strings.Builder
		sum, err := Import(context.Background(), strings.NewReader(offenceLine("E1", neph1, 1)), tt.sink, Options{Rejects: &rejects})
		if err != nil || sum.RejectedTotal() != 1 || rejects.String() != tt.want {
			t.Errorf("err %v, rejects %q, want %q", err, rejects.String(), tt.want)
		}
	}
}
