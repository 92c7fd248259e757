package demo

import (
	"bufio"
	"errors"
	"io"
	"strconv"

	"permis/internal/date"
	"permis/internal/licence"
)

// LicenceSource is what WriteOffencesNDJSON needs of a register: its size,
// its reference day, and the NEPH and first obtained date of licence i,
// cheaply.
// *Generator is one.
type LicenceSource interface {
	Len() int
	Today() date.Date
	NEPH(i int) licence.NEPH
	FirstObtained(i int) date.Date
}

// FileOptions tunes WriteOffencesNDJSON.
type FileOptions struct {
	// Start is the rank of the file's first event. Event ids are derived
	// from it, so files written with disjoint ranges [Start, Start+count)
	// never share an event id; the same range gives the same ids (an
	// idempotent re-import).
	Start int
	// BadFraction is the share of deliberately faulty rows, 0 to 1: an
	// unknown NEPH, an impossible date, or established before committed.
	BadFraction float64
}

// FileSummary counts what WriteOffencesNDJSON wrote.
type FileSummary struct {
	Rows        int // lines written
	UnknownNEPH int
	BadDate     int // impossible calendar date
	Inverted    int // established before committed
}

// Bad returns the number of faulty rows.
func (s FileSummary) Bad() int { return s.UnknownNEPH + s.BadDate + s.Inverted }

// importSerialBase separates import-file event serials from the register's
// (at most maxLicences × 64, far below).
const importSerialBase = 500_000_000_000

// ErrEmptyRegister is returned when there is no licence to aim offences at.
var ErrEmptyRegister = errors.New("demo: the register has no licence")

// WriteOffencesNDJSON writes count new established offences, one JSON object
// a line, as the fines system sends them:
//
//	{"event_id":"PV500000000000","neph":"…","committed":"YYYY-MM-DD","established":"YYYY-MM-DD","points":3,"class":"4","occasion":"OC…","nature":"…"}
//
// occasion is present only for offences committed together. The NEPHs are
// those of src (the demo people excepted), committed on or after the
// licence was obtained, in the last four months, and established 3 to 13
// weeks later, by src.Today(). Event ids never collide with the register's.
// The file depends only on (seed, src, count, opt).
func WriteOffencesNDJSON(w io.Writer, seed uint64, src LicenceSource, count int, opt FileOptions) (FileSummary, error) {
	var sum FileSummary
	n := src.Len()
	if n == 0 {
		return sum, ErrEmptyRegister
	}
	first := len(demoPeople) // aim at synthetic licences, not the demo people
	if n <= first {
		first = 0
	}
	today := src.Today()
	bw := bufio.NewWriterSize(w, 64<<10)
	r := newRNG()
	line := make([]byte, 0, 512)
	var pending []byte // the second offence of an occasion, written next
	for k := 0; k < count; k++ {
		if pending != nil {
			line, pending = append(line[:0], pending...), nil
		} else {
			rank := opt.Start + k
			r.seed(seed, rank, streamFile)
			row := drawFileRow(r, src, first, today, rank)
			if r.chance(opt.BadFraction) {
				spoil(&row, r, today, &sum)
			}
			line = row.append(line[:0])
			if row.occasion != "" && k+1 < count {
				row.id = eventID("PV", importSerialBase+2*uint64(rank)+1)
				row.points, row.class, row.nature = pairKind(r)
				pending = row.append(nil)
			}
		}
		sum.Rows++
		if _, err := bw.Write(line); err != nil {
			return sum, err
		}
	}
	return sum, bw.Flush()
}

// fileRow is one line, with dates as text so that bad rows can hold
// impossible ones.
type fileRow struct {
	id, neph, committed, established string
	points                           int
	class, occasion, nature          string
}

func drawFileRow(r *rng, src LicenceSource, first int, today date.Date, rank int) fileRow {
	var i int
	var obtained date.Date
	for try := 0; ; try++ {
		i = first + r.IntN(src.Len()-first)
		obtained = src.FirstObtained(i)
		if obtained <= today.AddDays(-40) || try == 20 {
			break
		}
	}
	committed := r.between(max(obtained, today.AddDays(-120)), today.AddDays(-21))
	established := r.between(committed.AddDays(21), min(committed.AddDays(90), today))
	row := fileRow{id: eventID("PV", importSerialBase+2*uint64(rank)), neph: string(src.NEPH(i)),
		committed: committed.String(), established: established.String()}
	k := offenceKinds[kindOfLevel(drawLevelIndex(r), r)]
	row.points, row.class, row.nature = k.Points, string(k.Class), k.Nature
	if r.chance(pairShare) {
		row.occasion = "OC" + row.id[2:]
	}
	return row
}

// drawLevelIndex draws a points level (§3.2) as an index in pointsLevels.
func drawLevelIndex(r *rng) int {
	x := r.IntN(1000)
	for k, lv := range pointsLevels {
		if x < lv.PerMille {
			return k
		}
		x -= lv.PerMille
	}
	return 0
}

// kindOfLevel draws an offence of points level lv, uniformly among its kinds
// weighted by their Weight.
func kindOfLevel(lv int, r *rng) int {
	total := 0
	for _, k := range offenceKinds {
		if k.Points == pointsLevels[lv].Points {
			total += k.Weight
		}
	}
	x := r.IntN(total)
	for j, k := range offenceKinds {
		if k.Points != pointsLevels[lv].Points {
			continue
		}
		if x < k.Weight {
			return j
		}
		x -= k.Weight
	}
	return 0
}

// pairKind draws the lighter companion of an offence (1 to 3 points).
func pairKind(r *rng) (int, string, string) {
	k := offenceKinds[kindOfLevel(r.IntN(3), r)]
	return k.Points, string(k.Class), k.Nature
}

// spoil turns a row into one of the three faults the importer must report.
func spoil(row *fileRow, r *rng, today date.Date, sum *FileSummary) {
	switch r.IntN(3) {
	case 0:
		// Office 99 is never generated: the NEPH is well-formed but unknown.
		y, m, _ := today.AddMonths(-r.IntN(120)).Civil()
		b := append2(nil, y%100)
		b = append2(b, int(m))
		b = append(b, "3499"...)
		row.neph = string(append4(b, 1+r.IntN(9999)))
		sum.UnknownNEPH++
	case 1:
		y, _, _ := today.Civil()
		row.committed = strconv.Itoa(y-1) + []string{"-02-30", "-04-31", "-13-01", "-06-00"}[r.IntN(4)]
		sum.BadDate++
	default:
		row.committed, row.established = row.established, row.committed
		if row.committed == row.established {
			row.committed = date.MustParse(row.established).AddDays(1).String()
		}
		sum.Inverted++
	}
	row.occasion = ""
}

func (f *fileRow) append(b []byte) []byte {
	b = append(b, `{"event_id":`...)
	b = appendJSONString(b, f.id)
	b = append(b, `,"neph":`...)
	b = appendJSONString(b, f.neph)
	b = append(b, `,"committed":`...)
	b = appendJSONString(b, f.committed)
	b = append(b, `,"established":`...)
	b = appendJSONString(b, f.established)
	b = append(b, `,"points":`...)
	b = strconv.AppendInt(b, int64(f.points), 10)
	b = append(b, `,"class":`...)
	b = appendJSONString(b, f.class)
	if f.occasion != "" {
		b = append(b, `,"occasion":`...)
		b = appendJSONString(b, f.occasion)
	}
	b = append(b, `,"nature":`...)
	b = appendJSONString(b, f.nature)
	return append(b, "}\n"...)
}

// appendJSONString quotes s for JSON: UTF-8 is kept, quotes, backslashes
// and control characters are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
