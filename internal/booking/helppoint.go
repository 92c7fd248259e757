package booking

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/openinghours"
)

var paris = date.Paris()

// HelpPointType is what kind of place a help point is (REFERENCE.md §12).
type HelpPointType string

// The types of help point.
const (
	Prefecture     HelpPointType = "prefecture"      // point numérique of the préfecture
	SubPrefecture  HelpPointType = "sub_prefecture"  // point numérique of a sous-préfecture
	FranceServices HelpPointType = "france_services" // France Services (ex-MSAP)
	DigitalPoint   HelpPointType = "digital_point"   // other point numérique (EPN, library…)
)

// HelpPointTypes lists the types in display order.
func HelpPointTypes() []HelpPointType {
	return []HelpPointType{Prefecture, SubPrefecture, FranceServices, DigitalPoint}
}

// Label is the type in French.
func (t HelpPointType) Label() string {
	switch t {
	case Prefecture:
		return "Préfecture"
	case SubPrefecture:
		return "Sous-préfecture"
	case FranceServices:
		return "France Services"
	case DigitalPoint:
		return "Point numérique"
	}
	return string(t)
}

// Valid reports whether t is one of the types.
func (t HelpPointType) Valid() bool {
	switch t {
	case Prefecture, SubPrefecture, FranceServices, DigitalPoint:
		return true
	}
	return false
}

// HelpPoint is a place where people get help with the online procedures
// and can book an appointment: the point numérique of a préfecture or
// sous-préfecture, a France Services. Its fields follow the national
// mediation-places schema (REFERENCE.md §14.1) where one exists.
type HelpPoint struct {
	ID            int64
	Type          HelpPointType
	Name          string
	Address       string // street and number: "Place des Martyrs de la Résistance"
	PostalCode    string // "34062"
	Commune       string // "Montpellier"
	INSEE         string // INSEE code of the commune: "34172"
	Lat, Lon      float64
	Phone         string
	Email         string   // the help point's contact address, the organiser of its appointments
	Services      []string // what people get help with, one line each
	Accessibility string   // access for people with disabilities, in French
	// OpeningHours is the OpenStreetMap opening_hours value, e.g.
	// "Mo-Fr 08:30-12:00,13:30-16:30; PH off" (docs/opening-hours.md).
	OpeningHours string
	// Agents is the number of agents on duty by default: the number of
	// people who can be received at once, the seats of each slot.
	Agents    int
	CreatedAt time.Time
}

// Departement is the département's INSEE code, from the commune's code:
// "34172" → "34", "2A004" → "2A", "97411" → "974".
func (p HelpPoint) Departement() string { return DepartementOf(p.INSEE) }

// DepartementOf returns the département of an INSEE commune code, or "" for
// a code that is not one.
func DepartementOf(insee string) string {
	switch {
	case len(insee) != 5:
		return ""
	case strings.HasPrefix(insee, "97"):
		return insee[:3]
	}
	return insee[:2]
}

