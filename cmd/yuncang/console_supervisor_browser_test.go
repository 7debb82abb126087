package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleSupervisorJourney: YW01's supervisor signs in with a one-time
// code, sees its staff on shift and its stations, and reviews a guard alert
// about one of its operators with a note that names a phone number: the
// review takes a fresh one-time code in the same form, the note is stored
// and shown masked. CSP, watermark and CSRF on the way; sign-out.
func TestConsoleSupervisorJourney(t *testing.T) {
	ts := startServer(t, 20)
	ctx := context.Background()
	op, err := ts.DB.UserByUsername(ctx, "operator1")
	if err != nil {
		t.Fatal(err)
	}
	al := &yuncang.Alert{At: time.Now(), UserID: op.ID, Username: op.Username, Role: op.Role, Rule: "volume", Severity: "alert",
		Response: "alerted", Detail: "labels", Status: yuncang.AlertOpen}
	if err := ts.DB.RecordAlert(ctx, al, nil); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "supervisor-yw")
	b.run(t, chromedp.Navigate(ts.URL()+"/supervisor"), chromedp.WaitVisible(chromedp.CSS("#on-shift")))
	text := b.text(t)
	for _, want := range []string{"operator1", "YW01-PACK-01", "1 条待处理"} {
		if !strings.Contains(text, want) {
			t.Errorf("supervisor page lacks %q", want)
		}
	}
	if strings.Contains(text, "yiwu-goods-admin") {
		t.Error("the supervisor sees a merchant's account")
	}
	if csp := b.header("/supervisor", "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of /supervisor = %q", csp)
	}
	b.screenshot(t, "supervisor-home")

	b.run(t, chromedp.Click(chromedp.CSS("#go-alerts")), chromedp.WaitVisible(chromedp.CSS("#open-alerts")))
	row := "#alert-" + strconv.FormatInt(al.ID, 10)
	// Without the CSRF token the review is refused and the alert stays open.
	if st, _ := b.evalFetch(t, "POST", "/supervisor/alerts/review", "alert="+strconv.FormatInt(al.ID, 10)+"&decision=dismissed&note=x",
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); st != 403 {
		t.Errorf("review without CSRF token: %d, want 403", st)
	}
	b.screenshot(t, "supervisor-alerts")
	b.run(t,
		chromedp.SendKeys(chromedp.CSS(row+" textarea"), "已与作业员核实，客户电话 13812345678 为正常补打"),
		chromedp.SendKeys(chromedp.CSS(row+" input[name=step_up_totp]"), ts.freshCode(t, "supervisor-yw")),
		chromedp.Click(chromedp.CSS(row+" button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	html := b.html(t)
	if strings.Contains(html, "13812345678") {
		t.Error("the review note shows the phone in plaintext")
	}
	if !strings.Contains(html, "138******78") {
		t.Errorf("the review note is not shown masked: %s", b.text(t))
	}
	if strings.Contains(html, `id="alert-`+strconv.FormatInt(al.ID, 10)+`"`) {
		t.Error("the reviewed alert is still in the open queue")
	}
	if !strings.Contains(html, `class="watermark"`) {
		t.Error("no watermark on the alerts page")
	}
	b.screenshot(t, "supervisor-alerts-reviewed")
	b.signOut(t)
}
