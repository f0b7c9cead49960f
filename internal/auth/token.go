package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Token is a secret for a link or a login session: Raw goes to the person
// (in a URL or a cookie) and never to the database, which keeps Hash only.
type Token struct {
	Raw  string
	Hash string
}

// NewToken returns 256 random bits, URL-safe.
func NewToken() Token {
	b := make([]byte, 32)
	rand.Read(b)
	raw := base64.RawURLEncoding.EncodeToString(b)
	return Token{Raw: raw, Hash: HashToken(raw)}
}

// HashToken is the stored form of a raw token: SHA-256 in hex. A token has
// 256 bits of entropy, so a fast hash is enough to make a stolen table useless.
func HashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
