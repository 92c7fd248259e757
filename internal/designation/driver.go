// Package designation reads what a registration holder says of the person
// who was driving: the driver's identity, address and licence number
// (CPP 529-10 2°, C. route L121-2, L121-6), typed in a form one driver at a
// time or sent by a company as a CSV file of many (ParseCSV). It checks
// each value and answers, for each problem, the line, the column and a
// French message a fleet manager can act on. It does no I/O: the
// application decides whether each notice exists, belongs to the holder and
// may still be designated. The rules and the file format are in
// docs/contest.md ("Designating the driver").
package designation

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"permis/internal/date"
	"permis/internal/licence"
)

// Driver is the person designated as the driver of a notice: what the ANTAI's
// designation form asks (identity, address, licence number).
type Driver struct {
	FamilyName string
	GivenNames string
	BirthDate  date.Date
	Address    string // street line
	PostalCode string // five digits: only addresses in France are read here
	Commune    string
	// Licence is the licence's number as typed, normalised: the NEPH
	// (numéro de dossier, on the back of the card) or the card's own
	// number (field 5). The register links the driver by NEPH.
	Licence string
	Email   string // optional: the new notice is also mailed there
}

// PostalAddress is the address on one line, as a letter's window shows it.
func (d Driver) PostalAddress() string { return d.Address + ", " + d.PostalCode + " " + d.Commune }

// Name is the driver's given names and family name, as printed on letters.
func (d Driver) Name() string { return strings.TrimSpace(d.GivenNames + " " + d.FamilyName) }

// Field names the value a problem is about; a form uses it as the input's
// name and the CSV file as its column's heading.
type Field string

// The fields of a designation, in the order of the CSV file's columns.
const (
	FieldNotice     Field = "numero_avis"
	FieldPlate      Field = "immatriculation"
	FieldFamilyName Field = "nom"
	FieldGivenNames Field = "prenoms"
	FieldBirthDate  Field = "date_naissance"
	FieldAddress    Field = "adresse"
	FieldPostalCode Field = "code_postal"
	FieldCommune    Field = "commune"
	FieldLicence    Field = "numero_permis"
	FieldEmail      Field = "courriel"
)

// Columns lists the CSV file's columns, in their order.
func Columns() []Field {
	return []Field{FieldNotice, FieldPlate, FieldFamilyName, FieldGivenNames, FieldBirthDate,
		FieldAddress, FieldPostalCode, FieldCommune, FieldLicence, FieldEmail}
}

// Problem is one value that cannot be accepted. Line is the file's line (the
// heading is line 1, as a spreadsheet numbers it), 0 in a form or for the
// whole file; Field is "" when the problem is not about one value.
type Problem struct {
	Line    int
	Field   Field
	Message string
}

// MinAge is the youngest a driver can be: the AM category (moped) is open
// from 14 years (C. route R221-5).
const MinAge = 14

// Limits on what people type, generous for real names and addresses and
// short enough for a letter's line.
const (
	maxName    = 60
	maxPlace   = 60 // a commune
	maxAddress = 100
)

// Input is a designation as typed: the raw strings of a form or of a line.
type Input struct {
	FamilyName, GivenNames, BirthDate, Address, PostalCode, Commune, Licence, Email string
}

