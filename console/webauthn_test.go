package console

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// A ceremony's challenge answers once, only under the kind and cookie it
// was begun with, and not after it expired.
func TestCeremoniesAnswerOnce(t *testing.T) {
	var cs ceremonies
	cs.put("stepup", "session-a", ceremony{userID: 7, expires: time.Now().Add(time.Minute)})
	if _, ok := cs.take("stepup", "session-b"); ok {
		t.Fatal("another session's cookie took the ceremony")
	}
	if _, ok := cs.take("register", "session-a"); ok {
		t.Fatal("a registration took a step-up's ceremony")
	}
	if _, ok := cs.get("stepup", "session-a"); !ok {
		t.Fatal("get lost the ceremony")
	}
	if c, ok := cs.take("stepup", "session-a"); !ok || c.userID != 7 {
		t.Fatalf("take = %+v, %v", c, ok)
	}
	if _, ok := cs.take("stepup", "session-a"); ok {
		t.Fatal("a challenge answered twice")
	}
	cs.put("login", "pre", ceremony{userID: 8, expires: time.Now().Add(-time.Second)})
	if _, ok := cs.take("login", "pre"); ok {
		t.Fatal("an expired ceremony was taken")
	}
	cs.put("login", "", ceremony{userID: 9, expires: time.Now().Add(time.Minute)})
	if _, ok := cs.take("login", ""); ok {
		t.Fatal("a ceremony without a cookie was taken")
	}
}

// The relying party is localhost for the demo, or the configured one; an
// IP address (browsers refuse one as RP ID) or another host without
// configuration is refused.
func TestRelyingParty(t *testing.T) {
	c := &Console{}
	for host, ok := range map[string]bool{"localhost:8080": true, "localhost": true, "127.0.0.1:8080": false, "[::1]:8080": false, "console.example.com": false, "10.0.0.5:8080": false} {
		r := httptest.NewRequest("GET", "http://"+host+"/", nil)
		_, err := c.relyingParty(r)
		if (err == nil) != ok {
			t.Errorf("host %s: %v, want ok=%v", host, err, ok)
		}
		if err != nil && yuncang.ErrorCode(err) != yuncang.EFORBIDDEN {
			t.Errorf("host %s: %v, want forbidden", host, err)
		}
	}
	c.rp = RelyingParty{ID: "console.example.com", Origins: []string{"https://console.example.com"}}
	w, err := c.relyingParty(httptest.NewRequest("GET", "https://console.example.com/", nil))
	if err != nil || w.Config.RPID != "console.example.com" {
		t.Fatalf("configured: %v, %v", w, err)
	}
}
