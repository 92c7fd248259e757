package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"permis/internal/licence"
	"permis/internal/store"
)

// Sink receives the rows in batches: in production *store.Store. One call
// is one transaction, idempotent by event id (see the package doc). It must
// return one result per row and must not keep the slice after returning:
// the importer reuses it for the next batch.
type Sink interface {
	ImportOffences(ctx context.Context, rows []store.OffenceRow) ([]store.RowResult, error)
}

// A LicenceSorter is a Sink that can put rows in the order of their
// licences in the register, then of their lines (in production
// *store.Store). Import
// then sends each window of rows in that order, in batches (see the package
// doc, point 4): in a large register the batches of a window cover
// disjoint ranges of licences, so each page of the licence-ordered indexes
// is written once per window instead of once per row.
type LicenceSorter interface {
	SortByLicence(ctx context.Context, rows []store.OffenceRow) error
}

// DefaultBatchSize is the number of rows per transaction. Random keys
// (event ids, licence ids) dirty about one index page per row in a small
// batch; a batch of 50 000 rows shares pages between rows and, measured on
// SQLite with a 200 000-licence register, imports 1.7 times faster than
// batches of 5 000 (BENCHMARKS.md). A kill loses at most one batch of work
// (re-run: it goes in then), and the SQLite write lock is held about a second.
const DefaultBatchSize = 50000

// DefaultWindowRows is the number of rows read before they are sent, put in
// the register's order when the sink can (LicenceSorter), in batches of
// BatchSize. Measured on SQLite with a 10 M-licence register, windows of
// 400 000 rows cost 22–24 µs of CPU a row against 31 for windows of one
// batch (BENCHMARKS.md, "The import's window"); the window holds about 150 MB
// more than a batch.
const DefaultWindowRows = 8 * DefaultBatchSize

// Options tunes an import; the zero value imports with defaults and reports
// nothing.
type Options struct {
	Format       Format // FormatAuto recognises NDJSON or CSV
	BatchSize    int    // rows per call to the sink; 0 means DefaultBatchSize
	WindowRows   int    // rows read before sending them in batches; 0 means DefaultWindowRows, never less than BatchSize
	MaxLineBytes int    // 0 means DefaultMaxLineBytes

	// Rejects receives one line per rejected row, in line order within each
	// window: "ligne 42 : established : date impossible (2024-02-30)". Nil
	// discards them (they are still counted).
	Rejects io.Writer

	// Progress receives progress reports; nil means none. On a terminal
	// (IsTerminal) it is a bar redrawn in place; otherwise a plain line
	// every few seconds.
	Progress   io.Writer
	IsTerminal bool
	Size       int64 // bytes of the input as given (compressed if gzipped); 0 if unknown

	Now func() time.Time // clock for the elapsed time and the progress; nil means time.Now
}

