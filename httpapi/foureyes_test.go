package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// requested is the 202 answer of a change that waits for a second person.
type requested struct {
	Approval struct {
		ID     int64
		Status string
	}
	User              struct{ ID int64 }
	EnrolmentCodePart string `json:"enrolment_code_part"`
}

type decided struct {
	Approval struct{ Status string }
	Token    *struct {
		Token     string
		ExpiresAt time.Time `json:"expires_at"`
	}
	EnrolmentCodePart string `json:"enrolment_code_part"`
}

// redeem redeems an enrolment code over the API and returns the status and
// the redeemer's new TOTP secret.
func (f *fixture) redeem(t *testing.T, code, password string, headers ...string) (int, string) {
	t.Helper()
	rec := f.do(t, "POST", "/api/v1/enrolment/redeem", "", fmt.Sprintf(`{"code":%q,"password":%q}`, code, password), headers...)
	return rec.Code, decode[struct {
		TOTPSecret string `json:"totp_secret"`
	}](t, rec.Body.Bytes()).TOTPSecret
}

// approve has the approver approve request id and returns the answer.
func (f *fixture) approve(t *testing.T, approver string, id int64) decided {
	t.Helper()
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", id), f.tokens[approver], `{"note":"checked with HR"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("approve %d as %s: %d %s", id, approver, rec.Code, rec.Body)
	}
	return decode[decided](t, rec.Body.Bytes())
}

// fourEyesAccount creates an account of a role that needs approval:
// requester asks, approver approves, and the person redeems the two halves
// of the code (on device, if given) with their own password. It returns the
// account id and the person's TOTP secret.
func (f *fixture) fourEyesAccount(t *testing.T, requester, approver, body, password, device string) (int64, string) {
	t.Helper()
	rec := f.do(t, "POST", "/api/v1/users", f.tokens[requester], body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("create under four eyes: %d %s", rec.Code, rec.Body)
	}
	req := decode[requested](t, rec.Body.Bytes())
	d := f.approve(t, approver, req.Approval.ID)
	var headers []string
	if device != "" {
		headers = []string{"X-Yuncang-Device", f.devices[device]}
	}
	code, secret := f.redeem(t, auth.EnrolmentCode(req.EnrolmentCodePart, d.EnrolmentCodePart), password, headers...)
	if code != http.StatusOK || secret == "" {
		t.Fatalf("redeem: %d", code)
	}
	return req.User.ID, secret
}

// linkCarrier links the fixture's carrier account to a carrier, as the
// waybill set-up does.
func (f *fixture) linkCarrier(t *testing.T, username, code string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	must(t, err)
	must(t, f.db.CreateCarrier(context.Background(), &yuncang.Carrier{Code: code, Name: "中通快递", PublicKey: id.Recipient().String(),
		UserID: f.users[username].ID}, []byte("webhook-secret-0123456789")))
}

