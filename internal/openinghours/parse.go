package openinghours

import (
	"fmt"
	"strings"
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
			if !r.always && len(r.times) == 0 && r.mod == modNone && !r.hasComment &&
				len(p.word(p.spacesFrom(p.pos+1))) != 2 { // "Mo,Mx": the next rule says "jour inconnu"
				// "We, Aug Mo": a list that goes on, or an additional rule
				// that opens all Wednesday? opening_hours.js reads the
				// latter; nobody types it meaning that.
				return nil, p.fail(p.pos, `"," ambigu après une règle sans plage horaire : écrire la liste sans rupture ("Mo,We") ou séparer les règles par ";"`)
			}
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
