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

// synonyms are the other words (folded) a query word also finds: the verb
// people type and the noun the articles use ("perdu" → "perte").
var synonyms = map[string][]string{
	"perdu":   {"perte"},
	"perdue":  {"perte"},
	"egare":   {"perte"},
	"egaree":  {"perte"},
	"vole":    {"vol"},
	"volee":   {"vol"},
	"prix":    {"coute", "tarif"},
	"cout":    {"coute", "prix"},
	"medecin": {"medical", "medicale"},
}

// Search returns the articles matching query, best first, ranked by
// relevance: a word of the query (or one of its synonyms) counts more in
// the title than in the summary or keywords, and more there than in the
// body; a word that most articles contain ("permis") counts little and
// does not by itself bring an article when the query has more telling
// words; words of 4 letters or more also match the start of a longer word
// ("recup" finds "récupération"). Accents and case do not matter.
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
	// A word found in more than a third of the articles is common.
	common := make([]bool, len(words))
	for k, w := range words {
		df := 0
		for _, ix := range index {
			if hits(ix, w) > 0 {
				df++
			}
		}
		common[k] = df*3 > len(index)
	}
	type ranked struct {
		Result
		telling int // telling (not common) words matched
	}
	var out []ranked
	best := 0
	for i, ix := range index {
		score, matched, telling := 0, 0, 0
		for k, w := range words {
			s := hits(ix, w)
			if s == 0 {
				continue
			}
			matched++
			if common[k] {
				score += s
			} else {
				telling++
				score += 4 * s
			}
		}
		if matched == 0 {
			continue
		}
		score += 10 * matched // pages with more of the words first
		best = max(best, telling)
		out = append(out, ranked{Result: Result{Article: table[i], Score: score}, telling: telling})
	}
	// When some article has the telling words, those with only common ones
	// are noise.
	out = slices.DeleteFunc(out, func(r ranked) bool { return best > 0 && r.telling == 0 })
	slices.SortStableFunc(out, func(a, b ranked) int {
		if a.telling != b.telling {
			return b.telling - a.telling
		}
		return b.Score - a.Score
	})
	res := make([]Result, len(out))
	for i, r := range out {
		res[i] = r.Result
	}
	return res
}

// hits is the weighted count of w and its synonyms in an article: 5 in the
// title, 3 in the summary and keywords, 1 in the body (3 at most).
func hits(ix indexed, w string) int {
	s := 0
	for _, v := range append([]string{w}, synonyms[w]...) {
		s = max(s, 5*count(ix.title, v)+3*count(ix.keywords, v)+min(count(ix.body, v), 3))
	}
	return s
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