// TestAdminCannotMintRevealingAccount reproduces issue 10 item 2: a
// security officer created a customer-service account with a password of
// its choosing, received its TOTP secret and could log in as it. Now the
// administrator sets no password and sees no factor, the account waits for
// a second person, and neither administrator alone holds the whole
// enrolment code.
func TestAdminCannotMintRevealingAccount(t *testing.T) {
	f := newFixture(t)
	so := f.tokens["security_officer"]
	rec := f.do(t, "POST", "/api/v1/users", so, `{"username":"cs-mint","password":"Correct-Horse-Battery-9","role":"customer_service"}`)
	if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "totp_secret") {
		t.Fatalf("an administrator chose a password for someone else: %d %s", rec.Code, rec.Body)
	}
	rec = f.do(t, "POST", "/api/v1/users", so, `{"username":"cs-mint","role":"customer_service"}`)
	if rec.Code != http.StatusAccepted || strings.Contains(rec.Body.String(), "totp") {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	req := decode[requested](t, rec.Body.Bytes())
	if req.Approval.Status != "pending" || req.EnrolmentCodePart == "" || req.User.ID == 0 {
		t.Fatalf("create answer: %s", rec.Body)
	}
	// The officer cannot log in as it, redeem it alone, or approve it.
	if code, _, _ := f.login(t, "cs-mint", "Correct-Horse-Battery-9", ""); code != http.StatusUnauthorized {
		t.Fatalf("login to a pending account: %d", code)
	}
	guess, _ := auth.NewEnrolmentPart()
	if code, _ := f.redeem(t, auth.EnrolmentCode(req.EnrolmentCodePart, guess), "My-Own-Secret-Words-7", "X-Yuncang-Device", f.devices["YW1-DESK"]); code != http.StatusBadRequest {
		t.Fatalf("redeemed with only the requester's half: %d", code)
	}
	path := fmt.Sprintf("/api/v1/approvals/%d/approve", req.Approval.ID)
	if rec := f.do(t, "POST", path, so, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("self-approval: %d %s", rec.Code, rec.Body)
	}
	// A merchant admin cannot approve the platform's request: it does not exist for it.
	if rec := f.do(t, "POST", path, f.tokens["merchant_admin@ta"], ""); rec.Code != http.StatusNotFound {
		t.Fatalf("merchant admin decided a platform request: %d %s", rec.Code, rec.Body)
	}
	d := f.approve(t, "platform_admin", req.Approval.ID)
	if d.Approval.Status != "applied" || d.EnrolmentCodePart == "" || d.EnrolmentCodePart == req.EnrolmentCodePart {
		t.Fatalf("approval: %+v", d)
	}
	code := auth.EnrolmentCode(req.EnrolmentCodePart, d.EnrolmentCodePart)
	// A revealing role enrols on an enrolled device only.
	if st, _ := f.redeem(t, code, "My-Own-Secret-Words-7"); st != http.StatusForbidden {
		t.Fatalf("enrolment off any device: %d", st)
	}
	st, secret := f.redeem(t, code, "My-Own-Secret-Words-7", "X-Yuncang-Device", f.devices["YW1-DESK"])
	if st != http.StatusOK || secret == "" {
		t.Fatalf("redeem: %d", st)
	}
	if st, _ := f.redeem(t, code, "Another-Secret-Words-8", "X-Yuncang-Device", f.devices["YW1-DESK"]); st != http.StatusBadRequest {
		t.Fatalf("enrolment code used twice: %d", st)
	}
	totp, err := auth.TOTPCode(secret, f.clock.Now())
	must(t, err)
	if st, _, _ := f.login(t, "cs-mint", "My-Own-Secret-Words-7", totp); st != http.StatusOK {
		t.Fatalf("the person's own login: %d", st)
	}
	ev := f.do(t, "GET", "/api/v1/audit/events?user_id="+itoa(req.User.ID), f.tokens["auditor"], "").Body.String()
	for _, k := range []string{"user_create", "approval_request", "approval_decision", "approval_apply", "enrolment_issue", "enrolment_redeem"} {
		if !strings.Contains(ev, `"`+k+`"`) {
			t.Errorf("audit log lacks %s", k)
		}
	}
}

// TestAdminCannotTakeOverSecondFactor reproduces issue 10 item 2: POST
// /users/{id}/totp gave the administrator the person's new TOTP secret. Now
// it gives a one-time code that is useless without the person's password.
func TestAdminCannotTakeOverSecondFactor(t *testing.T) {
	f := newFixture(t)
	cs := f.users["customer_service"]
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/totp", cs.ID), f.tokens["security_officer"], "")
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "totp_secret") || strings.Contains(rec.Body.String(), "otpauth") {
		t.Fatalf("the administrator received someone's second factor: %d %s", rec.Code, rec.Body)
	}
	code := decode[struct {
		EnrolmentCode string `json:"enrolment_code"`
	}](t, rec.Body.Bytes()).EnrolmentCode
	dev := []string{"X-Yuncang-Device", f.devices["YW1-DESK"]}
	// The administrator holds the code but not the password: refused, and
	// the person's factor still works.
	if st, _ := f.redeem(t, code, "Guessed-Password-123", dev...); st != http.StatusBadRequest {
		t.Fatalf("factor taken over without the password: %d", st)
	}
	old := f.code(t, "customer_service")
	if st, _, _ := f.login(t, "customer_service", f.password, old); st != http.StatusOK {
		t.Fatalf("the person's own factor stopped working: %d", st)
	}
	f.clock.Advance(31 * time.Second)
	st, secret := f.redeem(t, code, f.password, dev...)
	if st != http.StatusOK || secret == "" {
		t.Fatalf("the person's own reset: %d", st)
	}
	totp, err := auth.TOTPCode(secret, f.clock.Now())
	must(t, err)
	if st, _, _ := f.login(t, "customer_service", f.password, totp); st != http.StatusOK {
		t.Fatalf("login with the new factor: %d", st)
	}
}

