package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the costs are parameters, not logic.
var cheap = Params{Memory: 1024, Time: 1, Threads: 1}

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(cheap, 2)
	enc, err := h.Hash(ctx, "Été2024 àçé")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", enc)
	}
	if err := h.Verify(ctx, "Été2024 àçé", enc); err != nil {
		t.Fatalf("Verify(right password) = %v", err)
	}
	if err := h.Verify(ctx, "Ete2024 ace", enc); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Verify(wrong password) = %v, want ErrMismatch", err)
	}
	enc2, _ := h.Hash(ctx, "Été2024 àçé")
	if enc2 == enc {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	if h.NeedsRehash(enc) {
		t.Fatal("NeedsRehash with the same parameters")
	}
	if !NewHasher(DefaultParams, 1).NeedsRehash(enc) {
		t.Fatal("NeedsRehash false after raising the parameters")
	}
	// A hash made with old parameters still verifies under new ones.
	if err := NewHasher(DefaultParams, 1).Verify(ctx, "Été2024 àçé", enc); err != nil {
		t.Fatalf("old hash no longer verifies: %v", err)
	}
}

func TestVerifyRejectsGarbage(t *testing.T) {
	h := NewHasher(cheap, 1)
	for _, enc := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=x$a$b", "$argon2i$v=19$m=1,t=1,p=1$YQ$YQ"} {
		if err := h.Verify(context.Background(), "x", enc); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("Verify(%q) = %v, want a decoding error", enc, err)
		}
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(cheap, 1)
	h.sem <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "abc12345"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash with no free slot = %v, want context.Canceled", err)
	}
}

func TestToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a.Raw == b.Raw || a.Hash == b.Hash {
		t.Fatal("two tokens are equal")
	}
	if len(a.Raw) < 43 { // 256 bits in base64
		t.Fatalf("raw token %q too short", a.Raw)
	}
	if HashToken(a.Raw) != a.Hash || strings.Contains(a.Hash, a.Raw) {
		t.Fatal("hash does not derive from raw, or contains it")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	h := NewHasher(DefaultParams, 0)
	for b.Loop() {
		h.Hash(context.Background(), "correct horse 1")
	}
}
