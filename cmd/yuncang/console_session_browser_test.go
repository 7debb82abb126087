package main

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleSignInJourney: a merchant admin signs in with password and
// one-time code, sees the home page with the watermark, under a strict CSP
// and in Secure/HttpOnly/SameSite=Strict cookies; a form post without the
// CSRF token is refused; sign-out ends the session on the server.
func TestConsoleSignInJourney(t *testing.T) {
	ts := startServer(t, 20)
	b := newBrowser(t, ts, 1280, 800)

	// Sign-in page: zh-CN by default, under the CSP.
	b.run(t, chromedp.Navigate(ts.URL()+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	if csp := b.header("/login", "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Fatalf("CSP of /login = %q", csp)
	}
	if !strings.Contains(b.text(t), "云仓控制台") {
		t.Fatal("the sign-in page is not in Chinese by default")
	}
	// A wrong password is refused with the page's message.
	b.run(t,
		chromedp.SendKeys(chromedp.CSS("#username"), "yiwu-goods-admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong-password-123"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if !strings.Contains(b.text(t), "用户名、密码或动态验证码错误") {
		t.Fatalf("wrong password: %s", b.text(t))
	}
	// The sign-in form itself needs its token: a post without is refused.
	if st, _ := b.evalFetch(t, "POST", "/login", "username=yiwu-goods-admin&password=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); st != 403 {
		t.Fatalf("sign-in without CSRF token: %d, want 403", st)
	}

	b.signIn(t, "yiwu-goods-admin")
	b.screenshot(t, "home-merchant-admin")
	html := b.html(t)
	for _, want := range []string{`class="watermark"`, "yiwu-goods-admin", "会话到期", "闲置自动退出"} {
		if !strings.Contains(html, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if csp := b.header("/", "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of / = %q", csp)
	}
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := b.header("/", h); got != want {
			t.Errorf("%s of / = %q, want %q", h, got, want)
		}
	}
	// The watermark layer is drawn from /watermark.svg and names the account.
	bg := eval[string](t, b, `getComputedStyle(document.querySelector(".watermark")).backgroundImage`)
	if !strings.Contains(bg, "/watermark.svg") {
		t.Errorf("watermark background = %q", bg)
	}
	if st, svg := b.evalFetch(t, "GET", "/watermark.svg", "", nil); st != 200 || !strings.Contains(svg, "yiwu-goods-admin") || !strings.Contains(svg, "<svg") {
		t.Errorf("watermark: %d %q", st, svg)
	}
	// The session cookie: HttpOnly, Secure, SameSite=Strict, and no script sees it.
	var session *network.Cookie
	for _, c := range b.cookies(t) {
		if c.Name == httpapi.SessionCookie {
			session = c
		}
	}
	if session == nil || !session.HTTPOnly || !session.Secure || session.SameSite != network.CookieSameSiteStrict {
		t.Fatalf("session cookie = %+v", session)
	}
	docCookie := eval[string](t, b, `document.cookie`)
	if strings.Contains(docCookie, session.Value) {
		t.Fatal("script can read the session cookie")
	}
	// A post without the CSRF token is refused and changes nothing.
	if st, _ := b.evalFetch(t, "POST", "/logout", "", nil); st != 403 {
		t.Fatalf("sign-out without CSRF token: %d, want 403", st)
	}
	if st, _ := b.evalFetch(t, "GET", "/", "", nil); st != 200 {
		t.Fatalf("after the refused post the session should still work: %d", st)
	}
	// The language switch.
	b.run(t, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS("#signout")))
	if !strings.Contains(b.text(t), "Sign out") {
		t.Errorf("English page: %s", b.text(t))
	}
	b.run(t, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS("#signout")))

	b.signOut(t)
	if !strings.Contains(b.text(t), "您已退出登录") {
		t.Errorf("after sign-out: %s", b.text(t))
	}
	// The old session is gone on the server: the API refuses its token.
	if code := ts.jsonCall(t, "GET", "/api/v1/me", session.Value, "", nil); code != 401 {
		t.Errorf("the signed-out session's token still works: %d", code)
	}
	b.run(t, chromedp.Navigate(ts.URL()+"/"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	if b.statuses["/"] != 401 {
		t.Errorf("home after sign-out: %d, want 401 with the sign-in form", b.statuses["/"])
	}
}
