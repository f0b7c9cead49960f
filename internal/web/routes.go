package web

import (
	"net/http"

	"iel/internal/domain"
	"iel/internal/store"
)

// routes is the whole site map.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", s.staticFiles())
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently))
	mux.HandleFunc("GET /{$}", s.home)

	mux.HandleFunc("GET /connexion", s.loginForm)
	mux.HandleFunc("POST /connexion", s.login)
	mux.HandleFunc("POST /deconnexion", s.logout)
	mux.HandleFunc("GET /mot-de-passe-oublie", s.forgotForm)
	mux.HandleFunc("POST /mot-de-passe-oublie", s.forgot)
	mux.HandleFunc("GET /mot-de-passe-oublie/envoye", s.forgotSent)
	mux.Handle("GET /mot-de-passe/{token}", s.linkRoute(store.PurposePassword, http.HandlerFunc(s.passwordLinkForm)))
	mux.Handle("POST /mot-de-passe/{token}", s.linkRoute(store.PurposePassword, http.HandlerFunc(s.passwordLinkSet)))

	// "Mon compte" is a CT account's own: staff, who belong to no CT, are refused.
	account := s.requireRole(isCTAccount, "Cette page est réservée aux comptes des collectivités.")
	mux.Handle("GET /compte", account(s.accountShow))
	mux.Handle("POST /compte", account(s.accountUpdate))

	holder := s.requireRole(domain.Account.IsHolder, "Seul le gestionnaire principal de la collectivité peut faire cette action.")
	mux.Handle("GET /compte/gestionnaire-principal", holder(s.designationForm))
	mux.Handle("POST /compte/gestionnaire-principal", holder(s.designationCreate))
	mux.Handle("POST /compte/gestionnaire-principal/renvoyer", holder(s.designationResend))
	mux.Handle("GET /compte/gestionnaire-principal/annuler", holder(s.designationCancelConfirm))
	mux.Handle("POST /compte/gestionnaire-principal/annuler", holder(s.designationCancel))
	mux.Handle("GET /validationgestprin/{token}", s.linkRoute(store.LinkDesignation, http.HandlerFunc(s.designationAnswerForm)))
	mux.Handle("POST /validationgestprin/{token}", s.linkRoute(store.LinkDesignation, http.HandlerFunc(s.designationAnswer)))
	mux.HandleFunc("GET /conditions-generales", s.cgu)

	principal := s.requireRole(isPrincipal, "Seul le gestionnaire principal de la collectivité administre les comptes opérateurs.")
	mux.Handle("GET /compte/operateurs", principal(s.operatorList))
	mux.Handle("GET /compte/operateurs/nouveau", principal(s.operatorNew))
	mux.Handle("POST /compte/operateurs", principal(s.operatorCreate))
	mux.Handle("GET /compte/operateurs/{id}", principal(s.operatorEdit))
	mux.Handle("POST /compte/operateurs/{id}", principal(s.operatorUpdate))
	mux.Handle("GET /compte/operateurs/{id}/supprimer", principal(s.operatorDeleteConfirm))
	mux.Handle("POST /compte/operateurs/{id}/supprimer", principal(s.operatorDelete))
	mux.Handle("POST /compte/operateurs/{id}/invitation", principal(s.operatorReinvite))
	journal := s.requireRole(isPrincipal, "Seul le gestionnaire principal de la collectivité peut consulter le journal.")
	mux.Handle("GET /compte/journal", journal(s.journalShow))
	mux.Handle("GET /validationoperateur/{token}", s.linkRoute(store.PurposeInvitation, http.HandlerFunc(s.invitationAnswerForm)))
	mux.Handle("POST /validationoperateur/{token}", s.linkRoute(store.PurposeInvitation, http.HandlerFunc(s.invitationAnswer)))

	// The CT's own data, for every account of the CT.
	ctAccount := s.requireRole(isCTAccount, "Cette page est réservée aux comptes des collectivités.")
	mux.Handle("GET /accueil", ctAccount(s.homeShow))
	mux.Handle("GET /compte/parametres", ctAccount(s.settingsShow))
	mux.Handle("POST /compte/parametres", ctAccount(s.settingsUpdate))
	mux.Handle("GET /compte/correspondants", ctAccount(s.contactList))
	mux.Handle("GET /compte/correspondants/nouveau", ctAccount(s.contactNew))
	mux.Handle("POST /compte/correspondants", ctAccount(s.contactCreate))
	mux.Handle("GET /compte/correspondants/{id}", ctAccount(s.contactEdit))
	mux.Handle("POST /compte/correspondants/{id}", ctAccount(s.contactUpdate))
	mux.Handle("GET /compte/correspondants/{id}/supprimer", ctAccount(s.contactDeleteConfirm))
	mux.Handle("POST /compte/correspondants/{id}/supprimer", ctAccount(s.contactDelete))

	mux.Handle("GET /agents", ctAccount(s.agentList))
	mux.Handle("GET /agents/nouveau", ctAccount(s.agentNew))
	mux.Handle("POST /agents", ctAccount(s.agentCreate))
	mux.Handle("GET /agents/{id}", ctAccount(s.agentEdit))
	mux.Handle("POST /agents/{id}", ctAccount(s.agentUpdate))
	mux.Handle("GET /agents/{id}/supprimer", ctAccount(s.agentDeleteConfirm))
	mux.Handle("POST /agents/{id}/supprimer", ctAccount(s.agentDelete))
	mux.Handle("POST /agents/{id}/depart", ctAccount(s.agentLeave))
	mux.Handle("POST /agents/{id}/retour", ctAccount(s.agentReturn))
	mux.Handle("GET /agents/export", ctAccount(s.agentExport))
	mux.Handle("GET /agents/import", ctAccount(s.agentImportForm))
	mux.Handle("POST /agents/import", ctAccount(s.agentImportUpload))
	mux.Handle("GET /agents/import/{id}/apercu", ctAccount(s.agentImportPreview))
	mux.Handle("POST /agents/import/{id}/apercu", ctAccount(s.agentImportConfirm))
	mux.Handle("GET /formations/bilan", ctAccount(s.bilanShow))
	mux.Handle("GET /formations/bilan/export", ctAccount(s.bilanExport))

	// "Formations": the catalogue, "Inscrire des agents", "Mes inscriptions".
	mux.Handle("GET /formations", ctAccount(s.catalogueShow))
	mux.Handle("GET /formations/sessions/{id}", ctAccount(s.sessionShow))
	mux.Handle("GET /formations/sessions/{id}/inscrire", ctAccount(s.registerNew))
	mux.Handle("POST /formations/sessions/{id}/inscrire", ctAccount(s.registerCreate))
	mux.Handle("GET /formations/inscriptions", ctAccount(s.registrationList))
	mux.Handle("GET /formations/inscriptions/export", ctAccount(s.registrationExport))
	mux.Handle("GET /formations/inscriptions/{id}", ctAccount(s.registrationShow))
	mux.Handle("GET /formations/inscriptions/{id}/annuler", ctAccount(s.registrationCancelConfirm))
	mux.Handle("POST /formations/inscriptions/{id}/annuler", ctAccount(s.registrationCancel))
	mux.Handle("GET /formations/inscriptions/{id}/convocation", ctAccount(s.registrationConvocation))
	mux.Handle("GET /formations/inscriptions/{id}/attestation", ctAccount(s.registrationAttestation))

	// The CNFPT's back-office, for staff only.
	staff := s.requireRole(isStaff, "Cette page est réservée aux agents du CNFPT.")
	mux.Handle("GET /cnfpt", staff(s.staffHome))
	mux.Handle("GET /cnfpt/collectivites", staff(s.staffCTList))
	mux.Handle("GET /cnfpt/collectivites/nouvelle", staff(s.staffCTNew))
	mux.Handle("POST /cnfpt/collectivites", staff(s.staffCTCreate))
	mux.Handle("GET /cnfpt/collectivites/{id}", staff(s.staffCTShow))
	mux.Handle("POST /cnfpt/collectivites/{id}/codes", staff(s.staffResendCodes))
	mux.Handle("GET /cnfpt/collectivites/{id}/nom", staff(s.staffRenameForm))
	mux.Handle("POST /cnfpt/collectivites/{id}/nom", staff(s.staffRename))
	mux.Handle("GET /cnfpt/collectivites/{id}/gestionnaire-principal", staff(s.staffDesignationForm))
	mux.Handle("POST /cnfpt/collectivites/{id}/gestionnaire-principal", staff(s.staffDesignationCreate))
	mux.Handle("GET /cnfpt/collectivites/{id}/journal", staff(s.staffCTJournal))
	mux.Handle("GET /cnfpt/collectivites/{id}/agents", staff(s.staffCTAgents))
	mux.Handle("GET /cnfpt/collectivites/{id}/inscriptions", staff(s.staffCTRegistrations))
	mux.Handle("GET /cnfpt/sessions", staff(s.sessionList))
	mux.Handle("GET /cnfpt/sessions/nouvelle", staff(s.sessionNew))
	mux.Handle("POST /cnfpt/sessions", staff(s.sessionCreate))
	mux.Handle("GET /cnfpt/sessions/{id}", staff(s.staffSessionShow))
	mux.Handle("GET /cnfpt/sessions/{id}/modifier", staff(s.sessionEdit))
	mux.Handle("POST /cnfpt/sessions/{id}/modifier", staff(s.sessionUpdate))
	mux.Handle("GET /cnfpt/sessions/{id}/annuler", staff(s.sessionCancelConfirm))
	mux.Handle("POST /cnfpt/sessions/{id}/annuler", staff(s.sessionCancel))
	mux.Handle("GET /cnfpt/sessions/import", staff(s.sessionImportForm))
	mux.Handle("POST /cnfpt/sessions/import", staff(s.sessionImportUpload))
	mux.Handle("GET /cnfpt/sessions/import/{id}/apercu", staff(s.sessionImportPreview))
	mux.Handle("POST /cnfpt/sessions/import/{id}/apercu", staff(s.sessionImportConfirm))
	mux.Handle("POST /cnfpt/inscriptions/{id}/{action}", staff(s.registrationDecide))
	mux.Handle("GET /cnfpt/inscriptions/{id}/refuser", staff(s.registrationRefuseForm))
	mux.Handle("POST /cnfpt/inscriptions/{id}/refuser", staff(s.registrationRefuse))
	mux.Handle("GET /cnfpt/bilan", staff(s.staffBilanShow))
	mux.Handle("GET /cnfpt/bilan/export", staff(s.staffBilanExport))

	// The information pages of the footer, beside "GET /conditions-generales" above.
	mux.HandleFunc("GET /accessibilite", s.accessibility)
	mux.HandleFunc("GET /mentions-legales", s.legal)
	mux.HandleFunc("GET /donnees-personnelles", s.privacy)
	mux.HandleFunc("GET /plan-du-site", s.sitemap)
	mux.HandleFunc("GET /aide", s.help)

	if s.cfg.MailViewer() {
		mux.Handle("GET /courriels", s.loopbackOnly(http.HandlerFunc(s.mailList)))
		mux.Handle("GET /courriels/{id}", s.loopbackOnly(http.HandlerFunc(s.mailShow)))
		mux.Handle("GET /courriels/{id}/pieces-jointes/{n}", s.loopbackOnly(http.HandlerFunc(s.mailAttachment)))
	}
	mux.HandleFunc("/", s.notFound)

	s.mux = mux
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	// The session comes before the cross-origin check, so that a refusal
	// is logged with the account it was aimed at.
	return s.logRequests(s.recoverPanics(s.secureHeaders(s.loadSession(csrf.Handler(recordRoute(mux))))))
}
