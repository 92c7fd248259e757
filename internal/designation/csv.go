package designation

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"permis/internal/date"
)

// Row is one designation of a CSV file: a notice, its vehicle, and the
// driver. Line is the file's line it was read on (the heading is line 1).
type Row struct {
	Line   int
	Notice string // normalised by NormalNotice
	Plate  string // normalised by NormalPlate
	Driver Driver
}

// Limits of one file: a fleet's month of notices, well under what a request
// may carry (the portal limits the upload's size too).
const (
	MaxRows  = 1000
	MaxBytes = 1 << 20
)

// Report is what ParseCSV read: the rows it could accept and a problem for
// each value it could not. A file with any problem designates nobody (the
// application writes nothing half), so the fleet manager corrects the lines
// named and sends the whole file again.
type Report struct {
	Rows     []Row
	Problems []Problem
	// Encoding names how the file was read, for the report's first line:
	// "UTF-8" or "Windows-1252".
	Encoding string
}

// OK reports whether the whole file can be designated.
func (r Report) OK() bool { return len(r.Problems) == 0 && len(r.Rows) > 0 }

// ParseCSV reads a file of designations on the day today. The file is what a
// spreadsheet writes when asked for CSV in France: columns separated by
// semicolons, in UTF-8 (with or without the byte-order mark Excel adds to
// "CSV UTF-8") or in Windows-1252 (Excel's "CSV (séparateur : point-virgule)");
// its first line names the columns of Columns, in that order. Blank lines are
// skipped. Problems with the file as a whole (encoding, separator, heading,
// size) have Line 0 or 1 and stop the reading; problems with values are
// reported for every line, so one answer lists them all.
func ParseCSV(data []byte, today date.Date) Report {
	var rep Report
	whole := func(line int, msg string) Report {
		rep.Problems = append(rep.Problems, Problem{Line: line, Message: msg})
		return rep
	}
	if len(data) > MaxBytes {
		return whole(0, "Le fichier dépasse 1 Mo : envoyez-le en plusieurs fichiers de "+strconv.Itoa(MaxRows)+" lignes au plus.")
	}
	text, enc, msg := decode(data)
	if msg != "" {
		return whole(0, msg)
	}
	rep.Encoding = enc

	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = -1 // counted here, for a French message
	head, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return whole(0, "Le fichier est vide : il doit commencer par la ligne des intitulés de colonnes.")
		}
		return whole(1, csvMessage(err))
	}
	if msg := checkHeading(head); msg != "" {
		return whole(1, msg)
	}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return whole(line, csvMessage(err))
		}
		if blank(rec) {
			continue
		}
		if len(rep.Rows)+countLines(rep.Problems) >= MaxRows {
			return whole(line, "Le fichier a plus de "+strconv.Itoa(MaxRows)+" désignations : envoyez la suite dans un autre fichier.")
		}
		row, ps := parseRow(line, rec, today)
		if len(ps) == 0 {
			if first, dup := seen[row.Notice]; dup {
				ps = append(ps, Problem{Line: line, Field: FieldNotice,
					Message: "Cet avis est déjà désigné à la ligne " + strconv.Itoa(first) + " du fichier : gardez une seule ligne par avis."})
			} else {
				seen[row.Notice] = line
			}
		}
		if len(ps) > 0 {
			rep.Problems = append(rep.Problems, ps...)
			continue
		}
		rep.Rows = append(rep.Rows, row)
	}
	if len(rep.Rows) == 0 && len(rep.Problems) == 0 {
		return whole(0, "Le fichier ne contient aucune désignation : ajoutez une ligne par avis sous la ligne des intitulés.")
	}
	return rep
}

// decode returns data as text, with the name of its encoding, or a message
// saying how to save the file again.
func decode(data []byte) (string, string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "", "", "Le fichier est enregistré en « Texte Unicode » (UTF-16) : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) » ou « CSV (séparateur : point-virgule) »."
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", "", "Le fichier annonce l'encodage UTF-8 mais contient des caractères qui n'en sont pas : enregistrez-le de nouveau au format « CSV UTF-8 »."
		}
		return string(data), "UTF-8", ""
	case utf8.Valid(data):
		return string(data), "UTF-8", ""
	}
	// Not UTF-8: Excel's French "CSV (séparateur : point-virgule)" writes
	// Windows-1252. Its five unassigned bytes mean the file is something else.
	var b strings.Builder
	for _, c := range data {
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return "", "", "L'encodage du fichier n'est pas reconnu : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) »."
		}
		b.WriteRune(charmap.Windows1252.DecodeByte(c))
	}
	return b.String(), "Windows-1252", ""
}

