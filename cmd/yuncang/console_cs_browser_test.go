package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleCustomerServiceJourney: customer service signs in with TOTP,
// sets this browser up as its enrolled desk (the key stays in WebCrypto),
// finds an order by phone (masked; the phone in no URL), opens it, is asked
// in place for a fresh second factor, reveals the recipient for a purpose —
// shown once, watermarked, not selectable — and sees it masked again.
func TestConsoleCustomerServiceJourney(t *testing.T) {
	clk := daytimeClock()
	ts := startServerWith(t, 30, clk.Now)
	staff := ts.apiLogin(t, "yiwu-goods-staff")
	if code := ts.jsonCall(t, "POST", "/api/v1/orders", staff, knownOrder("CONSOLE-CS", 1), nil); code != 201 {
		t.Fatalf("create the known order: %d", code)
	}
	plaintext := []string{knownName, knownPhone, "1088号", "502室"}
	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "cs1")

	// This browser becomes the desk enrolled for cs1.
	b.importDeviceKey(t, ts.logins["cs1"])

	// Phone search: masked results, the phone in the body only.
	b.run(t, chromedp.Navigate(ts.URL()+"/search?tenant=yiwu-goods"), chromedp.WaitVisible(chromedp.CSS("#search-form")),
		chromedp.SendKeys(chromedp.CSS("#search-phone"), "138 1234 5678"), chromedp.Click(chromedp.CSS("#search-submit")),
		chromedp.WaitVisible(chromedp.CSS("#search-results")))
	if !strings.Contains(b.html(t), "CONSOLE-CS") || !strings.Contains(b.html(t), "138******78") {
		t.Fatal("the search does not find the known order, masked")
	}
	b.assertPrivatePage(t, "/search?tenant=yiwu-goods", plaintext...)
	if loc := get(t, b, chromedp.Location()); strings.Contains(loc, "1234") {
		t.Errorf("the phone is in the URL %s", loc)
	}
	b.screenshot(t, "cs-search")

	// The second factor of the sign-in goes stale; the order page.
	clk.Advance(6 * time.Minute)
	b.run(t, chromedp.Click(chromedp.CSS("#search-results tbody a")), chromedp.WaitVisible(chromedp.CSS("#reveal-form")))
	orderPath := strings.TrimPrefix(get(t, b, chromedp.Location()), ts.URL())
	b.assertPrivatePage(t, orderPath, plaintext...)
	revealURL := strings.Replace(orderPath, "?", "/reveal?", 1)
	if st, _ := b.evalFetch(t, "POST", revealURL, "purpose=return&note=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}); st != 403 {
		t.Errorf("reveal without CSRF token: %d, want 403", st)
	}

	// First try: no code; the dialog asks for one in place.
	b.run(t, chromedp.SendKeys(chromedp.CSS("#reveal-note"), "快递员找不到门牌"), chromedp.Click(chromedp.CSS("#reveal-submit")))
	b.waitText(t, "#reveal-message", "再次验证")
	// With the code: the recipient, once.
	b.run(t, chromedp.SendKeys(chromedp.CSS("#reveal-note"), "快递员找不到门牌"), chromedp.SendKeys(chromedp.CSS("#reveal-totp"), ts.freshCode(t, "cs1")),
		chromedp.Click(chromedp.CSS("#reveal-submit")), chromedp.WaitVisible(chromedp.CSS("#revealed")))
	if got := get(t, b, chromedp.Text(chromedp.CSS("#revealed-phone"))); got != knownPhone {
		t.Fatalf("revealed phone %q", got)
	}
	if got := get(t, b, chromedp.Text(chromedp.CSS("#revealed-name"))); got != knownName {
		t.Errorf("revealed name %q", got)
	}
	if wm := get(t, b, chromedp.Text(chromedp.CSS("#revealed-watermark"))); !strings.Contains(wm, "cs1") {
		t.Errorf("revealed watermark %q", wm)
	}
	if us := eval[string](t, b, `getComputedStyle(document.getElementById("revealed")).userSelect`); us != "none" {
		t.Errorf("revealed text is selectable (%q)", us)
	}
	if loc := get(t, b, chromedp.Location()); strings.Contains(loc, knownPhone) || strings.Contains(loc, "purpose") {
		t.Errorf("the reveal changed the URL to %s", loc)
	}
	b.screenshot(t, "cs-reveal")
	// Masked again after the countdown: the plaintext is gone from the page.
	b.run(t, chromedp.WaitVisible(chromedp.CSS("#reveal-done")))
	for _, p := range plaintext {
		if strings.Contains(b.html(t), p) {
			t.Errorf("after re-masking the page still holds %q", p)
		}
	}
	b.signOut(t)
}
