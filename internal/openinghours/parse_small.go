package openinghours

import (
	"unicode"
)

// The small-range selectors: weekdays and holidays, time spans; and the rule
// modifier.

// dayWordAt reports whether a weekday or a holiday keyword is at i.
func (p *parser) dayWordAt(i int) bool {
	w := p.word(i)
	if _, ok := lookup(w, weekdayNames[:]); ok {
		return true
	}
	return is(w, "PH") || is(w, "SH")
}

func (p *parser) daySelector(r *rule) error {
	if !p.dayWordAt(p.pos) {
		return nil
	}
	items, err := p.dayList()
	if err != nil {
		return err
	}
	sel := &daySel{any: items}
	onlyHolidays := true
	for _, it := range items {
		onlyHolidays = onlyHolidays && it.holiday
	}
	if look := p.spacesFrom(p.pos); onlyHolidays && look > p.pos {
		if _, ok := lookup(p.word(look), weekdayNames[:]); ok {
			p.pos = look
			if sel.and, err = p.dayList(); err != nil {
				return err
			}
			for _, it := range sel.and {
				if it.holiday {
					return p.fail(look, `"PH" attendu une seule fois avant les jours de la semaine`)
				}
			}
		}
	}
	r.days = sel
	return nil
}

func (p *parser) dayList() ([]dayItem, error) {
	var items []dayItem
	for {
		it, err := p.dayItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		next := p.spacesFrom(p.pos)
		if p.at(next) == ',' {
			if look := p.spacesFrom(next + 1); p.dayWordAt(look) {
				p.pos = look
				continue
			}
		}
		return items, nil
	}
}

func (p *parser) dayItem() (dayItem, error) {
	at := p.pos
	w := p.word(at)
	switch {
	case is(w, "SH"):
		return dayItem{}, p.fail(at, `vacances scolaires ("SH") non prises en charge`)
	case is(w, "PH"):
		p.pos += 2
		return dayItem{holiday: true}, p.noOffset()
	}
	wd, _ := lookup(w, weekdayNames[:]) // dayWordAt checked it
	p.pos += 2
	it := dayItem{from: wd, to: wd}
	if p.peek() == '[' {
		if err := p.nth(&it); err != nil {
			return it, err
		}
		return it, p.noOffset()
	}
	next := p.spacesFrom(p.pos)
	if !isDash(p.at(next)) {
		return it, nil
	}
	toAt := p.spacesFrom(next + 1)
	w2 := p.word(toAt)
	wd2, ok := lookup(w2, weekdayNames[:])
	if !ok {
		if len(w2) > 0 {
			return it, p.fail(toAt, "jour inconnu %s (attendu : Mo, Tu, We, Th, Fr, Sa ou Su)", p.found(toAt))
		}
		return it, p.fail(toAt, `jour de fin attendu après "-", trouvé %s`, p.found(toAt))
	}
	it.to = wd2
	p.pos = toAt + 2
	if p.peek() == '[' {
		return it, p.fail(p.pos, `rang ("[1]", "[-1]") permis seulement après un jour seul, pas après une plage`)
	}
	return it, nil
}

// noOffset refuses "PH +1 day" and "Sa[-1] -2 days".
func (p *parser) noOffset() error {
	look := p.spacesFrom(p.pos)
	if r := p.at(look); (r == '+' || isDash(r)) && isDigit(p.at(p.spacesFrom(look+1))) {
		return p.fail(look, `décalage en jours ("+1 day") non pris en charge`)
	}
	return nil
}

// nth reads "[1]", "[-1]", "[1,3]", "[1-2]".
func (p *parser) nth(it *dayItem) error {
	p.pos++ // "["
	for {
		p.skipSpaces()
		at := p.pos
		neg := isDash(p.peek())
		if neg {
			p.pos++
		}
		k, n := p.digits(p.pos)
		if n != 1 || k < 1 || k > 5 {
			return p.fail(at, "rang attendu de 1 à 5 ou de -1 à -5, trouvé %s", p.found(at))
		}
		p.pos++
		switch {
		case neg:
			it.nth |= 1 << (4 + k)
		case isDash(p.peek()) && isDigit(p.at(p.pos+1)):
			k2, n2 := p.digits(p.pos + 1)
			if n2 != 1 || k2 < k || k2 > 5 {
				return p.fail(p.pos+1, "rang de fin attendu de %d à 5, trouvé %s", k, p.found(p.pos+1))
			}
			for j := k; j <= k2; j++ {
				it.nth |= 1 << (j - 1)
			}
			p.pos += 2
		default:
			it.nth |= 1 << (k - 1)
		}
		p.skipSpaces()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return nil
		default:
			return p.fail(p.pos, `"]" attendu pour fermer le rang, trouvé %s`, p.found(p.pos))
		}
	}
}