// Check reads in, on the day today, into a Driver, or answers a problem for
// each value that cannot be accepted (Line 0). Every value but the email is
// required.
func Check(in Input, today date.Date) (Driver, []Problem) {
	var d Driver
	var ps []Problem
	add := func(f Field, msg string) { ps = append(ps, Problem{Field: f, Message: msg}) }

	d.FamilyName = clean(in.FamilyName)
	if msg := checkName(d.FamilyName, "le nom de famille du conducteur"); msg != "" {
		add(FieldFamilyName, msg)
	}
	d.GivenNames = clean(in.GivenNames)
	if msg := checkName(d.GivenNames, "le ou les prénoms du conducteur"); msg != "" {
		add(FieldGivenNames, msg)
	}
	if msg := checkBirth(strings.TrimSpace(in.BirthDate), today, &d.BirthDate); msg != "" {
		add(FieldBirthDate, msg)
	}
	d.Address = clean(in.Address)
	if msg := checkText(d.Address, maxAddress, "l'adresse du conducteur (numéro et voie)"); msg != "" {
		add(FieldAddress, msg)
	}
	d.PostalCode = strings.ReplaceAll(strings.TrimSpace(in.PostalCode), " ", "")
	if msg := checkPostalCode(d.PostalCode); msg != "" {
		add(FieldPostalCode, msg)
	}
	d.Commune = clean(in.Commune)
	if msg := checkText(d.Commune, maxPlace, "la commune de l'adresse du conducteur"); msg != "" {
		add(FieldCommune, msg)
	}
	if msg := checkLicence(in.Licence, &d.Licence); msg != "" {
		add(FieldLicence, msg)
	}
	d.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if d.Email != "" {
		if a, err := mail.ParseAddress(d.Email); err != nil || a.Name != "" || a.Address != d.Email {
			add(FieldEmail, "L'adresse électronique s'écrit comme camille.durand@example.fr ; laissez-la vide si vous ne la connaissez pas.")
		}
	}
	return d, ps
}

// clean trims a value and folds its runs of spaces into one.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func checkName(s, what string) string {
	if msg := checkText(s, maxName, what); msg != "" {
		return msg
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' && r != '’' && r != '.' {
			return "Le nom ne peut contenir que des lettres, des espaces, des traits d'union et des apostrophes : retirez « " + string(r) + " »."
		}
	}
	return ""
}

func checkText(s string, limit int, what string) string {
	switch {
	case s == "":
		return "Indiquez " + what + "."
	case utf8.RuneCountInString(s) > limit:
		return "Ce texte est trop long : " + strconv.Itoa(limit) + " caractères au plus."
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "Ce texte contient un caractère de contrôle : retapez-le."
		}
	}
	return ""
}

func checkBirth(s string, today date.Date, out *date.Date) string {
	if s == "" {
		return "Indiquez la date de naissance du conducteur, au format JJ/MM/AAAA."
	}
	d, err := date.ParseTyped(s)
	if err == date.ErrImpossible {
		return "Cette date n'existe pas : vérifiez le jour et le mois (JJ/MM/AAAA)."
	}
	if err != nil {
		return "Saisissez la date de naissance au format JJ/MM/AAAA, par exemple 14/03/1985."
	}
	if date.YearsBetween(d, today) < MinAge {
		return "La date de naissance indique moins de " + strconv.Itoa(MinAge) + " ans : vérifiez l'année."
	}
	if date.YearsBetween(d, today) > 120 {
		return "La date de naissance indique plus de 120 ans : vérifiez l'année."
	}
	*out = d
	return ""
}

var postalCode = regexp.MustCompile(`^[0-9]{5}$`)

func checkPostalCode(s string) string {
	switch {
	case s == "":
		return "Indiquez le code postal du conducteur (5 chiffres)."
	case !postalCode.MatchString(s):
		return "Le code postal a 5 chiffres, par exemple 34000."
	}
	return ""
}

// checkLicence accepts the NEPH (numéro de dossier, on the back of the
// card, top left) or the card's number (field 5 on its front), REFERENCE
// §1.1 and §1.2.
func checkLicence(s string, out *string) string {
	if strings.TrimSpace(s) == "" {
		return "Indiquez le numéro du permis de conduire du conducteur : le numéro de dossier (12 chiffres, au dos de la carte, en haut à gauche) ou le numéro de la carte (rubrique 5)."
	}
	if n, err := licence.ParseNEPH(s); err == nil {
		*out = string(n)
		return ""
	}
	if n, err := licence.ParseTitleNumber(s); err == nil {
		*out = string(n)
		return ""
	}
	return "Ce numéro de permis n'est pas valide : recopiez le numéro de dossier (12 chiffres, au dos de la carte) ou le numéro de la carte (rubrique 5, par exemple 24AB12345)."
}
