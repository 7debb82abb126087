package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang"
)

// TestConsoleApprovalJourney: the platform administrator asks (over the
// API) to promote an operator to customer service, a revealing role, which
// waits for a second person; the security officer signs in with a one-time
// code, finds the request among those waiting and approves it in the page
// (step-up in the form): the change is applied and the approver's half of
// the new enrolment code is shown once, on that answer only.
func TestConsoleApprovalJourney(t *testing.T) {
	ts := startServer(t, 20)
	admin := ts.apiLogin(t, "admin")
	u, err := ts.DB.UserByUsername(t.Context(), "temp-packer1")
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Approval struct{ ID int64 } `json:"approval"`
	}
	if st := ts.jsonCall(t, "PUT", fmt.Sprintf("/api/v1/users/%d/role", u.ID), admin, `{"role":"customer_service"}`, &req); st != 202 {
		t.Fatalf("role change request: %d", st)
	}

	b := newBrowser(t, ts, 1280, 900)
	b.signIn(t, "security1")
	b.run(t, chromedp.Navigate(ts.URL()+"/security/approvals"), chromedp.WaitVisible(chromedp.CSS("#approvals")))
	row := fmt.Sprintf("#approval-%d", req.Approval.ID)
	if !strings.Contains(eval[string](t, b, `document.querySelector("`+row+`").textContent`), "temp-packer1") {
		t.Fatal("the request is not listed")
	}
	b.screenshot(t, "security-approvals")
	b.run(t,
		chromedp.SendKeys(chromedp.CSS(row+" input[name=note]"), "已电话确认调岗"),
		chromedp.SendKeys(chromedp.CSS(row+" input[name=step_up_totp]"), ts.freshCode(t, "security1")),
		chromedp.Click(chromedp.CSS(row+` button[value=approve]`)),
		chromedp.WaitVisible(chromedp.CSS("#decided")))
	part := eval[string](t, b, `(document.getElementById("code-part") || {}).textContent || ""`)
	if part == "" {
		t.Fatalf("the approver's half of the enrolment code is not shown: %s", b.text(t))
	}
	got, err := ts.DB.UserByID(t.Context(), u.ID)
	if err != nil || got.Role != yuncang.RoleCustomerService {
		t.Fatalf("after approval the account is %+v (%v)", got, err)
	}
	// Shown once: the queue again no longer has it, nor the code.
	b.run(t, chromedp.Navigate(ts.URL()+"/security/approvals"), chromedp.WaitVisible(chromedp.CSS("#approvals")))
	if html := b.html(t); strings.Contains(html, part) || strings.Contains(html, fmt.Sprintf(`id="approval-%d"`, req.Approval.ID)) {
		t.Error("the decided request or its code part is shown again")
	}
	b.signOut(t)
}
