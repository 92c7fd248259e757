// Package ical writes the iCalendar (RFC 5545) file of one appointment, as
// an iTIP (RFC 5546) message: METHOD:REQUEST when it is booked or moved,
// METHOD:CANCEL when it is cancelled. Mail programs then add, move or
// remove the event in the person's calendar, recognised by its UID; a
// larger SEQUENCE tells them which version is the latest.
//
// Times are written in Europe/Paris with TZID and the VTIMEZONE that
// defines it (the EU rules: last Sunday of March and of October), and
// DTSTAMP in UTC. Text is escaped, lines end with CRLF and are folded at 75
// octets without splitting a UTF-8 sequence.
//
// Parse reads such a file back, for tests and for checking a mail's
// attachment.
package ical

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"permis/internal/date"
)

// Method is the iTIP method of the file.
type Method string

// The methods this package writes.
const (
	Request Method = "REQUEST" // a new event, or a new version of it (moved)
	Cancel  Method = "CANCEL"  // the event is cancelled
)

// ContentType is the media type of a file of method m, for a mail
// attachment.
func ContentType(m Method) string { return "text/calendar; charset=utf-8; method=" + string(m) }

// Person is an organizer or an attendee.
type Person struct {
	Name  string
	Email string
}

// Event is one appointment.
type Event struct {
	UID      string    // stable for the life of the appointment, moves included
	Sequence int       // 0 when booked, +1 at each move and at the cancellation
	Stamp    time.Time // when this version was made (DTSTAMP), written in UTC
	Start    time.Time // written in Europe/Paris
	End      time.Time
	Summary  string
	Location string
	// Description is plain text; new lines are kept.
	Description string
	Organizer   Person // the help point
	Attendee    Person // the person, optional
}

// ProdID names the product that wrote the file.
const ProdID = "-//Permis de conduire//Rendez-vous//FR"

// TZID is the time zone of DTSTART and DTEND.
const TZID = "Europe/Paris"

// vtimezone defines Europe/Paris by the EU rules in force since 1996.
var vtimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:" + TZID,
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19960331T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19961027T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// Marshal returns the iCalendar file of e for method m.
func Marshal(m Method, e Event) []byte {
	status := "CONFIRMED"
	if m == Cancel {
		status = "CANCELLED"
	}
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:" + ProdID,
		"CALSCALE:GREGORIAN",
		"METHOD:" + string(m),
	}
	lines = append(lines, vtimezone...)
	lines = append(lines,
		"BEGIN:VEVENT",
		"UID:"+Escape(e.UID),
		"SEQUENCE:"+strconv.Itoa(e.Sequence),
		"DTSTAMP:"+e.Stamp.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID="+TZID+":"+local(e.Start),
		"DTEND;TZID="+TZID+":"+local(e.End),
		"SUMMARY:"+Escape(e.Summary),
	)
	if e.Location != "" {
		lines = append(lines, "LOCATION:"+Escape(e.Location))
	}
	if e.Description != "" {
		lines = append(lines, "DESCRIPTION:"+Escape(e.Description))
	}
	if e.Organizer.Email != "" {
		lines = append(lines, "ORGANIZER"+cn(e.Organizer.Name)+":mailto:"+cleanAddress(e.Organizer.Email))
	}
	if e.Attendee.Email != "" {
		lines = append(lines, "ATTENDEE"+cn(e.Attendee.Name)+";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:"+
			cleanAddress(e.Attendee.Email))
	}
	lines = append(lines,
		"STATUS:"+status,
		"TRANSP:OPAQUE",
		"END:VEVENT",
		"END:VCALENDAR",
	)
	var b bytes.Buffer
	for _, l := range lines {
		fold(&b, l)
	}
	return b.Bytes()
}

func local(t time.Time) string { return t.In(date.Paris()).Format("20060102T150405") }

// Escape escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and
// comma are preceded by a backslash, line breaks become \n, and the other
// control characters, which TEXT cannot hold, are dropped.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteByte(c)
		default:
			if c < 0x20 || c == 0x7f {
				continue
			}
			b.WriteByte(c)
		}
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// cn writes the CN parameter, quoted; a parameter value cannot hold a
// double quote or a control character: a quote becomes an apostrophe, a
// line break or a tab a space ("Camille\nGarnier" is "Camille Garnier"),
// the other control characters are dropped.
func cn(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\r' || r == '\n' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}

// cleanAddress keeps what may stand in a mailto: URI of a plain address.
func cleanAddress(a string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`"<>\;,`, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(a))
}

// maxLine is the longest line, in octets, without its CRLF (RFC 5545 §3.1).
const maxLine = 75

// fold writes a content line folded at maxLine octets: a continuation line
// starts with a space, which counts in its 75 octets. A UTF-8 sequence is
// never split.
func fold(b *bytes.Buffer, line string) {
	n := 0
	for i := 0; i < len(line); {
		_, size := utf8.DecodeRuneInString(line[i:])
		if n+size > maxLine {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteString(line[i : i+size])
		n += size
		i += size
	}
	b.WriteString("\r\n")
}
