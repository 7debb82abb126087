package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConsoleMerchantJourney: a merchant admin signs in with TOTP, finds an
// order by its merchant order id (masked; the plaintext nowhere on the
// page), pages through the list, opens the order, imports a file with a
// bad row through the progress page, reads SKUs and stock, the planning
// configuration and the analytics chart, and signs out.
func TestConsoleMerchantJourney(t *testing.T) {
	ts := startServer(t, 120)
	staff := ts.apiLogin(t, "yiwu-goods-staff")
	if code := ts.jsonCall(t, "POST", "/api/v1/orders", staff, knownOrder("CONSOLE-1", 1), nil); code != 201 {
		t.Fatalf("create the known order: %d", code)
	}
	plaintext := []string{knownName, knownPhone, "1088号", "502室", "15900001111"}
	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "yiwu-goods-admin")

	// The list: newest first, masked, a next page.
	b.run(t, chromedp.Click(chromedp.CSS(`nav a[href="/orders"]`)), chromedp.WaitVisible(chromedp.CSS("#orders")))
	b.assertPrivatePage(t, "/orders", plaintext...)
	html := b.html(t)
	if !strings.Contains(html, "CONSOLE-1") || !strings.Contains(html, "138******78") || !strings.Contains(html, "欧阳**") {
		t.Fatalf("the list does not show the known order masked")
	}
	b.screenshot(t, "orders-list")
	b.run(t, chromedp.Click(chromedp.CSS("#next-page")), chromedp.WaitVisible(chromedp.CSS("#first-page")))
	if strings.Contains(b.html(t), "CONSOLE-1") {
		t.Error("the second page repeats the newest order")
	}
	// Filter by merchant order id and by status.
	b.run(t, chromedp.Click(chromedp.CSS("#first-page")), chromedp.WaitVisible(chromedp.CSS("#filter-moid")),
		chromedp.SendKeys(chromedp.CSS("#filter-moid"), "CONSOLE-1"), chromedp.Click(chromedp.CSS("#filter-submit")),
		chromedp.WaitVisible(chromedp.CSS("#orders")))
	// The old page has #orders too: wait for the filtered one.
	b.waitFor(t, `location.search.includes("moid=") && document.readyState === "complete" && !!document.querySelector("#orders")`)
	if n := eval[int](t, b, `document.querySelectorAll("#orders tbody tr").length`); n != 1 {
		t.Errorf("filter by merchant order id: %d rows", n)
	}
	loc := get(t, b, chromedp.Location())
	for _, p := range plaintext {
		if strings.Contains(loc, p) {
			t.Errorf("the URL %s carries personal data", loc)
		}
	}
	// The order page.
	b.run(t, chromedp.Click(chromedp.CSS("#orders tbody a")), chromedp.WaitVisible(chromedp.CSS("#masked-phone")))
	if got := get(t, b, chromedp.Text(chromedp.CSS("#masked-phone"))); got != "138******78" {
		t.Errorf("order page phone %q", got)
	}
	title := get(t, b, chromedp.Title())
	for _, p := range append(plaintext, "138******78") {
		if strings.Contains(title, p) {
			t.Errorf("the title %q names the recipient", title)
		}
	}
	b.assertPrivatePage(t, strings.TrimPrefix(get(t, b, chromedp.Location()), ts.URL()), plaintext...)
	b.screenshot(t, "order-show")

	// Import: the template, then a file with two good orders and a bad row.
	b.run(t, chromedp.Navigate(ts.URL()+"/orders/import"), chromedp.WaitVisible(chromedp.CSS("#import-form")))
	if st, csv := b.evalFetch(t, "GET", "/orders/import/template.csv", "", nil); st != 200 || !strings.Contains(csv, "merchant_order_id") {
		t.Errorf("template: %d %q", st, csv)
	}
	if st, _ := b.evalFetch(t, "POST", "/orders/import", "", nil); st != 403 {
		t.Errorf("import without CSRF token: %d, want 403", st)
	}
	file := filepath.Join(t.TempDir(), "orders.csv")
	rows := "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n"
	for i := 1; i <= 2; i++ {
		rows += fmt.Sprintf("IMP-%d,张三丰,1390000111%d,浙江省杭州市西湖区文三路100号2单元301室,YWG-001,1\n", i, i)
	}
	rows += "IMP-3,李四,12345,浙江省杭州市西湖区文三路100号,YWG-001,1\n"
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	b.run(t, chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}), chromedp.Click(chromedp.CSS("#import-submit")),
		chromedp.WaitVisible(chromedp.CSS("#import-progress")), chromedp.WaitVisible(chromedp.CSS("#import-report")))
	if got := get(t, b, chromedp.Text(chromedp.CSS("#import-created"))); got != "2" {
		t.Errorf("import created %q, want 2", got)
	}
	if got := get(t, b, chromedp.Text(chromedp.CSS("#import-rejected"))); got != "1" {
		t.Errorf("import rejected %q, want 1", got)
	}
	// The finished page shows the report's counts, not the stored-of-valid
	// progress count ("Finished 2 / 2" beside "Orders in the file 3").
	if n := eval[int](t, b, `document.querySelectorAll("#import-count").length`); n != 0 {
		t.Error("the finished import still shows the progress count beside the report")
	}
	errs := get(t, b, chromedp.Text(chromedp.CSS("#import-errors")))
	if !strings.Contains(errs, "4") || !strings.Contains(errs, "phone") || strings.Contains(errs, "12345") {
		t.Errorf("row errors: %q", errs)
	}
	if v := eval[int](t, b, `document.getElementById("import-progress").value`); v != 100 {
		t.Errorf("progress bar at %d", v)
	}
	b.assertPrivatePage(t, strings.TrimPrefix(get(t, b, chromedp.Location()), ts.URL()), "张三丰", "13900001111", "301室")
	b.screenshot(t, "import-report")

	// SKUs and stock, planning, analytics.
	b.run(t, chromedp.Navigate(ts.URL()+"/skus"), chromedp.WaitVisible(chromedp.CSS("#skus")))
	if !strings.Contains(b.text(t), "YWG-001") {
		t.Error("SKU page lacks YWG-001")
	}
	b.screenshot(t, "skus")
	b.run(t, chromedp.Navigate(ts.URL()+"/planning"), chromedp.WaitVisible(chromedp.CSS("#planning-carriers")))
	b.screenshot(t, "planning")
	for _, g := range []string{"carrier", "warehouse", "province", ""} {
		b.run(t, chromedp.Navigate(ts.URL()+"/analytics?group_by="+g), chromedp.WaitVisible(chromedp.CSS("#analytics-chart")))
	}
	b.run(t, chromedp.Navigate(ts.URL()+"/analytics?group_by=carrier"), chromedp.WaitVisible(chromedp.CSS("#analytics-chart")))
	b.assertPrivatePage(t, "/analytics?group_by=carrier")
	b.screenshot(t, "analytics")
	b.signOut(t)
}
