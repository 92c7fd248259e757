package fines

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/store"
)

// Driver is the person designated as the driver (CPP 529-10 2°, L121-6):
// identity, address, licence number.
type Driver struct {
	FamilyName    string
	GivenNames    string
	BirthDate     string // JJ/MM/AAAA or AAAA-MM-JJ
	Address       string // one line: number, street, postcode, town
	LicenceNumber string // NEPH (12 digits) or the card's number
	Email         string // optional: the new notice is also mailed there
}

// DesignationInput designates the driver of a notice, for whoever holds it
// (a person, or a company's representative).
type DesignationInput struct {
	Number, Plate string
	Driver        Driver
	Email         string // the holder's, for the confirmation (optional)
}

// Designated is the outcome of a designation: the holder's notice, closed,
// and the new notice sent to the driver.
type Designated struct {
	Designation store.Designation
	NewNotice   store.Notice
}

// DesignateDriver closes the notice and sends a new one, with a new 45-day
// window, to the designated driver (CPP 529-10 2°; L121-6 for a company,
// within 45 days of the sending). The holder loses no point; the driver
// loses them only when they pay or are convicted. Bad input is invalid,
// with a French message per field, and nothing is written.
func (s *Service) DesignateDriver(ctx context.Context, req app.Request, in DesignationInput) (Designated, error) {
	birth, err := checkDriver(in.Number, in.Plate, in.Driver)
	if err != nil {
		return Designated{}, err
	}
	n, err := s.k.Store.FindNoticeByNumber(ctx, in.Number, in.Plate)
	if err != nil {
		return Designated{}, err
	}
	if err := contestable(n); err != nil {
		return Designated{}, err
	}
	if n.Points == 0 || n.NonDesignationOf != 0 {
		return Designated{}, apperr.New(apperr.Conflict, "Cet avis ne retire aucun point et vise le titulaire lui-même : il n'y a pas de conducteur à désigner.")
	}
	if dl := contest.Deadline(s.cfg.Rules, n.Rule()); s.today().After(dl) {
		return Designated{}, apperr.Field("number", fmt.Sprintf("Le délai pour désigner le conducteur a expiré le %s à minuit (45 jours après l'envoi de l'avis).", dl.French()))
	}
	var out Designated
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		closed, err := tx.SetNoticeState(ctx, n.ID, store.NoticeOpen, store.NoticeDesignated, date.Null{})
		if err != nil {
			return err
		}
		out, err = s.designate(ctx, tx, req, closed, in.Driver, birth)
		if err != nil {
			return err
		}
		return s.mail(ctx, tx, strings.ToLower(strings.TrimSpace(in.Email)), mailDesignatedHolder(n, out.Designation))
	})
	return out, err
}

// designate sends a new notice to the driver for closed notice n and
// records the designation, in tx.
func (s *Service) designate(ctx context.Context, tx *store.Store, req app.Request, n store.Notice, d Driver, birth date.Date) (Designated, error) {
	nn := store.Notice{Number: NewNoticeNumber(), Plate: n.Plate, Kind: contest.ACO, Committed: n.Committed,
		Place: n.Place, Nature: n.Nature, Class: n.Class, Reduced: n.Reduced, Fine: n.Fine, Increased: n.Increased,
		Points: n.Points, Sent: s.today(), Mail: contest.Ordinary, ReplacesID: n.ID,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: strings.TrimSpace(d.FamilyName),
			GivenNames: strings.TrimSpace(d.GivenNames), BirthDate: date.Some(birth), Address: strings.TrimSpace(d.Address),
			Email: strings.ToLower(strings.TrimSpace(d.Email))}}
	lid, err := driverLicence(ctx, tx, d, birth)
	if err != nil {
		return Designated{}, err
	}
	nn.Holder.LicenceID = lid
	if err := tx.CreateNotice(ctx, &nn); err != nil {
		return Designated{}, err
	}
	des := store.Designation{NoticeID: n.ID, NewNoticeID: nn.ID, FamilyName: nn.Holder.Name, GivenNames: nn.Holder.GivenNames,
		BirthDate: date.Some(birth), Address: nn.Holder.Address, LicenceNumber: strings.TrimSpace(d.LicenceNumber), Email: nn.Holder.Email}
	if err := tx.CreateDesignation(ctx, &des); err != nil {
		return Designated{}, err
	}
	if err := s.tell(ctx, tx, nn.Holder.Email, nn, mailNewNotice(nn, contest.Deadline(s.cfg.Rules, nn.Rule()))); err != nil {
		return Designated{}, err
	}
	if err := s.k.AuditTx(ctx, tx, req, "fine.designation", "fine_notice", n.Number); err != nil {
		return Designated{}, err
	}
	return Designated{Designation: des, NewNotice: nn}, nil
}

