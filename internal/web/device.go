package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// Device cookies (OWASP, "Slow down online guessing attacks with device
// cookies"): after a successful login, the browser gets a cookie saying
// "this browser has logged in to this identifiant", signed with a key kept
// in the database. A browser presenting a valid one for the identifiant it
// logs in to is spared the waits that failures from unknown browsers earn;
// it has only its own limit (store.DeviceTrusted). The cookie opens
// nothing by itself: a password is still required.

// deviceCookieTTL is how long a browser stays known without logging in.
const deviceCookieTTL = 365 * 24 * time.Hour

// deviceCookieName is the cookie for login: one per identifiant, so that
// people sharing a browser each keep theirs. Generated identifiants are
// letters and digits; anything else is spelt in hexadecimal.
func (s *Server) deviceCookieName(login string) string {
	name := login
	if name == "" || strings.ContainsFunc(name, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		name = "x" + hex.EncodeToString([]byte(login))
	}
	if s.cfg.Secure() {
		return "__Host-iel_device_" + name
	}
	return "iel_device_" + name
}

// deviceSignature is the MAC of the cookie id for login.
func (s *Server) deviceSignature(login, id string) []byte {
	m := hmac.New(sha256.New, s.deviceKey)
	m.Write([]byte("iel device cookie\x00" + login + "\x00" + id))
	return m.Sum(nil)
}

// setDeviceCookie gives the browser a new device cookie for login.
func (s *Server) setDeviceCookie(w http.ResponseWriter, login string) {
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	value := id + "." + base64.RawURLEncoding.EncodeToString(s.deviceSignature(login, id))
	http.SetCookie(w, &http.Cookie{Name: s.deviceCookieName(login), Value: value, Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure(), SameSite: http.SameSiteStrictMode, MaxAge: int(deviceCookieTTL / time.Second)})
}

// deviceID returns the id of the browser's device cookie for login, when
// it carries one whose signature holds; whether the cookie still counts is
// the store's to say.
func (s *Server) deviceID(r *http.Request, login string) (string, bool) {
	c, err := r.Cookie(s.deviceCookieName(login))
	if err != nil {
		return "", false
	}
	id, sig, ok := strings.Cut(c.Value, ".")
	if !ok || id == "" || len(id) > 64 {
		return "", false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, s.deviceSignature(login, id)) {
		return "", false
	}
	return id, true
}
