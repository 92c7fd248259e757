package app

import (
	"strings"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// mailSecondLink tells the account a licence is linked to that another
// account tried to link it and was refused.
func (a *App) mailSecondLink(holder store.User) mail.Message {
	return mail.Message{
		To:      holder.Email,
		Subject: "Tentative de rattachement de votre permis à un autre compte",
		Text: greeting(holder) + "Quelqu'un vient d'essayer de rattacher votre permis de conduire à un autre compte que le vôtre. " +
			"Nous l'avons refusé : votre permis reste rattaché à votre seul compte, et personne d'autre n'y a accès.\n\n" +
			"Si c'est vous qui avez créé un second compte, connectez-vous plutôt à celui-ci : " + a.publicURL + "/connexion\n" +
			"Sinon, quelqu'un connaît votre numéro de permis, votre nom et votre date de naissance : restez attentif aux " +
			"courriers et appels qui s'en serviraient, et signalez-le à l'assistance : " + a.publicURL + "/signaler-un-probleme" +
			mailSignature,
	}
}

// linkCodeLetter is the letter that carries an activation code to the
// holder's address in the register.
func (a *App) linkCodeLetter(p licence.Person, address, code string, until date.Date) store.PostalLetter {
	name := strings.TrimSpace(strings.Join(p.GivenNames, " ") + " " + p.FamilyName)
	if p.UsageName != "" {
		name = strings.TrimSpace(strings.Join(p.GivenNames, " ") + " " + p.UsageName)
	}
	return store.PostalLetter{
		Kind: "licence_link_code", Recipient: name, Address: address,
		Subject: "Votre code d'activation pour accéder à votre permis en ligne",
		Text: "Madame, Monsieur,\n\n" +
			"Vous avez demandé à rattacher votre permis de conduire à votre compte sur le service en ligne " + a.publicURL + ".\n" +
			"Pour le faire, connectez-vous à votre compte, ouvrez « Rattacher mon permis », puis « J'ai reçu mon code », " +
			"et saisissez ce code d'activation :\n\n" +
			"        " + secret.FormatCode(code, 4) + "\n\n" +
			"Ce code est valable jusqu'au " + frenchLongDate(until) + " inclus et ne sert qu'une fois, pour le compte qui l'a demandé.\n\n" +
			"Si vous n'avez rien demandé, ne donnez ce code à personne et détruisez ce courrier : sans lui, personne ne peut " +
			"accéder à votre permis en ligne. Vous pouvez le signaler sur " + a.publicURL + "/signaler-un-probleme ou au 3400.\n\n" +
			"Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.\n\n" +
			a.issuerName(),
	}
}

// issuerName is the name that signs letters.
func (a *App) issuerName() string {
	if a.issuer.Name != "" {
		return a.issuer.Name
	}
	return "Service des permis de conduire"
}