// driverLicence returns the register's licence of the designated driver
// when the number is one and its holder has the name and birth date given;
// 0 otherwise (the new notice still goes to the driver, by post: their
// points follow when they pay or are convicted and the fines system's
// import names their licence). Nobody can make a stranger lose points by
// typing their licence number: the identity must match.
func driverLicence(ctx context.Context, tx *store.Store, d Driver, birth date.Date) (int64, error) {
	nb, err := licence.ParseNEPH(strings.TrimSpace(d.LicenceNumber))
	if err != nil {
		return 0, nil
	}
	l, err := tx.FindLicenceByNEPH(ctx, nb)
	if apperr.Is(err, apperr.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	p, err := tx.FindPerson(ctx, l.PersonID)
	if err != nil {
		return 0, err
	}
	sameName := licence.SameName(p.FamilyName, d.FamilyName) || (p.UsageName != "" && licence.SameName(p.UsageName, d.FamilyName))
	if !sameName || p.BirthDate != birth {
		return 0, nil
	}
	return l.ID, nil
}

// checkDriver checks the designation form's fields and returns the
// driver's birth date.
func checkDriver(number, plate string, d Driver) (date.Date, error) {
	fields := map[string]string{}
	if err := numberAndPlate(number, plate); err != nil {
		fields = apperr.As(err).Fields
	}
	if strings.TrimSpace(d.FamilyName) == "" {
		fields["driver.family_name"] = "Saisissez le nom de famille du conducteur."
	}
	if strings.TrimSpace(d.GivenNames) == "" {
		fields["driver.given_names"] = "Saisissez le ou les prénoms du conducteur."
	}
	birth, ok := parseDate(d.BirthDate)
	if !ok {
		fields["driver.birth_date"] = "Saisissez la date de naissance du conducteur au format JJ/MM/AAAA, par exemple 12/03/1990."
	}
	if len(strings.TrimSpace(d.Address)) < 10 {
		fields["driver.address"] = "Saisissez l'adresse complète du conducteur : numéro, rue, code postal et commune."
	}
	if n := strings.TrimSpace(d.LicenceNumber); len(n) < 6 {
		fields["driver.licence_number"] = "Saisissez le numéro du permis de conduire du conducteur (rubrique 5 du permis, ou NEPH à 12 chiffres)."
	}
	if e := strings.TrimSpace(d.Email); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Name != "" {
			fields["driver.email"] = "Adresse électronique invalide : laissez le champ vide ou saisissez une adresse comme camille.durand@example.fr."
		}
	}
	if len(fields) > 0 {
		return 0, &apperr.Error{Code: apperr.Invalid, Message: "Certaines informations sont incorrectes.", Fields: fields}
	}
	return birth, nil
}

// parseDate accepts JJ/MM/AAAA (as people type it) or AAAA-MM-JJ (the
// date input), after 1900.
func parseDate(s string) (date.Date, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		var dd, mm, yy int
		if _, err := fmt.Sscanf(s, "%d/%d/%d", &dd, &mm, &yy); err != nil || yy < 1000 {
			return 0, false
		}
		s = fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd)
	}
	d, err := date.Parse(s)
	return d, err == nil && d.Year() >= 1900
}

// NonDesignationSummary reports a pass of IssueNonDesignationFines.
type NonDesignationSummary struct {
	Issued  int
	Numbers []string // the new notices
}

// IssueNonDesignationFines issues, for every company notice whose driver
// was not designated within the delay (L121-6: 45 days from the sending,
// CPP 801), the separate fine for non-designation: a 4th-class
// contravention × 5 for a legal person (Config: €450 reduced, €675,
// €1 875 increased), without points. It is the nightly step; running it
// twice, or on two instances, issues each fine once (the notice it
// follows is unique in the store).
func (s *Service) IssueNonDesignationFines(ctx context.Context) (NonDesignationSummary, error) {
	sys := app.Request{Actor: access.SystemActor("fines.non_designation")}
	today := s.today()
	var sum NonDesignationSummary
	for {
		// Any notice sent before today − delay may be late; the exact
		// deadline (moved to a working day) is checked one by one.
		ns, err := s.k.Store.ListUndesignatedCompanyNotices(ctx, today.AddDays(-s.cfg.Rules.DesignationDays-1), 500)
		if err != nil {
			return sum, err
		}
		issued := 0
		for _, n := range ns {
			dl := contest.WorkingDay(n.Sent.AddDays(s.cfg.Rules.DesignationDays), s.cfg.Rules.Departement)
			if !today.After(dl) {
				continue
			}
			number, err := s.issueNonDesignation(ctx, sys, n)
			if apperr.Is(err, apperr.Conflict) {
				continue // another instance issued it meanwhile
			}
			if err != nil {
				return sum, err
			}
			issued++
			sum.Issued++
			sum.Numbers = append(sum.Numbers, number)
		}
		if len(ns) < 500 || issued == 0 {
			return sum, nil
		}
	}
}

func (s *Service) issueNonDesignation(ctx context.Context, sys app.Request, n store.Notice) (string, error) {
	a := s.cfg.Rules.NonDesignation
	fine := store.Notice{Number: NewNoticeNumber(), Plate: n.Plate, Kind: contest.ACO, Committed: s.today(),
		Nature: "Non-désignation du conducteur (article L121-6 du code de la route)", Class: "4",
		Reduced: a.Reduced, Fine: a.Standard, Increased: a.Increased, Points: 0, Holder: n.Holder,
		Sent: s.today(), Mail: contest.Ordinary, NonDesignationOf: n.ID}
	fine.Holder.LicenceID = 0
	err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateNotice(ctx, &fine); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, n.Holder.Email, fine, mailNonDesignation(n, fine)); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, sys, "fine.non_designation", "fine_notice", n.Number)
	})
	return fine.Number, err
}