func (o Options) withDefaults() Options {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.WindowRows <= 0 {
		o.WindowRows = DefaultWindowRows
	}
	o.WindowRows = max(o.WindowRows, o.BatchSize)
	if o.Rejects == nil {
		o.Rejects = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// ctxCheckEvery is how many rows are parsed between two looks at the
// context when no batch fills up (a file of bad rows).
const ctxCheckEvery = 4096

// Import reads offences from r and hands them to sink in batches. Bad rows
// are written to opts.Rejects and counted; the good rows still go in. It
// stops at the first sink or read error, or when ctx is cancelled (between
// batches: a batch is either sent whole or not at all), returning the
// summary so far with the error. Running it again on the same file finishes
// the job (see the package doc).
func Import(ctx context.Context, r io.Reader, sink Sink, opts Options) (Summary, error) {
	opts = opts.withDefaults()
	imp := &importer{
		sink:    sink,
		opts:    opts,
		rejects: bufio.NewWriter(opts.Rejects),
		counter: &countingReader{r: r},
		start:   opts.Now(),
	}
	imp.sum.Rejected = map[Kind]int{}
	imp.progress = newProgress(opts.Progress, opts.IsTerminal, opts.Size, imp.start)
	err := imp.run(ctx)
	if ferr := imp.rejects.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("écriture du rapport des rejets : %w", ferr)
	}
	imp.sum.Bytes = imp.counter.n
	imp.sum.Elapsed = opts.Now().Sub(imp.start)
	imp.sum.Interrupted = err != nil
	imp.progress.finish(opts.Now(), imp.sum.Bytes, imp.sum.Records, err == nil)
	return imp.sum, err
}

// importer is the state of one Import call.
type importer struct {
	sink     Sink
	opts     Options
	rejects  *bufio.Writer
	counter  *countingReader
	progress *progress
	start    time.Time
	parser   *Parser
	sum      Summary
	window   []store.OffenceRow
	pending  []*RowError // rejects of the current window, written after it
	seen     map[string]struct{}
	shown    progressMark      // at the end of the last window sent
	natures  map[string]string // interned natures of offence (compact)
}

// maxNatures bounds the interned natures: a file names a few hundred
// kinds of offence (NATINF); past the bound, a nature is copied per row.
const maxNatures = 4096

// compact returns row without its hold on the parsed line: the parser's
// strings are substrings of the whole line (one allocation a row), which a
// window would otherwise keep alive, 200 bytes or more a row. The event
// id, NEPH and occasion are copied into one small string, the nature is
// interned.
func (imp *importer) compact(row store.OffenceRow) store.OffenceRow {
	o := &row.Offence
	buf := o.ID + string(row.NEPH) + o.Occasion // one allocation
	i, j := len(o.ID), len(o.ID)+len(row.NEPH)
	o.ID, row.NEPH, o.Occasion = buf[:i], licence.NEPH(buf[i:j]), buf[j:]
	if n, ok := imp.natures[row.Nature]; ok {
		row.Nature = n
	} else {
		n := strings.Clone(row.Nature)
		if imp.natures == nil {
			imp.natures = make(map[string]string)
		}
		if len(imp.natures) < maxNatures {
			imp.natures[n] = n
		}
		row.Nature = n
	}
	return row
}

func (imp *importer) run(ctx context.Context) error {
	p, err := NewParser(imp.counter, ParserOptions{Format: imp.opts.Format, MaxLineBytes: imp.opts.MaxLineBytes})
	if err != nil {
		return err
	}
	imp.parser = p
	imp.sum.Format = p.Format()
	for {
		row, err := p.Next()
		// A type assertion, not errors.As: the parser returns *RowError
		// itself, and errors.As would move a variable to the heap per row.
		rowErr, isRowErr := err.(*RowError)
		switch {
		case err == nil:
			imp.sum.Records++
			if imp.window == nil { // the whole window at once: no copies as it grows
				imp.window = make([]store.OffenceRow, 0, imp.opts.WindowRows)
			}
			imp.window = append(imp.window, imp.compact(row))
		case isRowErr:
			imp.sum.Records++
			imp.reject(rowErr)
		case err == io.EOF:
			imp.sum.Lines = p.Lines()
			return imp.flush(ctx)
		default:
			imp.sum.Lines = p.Lines()
			return errors.Join(err, imp.writePending())
		}
		if len(imp.window) == imp.opts.WindowRows {
			if err := imp.flush(ctx); err != nil {
				return err
			}
		} else if imp.sum.Records%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				imp.sum.Lines = p.Lines()
				return errors.Join(err, imp.writePending())
			}
			imp.showProgress(0)
		}
	}
}

func (imp *importer) reject(e *RowError) {
	imp.sum.Rejected[e.Kind]++
	imp.pending = append(imp.pending, e)
}

// flush sends the window in batches, counts the outcomes and writes the
// window's rejects in line order. A cancelled context stops between
// batches: each batch is sent whole or not at all.
func (imp *importer) flush(ctx context.Context) error {
	imp.sum.Lines = imp.parser.Lines()
	if err := ctx.Err(); err != nil {
		return errors.Join(err, imp.writePending())
	}
	if err := imp.order(ctx); err != nil {
		return errors.Join(err, imp.writePending())
	}
	sent := 0
	for batch := range slices.Chunk(imp.window, imp.opts.BatchSize) {
		if err := ctx.Err(); err != nil {
			return errors.Join(err, imp.writePending())
		}
		if err := imp.send(ctx, batch); err != nil {
			return errors.Join(err, imp.writePending())
		}
		sent += len(batch)
		imp.showProgress(sent)
	}
	if len(imp.window) == 0 {
		imp.showProgress(0)
	}
	imp.window = imp.window[:0]
	imp.shown = progressMark{imp.counter.n, imp.sum.Records}
	return imp.writePending()
}

// progressMark is how far the progress bar had got: bytes and rows read.
type progressMark struct {
	bytes   int64
	records int
}