// TestSecurityOfficerAloneCannotReachPhones reproduces issue 10 item 3: one
// security officer re-enabled a suspended carrier account and minted a
// 720-hour carrier token. Now the token is at most a week, both steps wait
// for a second person, and the token the approver receives is short-lived
// and acts only as its carrier.
func TestSecurityOfficerAloneCannotReachPhones(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	so := f.tokens["security_officer"]
	f.linkCarrier(t, "carrier", "ZTO")
	carrier := f.users["carrier"]
	must(t, f.db.Disable(ctx, carrier.ID, "suspended: night rule", f.clock.Now(), nil))

	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/reenable", carrier.ID), so, `{"reason":"false alarm"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("one person re-enabled a carrier: %d %s", rec.Code, rec.Body)
	}
	reen := decode[requested](t, rec.Body.Bytes()).Approval.ID
	if u, _ := f.db.UserByID(ctx, carrier.ID); u.Status != yuncang.UserDisabled {
		t.Fatalf("re-enabled before approval: %s", u.Status)
	}
	if rec := f.do(t, "POST", "/api/v1/tokens", so, `{"username":"carrier","label":"sf","ttl_hours":720,"scopes":["carrier"]}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("720-hour carrier token: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", reen), so, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("self-approval of a re-enable: %d", rec.Code)
	}
	f.approve(t, "platform_admin", reen)
	rec = f.do(t, "POST", "/api/v1/tokens", so, `{"username":"carrier","label":"sf","scopes":["carrier"]}`)
	if rec.Code != http.StatusAccepted || strings.Contains(rec.Body.String(), "yct_") {
		t.Fatalf("one person minted a carrier token: %d %s", rec.Code, rec.Body)
	}
	tokReq := decode[requested](t, rec.Body.Bytes()).Approval.ID
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", tokReq), so, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("self-approval of a token: %d", rec.Code)
	}
	d := f.approve(t, "platform_admin", tokReq)
	if d.Token == nil || d.Token.Token == "" || d.Token.ExpiresAt.After(f.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("token: %+v", d.Token)
	}
	if rec := f.do(t, "GET", "/api/v1/carrier/manifests", d.Token.Token, ""); rec.Code != http.StatusOK {
		t.Fatalf("the approved token cannot act as its carrier: %d %s", rec.Code, rec.Body)
	}
	// An approved request cannot be approved (or applied) again.
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", tokReq), f.tokens["platform_admin"], ""); rec.Code != http.StatusConflict {
		t.Fatalf("second approval: %d", rec.Code)
	}
}

// TestFourEyesAcrossTenants: a merchant's order-reading token waits for a
// second person; another merchant's admin cannot see or approve it, the
// requester cannot either.
func TestFourEyesAcrossTenants(t *testing.T) {
	f := newFixture(t)
	ma := f.tokens["merchant_admin@ta"]
	rec := f.do(t, "POST", "/api/v1/tokens", ma, `{"username":"merchant_staff-ta","label":"erp","ttl_hours":24,"scopes":["orders:read"]}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("orders:read token without approval: %d %s", rec.Code, rec.Body)
	}
	id := decode[requested](t, rec.Body.Bytes()).Approval.ID
	path := fmt.Sprintf("/api/v1/approvals/%d/approve", id)
	if rec := f.do(t, "POST", path, f.tokens["merchant_admin@tb"], ""); rec.Code != http.StatusNotFound {
		t.Fatalf("another merchant approved: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "GET", "/api/v1/approvals", f.tokens["merchant_admin@tb"], ""); strings.Contains(rec.Body.String(), "merchant_staff-ta") {
		t.Fatalf("another merchant sees the request: %s", rec.Body)
	}
	if rec := f.do(t, "POST", path, ma, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("requester approved: %d", rec.Code)
	}
	// The approver receives the token, so a platform officer may not take
	// a merchant's: another admin of the same merchant approves it.
	if rec := f.do(t, "POST", path, f.tokens["security_officer"], ""); rec.Code != http.StatusForbidden {
		t.Fatalf("platform officer took a merchant's token: %d %s", rec.Code, rec.Body)
	}
	hash, err := auth.HashPassword(f.password)
	must(t, err)
	f.addUser(t, &yuncang.User{Username: "merchant_admin2-ta", Role: yuncang.RoleMerchantAdmin, TenantID: f.a.ID}, hash, "merchant_admin2@ta")
	if d := f.approve(t, "merchant_admin2@ta", id); d.Token == nil || d.Token.Token == "" {
		t.Fatalf("approved token: %+v", d)
	}
	if rec := f.do(t, "POST", path, f.tokens["merchant_admin2@ta"], ""); rec.Code != http.StatusConflict {
		t.Fatalf("approved twice: %d", rec.Code)
	}
	// A rejected request is never applied.
	rec = f.do(t, "POST", "/api/v1/tokens", ma, `{"username":"merchant_staff-ta","label":"bi","ttl_hours":24,"scopes":["orders:read"]}`)
	rid := decode[requested](t, rec.Body.Bytes()).Approval.ID
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/reject", rid), f.tokens["merchant_admin2@ta"], `{"note":"no BI contract on file"}`); rec.Code != http.StatusOK {
		t.Fatalf("reject: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", rid), f.tokens["merchant_admin2@ta"], ""); rec.Code != http.StatusConflict {
		t.Fatalf("approved after rejection: %d", rec.Code)
	}
	// Tokens that reach no personal data need no second person.
	if rec := f.do(t, "POST", "/api/v1/tokens", ma, `{"username":"merchant_staff-ta","label":"erp","ttl_hours":24,"scopes":["orders:write"]}`); rec.Code != http.StatusCreated {
		t.Fatalf("orders:write token: %d %s", rec.Code, rec.Body)
	}
}

