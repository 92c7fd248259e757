package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"permis/internal/apperr"
)

// mediationFields lists, for each field an entry takes from the national
// mediation-places schema, the names it has had: schema v1 first, then
// the newer renamings (REFERENCE §14.1). The first one present and not
// empty wins. Other fields (presentation_resume, publics_accueillis,
// conditions_acces, frais_a_charge, modalites_accompagnement, itinerance…)
// are ignored.
var mediationFields = []struct {
	field string
	names []string
}{
	{FieldSourceID, []string{"id"}},
	{FieldName, []string{"nom"}},
	{FieldAddress, []string{"adresse"}},
	{FieldComplement, []string{"complement_adresse"}},
	{FieldPostalCode, []string{"code_postal"}},
	{FieldCommune, []string{"commune"}},
	{FieldINSEE, []string{"code_insee"}},
	{FieldLatitude, []string{"latitude"}},
	{FieldLongitude, []string{"longitude"}},
	{FieldTypology, []string{"typologie"}},
	{FieldPhone, []string{"telephone"}},
	{FieldEmail, []string{"courriel", "courriels"}},
	{FieldWebsite, []string{"site_web"}},
	{FieldHours, []string{"horaires"}},
	{FieldServices, []string{"services"}},
	{FieldAccessibility, []string{"accessibilite", "fiche_acces_libre"}},
	{FieldAppointment, []string{"prise_rdv"}},
	{FieldSource, []string{"source"}},
	{FieldUpdated, []string{"date_maj"}},
	{fieldPivot, []string{"pivot"}},
	{fieldLabels, []string{"labels_nationaux", "dispositif_programmes_nationaux"}},
}

// Fields read from the mediation schema that are not entry fields: the
// SIRET ("pivot", the id when there is no "id") and the national labels
// ("France Services" there makes the place an RFS).
const (
	fieldPivot  = "pivot"
	fieldLabels = "labels_nationaux"
)