// showProgress redraws the bar once sent rows of the window are in the
// register: the bytes and rows read since the last window count in
// proportion, so the bar follows what is recorded, not what is read ahead.
func (imp *importer) showProgress(sent int) {
	bytes, records := imp.counter.n, imp.sum.Records
	if n := len(imp.window); n > 0 && sent < n {
		bytes = imp.shown.bytes + (bytes-imp.shown.bytes)*int64(sent)/int64(n)
		records = imp.shown.records + (records-imp.shown.records)*sent/n
	}
	imp.progress.update(imp.opts.Now(), bytes, records)
}

// order puts the window in the order it is sent (package doc, point 4):
// the first occurrence of each event id, in the register's order, then the
// later occurrences of an event id in file order, so that a later
// occurrence always reaches the register after the first. A sink that
// cannot sort, or a window of one batch, keeps file order.
func (imp *importer) order(ctx context.Context) error {
	sorter, ok := imp.sink.(LicenceSorter)
	if !ok || len(imp.window) <= imp.opts.BatchSize {
		return nil
	}
	if imp.seen == nil {
		imp.seen = make(map[string]struct{}, len(imp.window))
	}
	clear(imp.seen)
	from, to := imp.window[0].Line, imp.window[len(imp.window)-1].Line
	var repeats []store.OffenceRow
	firsts := imp.window[:0]
	for _, r := range imp.window {
		if _, dup := imp.seen[r.Offence.ID]; dup {
			repeats = append(repeats, r)
			continue
		}
		imp.seen[r.Offence.ID] = struct{}{}
		firsts = append(firsts, r)
	}
	imp.window = append(firsts, repeats...)
	if err := sorter.SortByLicence(ctx, firsts); err != nil {
		return fmt.Errorf("lignes %d à %d non enregistrées : %w", from, to, err)
	}
	return nil
}

func (imp *importer) send(ctx context.Context, batch []store.OffenceRow) error {
	first, last := batch[0].Line, batch[0].Line
	for _, r := range batch {
		first, last = min(first, r.Line), max(last, r.Line)
	}
	results, err := imp.sink.ImportOffences(ctx, batch)
	if err != nil {
		return fmt.Errorf("lot %d (lignes %d à %d) non enregistré : %w", imp.sum.Batches+1, first, last, err)
	}
	if len(results) != len(batch) {
		return fmt.Errorf("lot %d (lignes %d à %d) : le registre a rendu %d résultats pour %d lignes",
			imp.sum.Batches+1, first, last, len(results), len(batch))
	}
	imp.sum.Batches++
	for i, res := range results {
		line := res.Line
		if line == 0 {
			line = batch[i].Line
		}
		switch res.Outcome {
		case store.Inserted:
			imp.sum.Inserted++
		case store.AlreadyPresent:
			imp.sum.AlreadyPresent++
		case store.UnknownNEPH:
			imp.reject(&RowError{Line: line, Field: "neph", Kind: KindUnknownNEPH,
				Reason: explain(res.Detail, "aucun permis avec ce NEPH ("+show(string(batch[i].NEPH))+")")})
		case store.ConflictingDuplicate:
			reason := "événement " + show(res.EventID) + " déjà enregistré avec un contenu différent"
			if res.Detail != "" {
				reason = explain(res.Detail, "") + " (" + show(res.EventID) + ")"
			}
			imp.reject(&RowError{Line: line, Field: "event_id", Kind: KindConflict, Reason: reason})
		default:
			return fmt.Errorf("ligne %d : résultat d'import inconnu (%d)", line, res.Outcome)
		}
	}
	return nil
}

// explain returns the store's explanation of a rejection, kept on one
// line, or the default when it gave none.
func explain(detail, def string) string {
	if detail == "" {
		return def
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, detail)
}

// writePending writes the rejects collected since the last window, sorted
// by line (parse errors and the sink's rejects interleave), and flushes
// them. A run killed in the middle of a window leaves that window's rejects
// out of its report; the next run, which judges every row again, reports
// them (package doc).
func (imp *importer) writePending() error {
	slices.SortStableFunc(imp.pending, func(a, b *RowError) int { return a.Line - b.Line })
	for i, e := range imp.pending {
		imp.rejects.WriteString(e.Error())
		imp.rejects.WriteByte('\n')
		imp.pending[i] = nil
	}
	imp.pending = imp.pending[:0]
	if err := imp.rejects.Flush(); err != nil {
		return fmt.Errorf("écriture du rapport des rejets : %w", err)
	}
	return nil
}

// countingReader counts the bytes read from the input, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
