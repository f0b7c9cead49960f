package web_test

// The "Bilan formation" in the authorization table: every account of a
// CT reads its own at /formations/bilan, staff every CT's at /cnfpt/bilan;
// neither reaches the other's.

func init() {
	for pattern, tc := range map[string]authzCase{
		"GET /formations/bilan":        {path: "/formations/bilan?annee=2025", want: signedIn(ok200)},
		"GET /formations/bilan/export": {path: "/formations/bilan/export?annee=2025", want: signedIn(ok200)},
		"GET /cnfpt/bilan":             {path: "/cnfpt/bilan?collectivite={ct}", want: staffOnly(ok200)},
		"GET /cnfpt/bilan/export":      {path: "/cnfpt/bilan/export", want: staffOnly(ok200)},
	} {
		authzTable[pattern] = tc
	}
	staffAuthz["GET /formations/bilan"] = forbidden
	staffAuthz["GET /formations/bilan/export"] = forbidden
}
