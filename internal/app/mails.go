package app

import (
	"strings"

	"permis/internal/mail"
	"permis/internal/store"
)

// The mails of the account use cases. Each says what happened, what to do,
// and what to do if it was not you; none carries personal data beyond the
// name, and links are one-time.

func greeting(u store.User) string {
	if n := strings.TrimSpace(u.GivenName + " " + u.FamilyName); n != "" {
		return "Bonjour " + n + ",\n\n"
	}
	return "Bonjour,\n\n"
}

const mailSignature = "\n\n— Le service Permis de conduire\nCe message est envoyé automatiquement ; merci de ne pas y répondre.\n"

func (a *App) mailVerify(u store.User, link string) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Validez votre adresse électronique",
		Text: greeting(u) + "Vous venez de créer votre compte sur le service Permis de conduire.\n" +
			"Pour le valider, ouvrez ce lien (il est valable 12 heures et ne sert qu'une fois) :\n\n" + link +
			"\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera activé." + mailSignature,
	}
}

func (a *App) mailAlreadyRegistered(u store.User) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Vous avez déjà un compte",
		Text: greeting(u) + "Quelqu'un a demandé à créer un compte avec votre adresse électronique, qui en a déjà un.\n" +
			"Pour vous connecter : " + a.publicURL + "/connexion\n" +
			"Mot de passe oublié : " + a.publicURL + "/mot-de-passe/oubli\n\n" +
			"Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message." + mailSignature,
	}
}

func (a *App) mailReset(u store.User, link string) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Réinitialisation de votre mot de passe",
		Text: greeting(u) + "Pour choisir un nouveau mot de passe, ouvrez ce lien (il est valable 1 heure et ne sert qu'une fois) :\n\n" +
			link + "\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même." + mailSignature,
	}
}

func (a *App) mailPasswordChanged(u store.User) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Votre mot de passe a été modifié",
		Text: greeting(u) + "Le mot de passe de votre compte vient d'être modifié, et toutes vos sessions ont été fermées.\n" +
			"Si vous n'êtes pas à l'origine de ce changement, réinitialisez-le tout de suite : " + a.publicURL +
			"/mot-de-passe/oubli, puis appelez le 34 00." + mailSignature,
	}
}
