package audit

import "testing"

func TestVerifierFromSigner(t *testing.T) {
	skey, vkey, err := GenerateKey("yuncang.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifierFromSigner(skey + "\n")
	if err != nil || got != vkey {
		t.Fatalf("derived %q, %v; want %q", got, err, vkey)
	}
	if _, err := VerifierFromSigner(vkey); err == nil {
		t.Fatal("a verifier key was accepted as a signer key")
	}
}