// ImportMediation reads help points in the national mediation-places
// schema as JSON: an array of objects, with the field names of schema v1
// or the newer ones (mediationFields); unknown fields are ignored. Every
// element is a help point (Kind HelpPoint); "typologie" gives its
// Typology (codes separated by ";" or an array), and a national label
// "France Services" adds RFS.
//
// Elements with problems are left out and reported with their index in
// the array and their line; the others are returned, normalised. The
// error is for a file that is not a JSON array at all; broken JSON in the
// middle stops the reading there, keeps what was read and says where.
func ImportMediation(r io.Reader, opt Options) (Import, error) {
	data, err := readAll(r, opt)
	if err != nil {
		return Import{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
		return Import{}, apperr.New(apperr.Invalid, "Le fichier doit contenir un tableau JSON de lieux : [ {\"nom\": …}, {\"nom\": …} ].")
	}
	source := opt.Source
	if source == "" {
		source = "mediation"
	}
	sink := &rowSink{}
	sink.imp.Report.JSON = true
	for index := 0; dec.More(); index++ {
		line := lineAt(data, startOf(data, dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			stop := line
			var se *json.SyntaxError
			if errors.As(err, &se) {
				stop = lineAt(data, se.Offset)
			}
			sink.imp.Report.StoppedAt = stop
			sink.imp.Report.Problems = append(sink.imp.Report.Problems, Problem{Line: stop, Index: index,
				Reason: "JSON illisible à partir d'ici (" + jsonReason(err) + ") : la suite du fichier n'a pas été lue."})
			break
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			sink.imp.Report.Read++
			sink.imp.Report.Refused++
			sink.imp.Report.Problems = append(sink.imp.Report.Problems, Problem{Line: line, Index: index,
				Reason: "Cet élément n'est pas un objet JSON { \"nom\": …, \"adresse\": … }."})
			continue
		}
		e, names, pre := mediationEntry(obj, line, index, source)
		sink.names = names
		sink.add(line, index, e, pre)
	}
	return sink.imp, nil
}

// mediationEntry builds the entry of one object, with the problems of its
// values; names says which name each field had in the object.
func mediationEntry(obj map[string]json.RawMessage, line, index int, source string) (Entry, map[string]string, []Problem) {
	names := map[string]string{}
	var pre []Problem
	at := func(warning bool) func(field, reason string) {
		return func(field, reason string) {
			n := names[field]
			if n == "" {
				n = field
			}
			pre = append(pre, Problem{Line: line, Index: index, Field: n, Reason: reason, Warning: warning})
		}
	}
	vals := map[string]json.RawMessage{}
	for _, f := range mediationFields {
		for _, n := range f.names {
			if v, ok := obj[n]; ok && !emptyJSON(v) {
				vals[f.field], names[f.field] = v, n
				break
			}
		}
	}
	text := func(field string) string {
		s, ok := jsonText(vals[field])
		if !ok {
			at(false)(field, "Valeur inattendue : un texte ou un nombre est attendu ici.")
		}
		return s
	}
	list := func(field string) []string {
		l, ok := jsonList(vals[field])
		if !ok {
			at(false)(field, "Valeur inattendue : un texte (éléments séparés par « ; ») ou un tableau de textes est attendu ici.")
		}
		return l
	}
	e := Entry{
		Kind: HelpPoint, SourceID: text(FieldSourceID), Name: text(FieldName), Address: text(FieldAddress),
		Complement: text(FieldComplement), PostalCode: text(FieldPostalCode), Commune: text(FieldCommune),
		INSEE: text(FieldINSEE), Phone: text(FieldPhone), Email: strings.Join(list(FieldEmail), ", "),
		Website: firstOf(list(FieldWebsite)), OpeningHours: text(FieldHours), Services: list(FieldServices),
		Accessibility: text(FieldAccessibility), Appointment: text(FieldAppointment), Source: text(FieldSource),
	}
	e.Position = position(text(FieldLatitude), text(FieldLongitude), at(false))
	e.Updated = updated(text(FieldUpdated), at(true))
	e.Typology = typology(list(FieldTypology), at(true))
	for _, l := range list(fieldLabels) {
		if FoldName(l) == "FRANCE SERVICES" {
			e.Typology = append(e.Typology, TypologyFranceServices)
		}
	}
	if e.SourceID == "" {
		e.SourceID = text(fieldPivot)
	}
	fillKey(&e, source)
	return e, names, pre
}

// jsonText reads a string, a number or a boolean as text; null and a
// missing value are "". It reports false for an array or an object.
func jsonText(v json.RawMessage) (string, bool) {
	if len(v) == 0 || emptyJSON(v) {
		return "", true
	}
	var x any
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	if err := d.Decode(&x); err != nil {
		return "", false
	}
	switch t := x.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// jsonList reads a list: an array of texts, or one text whose items are
// separated by ";" (schema v1) or "|".
func jsonList(v json.RawMessage) ([]string, bool) {
	if len(v) == 0 || emptyJSON(v) {
		return nil, true
	}
	if v[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, false
		}
		var out []string
		for _, it := range items {
			s, ok := jsonText(it)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	s, ok := jsonText(v)
	return splitList(s, ";|"), ok
}

// emptyJSON reports whether v is null, "" or [].
func emptyJSON(v json.RawMessage) bool {
	s := strings.TrimSpace(string(v))
	return s == "null" || s == `""` || s == "[]"
}

func firstOf(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

// startOf skips the separators after off (spaces, a comma) to the start of
// the next value, so that its line is the object's, not the previous one's.
func startOf(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return off
}

// jsonReason says in French what the decoder found.
func jsonReason(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return "syntaxe JSON incorrecte : virgule, guillemet, crochet ou accolade manquant ou en trop"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "le fichier s'arrête au milieu d'un élément"
	}
	return "valeur JSON incorrecte"
}
