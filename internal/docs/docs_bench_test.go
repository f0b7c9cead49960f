package docs

import (
	"bytes"
	"testing"
)

// The documents a registration carries, made on each download and for
// each acceptance's e-mail: the convocation and the attestation (PDF),
// and the .ics. Figures are in docs/performance.md.

func BenchmarkConvocation(b *testing.B) {
	ct, s, r, a := sample()
	b.ReportAllocs()
	for b.Loop() {
		pdf, err := Convocation(ct, s, r, a)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			b.Fatalf("Convocation: %d bytes, %v", len(pdf), err)
		}
	}
}

func BenchmarkAttestation(b *testing.B) {
	ct, s, r, a := sample()
	b.ReportAllocs()
	for b.Loop() {
		pdf, err := Attestation(ct, s, r, a)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			b.Fatalf("Attestation: %d bytes, %v", len(pdf), err)
		}
	}
}

func BenchmarkCalendar(b *testing.B) {
	ct, s, r, a := sample()
	b.ReportAllocs()
	for b.Loop() {
		if ics := Calendar("inscription.example.fr", ct, s, r, a); !bytes.HasPrefix(ics, []byte("BEGIN:VCALENDAR")) {
			b.Fatalf("Calendar: %q", ics)
		}
	}
}
