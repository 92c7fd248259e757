package licence

import (
	"fmt"
	"strings"

	"permis/internal/date"
)

// NEPHReport is what "permis neph check VALUE" prints (§1.1).
type NEPHReport struct {
	Input    string      `json:"input"`
	Digits   string      `json:"digits"`
	Length   int         `json:"length"`
	Standard bool        `json:"standard"` // 12 digits
	Warnings []string    `json:"warnings,omitempty"`
	Layout   *NEPHLayout `json:"layout,omitempty"` // only for 12 digits
}

// NEPHLayout is the reading of a 12-digit NEPH as YY MM DD PP NNNN. The
// layout comes from consistent secondary sources only: LayoutConfirmed is
// always false (§1.1, UNCONFIRMED), and the parts are never validated.
type NEPHLayout struct {
	Year            string `json:"year"`        // year of registration, 2 digits
	Month           string `json:"month"`       // month of registration
	Departement     string `json:"departement"` // département of residence at registration
	Office          string `json:"office"`      // préfecture or sous-préfecture code
	Order           string `json:"order"`       // order number within the month and office
	LayoutConfirmed bool   `json:"layout_confirmed"`
}

// CheckNEPH parses s as a NEPH and describes it. A value that cannot be a
// NEPH is a *CheckError (codes "format" or "length").
func CheckNEPH(s string) (NEPHReport, error) {
	n, err := ParseNEPH(s)
	if err != nil {
		return NEPHReport{Input: s}, err
	}
	r := NEPHReport{Input: s, Digits: n.String(), Length: len(n), Standard: n.Standard()}
	if !r.Standard {
		r.Warnings = append(r.Warnings, fmt.Sprintf(
			"Le NEPH compte %d chiffres au lieu de 12 : il est accepté, mais vérifiez-le.", r.Length))
		return r, nil
	}
	d := r.Digits
	r.Layout = &NEPHLayout{Year: d[0:2], Month: d[2:4], Departement: d[4:6], Office: d[6:8], Order: d[8:12]}
	if d[2:4] < "01" || d[2:4] > "12" {
		r.Warnings = append(r.Warnings, fmt.Sprintf(
			"Les chiffres 3 et 4 (%s) ne sont pas un mois : le découpage année, mois, département, bureau, numéro d'ordre, non confirmé, ne s'applique peut-être pas.", d[2:4]))
	}
	return r, nil
}

// Kinds of value "permis title check" recognises.
const (
	KindTitleNumber = "title_number"
	KindMRZ         = "mrz"
)

// TitleReport is what "permis title check NUMBER-OR-MRZ" prints (§1.2).
type TitleReport struct {
	Input       string            `json:"input"`
	Kind        string            `json:"kind"` // KindTitleNumber or KindMRZ
	TitleNumber *TitleNumberParts `json:"title_number,omitempty"`
	MRZ         *MRZParts         `json:"mrz,omitempty"`
	Warnings    []string          `json:"warnings,omitempty"`
}

// TitleNumberParts are the parts of a card number. The layout is known from
// one specimen only: FormatConfirmed is always false (§1.2, UNCONFIRMED).
type TitleNumberParts struct {
	Number          string `json:"number"`
	Year            string `json:"year"`
	Letters         string `json:"letters"`
	Serial          string `json:"serial"`
	FormatConfirmed bool   `json:"format_confirmed"`
}

// MRZParts are the parts of a card's one-line MRZ.
type MRZParts struct {
	Line                string           `json:"line"`
	DocumentCode        string           `json:"document_code"`
	Country             string           `json:"country"`
	DocumentNumber      string           `json:"document_number"`
	NumberCheckDigit    CheckDigitReport `json:"number_check_digit"`
	Expiry              date.Date        `json:"expiry"`
	Surname             string           `json:"surname"`
	CompositeCheckDigit CheckDigitReport `json:"composite_check_digit"`
}

// CheckDigitReport is one MRZ check digit: where it is (1-based), the digit
// computed, the digit printed, and whether they agree.
type CheckDigitReport struct {
	Position int  `json:"position"`
	Expected int  `json:"expected"`
	Found    int  `json:"found"`
	Valid    bool `json:"valid"`
}

// CheckTitle reads s as a card number (13AA00002) or as a one-line MRZ
// (D1FRA13AA000026181231MARTIN<<9), telling them apart by shape: a value
// with a '<' or of 20 characters or more is an MRZ. Errors are *CheckError.
// When an MRZ has the right shape but a wrong check digit, the report is
// returned filled (with Valid false on that digit) together with the error,
// so that the caller may show both.
func CheckTitle(s string) (TitleReport, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if !strings.Contains(t, "<") && len([]rune(t)) < 20 {
		n, err := ParseTitleNumber(t)
		if err != nil {
			return TitleReport{Input: s, Kind: KindTitleNumber}, err
		}
		return TitleReport{Input: s, Kind: KindTitleNumber, TitleNumber: numberParts(n)}, nil
	}
	r := TitleReport{Input: s, Kind: KindMRZ}
	m, err := splitMRZ(t)
	if err != nil {
		return r, err
	}
	r.MRZ = &MRZParts{
		Line:                m.Line,
		DocumentCode:        m.DocumentCode,
		Country:             m.Country,
		DocumentNumber:      m.Number.String(),
		NumberCheckDigit:    digitReport(mrzNumberCheck, m.NumberCheckExpected(), m.NumberCheck),
		Expiry:              m.Expiry,
		Surname:             m.Surname,
		CompositeCheckDigit: digitReport(mrzComposite, m.CompositeCheckExpected(), m.CompositeCheck),
	}
	if n, err := ParseTitleNumber(m.Number.String()); err == nil {
		r.TitleNumber = numberParts(n)
	} else {
		r.Warnings = append(r.Warnings,
			"Le numéro du document ne suit pas la forme 2 chiffres, 2 lettres, 5 chiffres (forme connue par un seul spécimen, non confirmée).")
	}
	return r, m.verify()
}

func numberParts(n TitleNumber) *TitleNumberParts {
	return &TitleNumberParts{Number: n.String(), Year: n.Year(), Letters: n.Letters(), Serial: n.Serial()}
}

func digitReport(offset, expected, found int) CheckDigitReport {
	return CheckDigitReport{Position: offset + 1, Expected: expected, Found: found, Valid: expected == found}
}
