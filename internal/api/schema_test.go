package api_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// openAPIDoc is openapi.json decoded as plain JSON values, with a checker
// for the subset of JSON Schema it uses (type, enum, required, properties,
// additionalProperties, items, minimum, maximum, minLength, pattern,
// format date, $ref). Objects are closed: a key that the schema does not
// list is an error unless additionalProperties allows it, so that an
// answer cannot carry an undocumented field.
type openAPIDoc map[string]any

// mustGetOpenAPI fetches the document through h, as clients do.
func mustGetOpenAPI(t *testing.T, h http.Handler) openAPIDoc {
	t.Helper()
	rec := get(t, h, "/api/v1/openapi.json", "", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc openAPIDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// resolve follows a local reference ("#/components/schemas/Points").
func (d openAPIDoc) resolve(ref string) (any, error) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("reference %q is not local", ref)
	}
	var cur any = map[string]any(d)
	for _, part := range strings.Split(p, "/") {
		part, _ = url.PathUnescape(strings.NewReplacer("~1", "/", "~0", "~").Replace(part))
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("reference %q: %q is not in an object", ref, part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("reference %q: no %q", ref, part)
		}
	}
	return cur, nil
}

// deref returns v, or what it refers to when it is {"$ref": …}.
func (d openAPIDoc) deref(v any) (map[string]any, error) {
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		r, err := d.resolve(ref)
		if err != nil {
			return nil, err
		}
		return d.deref(r)
	}
	if m == nil {
		return nil, fmt.Errorf("%v is not an object", v)
	}
	return m, nil
}

// refs lists every $ref that does not resolve.
func (d openAPIDoc) brokenRefs() []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, err := d.resolve(ref); err != nil {
					out = append(out, err.Error())
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(map[string]any(d))
	sort.Strings(out)
	return out
}

// validate returns the problems of v against schema, each with its JSON
// path; none means v conforms.
func (d openAPIDoc) validate(schema, v any, path string) []string {
	s, err := d.deref(schema)
	if err != nil {
		return []string{path + ": schema: " + err.Error()}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, path+": "+fmt.Sprintf(format, args...)) }
	if t, ok := s["type"]; ok && !typeAllows(t, v) {
		bad("%s is not of type %v", jsonType(v), t)
		return out
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		bad("%v is not one of %v", v, enum)
	}
	switch v := v.(type) {
	case map[string]any:
		out = append(out, d.validateObject(s, v, path)...)
	case []any:
		if items, ok := s["items"]; ok {
			for i, x := range v {
				out = append(out, d.validate(items, x, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case float64:
		if m, ok := s["minimum"].(float64); ok && v < m {
			bad("%v is below %v", v, m)
		}
		if m, ok := s["maximum"].(float64); ok && v > m {
			bad("%v is above %v", v, m)
		}
	case string:
		if m, ok := s["minLength"].(float64); ok && float64(len([]rune(v))) < m {
			bad("%q is shorter than %v", v, m)
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			bad("%q does not match %s", v, p)
		}
		if s["format"] == "date" {
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				bad("%q is not a date", v)
			}
		}
	}
	return out
}

func (d openAPIDoc) validateObject(s, v map[string]any, path string) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, k := range req {
			if _, ok := v[k.(string)]; !ok {
				out = append(out, fmt.Sprintf("%s: lacks %q", path, k))
			}
		}
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, ok := props[k]; ok {
			out = append(out, d.validate(p, v[k], path+"."+k)...)
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case map[string]any:
			out = append(out, d.validate(ap, v[k], path+"."+k)...)
		case bool:
			if !ap {
				out = append(out, fmt.Sprintf("%s: %q is not allowed", path, k))
			}
		default:
			out = append(out, fmt.Sprintf("%s: %q is not documented", path, k))
		}
	}
	return out
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// typeAllows reports whether the schema's type (a name or a list of names)
// admits v; an integer is also a number.
func typeAllows(t, v any) bool {
	var names []any
	switch t := t.(type) {
	case string:
		names = []any{t}
	case []any:
		names = t
	}
	got := jsonType(v)
	for _, n := range names {
		if n == got || n == "number" && got == "integer" {
			return true
		}
	}
	return false
}

// examples lists every example of the document with the schema it must
// follow, by "METHOD path request|status name".
func (d openAPIDoc) examples(t *testing.T) map[string][2]any {
	t.Helper()
	out := map[string][2]any{}
	paths, _ := d["paths"].(map[string]any)
	for path, ops := range paths {
		for method, op := range ops.(map[string]any) {
			op := op.(map[string]any)
			at := strings.ToUpper(method) + " " + path
			if rb, ok := op["requestBody"]; ok {
				d.mediaExamples(t, rb, at+" request", out)
			}
			responses, _ := op["responses"].(map[string]any)
			for status, r := range responses {
				d.mediaExamples(t, r, at+" "+status, out)
			}
		}
	}
	return out
}

func (d openAPIDoc) mediaExamples(t *testing.T, holder any, at string, out map[string][2]any) {
	t.Helper()
	h, err := d.deref(holder)
	if err != nil {
		t.Fatalf("%s: %v", at, err)
	}
	content, _ := h["content"].(map[string]any)
	for _, media := range content {
		m := media.(map[string]any)
		if ex, ok := m["example"]; ok {
			out[at+" example"] = [2]any{m["schema"], ex}
		}
		exs, _ := m["examples"].(map[string]any)
		for name, ex := range exs {
			e, err := d.deref(ex)
			if err != nil {
				t.Fatalf("%s %s: %v", at, name, err)
			}
			out[at+" "+name] = [2]any{m["schema"], e["value"]}
		}
	}
}
