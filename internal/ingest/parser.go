package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"permis/internal/store"
)

// Format is the layout of an import file.
type Format int

// Formats. FormatAuto recognises the file by its first non-blank character:
// "{" for NDJSON, anything else for CSV.
const (
	FormatAuto Format = iota
	FormatNDJSON
	FormatCSV
)

// String returns the format's usual name.
func (f Format) String() string {
	switch f {
	case FormatNDJSON:
		return "NDJSON"
	case FormatCSV:
		return "CSV"
	}
	return "auto"
}

// DefaultMaxLineBytes is the longest line (or CSV record) accepted. A valid
// row is a few hundred bytes; the limit only keeps a broken file (a missing
// newline, an unclosed quote) from filling the memory.
const DefaultMaxLineBytes = 1 << 20

const readBufferSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParserOptions tunes a Parser; the zero value is fine.
type ParserOptions struct {
	Format       Format
	MaxLineBytes int // 0 means DefaultMaxLineBytes
}

// Parser reads rows one at a time from an NDJSON or CSV stream, gzipped or
// not, holding one line in memory at a time.
type Parser struct {
	format Format
	rows   rowReader
}

// rowReader is what each format implements.
type rowReader interface {
	next() (store.OffenceRow, error)
	lines() int
}

// NewParser prepares to read r. Gzip is recognised by its magic number
// (1f 8b), whatever the file is called. An error here (unreadable gzip
// header, bad CSV header) concerns the whole file.
func NewParser(r io.Reader, opts ParserOptions) (*Parser, error) {
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	br := bufio.NewReaderSize(r, readBufferSize)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("fichier gzip illisible : %w", err)
		}
		br = bufio.NewReaderSize(gz, readBufferSize)
	}
	if opts.Format == FormatAuto {
		opts.Format = sniff(br)
	}
	p := &Parser{format: opts.Format}
	switch opts.Format {
	case FormatNDJSON:
		p.rows = &ndjsonReader{br: br, max: opts.MaxLineBytes}
	case FormatCSV:
		cr, err := newCSVReader(br, opts.MaxLineBytes)
		if err != nil {
			return nil, err
		}
		p.rows = cr
	default:
		return nil, fmt.Errorf("format d'import inconnu (%d)", opts.Format)
	}
	return p, nil
}

// sniff looks at the first non-blank byte of the stream without consuming it.
func sniff(br *bufio.Reader) Format {
	head, _ := br.Peek(readBufferSize)
	head = bytes.TrimPrefix(head, utf8BOM)
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 0 && head[0] != '{' {
		return FormatCSV
	}
	return FormatNDJSON
}

// Format returns the format being read (never FormatAuto).
func (p *Parser) Format() Format { return p.format }

// Next returns the next row. A bad row comes back as a *RowError and the
// parser can go on (it is returned as such, never wrapped); io.EOF marks the end; any other error (a read error, a
// corrupt gzip stream) ends the file. Row.Line is the line the row starts on.
func (p *Parser) Next() (store.OffenceRow, error) { return p.rows.next() }

// Lines returns how many lines have been read so far, blank lines and the CSV
// header included.
func (p *Parser) Lines() int { return p.rows.lines() }

// ndjsonReader reads NDJSON, one row per line.
type ndjsonReader struct {
	br   *bufio.Reader
	max  int
	line int
	long []byte // a line longer than the read buffer, assembled
	eof  bool
}

func (r *ndjsonReader) lines() int { return r.line }

func (r *ndjsonReader) next() (store.OffenceRow, error) {
	for !r.eof {
		b, tooLong, err := r.readLine()
		if err != nil {
			return store.OffenceRow{}, err
		}
		r.line++
		if r.line == 1 {
			b = bytes.TrimPrefix(b, utf8BOM)
		}
		if tooLong {
			return store.OffenceRow{}, &RowError{Line: r.line, Kind: KindLineTooLong,
				Reason: fmt.Sprintf("ligne de plus de %d octets", r.max)}
		}
		if isBlank(b) {
			continue
		}
		row, e := parseNDJSONLine(r.line, string(b))
		if e != nil {
			return store.OffenceRow{}, e
		}
		return row, nil
	}
	return store.OffenceRow{}, io.EOF
}

// readLine returns the next line without its end of line. The slice is only
// valid until the next call. A line longer than r.max is skipped to its end
// and reported as tooLong.
func (r *ndjsonReader) readLine() (b []byte, tooLong bool, err error) {
	b, err = r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		r.long = append(r.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = r.br.ReadSlice('\n')
			if !tooLong && len(r.long)+len(b) > r.max+2 {
				tooLong, r.long = true, r.long[:0]
			}
			if !tooLong {
				r.long = append(r.long, b...)
			}
		}
		b = r.long
	}
	switch {
	case err == io.EOF:
		r.eof = true
		if len(b) == 0 && !tooLong {
			return nil, false, io.EOF
		}
	case err != nil:
		return nil, false, fmt.Errorf("lecture après la ligne %d : %w", r.line, err)
	}
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > r.max {
		tooLong = true
	}
	return b, tooLong, nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
