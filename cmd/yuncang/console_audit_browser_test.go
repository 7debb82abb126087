package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleAuditJourney: the security officer signs in with a one-time
// code, filters the audit log, and checks a record's inclusion proof in
// the page (WebCrypto SHA-256 up the RFC 6962 path to the signed
// checkpoint's root); a record altered by one byte does not verify with
// the same proof. The auditor then sees the same read-only viewer. CSP,
// watermark, sign-out.
func TestConsoleAuditJourney(t *testing.T) {
	ts := startServer(t, 20)
	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "security1")
	if _, _, err := ts.Checkpoints.once(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.run(t, chromedp.Navigate(ts.URL()+"/audit?kind="+yuncang.EventLogin), chromedp.WaitVisible(chromedp.CSS("#checkpoint")))
	kinds := eval[[]string](t, b, `[...document.querySelectorAll("#events tbody tr")].map(tr => tr.children[2].textContent)`)
	if len(kinds) == 0 {
		t.Fatal("no login events listed")
	}
	for _, k := range kinds {
		if k != yuncang.EventLogin {
			t.Fatalf("filter by kind shows %q", k)
		}
	}
	if csp := b.header("/audit?kind="+yuncang.EventLogin, "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of /audit = %q", csp)
	}
	// Prove the first covered record in the page.
	b.run(t, chromedp.Click(chromedp.CSS("button.verify")), chromedp.WaitVisible(chromedp.CSS(".proof-result.ok, .proof-result.bad")))
	if n := eval[int](t, b, `document.querySelectorAll(".proof-result.ok").length`); n != 1 {
		t.Fatalf("the inclusion proof did not verify in the page: %s", eval[string](t, b, `document.querySelector(".proof-result").textContent`))
	}
	b.screenshot(t, "audit-security-officer")
	// The check is the page's own: one byte of the record changed, the
	// same proof no longer leads to the checkpoint's root.
	tampered := eval[bool](t, b, `(async () => {
		const btn = document.querySelector("button.verify");
		const index = parseInt(btn.dataset.index, 10);
		const cp = document.getElementById("checkpoint");
		const p = await (await fetch("/audit/proof?index=" + index)).json();
		const rec = Uint8Array.from(atob(p.record), c => c.charCodeAt(0));
		const root = Uint8Array.from(atob(cp.dataset.root), c => c.charCodeAt(0));
		const size = parseInt(cp.dataset.size, 10);
		const good = await window.yuncangVerifyInclusion(index, size, rec, p.proof, root);
		rec[rec.length - 1] ^= 1;
		const bad = await window.yuncangVerifyInclusion(index, size, rec, p.proof, root);
		const other = await window.yuncangVerifyInclusion(index + 1, size, Uint8Array.from(atob(p.record), c => c.charCodeAt(0)), p.proof, root);
		return good && !bad && !other;
	})()`)
	if !tampered {
		t.Error("the page's check accepts an altered record or the wrong index")
	}
	if !strings.Contains(b.html(t), `class="watermark"`) {
		t.Error("no watermark on the audit page")
	}
	b.signOut(t)

	// The auditor: the same viewer, read-only (no form that changes anything).
	b.signIn(t, "auditor1")
	b.run(t, chromedp.Navigate(ts.URL()+"/audit"), chromedp.WaitVisible(chromedp.CSS("#events")))
	if n := eval[int](t, b, `document.querySelectorAll("form[method=post]:not([action='/logout'])").length`); n != 0 {
		t.Errorf("the auditor's audit page has %d forms that post", n)
	}
	b.screenshot(t, "audit-auditor")
	// The export: the API's CSV with the covering checkpoint as its last
	// line, and the export itself recorded in the log.
	href := eval[string](t, b, `document.getElementById("export-csv").getAttribute("href")`)
	st, csv := b.evalFetch(t, "GET", href, "", nil)
	if st != 200 || !strings.HasPrefix(csv, "id,at,kind") || !strings.Contains(csv, "# checkpoint") {
		t.Errorf("export %s: %d %.200q", href, st, csv)
	}
	if st, _ := b.evalFetch(t, "GET", "/audit?kind="+yuncang.EventAuditExport, "", nil); st != 200 {
		t.Errorf("audit page after export: %d", st)
	}
	b.run(t, chromedp.Navigate(ts.URL()+"/audit?kind="+yuncang.EventAuditExport), chromedp.WaitVisible(chromedp.CSS("#events")))
	if !strings.Contains(b.text(t), "auditor1") {
		t.Error("the export is not in the audit log")
	}
	b.signOut(t)
}
