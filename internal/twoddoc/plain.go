package twoddoc

// Plain says in everyday French, for someone who is not a specialist of
// 2D-Doc, what a malformed code means and what to do. The Message keeps
// the technical detail (zone, position, rule), for the curious and for the
// help desk.
func (e *DecodeError) Plain() string {
	switch e.Code {
	case CodeMarker:
		return "Ce texte n'est pas celui d'un code 2D-Doc : un tel texte commence par « DC ». " +
			"Copiez tout le texte imprimé sous le code, ou celui que donne votre application de lecture."
	case CodeTruncated, CodeMissingSig, CodeSigLength, CodeBase32:
		return "Le texte est incomplet ou a été abîmé en le copiant. Copiez de nouveau tout le texte, " +
			"du « DC » du début jusqu'au dernier caractère, ou lisez de nouveau le code avec votre application."
	case CodeCharacter:
		return "Le texte contient un caractère qu'un code 2D-Doc ne peut pas contenir. Il a sans doute été " +
			"modifié en le copiant : copiez-le de nouveau, sans rien y ajouter."
	}
	return "Ce texte ressemble à un code 2D-Doc, mais une de ses données est mal écrite : il a été mal recopié " +
		"ou modifié. Copiez-le de nouveau, ou lisez le code avec votre application."
}
