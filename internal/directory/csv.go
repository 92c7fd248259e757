package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"permis/internal/apperr"
)

// csvColumns maps each accepted column name, folded (lower case, no
// accents, "_" between words: "Code postal" → "code_postal"), to the
// field it fills. The French names are those of the mediation schema;
// English names are accepted too. docs/directory.md lists them.
var csvColumns = map[string]string{
	"type": FieldKind, "kind": FieldKind, "categorie": FieldKind,
	"typologie": FieldTypology, "typology": FieldTypology,
	"nom": FieldName, "name": FieldName,
	"adresse": FieldAddress, "address": FieldAddress,
	"complement_adresse": FieldComplement, "complement": FieldComplement, "address_complement": FieldComplement,
	"code_postal": FieldPostalCode, "cp": FieldPostalCode, "postal_code": FieldPostalCode, "postcode": FieldPostalCode,
	"commune": FieldCommune, "ville": FieldCommune, "city": FieldCommune,
	"code_insee": FieldINSEE, "insee": FieldINSEE, "insee_code": FieldINSEE,
	"latitude": FieldLatitude, "lat": FieldLatitude,
	"longitude": FieldLongitude, "lon": FieldLongitude, "lng": FieldLongitude,
	"telephone": FieldPhone, "tel": FieldPhone, "phone": FieldPhone,
	"courriel": FieldEmail, "courriels": FieldEmail, "email": FieldEmail, "e_mail": FieldEmail, "mel": FieldEmail,
	"site_web": FieldWebsite, "site": FieldWebsite, "website": FieldWebsite, "url": FieldWebsite,
	"horaires": FieldHours, "opening_hours": FieldHours,
	"services":      FieldServices,
	"accessibilite": FieldAccessibility, "fiche_acces_libre": FieldAccessibility, "accessibility": FieldAccessibility,
	"prise_rdv": FieldAppointment, "rendez_vous": FieldAppointment, "appointment": FieldAppointment,
	"numero_agrement": FieldApproval, "numero_d_agrement": FieldApproval, "agrement": FieldApproval, "approval_number": FieldApproval,
	"source": FieldSource,
	"id":     FieldSourceID, "identifiant": FieldSourceID, "source_id": FieldSourceID,
	"date_maj": FieldUpdated, "updated": FieldUpdated, "mise_a_jour": FieldUpdated,
}

// csvRequired are the columns a CSV file must have.
var csvRequired = []string{FieldKind, FieldName, FieldAddress, FieldPostalCode, FieldCommune}

// ImportCSV reads a directory in CSV: UTF-8 (a byte order mark is
// dropped), comma, semicolon or tab separated (found from the header
// line), a header row naming the columns (csvColumns, in any order, in any
// case, with or without accents; unknown columns are skipped with a
// warning). Lists (services, typologie) are separated by "|" or ";".
//
// Rows with problems are left out and reported with their line and
// column; the others are returned, normalised. The error is for a file
// that cannot be read at all: too big, not UTF-8, no header, a required
// column missing, a column given twice.
func ImportCSV(r io.Reader, opt Options) (Import, error) {
	data, err := readAll(r, opt)
	if err != nil {
		return Import{}, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectComma(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return Import{}, apperr.New(apperr.Invalid, "Le fichier est vide ou sa première ligne (les noms des colonnes) est illisible.")
	}
	cols, names, warnings, err := mapHeader(header)
	if err != nil {
		return Import{}, err
	}
	sink := &rowSink{names: names}
	sink.imp.Report.Problems = warnings
	source := opt.Source
	if source == "" {
		source = "csv"
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return Import{}, apperr.Wrap(apperr.Invalid, "Le fichier n'a pas pu être lu.", err)
			}
			if pe.Line > pe.StartLine {
				// A quoted value that runs on over the following lines: where
				// this row ends, and so where the next begins, is unknown.
				sink.imp.Report.StoppedAt = pe.StartLine
				sink.imp.Report.Problems = append(sink.imp.Report.Problems, Problem{Line: pe.StartLine, Index: -1,
					Reason: "Guillemet ouvert et jamais fermé : la suite du fichier n'a pas pu être lue. Vérifiez les guillemets de cette ligne."})
				break
			}
			sink.imp.Report.Read++
			sink.imp.Report.Refused++
			sink.imp.Report.Problems = append(sink.imp.Report.Problems, Problem{Line: pe.StartLine, Index: -1,
				Reason: "Guillemet mal placé : une valeur qui contient des guillemets doit être entourée de guillemets, et ses guillemets doublés (\"Cabinet \"\"Le Lez\"\"\")."})
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			sink.imp.Report.Read++
			sink.imp.Report.Refused++
			sink.imp.Report.Problems = append(sink.imp.Report.Problems, Problem{Line: line, Index: -1,
				Reason: fmt.Sprintf("La ligne a %d colonnes alors que l'en-tête en a %d (un séparateur « %c » dans une valeur sans guillemets ?).",
					len(rec), len(header), cr.Comma)})
			continue
		}
		e, pre := csvEntry(rec, cols, names, line, source)
		sink.add(line, -1, e, pre)
	}
	return sink.imp, nil
}

