package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/store"
)

// Sign-in guard (issue 10, finding 10). Wrong passwords are counted per
// address typed and per client, never per account alone: a stranger can
// slow down their own attempts on an account, not lock its holder out.
// From the fifth failure in a row, that client waits before its next try on
// that address, twice as long after each further failure (1, 2, 4 … 60
// minutes). An address's failures from every client together are capped
// too (loginFailPerEmail an hour), so that guessing spread over many
// addresses stays slow. Only failures count: a successful sign-in clears
// its counter and costs nothing. Every refusal — unknown address, wrong
// password, disabled account, waiting time not over — gets the same
// answer, so the form tells nobody which addresses have an account.
const (
	loginFreeFailures = 5              // failures in a row before delays start
	loginFirstDelay   = time.Minute    // the first delay, doubled at each further failure
	loginMaxDelay     = time.Hour      // the longest delay
	loginForget       = 24 * time.Hour // failures older than this are forgotten
	loginFailPerEmail = 50             // failures an hour on one address, all clients together
	loginFailWindow   = time.Hour      // … counted over this window
	totpFreeFailures  = 5              // wrong second-factor codes before the account waits
	totpForget        = 24 * time.Hour // … counted over this window
)

// errSignInRefused is the one answer to every refused sign-in.
var errSignInRefused = apperr.Field("password",
	"Adresse électronique ou mot de passe incorrect. Après plusieurs essais, patientez quelques minutes avant de réessayer, ou réinitialisez votre mot de passe.")

// loginDelay is how long a client waits after n failures in a row.
func loginDelay(n int, free int) time.Duration {
	if n < free {
		return 0
	}
	d := loginFirstDelay
	for i := free; i < n && d < loginMaxDelay; i++ {
		d *= 2
	}
	return min(d, loginMaxDelay)
}

func loginFailKey(email, client string) string { return "login:fail:" + email + "|" + client }

// signInAllowed reports whether this client may try a password on email
// now: its own waiting time is over, and the address's failures from every
// client stay under the cap. It counts nothing.
func (a *App) signInAllowed(ctx context.Context, email, client string) (bool, error) {
	now := a.clock.Now()
	n, last, err := a.store.Failures(ctx, loginFailKey(email, client), now, loginForget)
	if err != nil {
		return false, err
	}
	if now.Before(last.Add(loginDelay(n, loginFreeFailures))) {
		return false, nil
	}
	res, err := a.store.PeekRateLimit(ctx, "login:fail:"+email, now, loginFailWindow, loginFailPerEmail)
	return err == nil && res.Allowed, err
}

// signInFailed counts a failure of client on email, and mails the account
// holder (u, when the address has an account) once, when delays start.
func (a *App) signInFailed(ctx context.Context, req Request, email string, u *store.User) error {
	now := a.clock.Now()
	if _, err := a.store.HitRateLimit(ctx, "login:client:"+req.Client, now, loginWindow, loginPerClient); err != nil {
		return err
	}
	if _, err := a.store.HitRateLimit(ctx, "login:fail:"+email, now, loginFailWindow, loginFailPerEmail); err != nil {
		return err
	}
	n, err := a.store.RecordFailure(ctx, loginFailKey(email, req.Client), now, loginForget)
	if err != nil {
		return err
	}
	if u == nil {
		return errSignInRefused
	}
	_ = a.audit.Record(ctx, a.entry(req, "account.sign_in_failed", "user", fmt.Sprint(u.ID)))
	if n == loginFreeFailures {
		if _, err := mail.Enqueue(ctx, a.store, a.mailSignInFailures(*u, n)); err != nil {
			return err
		}
	}
	return errSignInRefused
}

// signInSucceeded forgets the client's failures on email.
func (a *App) signInSucceeded(ctx context.Context, email, client string) error {
	return a.store.ResetRateLimit(ctx, loginFailKey(email, client))
}

func (a *App) mailSignInFailures(u store.User, n int) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Tentatives de connexion à votre compte",
		Text: greeting(u) + fmt.Sprintf("%d mots de passe erronés à la suite viennent d'être saisis pour votre compte, le %s à %s (heure de Paris). "+
			"Les essais suivants depuis le même appareil sont ralentis ; vous pouvez toujours vous connecter depuis le vôtre.\n",
			n, date.Today(a.clock.Now()).French(), frenchTime(a.clock.Now())) +
			"Si c'était vous, réinitialisez votre mot de passe si vous l'avez oublié : " + a.publicURL + "/mot-de-passe/oubli\n" +
			"Si ce n'était pas vous, quelqu'un essaie peut-être d'accéder à votre compte : choisissez un nouveau mot de passe." + mailSignature,
	}
}

// Wrong second-factor codes (issue 10, finding 14): the password was
// right, so whoever types them knows it. After totpFreeFailures wrong codes
// in a row the account waits before the next code (1, 2, 4 … 60 minutes),
// and its holder is mailed: their password is known to someone.

func totpFailKey(userID int64) string { return fmt.Sprintf("totp:fail:%d", userID) }

// secondFactorAllowed refuses a code while the account waits.
func (a *App) secondFactorAllowed(ctx context.Context, userID int64) error {
	now := a.clock.Now()
	n, last, err := a.store.Failures(ctx, totpFailKey(userID), now, totpForget)
	if err != nil {
		return err
	}
	if until := last.Add(loginDelay(n, totpFreeFailures)); now.Before(until) {
		return apperr.Fail(apperr.TooMany, "code", errTOTPLocked, fmt.Sprintf(
			"Trop de codes erronés. Par sécurité, la saisie est bloquée jusqu'à %s (heure de Paris).", frenchTime(until)))
	}
	return nil
}

// errTOTPLocked is the reason of a refused code while the account waits.
var errTOTPLocked = &apperr.Reason{Code: "second_factor_locked"}

// secondFactorFailed counts a wrong code, and mails the holder when the
// account starts waiting.
func (a *App) secondFactorFailed(ctx context.Context, u store.User) error {
	n, err := a.store.RecordFailure(ctx, totpFailKey(u.ID), a.clock.Now(), totpForget)
	if err != nil {
		return err
	}
	if n == totpFreeFailures {
		if _, err := mail.Enqueue(ctx, a.store, a.mailSecondFactorFailures(u, n)); err != nil {
			return err
		}
	}
	if n >= totpFreeFailures {
		return a.secondFactorAllowed(ctx, u.ID)
	}
	return apperr.Field("code", "Ce code n'est pas valable. Saisissez les 6 chiffres affichés par votre application.")
}

func (a *App) mailSecondFactorFailures(u store.User, n int) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Codes de sécurité erronés sur votre compte",
		Text: greeting(u) + fmt.Sprintf("Votre mot de passe a été saisi correctement, puis %d codes de sécurité erronés, le %s à %s (heure de Paris). "+
			"La saisie des codes est bloquée pour quelques minutes.\n", n, date.Today(a.clock.Now()).French(), frenchTime(a.clock.Now())) +
			"Si ce n'était pas vous, quelqu'un connaît votre mot de passe : changez-le tout de suite (" + a.publicURL +
			"/mot-de-passe/oubli) et prévenez votre responsable de la sécurité." + mailSignature,
	}
}
