package licence

import (
	"errors"
	"strings"
	"testing"

	"permis/internal/apperr"
	"permis/internal/date"
)

// mustCheckErr fails unless err is a *CheckError of the class, field and
// code given, whose French message contains every fragment.
func mustCheckErr(tb testing.TB, err error, class error, field, code string, fragments ...string) *CheckError {
	tb.Helper()
	var ce *CheckError
	if !errors.As(err, &ce) {
		tb.Fatalf("error %v (%T): want a *CheckError", err, err)
	}
	if !errors.Is(err, class) {
		tb.Errorf("error %q: want class %q", err, class)
	}
	if ce.Field != field || ce.Code != code {
		tb.Errorf("error %q: field %q code %q, want field %q code %q", ce.Message, ce.Field, ce.Code, field, code)
	}
	for _, f := range fragments {
		if !strings.Contains(ce.Message, f) {
			tb.Errorf("message %q does not contain %q", ce.Message, f)
		}
	}
	return ce
}

// mustAppErr fails unless err is an application error with the code given
// and a message containing every fragment.
func mustAppErr(tb testing.TB, err error, code apperr.Code, fragments ...string) {
	tb.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		tb.Fatalf("error %v (%T): want an *apperr.Error", err, err)
	}
	if ae.Code != code {
		tb.Errorf("error %q: code %q, want %q", ae.Message, ae.Code, code)
	}
	for _, f := range fragments {
		if !strings.Contains(ae.Message, f) {
			tb.Errorf("message %q does not contain %q", ae.Message, f)
		}
	}
}

func d(s string) date.Date { return date.MustParse(s) }

func some(s string) date.Null { return date.Some(date.MustParse(s)) }