// TestFourEyesRoleAndNightShift: granting a revealing role and widening a
// shift into the night wait for a second person; day-time changes do not.
func TestFourEyesRoleAndNightShift(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	op := f.users["target-op"]
	rec := f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/role", op.ID), f.tokens["security_officer"], `{"role":"customer_service"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("revealing role granted by one person: %d %s", rec.Code, rec.Body)
	}
	if u, _ := f.db.UserByID(ctx, op.ID); u.Role != yuncang.RoleOperator {
		t.Fatalf("role changed before approval: %s", u.Role)
	}
	f.approve(t, "platform_admin", decode[requested](t, rec.Body.Bytes()).Approval.ID)
	if u, _ := f.db.UserByID(ctx, op.ID); u.Role != yuncang.RoleCustomerService || len(u.Warehouses) != 0 {
		t.Fatalf("role after approval: %s %v", u.Role, u.Warehouses)
	}

	other := f.users["target-op-gz"]
	day := `{"start":"08:00","end":"18:00","days":["mon","tue","wed","thu","fri"],"mode":"deny"}`
	if rec := f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/shift", other.ID), f.tokens["security_officer"], day); rec.Code != http.StatusOK {
		t.Fatalf("day shift: %d %s", rec.Code, rec.Body)
	}
	night := `{"start":"08:00","end":"23:00","days":["mon","tue","wed","thu","fri"],"mode":"deny"}`
	rec = f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/shift", other.ID), f.tokens["security_officer"], night)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("shift widened into the night by one person: %d %s", rec.Code, rec.Body)
	}
	if u, _ := f.db.UserByID(ctx, other.ID); u.Shift.EndMin != 18*60 {
		t.Fatalf("shift changed before approval: %+v", u.Shift)
	}
	f.approve(t, "platform_admin", decode[requested](t, rec.Body.Bytes()).Approval.ID)
	if u, _ := f.db.UserByID(ctx, other.ID); u.Shift.EndMin != 23*60 {
		t.Fatalf("shift after approval: %+v", u.Shift)
	}
}

