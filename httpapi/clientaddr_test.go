package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddrBehindProxies(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy configured for this peer", "203.0.113.9:5555", []string{"198.51.100.1"}, "203.0.113.9"},
		{"one trusted proxy", "10.1.1.1:443", []string{"198.51.100.7"}, "198.51.100.7"},
		// The client wrote the first entry itself; the proxy appended the real peer.
		{"a spoofed leftmost entry", "10.1.1.1:443", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"two trusted hops", "10.1.1.1:443", []string{"198.51.100.7, 10.2.2.2"}, "198.51.100.7"},
		{"several header lines", "10.1.1.1:443", []string{"1.2.3.4", "198.51.100.8"}, "198.51.100.8"},
		{"garbage hop", "10.1.1.1:443", []string{"evil, nonsense"}, "10.1.1.1"},
		{"no header", "10.1.1.1:443", nil, "10.1.1.1"},
		{"ipv6 proxy", "[::1]:443", []string{"2001:db8::5"}, "2001:db8::5"},
		{"ipv4-mapped", "10.1.1.1:443", []string{"::ffff:198.51.100.9"}, "198.51.100.9"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientAddr(r); got != tc.want {
			t.Errorf("%s: clientAddr = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Without trusted proxies every request is keyed on its peer.
	plain := &Server{}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:9999"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := plain.clientAddr(r); got != "127.0.0.1" {
		t.Errorf("untrusted peer: %q", got)
	}
}
