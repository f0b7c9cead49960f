// Package auth holds the secrets of iel: argon2id password hashes, the
// random tokens of e-mailed links and login sessions, stored hashed.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. They are written into every hash, so raising
// them later leaves existing hashes verifiable (and NeedsRehash says so).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams are OWASP's first recommendation for argon2id.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1}

// Hasher hashes and verifies passwords, at most Limit at a time: each hash
// takes Memory KiB, so a login burst must queue rather than take gigabytes.
type Hasher struct {
	params Params
	sem    chan struct{}
}

// NewHasher returns a Hasher with params and at most limit concurrent hashes
// (0 means the number of CPUs).
func NewHasher(params Params, limit int) *Hasher {
	if limit <= 0 {
		limit = runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: params, sem: make(chan struct{}, limit)}
}

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("auth: password mismatch")

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC string of password: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	if err := h.acquire(ctx); err != nil {
		return "", fmt.Errorf("auth: hash: %w", err)
	}
	defer h.release()
	p := h.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks password against encoded in constant time; ErrMismatch
// when it does not match.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) error {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return err
	}
	if err := h.acquire(ctx); err != nil {
		return fmt.Errorf("auth: verify: %w", err)
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// Burn spends the time of one verification without a hash to compare with,
// so that an unknown identifiant answers as slowly as a wrong password.
func (h *Hasher) Burn(ctx context.Context, password string) {
	if h.acquire(ctx) != nil {
		return
	}
	defer h.release()
	p := h.params
	argon2.IDKey([]byte(password), []byte("iel-burn-salt-16"), p.Time, p.Memory, p.Threads, 32)
}

// NeedsRehash reports whether encoded was made with other costs than h's.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decode(encoded)
	return err != nil || p != h.params
}

func decode(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, errors.New("auth: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, errors.New("auth: unsupported argon2 version")
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, fmt.Errorf("auth: bad argon2 parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, fmt.Errorf("auth: bad salt: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return Params{}, nil, nil, errors.New("auth: bad key")
	}
	return p, salt, key, nil
}
