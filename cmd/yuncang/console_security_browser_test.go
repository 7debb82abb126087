package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleSecurityOffboarding: the security officer signs in with a
// one-time code, opens the access review and offboards a temporary packer
// in one form (reason, fresh one-time code, confirmation box, CSRF token):
// the account is disabled and its open API session stops working at once.
// Without the confirmation or without the CSRF token nothing changes.
func TestConsoleSecurityOffboarding(t *testing.T) {
	ts := startServer(t, 20)
	packer := ts.apiLogin(t, "temp-packer1")
	u, err := ts.DB.UserByUsername(t.Context(), "temp-packer1")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(u.ID, 10)

	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "security1")
	b.run(t, chromedp.Navigate(ts.URL()+"/security/alerts"), chromedp.WaitVisible(chromedp.CSS("#open-alerts")))
	b.run(t, chromedp.Navigate(ts.URL()+"/security/guard"), chromedp.WaitVisible(chromedp.CSS("#quotas")))
	if g := b.text(t); !strings.Contains(g, "夜间时段") || !strings.Contains(g, "客服") {
		t.Errorf("guard settings: %s", g)
	}
	b.screenshot(t, "security-guard-settings")
	b.run(t, chromedp.Navigate(ts.URL()+"/security/access"), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	if csp := b.header("/security/access", "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of /security/access = %q", csp)
	}
	b.screenshot(t, "security-access-review")
	csrf := eval[string](t, b, `document.querySelector("form.offboard input[name=csrf_token]").value`)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	if st, _ := b.evalFetch(t, "POST", "/security/offboard", "user="+id+"&reason=left", form); st != 403 {
		t.Errorf("offboarding without CSRF token: %d, want 403", st)
	}
	if st, _ := b.evalFetch(t, "POST", "/security/offboard", "user="+id+"&reason=left&csrf_token="+url.QueryEscape(csrf), form); st != 422 {
		t.Errorf("offboarding without the confirmation: %d, want 422", st)
	}
	if st := ts.jsonCall(t, "GET", "/api/v1/me", packer, "", nil); st != 200 {
		t.Fatalf("a refused offboarding changed something: the packer's session answers %d", st)
	}
	row := "#account-" + id
	b.run(t,
		chromedp.SendKeys(chromedp.CSS(row+" input[name=reason]"), "合同到期"),
		chromedp.SendKeys(chromedp.CSS(row+" input[name=step_up_totp]"), ts.freshCode(t, "security1")),
		chromedp.Click(chromedp.CSS(row+" input[name=confirm]")),
		chromedp.Click(chromedp.CSS(row+" button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if st := ts.jsonCall(t, "GET", "/api/v1/me", packer, "", nil); st != 401 {
		t.Errorf("the offboarded packer's session still answers %d", st)
	}
	if got := eval[string](t, b, `document.querySelector("`+row+`").children[2].textContent`); got == "active" {
		t.Errorf("the access review still shows the packer %q", got)
	}
	if !strings.Contains(b.html(t), `class="watermark"`) {
		t.Error("no watermark on the access review")
	}
	b.screenshot(t, "security-offboarded")
	b.signOut(t)
}
