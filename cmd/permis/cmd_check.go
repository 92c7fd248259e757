package main

import (
	"encoding/json"

	"permis/internal/licence"
)

// cmdNEPHCheck prints the parts of a NEPH as JSON, or exits 2 with the reason.
func cmdNEPHCheck(e *env, args []string) error {
	if len(args) != 1 {
		return usageErr("usage : permis neph check VALEUR")
	}
	rep, err := licence.CheckNEPH(args[0])
	if err != nil {
		return inputErr(err.Error())
	}
	return printJSON(e, rep)
}

// cmdTitleCheck prints the parts of a title number or an MRZ as JSON, or
// exits 2 saying which part is malformed or which check digit failed.
func cmdTitleCheck(e *env, args []string) error {
	if len(args) != 1 {
		return usageErr("usage : permis title check NUMÉRO|MRZ")
	}
	rep, err := licence.CheckTitle(args[0])
	if err != nil {
		return inputErr(err.Error())
	}
	return printJSON(e, rep)
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false) // an MRZ's '<' reads better as itself
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
