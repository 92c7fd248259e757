package twoddoc

import "strings"

// maxJoinedBreaks bounds the line breaks whose two readings (nothing, or a
// space) VerifyPrinted tries: 2^6 signatures at most for one text.
const maxJoinedBreaks = 6

// VerifyPrinted verifies a code as people give it: typed from, or copied
// out of, the text printed under the symbol of a document. That text is
// wrapped over several lines: a copy brings the line breaks with it, and a
// line that was broken at a space has lost that space. Line breaks are not
// part of any 2D-Doc (the alphabet is printable ASCII and the three
// separators), so VerifyPrinted removes them — and, when that does not give
// a valid signature, tries each break as the space the wrapping consumed.
// It also reads the <GS>, <RS>, <US> notation (Unescape) and ignores the
// blanks around the whole text.
//
// The verdict is the first valid reading; else that of the first reading
// that decodes (a modified or foreign code says so, rather than "malformed");
// else that of the text with its line breaks removed.
func (k *Keyring) VerifyPrinted(text string) Verdict {
	lines := PrintedLines(text)
	first := k.Verify(Unescape(strings.Join(lines, "")))
	breaks := len(lines) - 1
	if first.Status == Valid || breaks == 0 {
		return first
	}
	var decoded *Verdict
	if first.Status != Malformed {
		decoded = &first
	}
	try := func(sep func(i int) string) (Verdict, bool) {
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				b.WriteString(sep(i - 1))
			}
			b.WriteString(l)
		}
		v := k.Verify(Unescape(b.String()))
		if decoded == nil && v.Status != Malformed {
			decoded = &v
		}
		return v, v.Status == Valid
	}
	if breaks > maxJoinedBreaks {
		if v, ok := try(func(int) string { return " " }); ok {
			return v
		}
	} else {
		for mask := 1; mask < 1<<breaks; mask++ {
			if v, ok := try(func(i int) string {
				if mask&(1<<i) != 0 {
					return " "
				}
				return ""
			}); ok {
				return v
			}
		}
	}
	if decoded != nil {
		return *decoded
	}
	return first
}

// PrintedLines splits a code given as text into its lines, without the
// line breaks (\r\n, \n or \r), blank lines and the blanks around the
// whole text. The <GS>-style notation is left as it is: a line may end in
// the middle of one ("<G" then "S>").
func PrintedLines(text string) []string {
	text = strings.TrimSpace(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
