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

	"permis/internal/store"
)

// Sink receives the rows in batches: in production *store.Store. One call
// is one transaction, idempotent by event id (see the package doc). It must
// return one result per row and must not keep the slice after returning:
// the importer reuses it for the next batch.
type Sink interface {
	ImportOffences(ctx context.Context, rows []store.OffenceRow) ([]store.RowResult, error)
}

// DefaultBatchSize is the number of rows per transaction. Random keys
// (event ids, licence ids) dirty about one index page per row in a small
// batch; a batch of 50 000 rows shares pages between rows and, measured on
// SQLite with a 200 000-licence register, imports 1.7 times faster than
// batches of 5 000 (BENCHMARKS.md). A kill loses at most one batch of work
// (re-run: it goes in then), and the SQLite write lock is held about a second.
const DefaultBatchSize = 50000

// Options tunes an import; the zero value imports with defaults and reports
// nothing.
type Options struct {
	Format       Format // FormatAuto recognises NDJSON or CSV
	BatchSize    int    // rows per call to the sink; 0 means DefaultBatchSize
	MaxLineBytes int    // 0 means DefaultMaxLineBytes

	// Rejects receives one line per rejected row, in line order within each
	// batch: "ligne 42 : established : date impossible (2024-02-30)". Nil
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
	batch    []store.OffenceRow
	pending  []*RowError // rejects of the current batch, written after it
}

func (imp *importer) run(ctx context.Context) error {
	p, err := NewParser(imp.counter, ParserOptions{Format: imp.opts.Format, MaxLineBytes: imp.opts.MaxLineBytes})
	if err != nil {
		return err
	}
	imp.parser = p
	imp.sum.Format = p.Format()
	imp.batch = make([]store.OffenceRow, 0, imp.opts.BatchSize)
	for {
		row, err := p.Next()
		// A type assertion, not errors.As: the parser returns *RowError
		// itself, and errors.As would move a variable to the heap per row.
		rowErr, isRowErr := err.(*RowError)
		switch {
		case err == nil:
			imp.sum.Records++
			imp.batch = append(imp.batch, row)
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
		if len(imp.batch) == imp.opts.BatchSize {
			if err := imp.flush(ctx); err != nil {
				return err
			}
		} else if imp.sum.Records%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				imp.sum.Lines = p.Lines()
				return errors.Join(err, imp.writePending())
			}
			imp.progress.update(imp.opts.Now(), imp.counter.n, imp.sum.Records)
		}
	}
}

func (imp *importer) reject(e *RowError) {
	imp.sum.Rejected[e.Kind]++
	imp.pending = append(imp.pending, e)
}

// flush sends the batch, counts the outcomes and writes the batch's rejects
// in line order. A cancelled context stops before the batch is sent.
func (imp *importer) flush(ctx context.Context) error {
	imp.sum.Lines = imp.parser.Lines()
	if err := ctx.Err(); err != nil {
		return errors.Join(err, imp.writePending())
	}
	if len(imp.batch) > 0 {
		if err := imp.send(ctx); err != nil {
			return errors.Join(err, imp.writePending())
		}
	}
	imp.batch = imp.batch[:0]
	imp.progress.update(imp.opts.Now(), imp.counter.n, imp.sum.Records)
	return imp.writePending()
}

func (imp *importer) send(ctx context.Context) error {
	first, last := imp.batch[0].Line, imp.batch[len(imp.batch)-1].Line
	results, err := imp.sink.ImportOffences(ctx, imp.batch)
	if err != nil {
		return fmt.Errorf("lot %d (lignes %d à %d) non enregistré : %w", imp.sum.Batches+1, first, last, err)
	}
	if len(results) != len(imp.batch) {
		return fmt.Errorf("lot %d (lignes %d à %d) : le registre a rendu %d résultats pour %d lignes",
			imp.sum.Batches+1, first, last, len(results), len(imp.batch))
	}
	imp.sum.Batches++
	for i, res := range results {
		line := res.Line
		if line == 0 {
			line = imp.batch[i].Line
		}
		switch res.Outcome {
		case store.Inserted:
			imp.sum.Inserted++
		case store.AlreadyPresent:
			imp.sum.AlreadyPresent++
		case store.UnknownNEPH:
			imp.reject(&RowError{Line: line, Field: "neph", Kind: KindUnknownNEPH,
				Reason: explain(res.Detail, "aucun permis avec ce NEPH ("+show(string(imp.batch[i].NEPH))+")")})
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

// writePending writes the rejects collected since the last batch, sorted by
// line (parse errors and the sink's rejects interleave), and flushes them so
// a killed run leaves a report of every batch it finished.
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
