package openinghours

import (
	"time"
	"unicode"
)

// The wide-range selectors: years, dates (months and days of the month) and
// ISO weeks.

// wide reads the year, date and week selectors, and the optional ":" that
// may follow them.
func (p *parser) wide(r *rule) error {
	if p.yearAt(p.pos) && !p.monthAfterYear(p.pos) {
		if err := p.years(r); err != nil {
			return err
		}
		p.skipSpaces()
	}
	if p.monthAt(p.pos) || (p.yearAt(p.pos) && p.monthAfterYear(p.pos)) {
		if err := p.dates(r); err != nil {
			return err
		}
		p.skipSpaces()
	}
	if is(p.word(p.pos), "week") {
		if err := p.weeks(r); err != nil {
			return err
		}
		p.skipSpaces()
	}
	if p.peek() == ':' && len(r.years)+len(r.dates)+len(r.weeks) > 0 {
		p.pos++
		p.skipSpaces()
	}
	return nil
}

// yearAt reports whether a year (four digits from 1900, not an hour) is at i.
func (p *parser) yearAt(i int) bool {
	v, n := p.digits(i)
	return n == 4 && v >= 1900 && p.at(i+4) != ':'
}

func (p *parser) monthAfterYear(i int) bool {
	return p.monthAt(p.spacesFrom(i + 4))
}

func (p *parser) monthAt(i int) bool {
	_, ok := lookup(p.word(i), monthNames[:])
	return ok
}

// lookup finds w among names, ignoring case; it returns the index.
func lookup(w []rune, names []string) (int, bool) {
	for i, n := range names {
		if is(w, n) {
			return i, true
		}
	}
	return 0, false
}

func (p *parser) years(r *rule) error {
	for {
		at := p.pos
		if p.isoDateAt(at) {
			return p.fail(at, `date au format AAAA-MM-JJ non prise en charge (écrire par exemple "2026 Dec 24")`)
		}
		y, _ := p.digits(at)
		p.pos += 4
		yr := yearRange{y, y}
		if p.peek() == '+' {
			return p.fail(p.pos, `année ouverte ("+") non prise en charge`)
		}
		if next := p.spacesFrom(p.pos); isDash(p.at(next)) {
			p.pos = p.spacesFrom(next + 1)
			if !p.yearAt(p.pos) {
				return p.fail(p.pos, `année de fin attendue (4 chiffres) après "-", trouvé %s`, p.found(p.pos))
			}
			yr.to, _ = p.digits(p.pos)
			if yr.to < yr.from {
				return p.fail(p.pos, "plage d'années à l'envers : %d avant %d", yr.to, yr.from)
			}
			p.pos += 4
			if p.peek() == '/' {
				return p.fail(p.pos, `pas entre les années ("/") non pris en charge`)
			}
		}
		r.years = append(r.years, yr)
		if next := p.spacesFrom(p.pos); p.at(next) == ',' {
			look := p.spacesFrom(next + 1)
			if p.yearAt(look) {
				p.pos = look
				continue
			}
		}
		return nil
	}
}

func (p *parser) isoDateAt(i int) bool {
	_, n1 := p.digits(i)
	_, n2 := p.digits(i + 5)
	return n1 == 4 && isDash(p.at(i+4)) && n2 == 2 && isDash(p.at(i+7)) && isDigit(p.at(i+8))
}

func (p *parser) dates(r *rule) error {
	for {
		d, err := p.dateRange()
		if err != nil {
			return err
		}
		r.dates = append(r.dates, d)
		for more := true; more; {
			next := p.spacesFrom(p.pos)
			if p.at(next) != ',' {
				return nil
			}
			look := p.spacesFrom(next + 1)
			last := r.dates[len(r.dates)-1].to
			switch {
			case p.monthAt(look) || (p.yearAt(look) && p.monthAfterYear(look)):
				p.pos = look
				more = false // a full date range again
			case last.day != 0 && p.dayNumAt(look) > 0:
				// "Dec 24,26": a further day of the same month (and year).
				md := monthDay{year: last.year, month: last.month}
				md.day, _ = p.digits(look)
				if err := p.checkDay(look, md); err != nil {
					return err
				}
				r.dates = append(r.dates, dateRange{md, md})
				p.pos = look + p.dayNumAt(look)
			default:
				return nil
			}
		}
	}
}

// dayNumAt returns the length of a day of the month (1 or 2 digits, not an
// hour) at i, or 0.
func (p *parser) dayNumAt(i int) int {
	_, n := p.digits(i)
	if n == 0 || n > 2 || p.hourColon(i+n) {
		return 0
	}
	return n
}

// hourColon reports whether the ":" of an hour is at i (a ":" followed by a
// digit): "Dec 25:00" is a time, "Dec 25: off" and "week 05:" are a day of
// the month or a week followed by the optional ":" of the wide selectors.
func (p *parser) hourColon(i int) bool {
	return p.at(i) == ':' && isDigit(p.at(i+1))
}

// monthDay reads [YYYY] Mon [DD].
func (p *parser) monthDay(what string) (monthDay, error) {
	var md monthDay
	if p.yearAt(p.pos) {
		md.year, _ = p.digits(p.pos)
		p.pos = p.spacesFrom(p.pos + 4)
	}
	w := p.word(p.pos)
	m, ok := lookup(w, monthNames[:])
	if !ok {
		if len(w) > 0 {
			return md, p.fail(p.pos, "mois inconnu %s (attendu : Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov ou Dec)", p.found(p.pos))
		}
		return md, p.fail(p.pos, "%s attendu, trouvé %s", what, p.found(p.pos))
	}
	md.month = time.Month(m + 1)
	p.pos += len(w)
	if look := p.spacesFrom(p.pos); p.dayNumAt(look) > 0 {
		if p.at(look+p.dayNumAt(look)) == '[' || unicode.IsLetter(p.at(look+p.dayNumAt(look))) {
			return md, p.fail(look, "jour du mois attendu, trouvé %s", p.found(look))
		}
		md.day, _ = p.digits(look)
		if err := p.checkDay(look, md); err != nil {
			return md, err
		}
		p.pos = look + p.dayNumAt(look)
	}
	return md, nil
}