// csvEntry builds the entry of one row, with the problems of its values.
func csvEntry(rec []string, cols map[string]int, names map[string]string, line int, source string) (Entry, []Problem) {
	get := func(field string) string {
		if i, ok := cols[field]; ok {
			return rec[i]
		}
		return ""
	}
	var pre []Problem
	at := func(warning bool) func(field, reason string) {
		return func(field, reason string) {
			pre = append(pre, Problem{Line: line, Index: -1, Field: names[field], Reason: reason, Warning: warning})
		}
	}
	e := Entry{
		Name: get(FieldName), Address: get(FieldAddress), Complement: get(FieldComplement),
		PostalCode: get(FieldPostalCode), Commune: get(FieldCommune), INSEE: get(FieldINSEE),
		Phone: get(FieldPhone), Email: get(FieldEmail), Website: get(FieldWebsite), OpeningHours: get(FieldHours),
		Services: splitList(get(FieldServices), "|;"), Accessibility: get(FieldAccessibility),
		Appointment: get(FieldAppointment), ApprovalNumber: get(FieldApproval),
		Source: get(FieldSource), SourceID: get(FieldSourceID),
	}
	if k := strings.TrimSpace(get(FieldKind)); k != "" {
		if kind, ok := ParseKind(k); ok {
			e.Kind = kind
		} else {
			e.Kind = Kind(k) // reported by Problems with the accepted values
		}
	}
	e.Position = position(get(FieldLatitude), get(FieldLongitude), at(false))
	e.Updated = updated(get(FieldUpdated), at(true))
	if e.Kind == HelpPoint {
		e.Typology = typology([]string{get(FieldTypology)}, at(true))
	} else if strings.TrimSpace(get(FieldTypology)) != "" {
		at(true)(FieldTypology, "La typologie ne s'applique qu'aux lieux d'aide (type point_aide) : elle est ignorée.")
	}
	fillKey(&e, source)
	return e, pre
}

// fillKey normalises e and gives it a source and an id when the file has
// none.
func fillKey(e *Entry, source string) {
	e.Normalize()
	if e.Source == "" {
		e.Source = oneLine(source)
	}
	if e.SourceID == "" {
		e.SourceID = derivedID(*e)
	}
}

// mapHeader maps the header's columns to fields: cols gives each field's
// index, names how the file names it. Unknown columns give warnings.
func mapHeader(header []string) (cols map[string]int, names map[string]string, warnings []Problem, err error) {
	cols, names = map[string]int{}, map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		field, ok := csvColumns[foldKey(h)]
		if !ok {
			if h != "" {
				warnings = append(warnings, Problem{Line: 1, Index: -1, Field: h, Warning: true,
					Reason: "Colonne inconnue : elle est ignorée (les colonnes reconnues sont décrites dans docs/directory.md)."})
			}
			continue
		}
		if j, dup := cols[field]; dup {
			return nil, nil, nil, apperr.New(apperr.Invalid, fmt.Sprintf("Les colonnes %s et %s disent la même chose (%s) : gardez-en une seule.",
				quote(header[j]), quote(h), field))
		}
		cols[field], names[field] = i, h
	}
	var missing []string
	for _, f := range csvRequired {
		if _, ok := cols[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, nil, nil, apperr.New(apperr.Invalid, fmt.Sprintf("Colonnes obligatoires absentes de la première ligne : %s. "+
			"La première ligne doit nommer les colonnes, par exemple : type;nom;adresse;code_postal;commune.", strings.Join(missing, ", ")))
	}
	return cols, names, warnings, nil
}

// detectComma picks the separator of the header line: the most frequent
// of ";", "," and tab outside quotes (a comma on a tie: it is the
// standard).
func detectComma(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(data) {
		if r == '"' {
			quoted = !quoted
		}
		if r == '\n' && !quoted {
			break
		}
		if !quoted && (r == ';' || r == ',' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// blank reports whether every value of a row is empty (";;;;" left by a
// spreadsheet).
func blank(rec []string) bool {
	return !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" })
}