// TestContractorEndDateCap reproduces issue 10 item 7: contractor accounts
// skipped the 30-day end-date cap that binds temporary staff.
func TestContractorEndDateCap(t *testing.T) {
	f := newFixture(t)
	u := &yuncang.User{Username: "contractor1", Role: yuncang.RoleOperator, Warehouses: []int64{f.yw.ID},
		EmploymentType: yuncang.EmploymentContractor, EndAt: f.clock.Now().Add(20 * 24 * time.Hour)}
	must(t, f.db.CreateUser(context.Background(), u, ""))
	far := fmt.Sprintf(`{"end_at":%q}`, f.clock.Now().Add(60*24*time.Hour).Format(time.RFC3339))
	if rec := f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/end", u.ID), f.tokens["platform_admin"], far); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "end_at") {
		t.Fatalf("contractor end date 60 days ahead: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/end", u.ID), f.tokens["platform_admin"], `{}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("contractor end date cleared: %d %s", rec.Code, rec.Body)
	}
	body := `{"username":"contractor2","role":"operator","warehouses":["YW1"],"employment_type":"contractor"}`
	if rec := f.do(t, "POST", "/api/v1/users", f.tokens["platform_admin"], body); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "end_at") {
		t.Fatalf("contractor without an end date: %d %s", rec.Code, rec.Body)
	}
}

// TestEnrolmentRedeemGivesNothingAway: every wrong code reads the same (no
// account enumeration) and guessing is cut off per source address.
func TestEnrolmentRedeemGivesNothingAway(t *testing.T) {
	f := newFixture(t)
	var first string
	for i := 0; i < 20; i++ {
		p1, _ := auth.NewEnrolmentPart()
		p2, _ := auth.NewEnrolmentPart()
		// The same request id each time: only it may differ between answers.
		rec := f.do(t, "POST", "/api/v1/enrolment/redeem", "", fmt.Sprintf(`{"code":%q,"password":"Correct-Horse-Battery-9"}`, auth.EnrolmentCode(p1, p2)), "X-Request-Id", "guess")
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("guess %d: %d %s", i, rec.Code, rec.Body)
		}
		if first == "" {
			first = rec.Body.String()
		} else if rec.Body.String() != first {
			t.Fatalf("answers differ: %s vs %s", first, rec.Body)
		}
	}
	rec := f.do(t, "POST", "/api/v1/enrolment/redeem", "", `{"code":"x.y","password":"Correct-Horse-Battery-9"}`)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("guessing not cut off: %d %s", rec.Code, rec.Body)
	}
}

// TestApprovalExpires: a request nobody decided within a day can no longer
// be approved, and the list says so.
func TestApprovalExpires(t *testing.T) {
	f := newFixture(t)
	op := f.users["target-op"]
	rec := f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/role", op.ID), f.tokens["security_officer"], `{"role":"warehouse_supervisor"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("request: %d %s", rec.Code, rec.Body)
	}
	id := decode[requested](t, rec.Body.Bytes()).Approval.ID
	f.clock.Advance(yuncang.ApprovalTTL + time.Minute)
	pa := f.freshSession(t, "platform_admin")
	if rec := f.do(t, "GET", "/api/v1/approvals", pa, ""); !strings.Contains(rec.Body.String(), `"status":"expired"`) {
		t.Fatalf("list: %s", rec.Body)
	}
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", id), pa, ""); rec.Code != http.StatusConflict {
		t.Fatalf("expired request approved: %d %s", rec.Code, rec.Body)
	}
	if u, _ := f.db.UserByID(context.Background(), op.ID); u.Role != yuncang.RoleOperator {
		t.Fatalf("role changed: %s", u.Role)
	}
}

// TestReissueEnrolment: an operator whose first code lapsed gets a new one;
// a revealing account that never enrolled cannot be handed to one
// administrator that way.
func TestReissueEnrolment(t *testing.T) {
	f := newFixture(t)
	sup := f.tokens["warehouse_supervisor"]
	rec := f.do(t, "POST", "/api/v1/users", sup, `{"username":"picker9","role":"operator","warehouses":["YW1"]}`)
	created := decode[struct {
		ID            int64
		EnrolmentCode string `json:"enrolment_code"`
	}](t, rec.Body.Bytes())
	f.clock.Advance(yuncang.EnrolmentTTL + time.Minute)
	if st, _ := f.redeem(t, created.EnrolmentCode, f.password); st != http.StatusBadRequest {
		t.Fatalf("lapsed code redeemed: %d", st)
	}
	sup = f.freshSession(t, "warehouse_supervisor")
	rec = f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/totp", created.ID), sup, "")
	again := decode[struct {
		Purpose       string
		EnrolmentCode string `json:"enrolment_code"`
	}](t, rec.Body.Bytes())
	if rec.Code != http.StatusOK || again.Purpose != "account" {
		t.Fatalf("re-issue: %d %s", rec.Code, rec.Body)
	}
	if st, _ := f.redeem(t, again.EnrolmentCode, f.password); st != http.StatusOK {
		t.Fatalf("redeem re-issued code: %d", st)
	}

	rec = f.do(t, "POST", "/api/v1/users", f.freshSession(t, "security_officer"), `{"username":"cs9","role":"customer_service"}`)
	req := decode[requested](t, rec.Body.Bytes())
	f.tokens["platform_admin"] = f.freshSession(t, "platform_admin")
	f.approve(t, "platform_admin", req.Approval.ID)
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/totp", req.User.ID), f.freshSession(t, "security_officer"), ""); rec.Code != http.StatusBadRequest {
		t.Fatalf("one administrator got a whole code for a revealing account: %d %s", rec.Code, rec.Body)
	}
}

