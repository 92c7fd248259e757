package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"permis/internal/store"
)

// csvReader reads CSV with a header line naming the columns (RFC 4180,
// comma separator, UTF-8). encoding/csv does the quoting; a guard under it
// stops a record that never ends (an unclosed quote) from growing past the
// line limit.
type csvReader struct {
	cr    *csv.Reader
	guard *guardReader
	col   [nFields]int // index of each field in a record, -1 if absent
	ncol  int
	line  int // last line of the last record read
	done  bool
}

// errRecordTooLong is the guard's error; it ends the file, since an unclosed
// quote leaves no way to find where the next record starts.
var errRecordTooLong = errors.New("enregistrement CSV trop long")

func newCSVReader(r io.Reader, max int) (*csvReader, error) {
	g := &guardReader{r: r, max: int64(max)}
	c := &csvReader{cr: csv.NewReader(g), guard: g}
	c.cr.FieldsPerRecord = -1 // checked here, with a French message
	c.cr.ReuseRecord = true
	header, err := c.cr.Read()
	for err == nil && blankRecord(header) {
		header, err = c.cr.Read()
	}
	if err == io.EOF {
		c.done = true
		return c, nil
	}
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("ligne %d : en-tête CSV illisible : %s", pe.StartLine, csvReason(pe.Err))
	}
	if err != nil {
		return nil, fmt.Errorf("en-tête CSV illisible : %w", err)
	}
	c.line, _ = c.cr.FieldPos(0)
	g.mark(c.cr.InputOffset())
	if err := c.mapHeader(header); err != nil {
		return nil, fmt.Errorf("ligne %d : en-tête CSV : %w", c.line, err)
	}
	return c, nil
}

// mapHeader finds each field's column. Names are matched exactly, after
// trimming spaces; an unknown, repeated or missing required column rejects
// the file, because every row would be wrong the same way.
func (c *csvReader) mapHeader(header []string) error {
	for f := range c.col {
		c.col[f] = -1
	}
	c.ncol = len(header)
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, string(utf8BOM))
		}
		h = strings.TrimSpace(h)
		f, ok := lookupField(h)
		if !ok && len(header) == 1 && strings.Contains(h, ";") {
			return fmt.Errorf("le séparateur est la virgule, pas le point-virgule (%s)", show(h))
		}
		if !ok {
			return fmt.Errorf("colonne inconnue %s (colonnes admises : event_id, neph, committed, established, points, class, occasion, nature)", show(h))
		}
		if c.col[f] >= 0 {
			return fmt.Errorf("colonne %s présente deux fois", f.name())
		}
		c.col[f] = i
	}
	for f := range nFields {
		if f.required() && c.col[f] < 0 {
			return fmt.Errorf("colonne obligatoire %s absente", f.name())
		}
	}
	return nil
}

func (c *csvReader) lines() int {
	if c.done {
		return c.guard.lines()
	}
	return c.line
}

func (c *csvReader) next() (store.OffenceRow, error) {
	if c.done {
		return store.OffenceRow{}, io.EOF
	}
	rec, err := c.cr.Read()
	for err == nil && blankRecord(rec) {
		rec, err = c.cr.Read()
	}
	c.guard.mark(c.cr.InputOffset())
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		c.done = true
		return store.OffenceRow{}, io.EOF
	case errors.Is(err, errRecordTooLong):
		return store.OffenceRow{}, fmt.Errorf("après la ligne %d : %w, plus de %d octets (guillemet non fermé ?)", c.line, err, c.guard.max)
	case errors.As(err, &pe):
		c.line = pe.Line
		return store.OffenceRow{}, &RowError{Line: pe.StartLine, Kind: KindSyntax, Reason: "CSV invalide : " + csvReason(pe.Err)}
	case err != nil:
		return store.OffenceRow{}, fmt.Errorf("lecture après la ligne %d : %w", c.line, err)
	}
	start, _ := c.cr.FieldPos(0)
	c.line, _ = c.cr.FieldPos(len(rec) - 1)
	if len(rec) != c.ncol {
		return store.OffenceRow{}, &RowError{Line: start, Kind: KindSyntax,
			Reason: fmt.Sprintf("CSV invalide : %d colonnes au lieu de %d", len(rec), c.ncol)}
	}
	var raw rawRow
	for f := range nFields {
		if i := c.col[f]; i >= 0 && rec[i] != "" {
			if !utf8.ValidString(rec[i]) {
				return store.OffenceRow{}, rowErr(start, f, KindSyntax, "UTF-8 invalide (%s)", show(rec[i]))
			}
			raw.val[f], raw.set[f] = rec[i], true
		}
	}
	row, e := raw.validate(start)
	if e != nil {
		return store.OffenceRow{}, e
	}
	return row, nil
}

// blankRecord reports a line of spaces and tabs, which encoding/csv reads
// as one field: it is skipped like an empty line.
func blankRecord(rec []string) bool {
	return len(rec) == 1 && strings.Trim(rec[0], " \t\r") == ""
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "guillemet dans un champ qui n'est pas entre guillemets"
	case errors.Is(err, csv.ErrQuote):
		return "guillemet mal placé ou non fermé dans un champ entre guillemets"
	}
	return err.Error()
}

// guardReader counts the bytes handed to encoding/csv and fails once a
// single record has taken more than max bytes; it also counts newlines, for
// the number of lines read.
type guardReader struct {
	r        io.Reader
	max      int64
	read     int64 // bytes handed out
	base     int64 // offset where the current record starts
	newlines int
	last     byte
}

func (g *guardReader) mark(offset int64) { g.base = offset }

func (g *guardReader) Read(p []byte) (int, error) {
	// encoding/csv reads ahead through a 4 KiB buffer, so the check is
	// exact to within that buffer.
	if g.read-g.base > g.max+4096 {
		return 0, errRecordTooLong
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	if n > 0 {
		g.newlines += bytes.Count(p[:n], []byte{'\n'})
		g.last = p[n-1]
	}
	return n, err
}

// lines is exact once the input is exhausted: a last line without a newline
// counts too.
func (g *guardReader) lines() int {
	if g.read > 0 && g.last != '\n' {
		return g.newlines + 1
	}
	return g.newlines
}
