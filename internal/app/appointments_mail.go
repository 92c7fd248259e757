package app

import (
	netmail "net/mail"
	"strings"
	"time"

	"permis/internal/booking"
	"permis/internal/ical"
	"permis/internal/mail"
)

// The mails of the appointment use cases. Each says what happened, when
// and where, what to do next, and carries the links the person needs; the
// ones that put the appointment in a calendar (booked, moved, cancelled)
// carry it as an .ics attachment, METHOD:REQUEST or CANCEL, the same UID
// and a SEQUENCE that goes up at each change.

func apptGreeting(name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return "Bonjour " + name + ",\n\n"
	}
	return "Bonjour,\n\n"
}

// placeLines describes where and how to come.
func placeLines(v AppointmentView) string {
	var b strings.Builder
	b.WriteString("Lieu : " + v.HelpPoint.Name + "\n")
	b.WriteString("Adresse : " + v.HelpPoint.FullAddress() + "\n")
	if v.HelpPoint.Phone != "" {
		b.WriteString("Téléphone : " + v.HelpPoint.Phone + "\n")
	}
	if v.HelpPoint.Accessibility != "" {
		b.WriteString("Accessibilité : " + v.HelpPoint.Accessibility + "\n")
	}
	return b.String()
}

const apptBring = "Apportez une pièce d'identité et, si vous en avez, votre numéro de dossier et les documents de votre démarche.\n"

func (s *Appointments) link(path, token string) string { return s.a.publicURL + path + token }

// calendar returns the .ics attachment of the appointment (the SMTP
// transport also sends it inline, for the meeting buttons of Outlook). It
// does not carry the cancel/move link: calendars are often shared (family,
// office), the mail is the person's own.
//
// The ORGANIZER is the service, the mail's sender (a calendar checks that
// an invitation comes from its organizer), named after the help point; the
// attendee is asked no reply (RSVP=FALSE), and the mail says that replies
// are not read and how to reach the help point (its phone, in placeLines).
func (s *Appointments) calendar(v AppointmentView, m ical.Method, stamp time.Time) mail.Attachment {
	org := ical.Person{Name: v.HelpPoint.Name, Email: "ne-pas-repondre@" + s.host()}
	if a, err := netmail.ParseAddress(s.a.mailFrom); err == nil {
		org.Email = a.Address
	}
	desc := v.Kind.Label + "\n" + apptBring
	e := ical.Event{
		UID: v.UID, Sequence: v.Sequence, Stamp: stamp, Start: v.Start, End: v.End,
		Summary:     "Rendez-vous : " + v.Kind.Label,
		Location:    v.HelpPoint.Name + ", " + v.HelpPoint.FullAddress(),
		Description: desc, Organizer: org, Attendee: ical.Person{Name: v.Name, Email: v.Email},
	}
	name := "rendez-vous.ics"
	if m == ical.Cancel {
		name = "annulation.ics"
	}
	return mail.Attachment{Filename: name, ContentType: ical.ContentType(m), Data: ical.Marshal(m, e)}
}

func (s *Appointments) mailPending(v AppointmentView, confirmToken string) mail.Message {
	return mail.Message{
		To:      v.Email,
		Subject: "Confirmez votre rendez-vous du " + booking.FrenchDay(v.Start),
		Text: apptGreeting(v.Name) + "Vous avez demandé un rendez-vous « " + v.Kind.Label + " » le " + v.When() + ".\n\n" +
			"Pour le confirmer, ouvrez ce lien avant " + booking.FrenchClock(*v.HoldUntil) + " :\n\n" +
			s.link(PathConfirmAppointment, confirmToken) + "\n\n" +
			"Sans confirmation à cette heure-là, le créneau sera libéré pour quelqu'un d'autre.\n\n" + placeLines(v) +
			"\nSi vous n'avez rien demandé, ignorez ce message." + mailSignature,
	}
}

func (s *Appointments) mailConfirmed(v AppointmentView, manageToken string, now time.Time) mail.Message {
	manage := s.link(PathManageAppointment, manageToken)
	return mail.Message{
		To:      v.Email,
		Subject: "Votre rendez-vous du " + booking.FrenchDay(v.Start) + " est confirmé",
		Text: apptGreeting(v.Name) + "Votre rendez-vous « " + v.Kind.Label + " » est confirmé le " + v.When() + ".\n\n" +
			placeLines(v) + "\n" + apptBring + "\n" +
			"Pour l'annuler ou le déplacer, ouvrez ce lien (gardez ce courriel) :\n" + manage + "\n\n" +
			"Si vous ne pouvez pas venir, annulez-le : le créneau sera proposé à une personne qui attend.\n" +
			"Le fichier joint ajoute le rendez-vous à votre agenda." + mailSignature,
		Attachments: []mail.Attachment{s.calendar(v, ical.Request, now)},
	}
}

