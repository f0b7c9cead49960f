package web

import (
	"net/http"

	"iel/internal/domain"
	"iel/internal/store"
)

// homePath is where a signed-in account lands when it asked for no page:
// "Accueil", the home page of its CT.
const homePath = "/accueil"

// homeFigure is one of the CT's numbers on "Accueil", with the page that
// details it ("" when the account has none).
type homeFigure struct {
	Label string
	Value int
	Link  string
}

// homeFigures are the CT's numbers, in the order "Accueil" shows them;
// only the principal has a page that lists the accounts.
func homeFigures(c store.HomeCounts, role domain.Role) []homeFigure {
	accounts := ""
	if role == domain.RolePrincipal {
		accounts = "/compte/operateurs"
	}
	return []homeFigure{
		{Label: "Comptes actifs", Value: c.ActiveAccounts, Link: accounts},
		{Label: "Comptes inactifs", Value: c.InactiveAccounts, Link: accounts},
		{Label: "Comptes refusés", Value: c.RefusedAccounts, Link: accounts},
		{Label: "Correspondants formation", Value: c.Contacts, Link: "/compte/correspondants"},
		{Label: "Agents", Value: c.Agents, Link: "/agents"},
	}
}

// homeShortcut leads from "Accueil" to a tab of "Mon compte".
type homeShortcut struct {
	Label, Href, Hint string
}

// homeShortcuts are the tabs of "Mon compte" of an account of role, as
// accountTabs draws them, each with what it holds.
func homeShortcuts(role domain.Role) []homeShortcut {
	own := "Votre fiche, votre mot de passe et le paramétrage de vos courriels."
	switch role {
	case domain.RoleManager:
		own = "Votre fiche, votre mot de passe et la désignation du gestionnaire principal CT."
	case domain.RolePrincipal:
		own = "Votre fiche, votre mot de passe, le paramétrage de vos courriels et la désignation de votre successeur."
	}
	out := []homeShortcut{{Label: ownTabLabel(role), Href: "/compte", Hint: own}}
	if role == domain.RolePrincipal {
		out = append(out, homeShortcut{Label: "Comptes opérateurs", Href: "/compte/operateurs",
			Hint: "Créer, modifier ou supprimer les comptes opérateurs, renvoyer une invitation."})
	}
	out = append(out,
		homeShortcut{Label: "Paramètres", Href: "/compte/parametres", Hint: "Les coordonnées de la collectivité."},
		homeShortcut{Label: "Correspondants formation", Href: "/compte/correspondants",
			Hint: "Les personnes de la collectivité que le CNFPT peut contacter au sujet des formations."},
	)
	if role == domain.RolePrincipal {
		out = append(out, homeShortcut{Label: "Journal", Href: "/compte/journal",
			Hint: "Qui a changé quoi dans la collectivité, et quand."})
	}
	return out
}

type homePage struct {
	basePage
	Collectivity string
	// Designation is the pending designation, shown to the holder that may resend or cancel it.
	Designation *store.PendingDesignation
	// Designated is the pending designation, shown to the operator it designates.
	Designated *store.PendingDesignation
	// Invitations are the operators' pending invitations, shown to the principal.
	Invitations []store.PendingInvitation
	Figures     []homeFigure
	Shortcuts   []homeShortcut
	// ToDecide are the CT's registrations transmise or en liste d'attente
	// that the CNFPT has yet to decide; NextSessions its agents' accepted
	// registrations to sessions not ended.
	ToDecide     []store.RegistrationRow
	NextSessions []store.RegistrationRow
}

// Waiting reports whether anything on the page awaits an answer.
func (p homePage) Waiting() bool {
	return p.Designation != nil || p.Designated != nil || len(p.Invitations) > 0
}

// homeShow handles GET /accueil: "Accueil", what needs the account today.
// Each account sees what its role may act on: the holder its pending
// designation, the principal the invitations of its operators, an
// operator the designation that names it; every account the CT's
// registrations awaiting the CNFPT's decision, its agents' next sessions
// and the CT's numbers.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	h, err := s.store.GetHome(r.Context(), v.Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	toDecide, err := s.store.RegistrationsToDecide(r.Context(), v.Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	next, err := s.store.NextSessions(r.Context(), v.Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := homePage{basePage: s.base(w, r, "Accueil"), Collectivity: v.Collectivity.Name,
		Figures: homeFigures(h.Counts, v.Account.Role), Shortcuts: homeShortcuts(v.Account.Role), ToDecide: toDecide, NextSessions: next}
	p.Nav = "accueil"
	switch d := h.Designation; {
	case d == nil:
	case v.Account.IsHolder():
		p.Designation = d
	case d.TargetAccount == v.Account.ID:
		p.Designated = d
	}
	if v.Account.Role == domain.RolePrincipal {
		p.Invitations = h.Invitations
		sortFrenchBy(p.Invitations, func(i store.PendingInvitation) (string, string) { return i.Fiche.LastName, i.Fiche.FirstName })
	}
	s.render(w, r, http.StatusOK, p)
}
