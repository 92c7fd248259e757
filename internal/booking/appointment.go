package booking

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/date"
)

// Status is the state of an appointment.
//
//	pending ──confirm──▶ confirmed ──▶ attended | no_show
//	   │                    │
//	   └─expire─▶ expired   └─cancel─▶ cancelled
//
// A pending appointment waits for the person to follow the link sent by
// mail (booked without an account, or offered from the waiting list); it
// holds its seat until HoldUntil. Pending and confirmed appointments hold
// their seats; attended and no-show ones keep them as history.
type Status string

// The statuses.
const (
	Pending   Status = "pending"
	Confirmed Status = "confirmed"
	Cancelled Status = "cancelled"
	Expired   Status = "expired"
	Attended  Status = "attended"
	NoShow    Status = "no_show"
)

// Label is the status in French.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "En attente de confirmation"
	case Confirmed:
		return "Confirmé"
	case Cancelled:
		return "Annulé"
	case Expired:
		return "Expiré (non confirmé à temps)"
	case Attended:
		return "Venu"
	case NoShow:
		return "Absent"
	}
	return string(s)
}

// Active reports whether the appointment is still to come as far as its
// state goes: pending or confirmed.
func (s Status) Active() bool { return s == Pending || s == Confirmed }

// Origin says how an appointment was made.
type Origin string

// The origins.
const (
	FromBooking     Origin = "booking"      // booked on a free slot
	FromWaitingList Origin = "waiting_list" // a freed slot offered to the next in line
)

// Appointment is one person's appointment at a help point.
type Appointment struct {
	ID          int64
	UID         string // stable across moves: the calendar event's UID
	HelpPointID int64
	KindID      int64
	Start, End  time.Time
	Seat        int // 1 to the agents on duty at booking time
	Status      Status
	Origin      Origin
	// PersonKey identifies the person for MaxFutureAppointmentsPerKind:
	// PersonKeyUser(id) with an account, PersonKeyEmail(address) without.
	PersonKey string
	UserID    int64 // 0 without an account
	Contact
	Sequence       int // iCalendar SEQUENCE: 0, then +1 at each move or cancellation
	CreatedAt      time.Time
	HoldUntil      *time.Time // pending: expires then
	ConfirmedAt    *time.Time
	CancelledAt    *time.Time
	AttendanceAt   *time.Time // when attended / no-show was recorded
	ReminderDueAt  *time.Time // nil: no reminder (confirmed within the reminder window)
	ReminderSentAt *time.Time
	ConfirmHash    []byte // SHA-256 of the confirmation link's token (pending only)
	ManageHash     []byte // SHA-256 of the cancel/move link's token (set at confirmation)
	WaitingID      int64  // the waiting-list entry it was offered to (FromWaitingList)
}

// PersonKeyUser is the person key of an account holder.
func PersonKeyUser(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// PersonKeyEmail is the person key of someone without an account: their
// address in lower case.
func PersonKeyEmail(email string) string { return "email:" + strings.ToLower(strings.TrimSpace(email)) }

// Contact is who the appointment is for, as they typed it.
type Contact struct {
	Name  string
	Email string
	Phone string // optional
}

// CheckContact validates and normalises what a person typed: the name
// trimmed, the address in lower case, the phone number written
// "06 12 34 56 78" (or "+<digits>" for a foreign one). Problems are
// reported per field (name, email, phone), in French.
func CheckContact(c Contact) (Contact, error) {
	f := map[string]string{}
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		f["name"] = "Saisissez vos nom et prénom."
	case n > 100:
		f["name"] = "Le nom ne doit pas dépasser 100 caractères."
	case strings.IndexFunc(c.Name, func(r rune) bool { return unicode.IsControl(r) || r == '<' || r == '>' }) >= 0:
		f["name"] = "Le nom contient des caractères non autorisés."
	}
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	if c.Email == "" {
		f["email"] = "Saisissez votre adresse électronique : la confirmation et le rappel y sont envoyés."
	} else if !plausibleEmail(c.Email) {
		f["email"] = "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if strings.TrimSpace(c.Phone) != "" {
		p, ok := NormalizePhone(c.Phone)
		if !ok {
			f["phone"] = "Saisissez un numéro de téléphone à 10 chiffres, par exemple 06 12 34 56 78, ou laissez ce champ vide."
		}
		c.Phone = p
	} else {
		c.Phone = ""
	}
	if len(f) > 0 {
		return c, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: f}
	}
	return c, nil
}

