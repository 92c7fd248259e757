package openinghours

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the longest value Parse accepts, in bytes. Real values are a few
// dozen characters; the limit keeps a hostile input from costing much.
const MaxLen = 2000

// SyntaxError is an opening_hours value that cannot be read. Pos is the
// 1-based character (not byte) column where the problem starts; Msg says in
// French what was expected and what was found. Error() gives both, ready to
// show to the person who typed the value.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("position %d : %s", e.Pos, e.Msg) }

// Parse reads an opening_hours value (the subset described in the package
// documentation). Any error is a *SyntaxError.
func Parse(s string) (*Schedule, error) {
	if len(s) > MaxLen {
		return nil, &SyntaxError{Pos: 1, Msg: fmt.Sprintf("horaires trop longs (%d octets, %d au plus)", len(s), MaxLen)}
	}
	if !utf8.ValidString(s) {
		bad := 0
		for i, r := range s {
			if r == utf8.RuneError {
				if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
					break
				}
			}
			bad++
		}
		return nil, &SyntaxError{Pos: bad + 1, Msg: "caractère invalide (le texte doit être en UTF-8)"}
	}
	p := &parser{src: []rune(s)}
	sch, err := p.schedule()
	if err != nil {
		return nil, err
	}
	for i := range sch.rules {
		r := &sch.rules[i]
		sch.usesWeeks = sch.usesWeeks || len(r.weeks) > 0
		if r.days != nil {
			for _, it := range r.days.any {
				sch.usesHolidays = sch.usesHolidays || it.holiday
			}
		}
	}
	return sch, nil
}

// MustParse is Parse for literals in tests and tables; it panics on error.
func MustParse(s string) *Schedule {
	sch, err := Parse(s)
	if err != nil {
		panic("openinghours.MustParse(" + fmt.Sprintf("%q", s) + "): " + err.Error())
	}
	return sch
}

type parser struct {
	src []rune
	pos int // index in src
}

