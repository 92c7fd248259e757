package ical

import (
	"fmt"
	"strings"
)

// Property is one content line read back: its name, its parameters
// (unquoted) and its value, unescaped when it is text.
type Property struct {
	Name   string
	Params map[string]string
	Value  string
}

// textProps are the properties whose value is TEXT, unescaped by Parse.
var textProps = map[string]bool{
	"SUMMARY": true, "LOCATION": true, "DESCRIPTION": true, "UID": true, "COMMENT": true, "TZNAME": true,
}

// Parse reads an iCalendar file: it checks that every line ends with CRLF
// and is at most 75 octets long, unfolds the lines, and splits each into
// name, parameters and value. It understands what Marshal writes, not the
// whole of RFC 5545 (no repeated parameters, no multi-valued parameters).
func Parse(data []byte) ([]Property, error) {
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") {
		return nil, fmt.Errorf("ical: the file does not end with CRLF")
	}
	var logical []string
	for i, phys := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if strings.ContainsAny(phys, "\r\n") {
			return nil, fmt.Errorf("ical: line %d: a bare CR or LF", i+1)
		}
		if len(phys) > maxLine {
			return nil, fmt.Errorf("ical: line %d: %d octets, more than %d", i+1, len(phys), maxLine)
		}
		if strings.HasPrefix(phys, " ") || strings.HasPrefix(phys, "\t") {
			if len(logical) == 0 {
				return nil, fmt.Errorf("ical: line %d: continuation of nothing", i+1)
			}
			logical[len(logical)-1] += phys[1:]
			continue
		}
		logical = append(logical, phys)
	}
	props := make([]Property, 0, len(logical))
	for i, l := range logical {
		p, err := parseLine(l)
		if err != nil {
			return nil, fmt.Errorf("ical: content line %d: %w", i+1, err)
		}
		props = append(props, p)
	}
	return props, nil
}

// parseLine splits name;param=value;param="quoted":value.
func parseLine(l string) (Property, error) {
	p := Property{Params: map[string]string{}}
	i := strings.IndexAny(l, ";:")
	if i <= 0 {
		return p, fmt.Errorf("no name in %q", l)
	}
	p.Name = l[:i]
	for l[i] == ';' {
		eq := strings.IndexByte(l[i:], '=')
		if eq < 0 {
			return p, fmt.Errorf("parameter without value in %q", l)
		}
		key := l[i+1 : i+eq]
		i += eq + 1
		var val string
		if i < len(l) && l[i] == '"' {
			end := strings.IndexByte(l[i+1:], '"')
			if end < 0 {
				return p, fmt.Errorf("unterminated quoted parameter in %q", l)
			}
			val = l[i+1 : i+1+end]
			i += end + 2
		} else {
			end := strings.IndexAny(l[i:], ";:")
			if end < 0 {
				return p, fmt.Errorf("no value in %q", l)
			}
			val = l[i : i+end]
			i += end
		}
		p.Params[key] = val
		if i >= len(l) {
			return p, fmt.Errorf("no value in %q", l)
		}
	}
	p.Value = l[i+1:]
	if textProps[p.Name] {
		v, err := Unescape(p.Value)
		if err != nil {
			return p, err
		}
		p.Value = v
	}
	return p, nil
}

// Unescape reverses Escape: \\ \; \, \n (or \N).
func Unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			if c == ';' || c == ',' {
				return "", fmt.Errorf("unescaped %q in a text value", c)
			}
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("a text value ends with a backslash")
		}
		switch s[i] {
		case '\\', ';', ',':
			b.WriteByte(s[i])
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			return "", fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return b.String(), nil
}

// Find returns the first property named name after the line that begins
// component (BEGIN:component), or false.
func Find(props []Property, component, name string) (Property, bool) {
	in := component == ""
	for _, p := range props {
		if p.Name == "BEGIN" && p.Value == component {
			in = true
			continue
		}
		if in && p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}