// NormalizePhone reads a phone number as people type it ("06.12.34.56.78",
// "+33 6 12 34 56 78", "0033612345678") and writes a French one in pairs
// ("06 12 34 56 78"), a foreign one as "+" and its digits.
func NormalizePhone(s string) (string, bool) {
	var digits []byte
	plus := false
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", false
		}
	}
	d := string(digits)
	if !plus && strings.HasPrefix(d, "00") {
		plus, d = true, d[2:]
	}
	if plus && strings.HasPrefix(d, "33") {
		// +33 6…, or +33 (0)6… as some write it.
		switch n := d[2:]; {
		case len(n) == 9 && n[0] != '0':
			plus, d = false, "0"+n
		case len(n) == 10 && n[0] == '0':
			plus, d = false, n
		default:
			return "", false
		}
	}
	switch {
	case plus:
		if len(d) < 8 || len(d) > 15 {
			return "", false
		}
		return "+" + d, true
	case len(d) != 10 || d[0] != '0' || d[1] == '0':
		return "", false
	}
	return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10], true
}

// WaitingStatus is the state of a waiting-list entry.
//
//	unconfirmed ──confirm──▶ waiting ──offer──▶ offered ──accept──▶ served
//	                           │  ▲                │
//	                           │  └──(none)        └─decline, lapse─▶ lapsed
//	                           └─leave─▶ left
type WaitingStatus string

// The waiting-list statuses.
const (
	WaitingUnconfirmed WaitingStatus = "unconfirmed" // without an account: the mail's link not yet followed
	Waiting            WaitingStatus = "waiting"     // in line, by QueuedAt
	Offered            WaitingStatus = "offered"     // a freed slot is held for them
	Served             WaitingStatus = "served"      // accepted an offer
	Left               WaitingStatus = "left"        // left the list
	Lapsed             WaitingStatus = "lapsed"      // did not answer an offer, declined it, or never confirmed
)

// Label is the waiting status in French.
func (s WaitingStatus) Label() string {
	switch s {
	case WaitingUnconfirmed:
		return "Inscription à confirmer"
	case Waiting:
		return "En liste d'attente"
	case Offered:
		return "Créneau proposé"
	case Served:
		return "Rendez-vous pris"
	case Left:
		return "Désinscrit"
	case Lapsed:
		return "Proposition expirée"
	}
	return string(s)
}

// WaitingEntry is a person in line for a freed slot of one kind at one
// help point, on days from From to To.
type WaitingEntry struct {
	ID          int64
	HelpPointID int64
	KindID      int64
	PersonKey   string
	UserID      int64
	Contact
	From, To      date.Date
	Status        WaitingStatus
	CreatedAt     time.Time
	QueuedAt      *time.Time // when confirmed: the place in line
	HoldUntil     *time.Time // unconfirmed: expires then
	ConfirmHash   []byte
	ManageHash    []byte // SHA-256 of the token of the link to leave the list
	AppointmentID int64  // the appointment offered (Offered, Served)
}

// CheckWaitingDays validates the days a person on the waiting list can
// come, at now: from today at the earliest, within the horizon.
func (c Config) CheckWaitingDays(now time.Time, from, to date.Date) error {
	today := date.Today(now)
	last := today.AddDays(c.HorizonDays - 1)
	f := map[string]string{}
	if from < today || from > last {
		f["from"] = "Choisissez un premier jour entre aujourd'hui et le " + last.French() + "."
	}
	if to < from || to > last {
		f["to"] = "Choisissez un dernier jour après le premier, au plus tard le " + last.French() + "."
	}
	if len(f) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: f}
	}
	return nil
}
