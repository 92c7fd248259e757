package directory

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/openinghours"
)

// Entry is one place of a directory. Its fields follow the national
// mediation-places schema (REFERENCE §14.1) where one exists; the comment
// of each names that field, which is also the CSV column and the field
// name in validation problems (the Field* constants).
type Entry struct {
	ID   int64 // set by the store
	Kind Kind  // type
	// Typology lists a help point's types in the data.inclusion vocabulary
	// ("RFS", "PREF", "EPN", "BIB"…), upper case; empty for other kinds.
	Typology   []string // typologie
	Name       string   // nom
	Address    string   // adresse: number and street, "Place des Martyrs de la Résistance"
	Complement string   // complement_adresse: building, floor, "Bâtiment B"
	PostalCode string   // code_postal: five digits, a Cedex code included
	Commune    string   // commune, as written by the source
	INSEE      string   // code_insee: the commune's INSEE code, optional
	Position   *Point   // latitude, longitude (WGS84); nil when unknown
	Phone      string   // telephone: "04 67 61 61 61", "+262 262 12 34 56" or "3400"
	Email      string   // courriel: one address or several separated by ", "
	Website    string   // site_web: http(s) URL
	// OpeningHours is the OpenStreetMap opening_hours value
	// (docs/opening-hours.md), normalised; empty when unknown.
	OpeningHours   string   // horaires
	Services       []string // services: what people get there, one line each
	Accessibility  string   // accessibilite: Acceslibre URL or a sentence
	Appointment    string   // prise_rdv: how to book, URL or a sentence
	ApprovalNumber string   // numero_agrement: the agrément of a photographer, booth or doctor
	Source         string   // source: who publishes the data
	SourceID       string   // id: the entry's identifier at its source
	Updated        date.Null
}

// Field names used in problems, CSV columns and the mediation schema.
const (
	FieldKind          = "type"
	FieldTypology      = "typologie"
	FieldName          = "nom"
	FieldAddress       = "adresse"
	FieldComplement    = "complement_adresse"
	FieldPostalCode    = "code_postal"
	FieldCommune       = "commune"
	FieldINSEE         = "code_insee"
	FieldLatitude      = "latitude"
	FieldLongitude     = "longitude"
	FieldPhone         = "telephone"
	FieldEmail         = "courriel"
	FieldWebsite       = "site_web"
	FieldHours         = "horaires"
	FieldServices      = "services"
	FieldAccessibility = "accessibilite"
	FieldAppointment   = "prise_rdv"
	FieldApproval      = "numero_agrement"
	FieldSource        = "source"
	FieldSourceID      = "id"
	FieldUpdated       = "date_maj"
)

// Length limits, in characters: generous for real data, small enough that
// a stray paste of a whole document is refused.
const (
	maxName     = 200
	maxText     = 300  // address, complement, commune, one service
	maxLong     = 1000 // accessibility, appointment, website, e-mail addresses
	maxServices = 50
	maxApproval = 50
	maxID       = 200
)

// FieldProblem is one problem with one field, in French.
type FieldProblem struct {
	Field   string
	Message string
}

// Normalize tidies e in place without changing what it says: spaces
// trimmed and folded, the phone number written "04 67 61 61 61", e-mail
// addresses separated by ", ", "https://" put before a bare domain, codes
// in upper case, services and typology without blanks or repeats, the
// opening hours in their normalised form when they can be read. Values it
// cannot read are left for Problems to report.
func (e *Entry) Normalize() {
	for _, p := range []*string{&e.Name, &e.Address, &e.Complement, &e.Commune, &e.Accessibility,
		&e.Appointment, &e.ApprovalNumber, &e.Source, &e.SourceID} {
		*p = oneLine(*p)
	}
	e.PostalCode = strings.Join(strings.Fields(e.PostalCode), "")
	e.INSEE = strings.ToUpper(strings.TrimSpace(e.INSEE))
	if p, ok := formatPhone(e.Phone); ok {
		e.Phone = p
	} else {
		e.Phone = oneLine(e.Phone)
	}
	e.Email = strings.Join(splitList(e.Email, ";,"), ", ")
	e.Website = strings.TrimSpace(e.Website)
	if e.Website != "" && !strings.Contains(e.Website, "://") && !strings.ContainsAny(e.Website, " @") {
		e.Website = "https://" + e.Website
	}
	e.OpeningHours = strings.TrimSpace(e.OpeningHours)
	if e.OpeningHours != "" {
		if s, err := openinghours.Parse(e.OpeningHours); err == nil {
			e.OpeningHours = s.String()
		}
	}
	e.Services = cleanList(e.Services, false)
	e.Typology = cleanList(e.Typology, true)
}

