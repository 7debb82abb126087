package main

import "testing"

func TestWebauthnConfig(t *testing.T) {
	for _, c := range []struct {
		rpid, origins string
		ok            bool
	}{
		{"", "", true},
		{"console.example.com", "https://console.example.com, https://console.example.com:8443", true},
		{"console.example.com", "", false},
		{"", "https://console.example.com", false},
		{"console.example.com", "console.example.com", false},
		{"console.example.com", "https://console.example.com/login", false},
	} {
		t.Setenv("YUNCANG_WEBAUTHN_RPID", c.rpid)
		t.Setenv("YUNCANG_WEBAUTHN_ORIGINS", c.origins)
		rp, err := webauthnConfig()
		if (err == nil) != c.ok {
			t.Errorf("%q %q: %+v, %v; want ok=%v", c.rpid, c.origins, rp, err, c.ok)
		}
	}
}
