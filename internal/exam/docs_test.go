package exam

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// docs/exams.md names every figure of the configuration, so a figure added
// to Config without its rule and source in the docs fails here.
func TestDocsNameEveryFigure(t *testing.T) {
	b, err := os.ReadFile("../../docs/exams.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		if name := typ.Field(i).Name; !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/exams.md does not name %s", name)
		}
	}
}