func (p *parser) fail(at int, format string, args ...any) error {
	return &SyntaxError{Pos: at + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) at(i int) rune {
	if i < 0 || i >= len(p.src) {
		return 0
	}
	return p.src[i]
}

func (p *parser) peek() rune { return p.at(p.pos) }

// skipSpaces skips any white space, non-breaking spaces included.
func (p *parser) skipSpaces() {
	p.pos = p.spacesFrom(p.pos)
}

func (p *parser) spacesFrom(i int) int {
	for i < len(p.src) && unicode.IsSpace(p.src[i]) {
		i++
	}
	return i
}

// isDash accepts the hyphen and the dashes a word processor puts instead.
func isDash(r rune) bool { return r == '-' || r == '‐' || r == '–' || r == '—' || r == '−' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// word returns the run of letters at i, as a slice of the source.
func (p *parser) word(i int) []rune {
	if i >= len(p.src) {
		return nil
	}
	j := i
	for j < len(p.src) && unicode.IsLetter(p.src[j]) {
		j++
	}
	return p.src[i:j]
}

// is reports whether w is the keyword kw (ASCII), ignoring case.
func is(w []rune, kw string) bool {
	if len(w) != len(kw) {
		return false
	}
	for i, r := range w {
		if unicode.ToLower(r) != unicode.ToLower(rune(kw[i])) {
			return false
		}
	}
	return true
}

// digits returns the value and the count of the digits at i.
func (p *parser) digits(i int) (value, n int) {
	for i+n < len(p.src) && isDigit(p.src[i+n]) && n < 9 {
		value = value*10 + int(p.src[i+n]-'0')
		n++
	}
	return value, n
}

// found describes what is at i, for a message: the token there, quoted, or
// the end of the text.
func (p *parser) found(i int) string {
	if i >= len(p.src) {
		return "la fin du texte"
	}
	if p.src[i] == '"' {
		j := i + 1
		for j < len(p.src) && p.src[j] != '"' {
			j++
		}
		return fmt.Sprintf("%q", string(p.src[i:min(j+1, len(p.src))]))
	}
	if r := p.src[i]; isDash(r) || strings.ContainsRune(`,;[]`, r) {
		return fmt.Sprintf("%q", string(r))
	}
	if p.src[i] == '|' {
		if p.at(i+1) == '|' {
			return `"||"`
		}
		return `"|"`
	}
	j := i + 1
	for j < len(p.src) {
		r := p.src[j]
		if unicode.IsSpace(r) || isDash(r) || strings.ContainsRune(`,;|"[]`, r) {
			break
		}
		j++
	}
	return fmt.Sprintf("%q", string(p.src[i:j]))
}

func (p *parser) schedule() (*Schedule, error) {
	p.skipSpaces()
	if p.eof() {
		return nil, p.fail(p.pos, `horaires vides (au moins une règle attendue, par exemple "Mo-Fr 09:00-12:00")`)
	}
	sch := &Schedule{}
	sep, sepText := sepNormal, ""
	for {
		r, err := p.rule(sep, sepText)
		if err != nil {
			return nil, err
		}
		sch.rules = append(sch.rules, r)
		// rule() stops at the end or at a separator.
		switch {
		case p.eof():
			return sch, nil
		case p.peek() == ';':
			p.pos++
			p.skipSpaces()
			if p.eof() { // a trailing ";" is common and harmless
				return sch, nil
			}
			sep, sepText = sepNormal, ";"
		case p.peek() == ',':
			p.pos++
			sep, sepText = sepAdditional, ","
		default: // "||"
			p.pos += 2
			sep, sepText = sepFallback, "||"
		}
		p.skipSpaces()
	}
}

// atRuleEnd reports whether a rule may end at i.
func (p *parser) atRuleEnd(i int) bool {
	switch r := p.at(i); {
	case i >= len(p.src), r == ';', r == ',':
		return true
	case r == '|':
		return p.at(i+1) == '|'
	}
	return false
}

func (p *parser) rule(sep sepKind, sepText string) (rule, error) {
	r := rule{sep: sep}
	start := p.pos
	if p.atRuleEnd(p.pos) {
		if p.eof() {
			return r, p.fail(p.pos, "règle attendue après %q, trouvé la fin du texte", sepText)
		}
		return r, p.fail(p.pos, "règle vide avant %s", p.found(p.pos))
	}
	if string(p.src[p.pos:min(p.pos+4, len(p.src))]) == "24/7" {
		r.always = true
		p.pos += 4
	} else {
		if err := p.wide(&r); err != nil {
			return r, err
		}
		if err := p.daySelector(&r); err != nil {
			return r, err
		}
		p.skipSpaces()
		if err := p.timeSelector(&r); err != nil {
			return r, err
		}
	}
	p.skipSpaces()
	if err := p.modifier(&r); err != nil {
		return r, err
	}
	p.skipSpaces()
	if !p.atRuleEnd(p.pos) {
		return r, p.unexpected(&r, p.pos == start)
	}
	return r, nil
}

// unexpected explains what could have come at p.pos in rule r.
func (p *parser) unexpected(r *rule, atStart bool) error {
	at := p.pos
	w := p.word(at)
	switch {
	case is(w, "sunrise") || is(w, "sunset") || is(w, "dawn") || is(w, "dusk") || p.peek() == '(':
		return p.fail(at, "heures solaires (%s) non prises en charge (écrire une heure HH:MM)", p.found(at))
	case is(w, "easter"):
		return p.fail(at, `dates mobiles ("easter") non prises en charge`)
	case p.peek() == ':' && len(r.years)+len(r.dates)+len(r.weeks) == 0 && r.hasComment:
		return p.fail(at, `commentaire suivi de ":" non pris en charge`)
	}
	selectorsPossible := !r.always && r.mod == modNone && !r.hasComment
	if selectorsPossible && r.days == nil && len(r.times) == 0 && len(w) == 2 {
		return p.fail(at, "jour inconnu %s (attendu : Mo, Tu, We, Th, Fr, Sa, Su ou PH)", p.found(at))
	}
	if atStart {
		return p.fail(at, `début de règle inattendu %s (attendu : un jour Mo-Su ou PH, un mois Jan-Dec, une année, "week", une plage horaire HH:MM-HH:MM, "24/7", "off" ou un commentaire entre guillemets)`, p.found(at))
	}
	var exp []string
	if selectorsPossible && len(r.times) == 0 {
		if r.days == nil {
			exp = append(exp, "un jour Mo-Su ou PH")
		}
		exp = append(exp, "une plage horaire HH:MM-HH:MM")
	}
	if r.mod == modNone && !r.hasComment {
		exp = append(exp, `"off"`)
	}
	if !r.hasComment {
		exp = append(exp, "un commentaire entre guillemets")
	}
	exp = append(exp, `";" avant la règle suivante`)
	list := exp[len(exp)-1]
	if len(exp) > 1 {
		list = strings.Join(exp[:len(exp)-1], ", ") + " ou " + list
	}
	return p.fail(at, "texte inattendu %s (attendu : %s)", p.found(at), list)
}

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
	if n == 0 || n > 2 || p.at(i+n) == ':' {
		return 0
	}
	return n
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
			if v, n := p.digits(p.spacesFrom(next + 1)); n > 0 && n <= 2 && v > 0 && p.at(p.spacesFrom(next+1)+n) != ':' {
				p.pos = next + 1
				continue
			}
		}
		return nil
	}
}

func (p *parser) weekNum(at int) (int, error) {
	v, n := p.digits(at)
	if n == 0 || n > 2 || v < 1 || v > 53 || p.at(at+n) == ':' {
		return 0, p.fail(at, "numéro de semaine attendu de 01 à 53, trouvé %s", p.found(at))
	}
	p.pos = at + n
	return v, nil
}

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
