package portal

import (
	"net/http"

	"permis/internal/access"
	"permis/internal/server"
)

// Register adds every portal route to mux, each with its owner, and returns
// the route table (tests walk it with every role).
func (p *Portal) Register(mux *http.ServeMux) []access.Route {
	rs := server.NewRoutes(mux, p.Guard, p.log)
	public := access.Public()
	citizen := access.Allow(access.Citizen)
	school := access.Allow(access.DrivingSchool)
	// A request's own pages serve its owner: the citizen, or the driving
	// school that filed it for a student (the application checks the owner).
	owner := access.Allow(access.Citizen, access.DrivingSchool)
	anyone := access.Allow(access.Roles()...) // any signed-in account
	h := func(pattern string, pol access.Policy, f func(http.ResponseWriter, *http.Request) error) {
		rs.Handle(pattern, pol, p.handle(f))
	}

	// Sign-in, accounts.
	h("GET /connexion", public, p.signInForm)
	h("POST /connexion", public, p.signIn)
	h("GET /connexion/oidc", public, p.oidcStart)
	h("GET /connexion/oidc/retour", public, p.oidcCallback)
	h("GET /connexion/proconnect", public, p.proConnectStart)
	h("GET /connexion/proconnect/retour", public, p.proConnectCallback)
	h("GET /connexion/second-facteur", anyone, p.secondFactorForm)
	h("POST /connexion/second-facteur", anyone, p.secondFactor)
	h("GET /connexion/second-facteur/qr.png", anyone, p.secondFactorQR)
	h("POST /deconnexion", anyone, p.signOut)
	h("GET /deconnexion/fin", public, p.signedOut)
	h("GET /inscription", public, p.registerForm)
	h("POST /inscription", public, p.register)
	h("GET /inscription/envoye", public, p.registerSent)
	h("GET /compte/verification/{token}", public, p.verifyForm)
	h("POST /compte/verification/{token}", public, p.verify)
	h("GET /mot-de-passe/oubli", public, p.forgotForm)
	h("POST /mot-de-passe/oubli", public, p.forgot)
	h("GET /mot-de-passe/nouveau/{token}", public, p.resetForm)
	h("POST /mot-de-passe/nouveau/{token}", public, p.reset)

	// The citizen's space.
	h("GET /mon-espace", citizen, p.space)
	h("GET /mon-espace/permis/rattacher", citizen, p.linkForm)
	h("POST /mon-espace/permis/rattacher", citizen, p.link)
	h("POST /mon-espace/permis/courrier", citizen, p.linkLetter)
	h("POST /mon-espace/permis/code", citizen, p.linkCode)
	h("GET /mon-espace/points", citizen, p.points)
	h("GET /mon-espace/documents", citizen, p.documents)
	h("POST /mon-espace/documents/releve-integral", citizen, p.fullStatement)
	h("POST /mon-espace/documents/attestation", citizen, p.attestation)
	h("GET /mon-espace/codes", citizen, p.codes)
	h("POST /mon-espace/codes", citizen, p.createCode)
	h("POST /mon-espace/codes/{id}/revocation", citizen, p.revokeCode)
	h("GET /mon-espace/autorisations", citizen, p.consents)
	h("POST /mon-espace/autorisations", citizen, p.grantConsent)
	h("POST /mon-espace/autorisations/{id}/retrait", citizen, p.withdrawConsent)
	h("GET /mon-espace/consultations", citizen, p.consultations)
	h("GET /mon-espace/rendez-vous", citizen, p.myAppointments)
	h("GET /mon-espace/avis-medicaux", citizen, p.myOpinions)
	h("POST /mon-espace/rendez-vous/{id}/annulation", citizen, p.cancelMyAppointment)
	// The practical exam (exams.go): theory pass, places, booking, cancellation.
	h("GET /mon-espace/examen", citizen, p.examSpace)
	h("GET /mon-espace/examen/inscription", citizen, p.examRegisterForm)
	h("POST /mon-espace/examen/inscription", citizen, p.examRegister)
	h("GET /mon-espace/examen/inscriptions/{ref}/attestation.pdf", citizen, p.examRegistrationAttestation)
	h("GET /mon-espace/examen/reserver", citizen, p.examBookForm)
	h("POST /mon-espace/examen/reserver", citizen, p.examBook)
	h("POST /mon-espace/examen/{ref}/annulation", citizen, p.examCancel)
	h("GET /mon-espace/examen/{ref}/cepc.pdf", citizen, p.examCertificate)
	h("GET /mon-espace/sms", citizen, p.smsForm)
	h("POST /mon-espace/sms", citizen, p.smsSave)
	rs.Handle("GET /api/v1/me/points", citizen, server.Handle(p.log, p.pointsJSON))

	// Licence requests: my requests, an introduction per type, the draft
	// one thing per page, the request's page (requests*.go); and the
	// public tracking by reference and birth date.
	h("GET /mes-demarches", citizen, p.reqList)
	h("GET /mes-demarches/nouvelle/{kind}", citizen, p.reqIntro)
	h("POST /mes-demarches/nouvelle/{kind}", citizen, p.reqStart)
	h("GET /mes-demarches/{id}", owner, p.reqShowNotice)
	h("GET /mes-demarches/{id}/etape/{step}", owner, p.reqStepForm)
	h("POST /mes-demarches/{id}/etape/{step}", owner, p.reqStepSave)
	// {page}: confirmation, attestation-de-perte, and the accessible
	// versions of the PDFs (requests_pdf.go): recepisse,
	// attestation-de-perte-en-ligne; {action}: envoi, pieces
	// (one wildcard, so that /mes-demarches/nouvelle/{kind} stays apart).
	h("GET /mes-demarches/{id}/{page}", owner, p.reqPage)
	h("POST /mes-demarches/{id}/{action}", owner, p.reqAction)
	h("GET /demandes/{id}", owner, p.reqMailLink) // the link of the requests' mails
	// The ePhoto code typed, its photo and signature shown for confirmation
	// (requests_ephoto.go): only those of the person's own draft.
	h("POST /mes-demarches/{id}/etape/photo", owner, p.reqEPhotoSave)
	h("GET /mes-demarches/{id}/etape/photo/confirmation", owner, p.reqEPhotoConfirm)
	h("GET /mes-demarches/{id}/etape/photo/{image}", owner, p.reqEPhotoImage)
	h("GET /suivi", public, p.trackForm)
	h("POST /suivi", public, p.track)

	// The fiscal stamp bought inside the request (requests_payment.go):
	// the stamp step (also the provider's return page), the purchase, and
	// the provider's signed server-to-server notice.
	h("GET /mes-demarches/{id}/etape/timbre", owner, p.reqStampStep)
	h("POST /mes-demarches/{id}/etape/timbre", citizen, p.reqStampSave)
	h("POST /mes-demarches/{id}/etape/timbre/achat", owner, p.reqStampBuy)
	rs.Handle("POST /paiement/notification", public, http.HandlerFunc(p.paymentNotice))

	// Fines (issue 12; fines*.go): a notice found by its number and plate
	// (kept in a cookie of these pages, never in an address), its page,
	// its payment, the guided contest one question a page, the
	// designation of the driver one by one or by a company's CSV file,
	// and the receipts; the signed-in citizen's notices in their space.
	h("GET /avis-de-contravention", public, p.fineFind)
	h("POST /avis-de-contravention", public, p.fineFindPost)
	h("GET /avis-de-contravention/avis", public, p.fineNotice)
	h("POST /avis-de-contravention/avis/paiement", public, p.finePay)
	h("POST /avis-de-contravention/avis/consignation", public, p.fineDeposit)
	h("GET /avis-de-contravention/contestation/{step}", public, p.contestStep)
	h("POST /avis-de-contravention/contestation/{step}", public, p.contestSave)
	h("POST /avis-de-contravention/contestation/envoi", public, p.contestSend)
	h("GET /avis-de-contravention/contestation/confirmation", public, p.contestDone)
	h("GET /avis-de-contravention/designation", public, p.fineDesignateForm)
	h("POST /avis-de-contravention/designation", public, p.fineDesignate)
	h("GET /avis-de-contravention/designation/confirmation", public, p.fineDesignated)
	h("GET /avis-de-contravention/designation-groupee", public, p.fineBulkForm)
	h("POST /avis-de-contravention/designation-groupee", public, p.fineBulk)
	h("GET /avis-de-contravention/recepisse/{step}/pdf", public, p.fineReceiptPDF)
	h("GET /avis-de-contravention/recepisse/{step}/en-ligne", public, p.fineReceiptHTML)
	h("GET /mon-espace/avis", citizen, p.fineList)
	h("GET /mon-espace/avis/{number}", citizen, p.fineOpenMine)

	// The request's PDFs, for its owner (requests_pdf.go).
	h("GET /mes-demarches/{id}/pdf/recepisse.pdf", owner, p.reqReceiptPDF)
	h("GET /mes-demarches/{id}/pdf/attestation-de-perte.pdf", owner, p.reqLossPDF)

	// Driving schools (schools.go): students under mandate and their
	// requests, the mandate form, a request started for a student (then
	// the request's own pages above), a transfer asked of the student, and
	// the student's consent through the mailed one-time link.
	h("GET /auto-ecole", school, p.schoolHome)
	h("POST /auto-ecole/mandats", school, p.schoolMandate)
	h("POST /auto-ecole/mandats/{id}/revocation", school, p.schoolRevoke)
	h("POST /auto-ecole/eleves/{id}/demande", school, p.schoolStart)
	h("POST /auto-ecole/eleves/{id}/examen", school, p.schoolExamBook)
	h("GET /auto-ecole/eleves/{id}/inscription", school, p.schoolRegisterForm)
	h("POST /auto-ecole/eleves/{id}/inscription", school, p.schoolRegister)
	h("POST /auto-ecole/examens/{ref}/annulation", school, p.schoolExamCancel)
	h("GET /auto-ecole/demandes/{id}/transfert", school, p.schoolTransferForm)
	h("POST /auto-ecole/demandes/{id}/transfert", school, p.schoolTransfer)
	h("GET /auto-ecole/transfert/{token}", public, p.schoolConsentForm)
	h("POST /auto-ecole/transfert/{token}", public, p.schoolConsent)

	// The approved photographer's page (photographer.go): its captures, and
	// one recorded from the browser.
	photographer := access.Allow(access.Photographer)
	h("GET /photographe", photographer, p.photographerHome)
	h("POST /photographe/codes", photographer, p.photographerCapture)

	// "Quelle visite médicale ?" (medical_route.go): one question per
	// screen, answered from the register for a signed-in holder.
	h("GET /visite-medicale", public, p.medicalRoute)

	// The approved doctor's pages (doctor.go): find the person, record the
	// opinion of cerfa 14880, read back the opinions recorded.
	doctor := access.Allow(access.Doctor)
	h("GET /medecin", doctor, p.doctorHome)
	h("POST /medecin/recherche", doctor, p.doctorFind)
	h("POST /medecin/avis", doctor, p.doctorRecord)
	h("GET /medecin/avis/{ref}", doctor, p.doctorOpinion)
	h("GET /medecin/commission", doctor, p.doctorCommission)

	// Public checks: a third party's check with a code, and the
	// verification of a printed 2D-Doc.
	h("GET /verification-permis", public, p.checkForm)
	h("POST /verification-permis", public, p.check)
	h("POST /verification-permis/attestation", public, p.checkAttestation)
	h("GET /verifier", public, p.verifyDocForm)
	h("POST /verifier", public, p.verifyDoc)

	// Appointments at help points (with or without an account), and the
	// links of their mails.
	h("GET /rendez-vous", public, p.bookWhere)
	h("GET /rendez-vous/{point}", public, p.bookWhat)
	h("GET /rendez-vous/{point}/{kind}", public, p.bookWhen)
	h("GET /rendez-vous/{point}/{kind}/coordonnees", public, p.bookWho)
	h("POST /rendez-vous/{point}/{kind}/coordonnees", public, p.book)
	h("GET /rendez-vous/reserve", public, p.booked)
	h("GET /rendez-vous/confirmer/{token}", public, p.confirmForm)
	h("POST /rendez-vous/confirmer/{token}", public, p.confirm)
	h("GET /rendez-vous/refuser/{token}", public, p.declineForm)
	h("POST /rendez-vous/refuser/{token}", public, p.decline)
	h("GET /rendez-vous/gerer/{token}", public, p.manage)
	h("POST /rendez-vous/gerer/{token}/annulation", public, p.cancelAppointment)
	h("POST /rendez-vous/gerer/{token}/deplacement", public, p.moveAppointment)
	h("GET /rendez-vous/{point}/{kind}/liste-attente", public, p.waitingForm)
	h("POST /rendez-vous/{point}/{kind}/liste-attente", public, p.joinWaiting)
	h("GET /liste-attente/confirmer/{token}", public, p.waitingLinkForm("confirm"))
	h("POST /liste-attente/confirmer/{token}", public, p.confirmWaiting)
	h("GET /liste-attente/se-retirer/{token}", public, p.waitingLinkForm("leave"))
	h("POST /liste-attente/se-retirer/{token}", public, p.leaveWaiting)

	// The directories.
	h("GET /points-accueil", public, p.places)
	h("GET /points-accueil/{id}", public, p.place)

	// The help centre (its list is the shell's /aide page).
	h("GET /aide/recherche", public, p.helpSearch)
	h("GET /aide/{slug}", public, p.helpArticle)

	// Fault reports and appeals, open to everyone.
	h("GET /signaler-un-probleme", public, p.reportForm)
	h("POST /signaler-un-probleme", public, p.report)
	h("GET /signaler-un-probleme/recu", public, p.receipt(false))
	h("GET /recours", public, p.appealForm)
	h("POST /recours", public, p.appeal)
	h("GET /recours/recu", public, p.receipt(true))

	if p.opts.DevPages {
		h("GET /dev/courriels", public, p.outbox)
		h("GET /dev/courriels/{id}", public, p.outboxMail)
	}
	return rs.List()
}