func (p *parser) timeSelector(r *rule) error {
	if !isDigit(p.peek()) {
		return nil
	}
	for {
		sp, err := p.span()
		if err != nil {
			return err
		}
		r.times = append(r.times, sp)
		next := p.spacesFrom(p.pos)
		if p.at(next) == ',' {
			if look := p.spacesFrom(next + 1); isDigit(p.at(look)) {
				p.pos = look
				continue
			}
		}
		return nil
	}
}

func (p *parser) span() (span, error) {
	at := p.pos
	from, err := p.clock(at)
	if err != nil {
		return span{}, err
	}
	if from > 23*60+59 {
		return span{}, p.fail(at, "heure de début impossible %s (de 00:00 à 23:59)", p.found(at))
	}
	if p.peek() == '+' {
		return span{}, p.fail(p.pos, `heure de fin ouverte ("+") non prise en charge (écrire une plage HH:MM-HH:MM)`)
	}
	next := p.spacesFrom(p.pos)
	if !isDash(p.at(next)) {
		return span{}, p.fail(next, `"-" attendu après %q pour une plage HH:MM-HH:MM, trouvé %s`,
			string(p.src[at:p.pos]), p.found(next))
	}
	toAt := p.spacesFrom(next + 1)
	if !isDigit(p.at(toAt)) {
		return span{}, p.fail(toAt, `heure de fin attendue au format HH:MM après "-", trouvé %s`, p.found(toAt))
	}
	to, err := p.clock(toAt)
	if err != nil {
		return span{}, err
	}
	if to > 2*minutesPerDay {
		return span{}, p.fail(toAt, "heure de fin impossible %s (de 00:00 à 48:00)", p.found(toAt))
	}
	switch p.peek() {
	case '+':
		return span{}, p.fail(p.pos, `heure de fin ouverte ("+") non prise en charge (écrire une plage HH:MM-HH:MM)`)
	case '/':
		return span{}, p.fail(p.pos, `plages répétées ("/") non prises en charge`)
	}
	switch {
	case to == from:
		return span{}, p.fail(at, "plage horaire vide %q", string(p.src[at:p.pos]))
	case to < from:
		to += minutesPerDay // past midnight: "22:00-02:00"
	}
	return span{from, to}, nil
}

// clock reads H:MM or HH:MM at i and returns minutes since midnight; it
// checks the minutes (00–59) but not the hour.
func (p *parser) clock(i int) (int, error) {
	h, n := p.digits(i)
	bad := func() (int, error) {
		return 0, p.fail(i, "heure attendue au format HH:MM, trouvé %s", p.found(i))
	}
	if n < 1 || n > 2 || p.at(i+n) != ':' {
		return bad()
	}
	m, n2 := p.digits(i + n + 1)
	end := i + n + 1 + n2
	if n2 != 2 || unicode.IsLetter(p.at(end)) || isDigit(p.at(end)) || p.at(end) == ':' || p.at(end) == '.' {
		return bad()
	}
	if m > 59 {
		return 0, p.fail(i, "minutes impossibles %s (de 00 à 59)", p.found(i))
	}
	p.pos = end
	return h*60 + m, nil
}

func (p *parser) modifier(r *rule) error {
	w := p.word(p.pos)
	switch {
	case is(w, "open"):
		r.mod = modOpen
	case is(w, "closed"), is(w, "off"):
		r.mod = modClosed
	case is(w, "unknown"):
		r.mod = modUnknown
	}
	if r.mod != modNone {
		p.pos += len(w)
		p.skipSpaces()
	}
	if p.peek() != '"' {
		return nil
	}
	at := p.pos
	end := at + 1
	for end < len(p.src) && p.src[end] != '"' {
		end++
	}
	if end >= len(p.src) {
		return p.fail(at, `commentaire non terminé (guillemet fermant " attendu)`)
	}
	r.comment, r.hasComment = string(p.src[at+1:end]), true
	p.pos = end + 1
	return nil
}
