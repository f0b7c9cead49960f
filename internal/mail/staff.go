package mail

import "iel/internal/domain"

// The e-mails of the CNFPT's back-office: a staff account's codes, and the
// change of principal that staff start on a CT's behalf.

// StaffCodesData fills the e-mail giving a CNFPT staff account its login
// and the link to set its password.
type StaffCodesData struct{ FullName, Login, Link string }

// PrincipalChangeData fills the e-mail telling the accounts of a CT that
// the CNFPT started the change of its principal: Former is the principal
// who left ("" when none), Designated the person offered the role.
type PrincipalChangeData struct {
	FullName, Collectivity, Former, Designated string
}

// StaffCodes renders "vos codes de connexion" for a staff account.
func (c *Composer) StaffCodes(to string, d StaffCodesData) (Message, error) {
	return c.compose(to, "staff_codes", subjectCodes, d)
}

// PrincipalChange renders the e-mail telling an account of a CT that the
// CNFPT designated a new principal on the CT's behalf.
func (c *Composer) PrincipalChange(to string, d PrincipalChangeData) (Message, error) {
	return c.compose(to, "principal_change", subjectPrincipalChange, d)
}

// StaffCodes is "vos codes de connexion", to a new CNFPT staff account:
// its login and the link to set its password (raw, valid CodesLinkTTL).
func (l *Letters) StaffCodes(acc domain.Account, raw string) (Message, error) {
	return l.composer.StaffCodes(acc.Email, StaffCodesData{FullName: acc.FullName(), Login: acc.Login, Link: l.link(PasswordPath(raw))})
}

// PrincipalChange tells the account to of ct that the CNFPT designated
// the person of d as its principal in place of former (the principal who
// left; zero when none).
func (l *Letters) PrincipalChange(ct domain.Collectivity, d domain.Designation, former, to domain.Account) (Message, error) {
	return l.composer.PrincipalChange(to.Email, PrincipalChangeData{FullName: to.FullName(), Collectivity: ct.Name,
		Former: former.FullName(), Designated: d.FullName()})
}
