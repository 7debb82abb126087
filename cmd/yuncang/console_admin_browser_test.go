package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleAdminJourney: the platform administrator signs in with a
// one-time code, sees merchants, warehouses, the carrier with its number
// range and the devices, and adds a warehouse with the step-up in the
// form; a warehouse with codes that do not nest is refused by the rule.
func TestConsoleAdminJourney(t *testing.T) {
	ts := startServer(t, 20)
	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "admin")
	b.run(t, chromedp.Navigate(ts.URL()+"/admin"), chromedp.WaitVisible(chromedp.CSS("#merchants")))
	text := b.text(t)
	for _, want := range []string{"yiwu-goods", "YW01", "顺丰速运", "SF 100000000000–100000999999", "YW01-PACK-01"} {
		if !strings.Contains(text, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
	if csp := b.header("/admin", "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of /admin = %q", csp)
	}
	b.screenshot(t, "admin-platform")
	if st, _ := b.evalFetch(t, "POST", "/admin/warehouses", "code=HZ09&name=x", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); st != 403 {
		t.Errorf("create without CSRF token: %d, want 403", st)
	}
	fill := func(code, province, city, district string) {
		b.run(t,
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=code]"), code),
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=name]"), "杭州萧山云仓"),
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=province_code]"), province),
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=city_code]"), city),
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=district_code]"), district),
			chromedp.SetValue(chromedp.CSS("#new-warehouse input[name=step_up_totp]"), ts.freshCode(t, "admin")),
			chromedp.Click(chromedp.CSS("#new-warehouse button")))
	}
	fill("HZ09", "33", "3201", "320102")
	b.run(t, chromedp.WaitVisible(chromedp.CSS(".error")))
	if strings.Contains(b.text(t), "HZ09") && strings.Contains(eval[string](t, b, `document.getElementById("warehouses").textContent`), "HZ09") {
		t.Fatal("a warehouse whose codes do not nest was created")
	}
	fill("HZ09", "33", "3301", "330109")
	b.run(t, chromedp.WaitVisible(chromedp.CSS(".flash")))
	if !strings.Contains(eval[string](t, b, `document.getElementById("warehouses").textContent`), "HZ09") {
		t.Error("the new warehouse is not listed")
	}
	if !strings.Contains(b.html(t), `class="watermark"`) {
		t.Error("no watermark on the admin page")
	}
	b.signOut(t)
}
