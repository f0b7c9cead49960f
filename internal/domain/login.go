package domain

import "crypto/rand"

// loginAlphabet leaves out letters and digits people confuse (0/O, 1/I/L).
const loginAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// LoginLength is the length of a generated identifiant.
const LoginLength = 10

// NewLogin returns a random identifiant. Uniqueness across all CTs is the
// database's to enforce; 31^10 values make a clash vanishingly rare.
func NewLogin() string {
	b := make([]byte, LoginLength)
	for i := range b {
		b[i] = loginAlphabet[randIndex(len(loginAlphabet))]
	}
	return string(b)
}

// randIndex draws uniformly in [0, n) by rejection, n < 256.
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
