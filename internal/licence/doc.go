// Package licence is the national licence register's domain: the person's
// civil status, the licence and its lifelong NEPH, the cards (titles) with
// their per-card number and MRZ, categories, restrictions and the state of the
// driving right. It does no I/O and imports only the standard library and
// the kernel packages.
//
// Where each rule lives (REFERENCE.md sections in brackets):
//
//	neph.go        NEPH, the lifelong dossier number, 10–19 digits [§1.1]
//	title.go       TitleNumber, the per-card number YYAA99999 [§1.2]
//	mrz.go         the one-line card MRZ and its ICAO 9303 check digits [§1.2]
//	check.go       what "permis neph check" and "permis title check" print
//	errors.go      CheckError: field, stable code and French message
//	category.go    categories AM…DE, heavy group, minimum ages, prerequisites [§2.1]
//	validity.go    ValidityRules: 15 years, heavy 5/2/1 years by age, medical limit,
//	               expired heavy category [§2.2, §3.8]
//	restriction.go field-12 codes (01.01, 78, 105…) and their French labels [§2.3]
//	right.go       the driving-right state machine: RightRules (72 h/120 h,
//	               6 months/1 year, 5 years, 1 month), RightStatus, events [§3.7, §3.8]
//	right_measures.go  each transition: retention, suspensions (no cumulation),
//	               medical check, invalidation, annulment, reinstatement (code 105)
//	titlestate.go  the states of one card: lost, stolen, damaged, replaced… [§3.8]
//	person.go      names compared without accents or case; full name
//	fold.go        accent folding shared by names and the MRZ
//	register.go    the register's types: Person, Licence, Title…
package licence