// checkHeading checks that the first line names the columns, in order.
// Headings are compared without case, accents or surrounding spaces.
func checkHeading(head []string) string {
	want := Columns()
	if len(head) == 1 && (strings.Contains(head[0], ",") || strings.Contains(head[0], "\t")) {
		return "Les colonnes doivent être séparées par des points-virgules (;) : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."
	}
	for i, w := range want {
		if i >= len(head) {
			return "Il manque la colonne « " + string(w) + " » (colonne " + strconv.Itoa(i+1) + ") : la première ligne doit être " + headingLine() + "."
		}
		if got := fold(head[i]); got != string(w) {
			return "La colonne " + strconv.Itoa(i+1) + " s'appelle « " + strings.TrimSpace(head[i]) + " » au lieu de « " + string(w) + " » : la première ligne doit être " + headingLine() + "."
		}
	}
	if len(head) > len(want) {
		return "La colonne " + strconv.Itoa(len(want)+1) + " (« " + strings.TrimSpace(head[len(want)]) + " ») n'est pas attendue : la première ligne doit être " + headingLine() + "."
	}
	return ""
}

// headingLine is the expected first line.
func headingLine() string {
	var names []string
	for _, c := range Columns() {
		names = append(names, string(c))
	}
	return strings.Join(names, ";")
}

// fold lowers a heading and strips its accents and spaces: "Numéro_avis " is
// "numero_avis".
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'é', 'è', 'ê', 'É', 'È', 'Ê':
			return 'e'
		case 'ô', 'Ô':
			return 'o'
		case ' ', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

func parseRow(line int, rec []string, today date.Date) (Row, []Problem) {
	if len(rec) != len(Columns()) {
		return Row{}, []Problem{{Line: line, Message: "Cette ligne a " + strconv.Itoa(len(rec)) + " colonnes au lieu de " +
			strconv.Itoa(len(Columns())) + " : vérifiez qu'aucune valeur ne contient de point-virgule sans guillemets."}}
	}
	row := Row{Line: line}
	var ps []Problem
	var ok bool
	if row.Notice, ok = NormalNotice(rec[0]); !ok {
		msg := "Le numéro de l'avis de contravention ne contient que des chiffres (14 sur les avis de ce service), en haut de l'avis."
		if strings.TrimSpace(rec[0]) == "" {
			msg = "Indiquez le numéro de l'avis de contravention."
		}
		ps = append(ps, Problem{Line: line, Field: FieldNotice, Message: msg})
	}
	if row.Plate, ok = NormalPlate(rec[1]); !ok {
		msg := "L'immatriculation s'écrit AB-123-CD (ou 123 ABC 34 pour l'ancien format)."
		if strings.TrimSpace(rec[1]) == "" {
			msg = "Indiquez l'immatriculation du véhicule."
		}
		ps = append(ps, Problem{Line: line, Field: FieldPlate, Message: msg})
	}
	d, dps := Check(Input{FamilyName: rec[2], GivenNames: rec[3], BirthDate: rec[4], Address: rec[5],
		PostalCode: rec[6], Commune: rec[7], Licence: rec[8], Email: rec[9]}, today)
	for _, p := range dps {
		p.Line = line
		ps = append(ps, p)
	}
	row.Driver = d
	return row, ps
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// countLines counts the distinct lines with problems.
func countLines(ps []Problem) int {
	n, last := 0, -1
	for _, p := range ps {
		if p.Line != last {
			n, last = n+1, p.Line
		}
	}
	return n
}

// csvMessage says in French what the CSV reader could not read.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "Un guillemet est mal placé ou n'est pas refermé : une valeur entre guillemets doit se terminer par un guillemet, et un guillemet dans une valeur s'écrit deux fois."
		}
	}
	return "Cette ligne ne peut pas être lue comme du CSV."
}
