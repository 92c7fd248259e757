package help

import (
	"regexp"
	"slices"
	"strings"
)

// Result is an article found by a search.
type Result struct {
	Article
	Score int
}

type indexed struct {
	title, keywords, body []string // folded words
}

var index []indexed

var tagRE = regexp.MustCompile(`<[^>]*>`)

func buildIndex(articles []Article) []indexed {
	out := make([]indexed, len(articles))
	for i, a := range articles {
		out[i] = indexed{
			title:    strings.Fields(fold(a.Title)),
			keywords: strings.Fields(fold(a.Summary + " " + a.Keywords)),
			body:     strings.Fields(fold(tagRE.ReplaceAllString(string(a.Body), " "))),
		}
	}
	return out
}

// stopWords are not searched for.
var stopWords = map[string]bool{
	"le": true, "la": true, "les": true, "un": true, "une": true, "des": true, "de": true, "du": true, "d": true,
	"l": true, "et": true, "ou": true, "a": true, "au": true, "aux": true, "en": true, "pour": true, "par": true,
	"sur": true, "mon": true, "ma": true, "mes": true, "je": true, "j": true, "est": true, "il": true, "qu": true,
	"que": true, "quoi": true, "comment": true, "faire": true, "dans": true, "ce": true, "se": true,
}

// Search returns the articles matching query, best first: a word of the
// query counts more in the title than in the summary or keywords, and
// more there than in the body; words of 4 letters or more also match the
// start of a longer word ("recup" finds "récupération"). Accents and case
// do not matter.
func Search(query string) []Result {
	var words []string
	for _, w := range strings.Fields(fold(query)) {
		if !stopWords[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil
	}
	var out []Result
	for i, ix := range index {
		score, matched := 0, 0
		for _, w := range words {
			s := 5*count(ix.title, w) + 3*count(ix.keywords, w) + min(count(ix.body, w), 3)
			if s > 0 {
				matched++
			}
			score += s
		}
		if matched == 0 {
			continue
		}
		score += 10 * matched // pages with more of the words first
		out = append(out, Result{Article: table[i], Score: score})
	}
	slices.SortStableFunc(out, func(a, b Result) int { return b.Score - a.Score })
	return out
}

func count(words []string, w string) int {
	n := 0
	for _, x := range words {
		if x == w || (len(w) >= 4 && strings.HasPrefix(x, w)) {
			n++
		}
	}
	return n
}
