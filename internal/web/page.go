package web

import (
	"slices"

	"permis/internal/access"
)

// Pager is the data of a page: a struct that embeds Page, passed by
// pointer, so that Render can fill the common part and the templates reach
// both the page's own fields and Page's.
type Pager interface{ Base() *Page }

// Page is the common part of every page's data. The page handler sets the
// first fields; Render fills the last ones.
type Page struct {
	// Title is the page's title, shown in <title> before the service
	// name; when empty, the page file's "title" template is used.
	Title string
	// Errors are the problems of a submitted form: the "errors" partial
	// lists them at the top, each linking to its field (#Field), and
	// FieldError gives each field its own message.
	Errors []FieldError
	// Notices are the messages shown at the top of the main content
	// (fr-alert): "your statement is ready", "the code was revoked".
	Notices []Notice
	// Banner holds service-wide notices shown above the page (fr-notice),
	// such as an incident or planned maintenance.
	Banner []Notice
	// Steps, when set, is the step indicator of a multi-page form, shown
	// by the "steps" partial.
	Steps *Steps
	// Breadcrumb is the path to this page, shown above the content; the
	// last link is the current page (its Href may be empty).
	Breadcrumb []Link

	// Filled by Render.
	Theme     Theme
	Service   string    // service name, for the header and <title>
	User      *User     // the signed-in person, nil when anonymous
	Path      string    // the request's path, to mark the current link
	Nav       []NavLink // the header's navigation, by role
	RequestID string    // to quote to the helpdesk
}

// Base returns p; embedding Page makes a page struct a Pager.
func (p *Page) Base() *Page { return p }

// FieldError returns the message for field, "" if it has none.
func (p *Page) FieldError(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// FieldErrors returns the problems of an application error's fields (see
// apperr.Error.Fields) in the order of fields, the order of the form, then
// the others sorted by name, so that the summary follows the page.
func FieldErrors(problems map[string]string, fields ...string) []FieldError {
	var out []FieldError
	seen := map[string]bool{}
	for _, f := range fields {
		if m, ok := problems[f]; ok {
			out = append(out, FieldError{Field: f, Message: m})
			seen[f] = true
		}
	}
	var rest []string
	for f := range problems {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	for _, f := range rest {
		out = append(out, FieldError{Field: f, Message: problems[f]})
	}
	return out
}

// FieldError is one problem of a form. Field is the id of the input (and
// usually its name), so that the summary can link to it.
type FieldError struct {
	Field   string
	Message string // French, says how to fix it
}

// The kinds of Notice.
const (
	NoticeInfo    = "info"
	NoticeSuccess = "success"
	NoticeWarning = "warning"
	NoticeError   = "error"
)

// Notice is a message shown in a coloured box.
type Notice struct {
	Kind  string // NoticeInfo, NoticeSuccess, NoticeWarning or NoticeError
	Title string
	Text  string // may be empty
}

// Steps is a step indicator: "Étape 2 sur 4", the current step's title
// and the next one's.
type Steps struct {
	Current, Total   int
	Title, NextTitle string
}

// Link is a link of the breadcrumb or of a list.
type Link struct {
	Href string
	Text string
}

// User is the signed-in person as the header shows them.
type User struct {
	Name      string
	Role      access.Role
	RoleLabel string // in French
	Home      string // the person's own space (HomeOf); "" for roles without one
}

// userOf returns the User of a person's actor, nil for nobody or a
// non-person (token, system).
func userOf(a access.Actor, ok bool) *User {
	if !ok || a.IsZero() || a.Kind != access.KindUser {
		return nil
	}
	return &User{Name: a.Name, Role: a.Role, RoleLabel: a.Role.Label(), Home: HomeOf(a.Role)}
}
