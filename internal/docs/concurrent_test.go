package docs

import (
	"bytes"
	"sync"
	"testing"
)

// TestDocumentsConcurrent renders documents at once, as a portal's
// requests and e-mails do: every one comes out with the same bytes (the
// fonts are loaded once and shared; the PDF library's map order is pinned).
func TestDocumentsConcurrent(t *testing.T) {
	ct, s, r, a := sample()
	want, err := Convocation(ct, s, r, a)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 4 {
		wg.Go(func() {
			got, err := Convocation(ct, s, r, a)
			if err != nil {
				errs <- err.Error()
			} else if !bytes.Equal(got, want) {
				errs <- "a convocation came out with other bytes"
			}
			if _, err := Attestation(ct, s, r, a); err != nil {
				errs <- err.Error()
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
