// Package openinghours reads and evaluates OpenStreetMap opening_hours
// values, the syntax of the "horaires" field of the national data on
// "lieux de médiation numérique" (REFERENCE §14.1) and a convenient way to
// write a préfecture's counter hours. Values are parsed once (Parse) and
// evaluated in Europe/Paris time, with the public holidays of a département
// (package holidays) for "PH".
//
// # Supported subset
//
//	rules        Mo-Fr 09:00-12:00; Sa 10:00-12:00        ";"  normal rule
//	             Mo-Fr 10:00-20:00, Sa 10:00-14:00        ","  additional rule
//	             Mo-Fr 09:00-17:00 || "sur rendez-vous"   "||" fallback rule
//	always       24/7
//	weekdays     Mo Tu We Th Fr Sa Su, ranges (Mo-Fr, Sa-Mo), lists (Mo,We,Fr)
//	nth weekday  Sa[1] (first Saturday of the month), Mo[-1] (last Monday), Tu[1,3], We[1-2]
//	holidays     PH, alone or in a list (Su,PH off), or with weekdays (PH Mo-Fr: a holiday that is a weekday)
//	times        08:30-12:00,13:30-16:30; past midnight 22:00-02:00 or 22:00-26:00 (at most 48:00)
//	months       Aug, Jan-Jun, Nov-Feb (over the new year)
//	dates        Dec 24, Dec 24-26, Dec 24,26, Dec 24-Jan 02, 2026 Dec 24-2027 Jan 02
//	years        2026, 2026-2027, 2026,2028
//	weeks        week 01-53/2, week 05, week 10-20 (ISO 8601 weeks)
//	modifiers    open, closed or off, unknown; a "comment" after them or alone
//	             (a rule that is only a comment is unknown: "sur rendez-vous")
//
// Selectors come in the order of the specification: year, dates, week, ":"
// (optional), weekdays, times, modifier. Keywords are read in any case
// ("mo-fr" is Mo-Fr), spaces are free between tokens, the dashes of word
// processors (–, —) count as "-", and a trailing ";" is ignored. String
// gives a normalised form that reads back to itself.
//
// Refused, with a *SyntaxError that says so: school holidays (SH), sunrise,
// sunset, dawn and dusk, "easter", day offsets ("PH +1 day"), open ends
// ("17:00+"), repeated times ("10:00-16:00/01:00"), year steps ("2026-2030/2"),
// ISO dates ("2026-12-24"), comments used as selectors ("text": ...). None is
// needed for a help point's hours, each needs data we do not have (school
// calendars, the sun) or makes the value hard to read back to a person.
//
// # Semantics
//
// As in the specification and its reference implementation, opening_hours.js:
// a normal rule that selects a day replaces what earlier rules said about that
// day, unless it is "off" (then it closes only its own times, or the whole
// day without times: "Mo-Fr 09:00-18:00; We 12:00-14:00 off"); an additional
// rule adds; a fallback rule fills only the minutes no earlier rule matched.
// A rule without any day selector ("10:00-12:00") selects every day. The part
// of a span past midnight belongs to the next day and, like any earlier rule,
// is replaced by a later normal rule that selects that next day
// ("Fr 22:00-02:00; Sa 10:00-12:00" is closed on Saturday at 01:00; write
// "Fr 22:00-02:00, Sa 10:00-12:00" to keep the night).
//
// Two deliberate differences from opening_hours.js: a rule with times only
// after a rule with days ("Mo-Fr 08:00-12:00; 14:00-18:00") replaces the
// earlier rule on every day, as the specification says (opening_hours.js keeps
// both); and a fallback rule does not reopen minutes that an earlier "off"
// rule closed ("PH off || "sur rendez-vous"" stays closed on holidays), since
// an "off" rule matched them.
//
// # Errors
//
// Parse returns a *SyntaxError with the 1-based character column and a
// French message, for instance:
//
//	position 7 : heure attendue au format HH:MM, trouvé "8h30"
//
// so a form can show it next to the field (apperr.Field("horaires", err.Error())).
// docs/opening-hours.md lists the messages.
package openinghours
