package web

import (
	"fmt"
	"html/template"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"permis/internal/date"
	"permis/internal/french"
)

// funcs returns the helpers every template can call. Instants are shown in
// loc (Europe/Paris, the legal time of the register).
func funcs(loc *time.Location, static func(string) string) template.FuncMap {
	return template.FuncMap{
		"date":        func(v any) (string, error) { return formatDate(v, loc) },
		"datetime":    func(v any) (string, error) { return formatDateTime(v, loc) },
		"points":      formatPoints,
		"pathescape":  url.PathEscape,
		"static":      static,
		"noticeKind":  noticeKind,
		"bannerKind":  bannerKind,
		"inc":         func(i int) int { return i + 1 },
		"dec":         func(i int) int { return i - 1 },
		"footerLinks": footerLinks,
		"field":       field,
		// French grammar (package french): {{of .Name}} is "de Léa" or
		// "d'Inès"; {{agree "né" .Sex}} is "née", "né" or "né(e)";
		// {{since .Days}} is "aujourd'hui", "hier", "il y a 3 jours".
		"of":    french.Of,
		"agree": func(word string, sex any) string { return french.Agree(word, fmt.Sprint(sex)) },
		"since": french.Since,
	}
}

// Field is a text input with its label, hint and error, as the "input"
// partial renders it.
type Field struct {
	ID           string // id and name of the input; FieldError.Field
	Label        string
	Hint         string // shown inside the label; may be empty
	Type         string // text, email, password…
	Autocomplete string // an autocomplete token, or "off"
	Value        any
	Error        string // the field's message from Page.Errors
}

// field is the template func building a Field for the "input" partial:
//
//	{{template "input" (field . "email" "Adresse électronique" "Format attendu : nom@domaine.fr" "email" "email" .Email)}}
//
// The error comes from the page's Errors, so the summary's link (#id) and
// the field's message always agree.
func field(page Pager, id, label, hint, typ, autocomplete string, value any) Field {
	return Field{ID: id, Label: label, Hint: hint, Type: typ, Autocomplete: autocomplete, Value: value,
		Error: page.Base().FieldError(id)}
}

// footerLinks returns the links at the bottom of every page.
func footerLinks() []Link {
	return []Link{
		{Href: "/accessibilite", Text: accessibilityStatus()},
		{Href: "/mentions-legales", Text: "Mentions légales"},
		{Href: "/donnees-personnelles", Text: "Données personnelles"},
		{Href: "/plan-du-site", Text: "Plan du site"},
		{Href: "/aide", Text: "Aide"},
		{Href: "/signaler-un-probleme", Text: "Signaler un dysfonctionnement"},
	}
}

// frenchDate writes a day as JJ/MM/AAAA ("05/03/2026"), the one format
// people read on every page, PDF and mail of the service and type in its
// forms (date.ParseTyped reads it back).
func frenchDate(y int, m time.Month, d int) string {
	return fmt.Sprintf("%02d/%02d/%04d", d, int(m), y)
}

// formatDate accepts date.Date, date.Null, time.Time and *time.Time; an
// absent date (invalid Null, zero or nil time) is "".
func formatDate(v any, loc *time.Location) (string, error) {
	switch d := v.(type) {
	case date.Date:
		return frenchDate(d.Civil()), nil
	case date.Null:
		if !d.Valid {
			return "", nil
		}
		return frenchDate(d.Date.Civil()), nil
	case *date.Date:
		if d == nil {
			return "", nil
		}
		return frenchDate(d.Civil()), nil
	case time.Time:
		if d.IsZero() {
			return "", nil
		}
		return frenchDate(d.In(loc).Date()), nil
	case *time.Time:
		if d == nil || d.IsZero() {
			return "", nil
		}
		return frenchDate(d.In(loc).Date()), nil
	}
	return "", fmt.Errorf("date: type %T non pris en charge", v)
}

// formatDateTime writes an instant as "12/03/2026 à 14 h 05", Paris time.
func formatDateTime(v any, loc *time.Location) (string, error) {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case *time.Time:
		if d != nil {
			t = *d
		}
	default:
		return "", fmt.Errorf("datetime: type %T non pris en charge", v)
	}
	if t.IsZero() {
		return "", nil
	}
	t = t.In(loc)
	return fmt.Sprintf("%s à %d h %02d", frenchDate(t.Date()), t.Hour(), t.Minute()), nil
}

// formatPoints writes a number of points the French way: the noun is
// singular below 2 ("0 point", "1 point", "12 points").
// It accepts any integer type, named ones included.
func formatPoints(v any) (string, error) {
	var n int64
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n = rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		n = int64(rv.Uint())
	default:
		return "", fmt.Errorf("points: type %T non pris en charge", v)
	}
	s := strconv.FormatInt(n, 10)
	if n >= 2 || n <= -2 {
		return s + " points", nil
	}
	return s + " point", nil
}

// noticeKind maps a Notice kind to the DSFR modifier of fr-alert (info,
// success, warning, error); an unknown kind is shown as info.
func noticeKind(kind string) string {
	switch kind {
	case NoticeSuccess, NoticeWarning, NoticeError:
		return kind
	}
	return NoticeInfo
}

// bannerKind maps a Notice kind to the DSFR modifier of fr-notice, which
// has no "success" and calls errors "alert".
func bannerKind(kind string) string {
	switch kind {
	case NoticeWarning:
		return "warning"
	case NoticeError:
		return "alert"
	}
	return "info"
}