func (p *parser) checkDay(at int, md monthDay) error {
	year := md.year
	if year == 0 {
		year = 2000 // a leap year: "Feb 29" exists in some years
	}
	if md.day < 1 || md.day > daysIn(year, md.month) {
		return p.fail(at, "jour impossible %s pour %s", p.found(at), monthDay{year: md.year, month: md.month}.String())
	}
	return nil
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ordinal orders month-days within a year; a month alone counts from its
// first day (start of a range) or its last (end of a range).
func (m monthDay) ordinal(end bool) int {
	d := m.day
	if d == 0 {
		d = 1
		if end {
			d = 31
		}
	}
	return int(m.month)*32 + d
}

func (p *parser) dateRange() (dateRange, error) {
	from, err := p.monthDay("mois")
	if err != nil {
		return dateRange{}, err
	}
	d := dateRange{from, from}
	next := p.spacesFrom(p.pos)
	if !isDash(p.at(next)) {
		return d, nil
	}
	// "Dec 24 -" followed by something else than a date is not our range.
	look := p.spacesFrom(next + 1)
	toAt := look
	switch {
	case from.day != 0 && p.dayNumAt(look) > 0 && !p.yearAt(look):
		n := p.dayNumAt(look)
		d.to = monthDay{year: from.year, month: from.month}
		d.to.day, _ = p.digits(look)
		if err := p.checkDay(look, d.to); err != nil {
			return d, err
		}
		p.pos = look + n
		if d.to.day < from.day {
			// "Aug 15-01" would wrap the year: closed all year but 2–14
			// August. Nobody means that; say it (opening_hours.js wraps).
			return d, p.fail(look, "plage de dates à l'envers : %s avant %s (écrire par exemple %q)", d.to, from,
				dateRange{monthDay{year: from.year, month: from.month, day: d.to.day}, from})
		}
	default:
		p.pos = look
		what := "mois de fin"
		if from.day != 0 {
			what = "date de fin (mois et jour)"
		}
		if d.to, err = p.monthDay(what); err != nil {
			return d, err
		}
		if (d.to.day == 0) != (from.day == 0) {
			if from.day == 0 {
				return d, p.fail(toAt, `plage de mois attendue ("Jan-Jun"), trouvé une date en fin de plage`)
			}
			return d, p.fail(p.pos, "jour du mois attendu après %s, trouvé %s", monthNames[d.to.month-1], p.found(p.spacesFrom(p.pos)))
		}
		if from.year == 0 && d.to.year == 0 && d.to.month == from.month && d.to.day < from.day {
			return d, p.fail(toAt, "plage de dates à l'envers : %s avant %s (écrire par exemple %q)", d.to, from,
				dateRange{d.to, from})
		}
	}
	switch {
	case from.year == 0 && d.to.year != 0:
		return d, p.fail(toAt, "année attendue aussi au début de la plage")
	case from.year != 0 && d.to.year == 0:
		d.to.year = from.year
		if d.to.ordinal(true) < from.ordinal(false) {
			d.to.year++
		}
	}
	if from.year != 0 && (d.to.year < from.year || d.to.year == from.year && d.to.ordinal(true) < from.ordinal(false)) {
		return d, p.fail(toAt, "plage de dates à l'envers : %s avant %s", d.to, from)
	}
	if from.year != 0 && d.to.year > 9999 {
		return d, p.fail(toAt, "année impossible %d", d.to.year)
	}
	if d.to.day != 0 {
		if err := p.checkDay(toAt, d.to); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (p *parser) weeks(r *rule) error {
	p.pos += 4
	for {
		p.skipSpaces()
		at := p.pos
		wr, err := p.weekNum(at)
		if err != nil {
			return err
		}
		wk := weekRange{wr, wr, 1}
		if next := p.spacesFrom(p.pos); isDash(p.at(next)) {
			toAt := p.spacesFrom(next + 1)
			if wk.to, err = p.weekNum(toAt); err != nil {
				return err
			}
			if p.peek() == '/' {
				v, n := p.digits(p.pos + 1)
				if n == 0 || v < 1 || v > 53 {
					return p.fail(p.pos+1, "pas attendu de 1 à 53 après \"/\", trouvé %s", p.found(p.pos+1))
				}
				wk.step = v
				p.pos += 1 + n
			}
		}
		r.weeks = append(r.weeks, wk)
		next := p.spacesFrom(p.pos)
		if p.at(next) == ',' {
			if v, n := p.digits(p.spacesFrom(next + 1)); n > 0 && n <= 2 && v > 0 && !p.hourColon(p.spacesFrom(next+1)+n) {
				p.pos = next + 1
				continue
			}
		}
		return nil
	}
}

func (p *parser) weekNum(at int) (int, error) {
	v, n := p.digits(at)
	if n == 0 || n > 2 || v < 1 || v > 53 || p.hourColon(at+n) {
		return 0, p.fail(at, "numéro de semaine attendu de 01 à 53, trouvé %s", p.found(at))
	}
	p.pos = at + n
	return v, nil
}
