package domain

// The rules of the domain that the store enforces on the current state, as
// the person reads them. They are shared values: never modify them.
var (
	// ErrLinkUnknown answers a link whose token was never issued.
	ErrLinkUnknown = Errorf(Gone, "", "Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier, ou demandez-en un nouveau.")
	// ErrLinkUsed answers a link already used, or killed by a newer one or by a change of the account.
	ErrLinkUsed = Errorf(Gone, "", "Ce lien a déjà servi ou a été remplacé par un lien plus récent. Utilisez le dernier courriel reçu, ou demandez un nouveau lien.")
	// ErrLinkExpired answers a link past its lifetime.
	ErrLinkExpired = Errorf(Gone, "", "Ce lien a expiré. Demandez un nouveau lien.")
	// ErrAccountClosed answers a set-password link of an account that may no longer log in.
	ErrAccountClosed = Errorf(Gone, "", "Ce compte est fermé : ce lien ne peut plus servir.")

	// ErrCollectivityNameTaken refuses a second CT of the same name (NameKey).
	ErrCollectivityNameTaken = Errorf(Conflict, FieldName, "Une collectivité porte déjà ce nom.")

	// ErrNotHolder refuses a change of principal asked by another account than the CT's holder.
	ErrNotHolder = Errorf(Forbidden, "", "Seul le gestionnaire de la collectivité peut changer le compte gestionnaire principal.")
	// ErrNotPrincipal refuses the administration of operators to anyone but the principal.
	ErrNotPrincipal = Errorf(Forbidden, "", "Seul le gestionnaire principal de la collectivité administre les comptes opérateurs.")

	// ErrOperatorNotDesignable refuses to designate an account that is no active operator of the CT.
	ErrOperatorNotDesignable = Errorf(NotFound, FieldOperator, "Cet opérateur n'existe pas, ou n'a pas encore activé son compte.")
	// ErrNoPendingDesignation answers a resend or a cancellation with nothing pending.
	ErrNoPendingDesignation = Errorf(NotFound, "", "Aucune désignation n'est en attente.")
	// ErrDesignationLinkUnknown also answers the link of a designation sent
	// again, whose row now holds the new link's hash.
	ErrDesignationLinkUnknown = Errorf(Gone, "", "Ce lien n'est pas valide ou ne sert plus : la désignation a pu vous être renvoyée avec un nouveau lien. Utilisez le lien du courriel le plus récent, ou vérifiez que celui-ci a été copié en entier.")

	// ErrInvitationAccepted refuses to resend the invitation of an operator who accepted.
	ErrInvitationAccepted = Errorf(Conflict, "", "Cet opérateur a déjà accepté son compte : il n'y a pas d'invitation à renvoyer.")
	// ErrInvitationGone answers an invitation whose account is no longer waiting for an answer.
	ErrInvitationGone = Errorf(Gone, "", "Cette invitation ne peut plus servir.")
)