// FullAddress is the address on one line, as in a mail or a calendar.
func (p HelpPoint) FullAddress() string {
	return strings.TrimSpace(strings.Join(nonEmpty(p.Address, strings.TrimSpace(p.PostalCode+" "+p.Commune)), ", "))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// MaxAgents bounds the agents on duty at one help point (a check on
// typing, not a rule: the largest préfecture counters have about ten).
const MaxAgents = 50

// Check validates p for recording: every problem is reported per field, in
// French; the opening hours' syntax error gives its column.
func (p HelpPoint) Check() error {
	f := map[string]string{}
	if !p.Type.Valid() {
		f["type"] = "Choisissez le type du lieu : préfecture, sous-préfecture, France Services ou point numérique."
	}
	if t := strings.TrimSpace(p.Name); t == "" || utf8.RuneCountInString(t) > 200 {
		f["name"] = "Saisissez le nom du lieu (200 caractères au plus)."
	}
	if strings.TrimSpace(p.Address) == "" {
		f["address"] = "Saisissez l'adresse du lieu."
	}
	if !allDigits(p.PostalCode) || len(p.PostalCode) != 5 {
		f["postal_code"] = "Saisissez un code postal à 5 chiffres, par exemple 34000."
	}
	if strings.TrimSpace(p.Commune) == "" {
		f["commune"] = "Saisissez la commune."
	}
	if DepartementOf(p.INSEE) == "" || !inseeChars(p.INSEE) {
		f["insee"] = "Saisissez le code INSEE de la commune (5 caractères, par exemple 34172)."
	}
	if math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90 || math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180 {
		f["position"] = "La latitude doit être comprise entre -90 et 90, la longitude entre -180 et 180."
	}
	if _, err := openinghours.Parse(p.OpeningHours); err != nil {
		f["opening_hours"] = "Horaires d'ouverture : " + err.Error()
	}
	if p.Agents < 1 || p.Agents > MaxAgents {
		f["agents"] = fmt.Sprintf("Le nombre d'agents présents doit être compris entre 1 et %d.", MaxAgents)
	}
	if p.Email != "" && !plausibleEmail(p.Email) {
		f["email"] = "Saisissez une adresse électronique valide, par exemple accueil@exemple.fr."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Le lieu ne peut pas être enregistré.", Fields: f}
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func inseeChars(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9') && !(i == 1 && (r == 'A' || r == 'B')) {
			return false
		}
	}
	return true
}

// Closure is a period when a help point takes no appointment (works,
// training, strike), from From to To, both days included.
type Closure struct {
	ID          int64
	HelpPointID int64
	From, To    date.Date
	Reason      string // shown to people: "Travaux"
}

// Check validates a closure.
func (c Closure) Check() error {
	f := map[string]string{}
	if c.To < c.From {
		f["to"] = "La date de fin doit être le même jour que la date de début ou après."
	}
	if r := strings.TrimSpace(c.Reason); r == "" || utf8.RuneCountInString(r) > 200 {
		f["reason"] = "Indiquez le motif de la fermeture (200 caractères au plus)."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "La fermeture ne peut pas être enregistrée.", Fields: f}
	}
	return nil
}

// Kind is a kind of appointment: what the person comes for, and how long
// it takes. A help point offers the kinds enabled for it.
type Kind struct {
	ID      int64
	Code    string // stable, for URLs and imports: "aide-permis"
	Label   string // in French: "Aide à une demande de permis de conduire"
	Minutes int    // duration, a multiple of the Grain
}

// Duration is the kind's length.
func (k Kind) Duration() time.Duration { return time.Duration(k.Minutes) * time.Minute }

// MaxKindMinutes bounds an appointment's length: half a day.
const MaxKindMinutes = 4 * 60

// Check validates a kind.
func (k Kind) Check() error {
	f := map[string]string{}
	if !validCode(k.Code) {
		f["code"] = "Le code ne doit contenir que des lettres minuscules sans accent, des chiffres et des tirets (40 au plus)."
	}
	if l := strings.TrimSpace(k.Label); l == "" || utf8.RuneCountInString(l) > 200 {
		f["label"] = "Saisissez le libellé du type de rendez-vous (200 caractères au plus)."
	}
	grain := int(Grain / time.Minute)
	if k.Minutes < grain || k.Minutes > MaxKindMinutes || k.Minutes%grain != 0 {
		f["minutes"] = fmt.Sprintf("La durée doit être un multiple de %d minutes, de %d minutes à %d heures.", grain, grain, MaxKindMinutes/60)
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Le type de rendez-vous ne peut pas être enregistré.", Fields: f}
	}
	return nil
}

func validCode(s string) bool {
	if s == "" || len(s) > 40 || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z') && !(r >= '0' && r <= '9') && r != '-' {
			return false
		}
	}
	return true
}

// plausibleEmail is a sanity check of a bare address: the confirmation link
// is what proves it.
func plausibleEmail(s string) bool {
	if len(s) > 254 || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>(),;:"[]\`, r)
	}) >= 0 {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}