// Problems returns what is wrong with e, field by field, in French: empty
// when e can be recorded. Call Normalize first.
func (e Entry) Problems() []FieldProblem {
	var ps []FieldProblem
	add := func(field, format string, args ...any) {
		ps = append(ps, FieldProblem{field, fmt.Sprintf(format, args...)})
	}
	if e.Kind == "" {
		add(FieldKind, "Indiquez le type du lieu : %s.", kindHint)
	} else if !e.Kind.Valid() {
		add(FieldKind, "Type inconnu %s : indiquez %s.", quote(string(e.Kind)), kindHint)
	}
	for _, t := range e.Typology {
		if _, ok := typologies[t]; !ok {
			add(FieldTypology, "Code de typologie inconnu %s (par exemple RFS pour France Services, PREF pour une préfecture, EPN, BIB).", quote(t))
		}
	}
	if len(e.Typology) > 0 && e.Kind != HelpPoint && e.Kind.Valid() {
		add(FieldTypology, "La typologie ne s'applique qu'aux lieux d'aide (type point_aide).")
	}
	checkText(add, FieldName, e.Name, maxName, "le nom du lieu")
	checkText(add, FieldAddress, e.Address, maxText, "l'adresse (numéro et voie)")
	if n := utf8.RuneCountInString(e.Complement); n > maxText {
		add(FieldComplement, "Le complément d'adresse est trop long (%d caractères, %d au plus).", n, maxText)
	}
	e.checkPlace(add)
	e.checkContact(add)
	if e.OpeningHours != "" {
		if _, err := openinghours.Parse(e.OpeningHours); err != nil {
			add(FieldHours, "Horaires illisibles, %s. Exemple : Mo-Fr 09:00-12:00,14:00-17:00; PH off", err)
		}
	}
	if len(e.Services) > maxServices {
		add(FieldServices, "Trop de services (%d, %d au plus).", len(e.Services), maxServices)
	}
	for _, s := range e.Services {
		if n := utf8.RuneCountInString(s); n > maxText {
			add(FieldServices, "Un service est décrit en %d caractères, %d au plus.", n, maxText)
			break
		}
	}
	for _, f := range []struct{ field, v, what string }{
		{FieldAccessibility, e.Accessibility, "L'accessibilité"}, {FieldAppointment, e.Appointment, "La prise de rendez-vous"},
	} {
		if n := utf8.RuneCountInString(f.v); n > maxLong {
			add(f.field, "%s est décrite en %d caractères, %d au plus.", f.what, n, maxLong)
		}
	}
	switch {
	case e.Kind.NeedsApproval() && e.ApprovalNumber == "":
		add(FieldApproval, "Indiquez le numéro d'agrément : il est obligatoire pour %s.", approvalWho(e.Kind))
	case utf8.RuneCountInString(e.ApprovalNumber) > maxApproval:
		add(FieldApproval, "Le numéro d'agrément est trop long (%d caractères au plus).", maxApproval)
	}
	checkText(add, FieldSource, e.Source, maxID, "la source des données")
	checkText(add, FieldSourceID, e.SourceID, maxID, "l'identifiant du lieu à sa source")
	return ps
}