// TestPromotionReEnrols reproduces the outside tester's bypass of four eyes:
// a supervisor alone creates a harmless operator, redeems its code itself
// (so it knows the password and second factor), and has the account
// promoted to customer service through an honest-looking approval. After
// the grant the old credentials must be worthless and the person must enrol
// again with a code split between requester and approver.
func TestPromotionReEnrols(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := f.do(t, "POST", "/api/v1/users", f.tokens["warehouse_supervisor"],
		fmt.Sprintf(`{"username":"ghost-op","role":"operator","warehouses":["YW1"],"employment_type":"temporary","end_at":%q}`, f.clock.Now().Add(10*24*time.Hour).Format(time.RFC3339)))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create operator: %d %s", rec.Code, rec.Body)
	}
	created := decode[struct {
		ID            int64  `json:"id"`
		EnrolmentCode string `json:"enrolment_code"`
	}](t, rec.Body.Bytes())
	const chosen = "Chosen-By-The-Supervisor-7"
	code, secret := f.redeem(t, created.EnrolmentCode, chosen)
	if code != http.StatusOK || secret == "" {
		t.Fatalf("the supervisor redeems the operator's code: %d", code)
	}
	u, err := f.db.UserByUsername(ctx, "ghost-op")
	must(t, err)
	rec = f.do(t, "PUT", fmt.Sprintf("/api/v1/users/%d/role", u.ID), f.tokens["security_officer"], `{"role":"customer_service"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("promotion request: %d %s", rec.Code, rec.Body)
	}
	req := decode[requested](t, rec.Body.Bytes())
	if req.EnrolmentCodePart == "" {
		t.Fatal("the requester got no half of the new code")
	}
	dec := f.approve(t, "platform_admin", req.Approval.ID)
	if dec.EnrolmentCodePart == "" {
		t.Fatal("the approver got no half of the new code")
	}
	// The credentials the supervisor set are gone.
	totp, err := auth.TOTPCode(secret, f.clock.Now())
	must(t, err)
	if code, _, _ := f.login(t, "ghost-op", chosen, totp); code == http.StatusOK {
		t.Fatal("the promoted account still logs in with the credentials an administrator set")
	}
	// Either half alone redeems nothing.
	for _, half := range []string{req.EnrolmentCodePart, dec.EnrolmentCodePart} {
		if code, _ := f.redeem(t, half, "Another-Password-99"); code == http.StatusOK {
			t.Fatal("half a code redeemed the promoted account")
		}
	}
	events, err := f.db.Events(ctx, yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventPasswordChange})
	must(t, err)
	if len(events) == 0 || !strings.Contains(events[0].Detail, "credentials reset") {
		t.Fatalf("no audit record of the reset: %+v", events)
	}
}

// TestShiftRequestsSayWhatTheyDo: half a shift is refused instead of
// becoming no shift at all, and a request to lift a shift says so to the
// approver.
func TestShiftRequestsSayWhatTheyDo(t *testing.T) {
	f := newFixture(t)
	op := f.users["target-op-gz"]
	path := fmt.Sprintf("/api/v1/users/%d/shift", op.ID)
	so := f.tokens["security_officer"]
	for _, body := range []string{`{"start":"9:00","end":"18:00","mode":"deny"}`, `{"mode":"none"}`} {
		if rec := f.do(t, "PUT", path, so, body); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "shift.days") {
			t.Fatalf("half a shift %s: %d %s", body, rec.Code, rec.Body)
		}
	}
	day := `{"start":"08:00","end":"18:00","days":["mon","tue"],"mode":"deny"}`
	if rec := f.do(t, "PUT", path, so, day); rec.Code != http.StatusOK {
		t.Fatalf("day shift: %d %s", rec.Code, rec.Body)
	}
	rec := f.do(t, "PUT", path, so, `{}`)
	if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"shift_lifted":true`) {
		t.Fatalf("lifting a shift: %d %s", rec.Code, rec.Body)
	}
	night := `{"start":"08:00","end":"23:30","days":["mon","tue"],"mode":"deny"}`
	rec = f.do(t, "PUT", path, so, night)
	if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"end":"23:30"`) {
		t.Fatalf("a night shift's request does not show the shift: %d %s", rec.Code, rec.Body)
	}
}
