package requests

import "slices"

// Depends reports whether anything the type asks for (a document, the
// stamp, the ePhoto code) depends on condition c: the request then asks the
// question that decides it, and only then is the answer worth showing.
func (t Type) Depends(c Condition) bool {
	return t.Stamp == c || t.EPhoto == c || slices.ContainsFunc(t.Documents, func(r DocumentRule) bool { return r.When == c })
}

// AsksHealth reports whether the type asks the applicant to declare a
// condition of the medical list (arrêté du 28 mars 2022): it does when a
// medical opinion may be needed (IfHeavyOrMedical). A loss, theft or damage
// request does not ask it, and has no answer to show.
func (t Type) AsksHealth() bool { return t.Depends(IfHeavyOrMedical) }