func approvalWho(k Kind) string {
	switch k {
	case PhotoBooth:
		return "une cabine photo agréée"
	case ApprovedDoctor:
		return "un médecin agréé"
	}
	return "un photographe agréé"
}

// checkPlace checks the postal code, commune, INSEE code and position.
func (e Entry) checkPlace(add func(field, format string, args ...any)) {
	switch {
	case e.PostalCode == "":
		add(FieldPostalCode, "Indiquez le code postal (5 chiffres, par exemple 34000).")
	case len(e.PostalCode) == 4 && allDigits(e.PostalCode):
		add(FieldPostalCode, "Le code postal doit comporter 5 chiffres ; %s n'en a que 4 (si le premier est un 0, le tableur l'a peut-être effacé : mettez la colonne au format texte).", quote(e.PostalCode))
	case DepartementOfPostalCode(e.PostalCode) == "":
		add(FieldPostalCode, "Code postal invalide %s : 5 chiffres attendus, par exemple 34000.", quote(e.PostalCode))
	}
	checkText(add, FieldCommune, e.Commune, maxText, "la commune")
	if e.INSEE != "" && !validINSEE(e.INSEE) {
		add(FieldINSEE, "Code INSEE invalide %s : 5 caractères attendus, par exemple 34172 (2A004 en Corse).", quote(e.INSEE))
	}
	if p := e.Position; p != nil {
		switch {
		case math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90:
			add(FieldLatitude, "La latitude doit être comprise entre -90 et 90 (trouvé %s).", formatCoord(p.Lat))
		case math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180:
			add(FieldLongitude, "La longitude doit être comprise entre -180 et 180 (trouvé %s).", formatCoord(p.Lon))
		case metropolitan(e.Departement()) && !metropolitanBox.Contains(*p):
			add(FieldLatitude, "La position (latitude %s, longitude %s) est hors de France métropolitaine alors que le code postal %s y est : latitude et longitude sont-elles inversées ?",
				formatCoord(p.Lat), formatCoord(p.Lon), e.PostalCode)
		}
	}
}

// checkContact checks the phone number, e-mail addresses and website.
func (e Entry) checkContact(add func(field, format string, args ...any)) {
	if e.Phone != "" {
		if _, ok := formatPhone(e.Phone); !ok {
			add(FieldPhone, "Numéro de téléphone invalide %s : 10 chiffres attendus, par exemple 04 67 61 61 61, ou +262 262 12 34 56 hors métropole.", quote(e.Phone))
		}
	}
	if utf8.RuneCountInString(e.Email) > maxLong {
		add(FieldEmail, "Trop d'adresses électroniques (%d caractères au plus).", maxLong)
	} else {
		for _, a := range splitList(e.Email, ";,") {
			if !plausibleEmail(a) {
				add(FieldEmail, "Adresse électronique invalide %s (exemple : accueil@mairie-exemple.fr).", quote(a))
				break
			}
		}
	}
	if e.Website != "" {
		u, err := url.Parse(e.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") ||
			utf8.RuneCountInString(e.Website) > maxLong {
			add(FieldWebsite, "Adresse de site invalide %s : elle doit commencer par https:// (exemple : https://www.herault.gouv.fr).", quote(e.Website))
		}
	}
}

// Check validates e for recording: nil, or an invalid apperr.Error with a
// French problem per field (the first when a field has several).
func (e Entry) Check() error {
	ps := e.Problems()
	if len(ps) == 0 {
		return nil
	}
	f := make(map[string]string, len(ps))
	for _, p := range ps {
		if _, ok := f[p.Field]; !ok {
			f[p.Field] = p.Message
		}
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "Ce lieu ne peut pas être enregistré dans l'annuaire.", Fields: f}
}

// FullAddress is the address on one line, as in a list or a calendar:
// "Place des Martyrs de la Résistance, 34062 Montpellier Cedex 2".
func (e Entry) FullAddress() string {
	var parts []string
	for _, s := range []string{e.Address, e.Complement, strings.TrimSpace(e.PostalCode + " " + e.Commune)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