func (s *Appointments) mailMoved(v AppointmentView, old booking.Appointment, now time.Time) mail.Message {
	return mail.Message{
		To:      v.Email,
		Subject: "Votre rendez-vous est déplacé au " + booking.FrenchDay(v.Start),
		Text: apptGreeting(v.Name) + "Votre rendez-vous « " + v.Kind.Label + " » prévu le " + booking.FrenchWhen(old.Start, old.End) +
			" est déplacé au " + v.When() + ".\n\n" + placeLines(v) + "\n" +
			"Le lien de votre courriel de confirmation reste valable pour l'annuler ou le déplacer de nouveau.\n" +
			"Le fichier joint met votre agenda à jour." + mailSignature,
		Attachments: []mail.Attachment{s.calendar(v, ical.Request, now)},
	}
}

func (s *Appointments) mailCancelled(v AppointmentView, now time.Time) mail.Message {
	return mail.Message{
		To:      v.Email,
		Subject: "Votre rendez-vous du " + booking.FrenchDay(v.Start) + " est annulé",
		Text: apptGreeting(v.Name) + "Votre rendez-vous « " + v.Kind.Label + " » du " + v.When() + " à " + v.HelpPoint.Name +
			" est annulé.\n\nPour prendre un autre rendez-vous : " + s.a.publicURL + "/rendez-vous\n" +
			"Le fichier joint retire le rendez-vous de votre agenda." + mailSignature,
		Attachments: []mail.Attachment{s.calendar(v, ical.Cancel, now)},
	}
}

func (s *Appointments) mailReminder(v AppointmentView) mail.Message {
	return mail.Message{
		To:      v.Email,
		Subject: "Rappel : votre rendez-vous du " + booking.FrenchDay(v.Start),
		Text: apptGreeting(v.Name) + "Nous vous rappelons votre rendez-vous « " + v.Kind.Label + " » le " + v.When() + ".\n\n" +
			placeLines(v) + "\n" + apptBring + "\n" +
			"Si vous ne pouvez pas venir, annulez-le avec le lien de votre courriel de confirmation : " +
			"le créneau sera proposé à une personne qui attend." + mailSignature,
	}
}

func (s *Appointments) mailOffer(v AppointmentView, token string) mail.Message {
	return mail.Message{
		To:      v.Email,
		Subject: "Un créneau s'est libéré le " + booking.FrenchDay(v.Start),
		Text: apptGreeting(v.Name) + "Vous êtes sur la liste d'attente de " + v.HelpPoint.Name + " pour « " + v.Kind.Label + " ».\n" +
			"Un créneau s'est libéré le " + v.When() + ". Il vous est réservé jusqu'à " + booking.FrenchClock(*v.HoldUntil) +
			" le " + booking.FrenchDay(*v.HoldUntil) + ".\n\n" +
			"Pour l'accepter :\n" + s.link(PathConfirmAppointment, token) + "\n\n" +
			"S'il ne vous convient pas, refusez-le pour le laisser à la personne suivante :\n" + s.link(PathDeclineOffer, token) + "\n\n" +
			"Sans réponse à temps, il sera proposé à la personne suivante et vous quitterez la liste d'attente.\n\n" +
			placeLines(v) + mailSignature,
	}
}

func (s *Appointments) mailWaiting(e WaitingView, confirmToken, leaveToken string) mail.Message {
	var b strings.Builder
	b.WriteString(apptGreeting(e.Name))
	if confirmToken != "" {
		b.WriteString("Vous avez demandé à être inscrit sur la liste d'attente de " + e.HelpPoint.Name + " pour « " + e.Kind.Label +
			" », du " + e.From.French() + " au " + e.To.French() + ".\n\nPour confirmer votre inscription, ouvrez ce lien avant " +
			booking.FrenchClock(*e.HoldUntil) + " :\n\n" + s.link(PathConfirmWaiting, confirmToken) + "\n\n")
	} else {
		b.WriteString("Vous êtes inscrit sur la liste d'attente de " + e.HelpPoint.Name + " pour « " + e.Kind.Label +
			" », du " + e.From.French() + " au " + e.To.French() + ".\n\n")
	}
	b.WriteString("Quand un créneau se libère, il est proposé par courriel à la première personne de la liste, " +
		"qui a un temps limité pour l'accepter.\n\nPour vous retirer de la liste : " + s.link(PathLeaveWaiting, leaveToken) +
		"\n\nSi vous n'avez rien demandé, ignorez ce message." + mailSignature)
	subject := "Vous êtes inscrit sur la liste d'attente"
	if confirmToken != "" {
		subject = "Confirmez votre inscription sur la liste d'attente"
	}
	return mail.Message{To: e.Email, Subject: subject, Text: b.String()}
}
