package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// Four eyes (brief, threat 8): no single person can give anyone reach
// towards plaintext. A change that grants a role that can reveal, resolve
// or administer, widens a shift into the night, issues a carrier or
// order-reading token, or re-enables a suspended account that could reveal
// or resolve is stored as a request; a second, different person with
// authority over the same tenant approves it, and only then is it applied.
// Request, decision and application are each in the audit log. Quota
// raises follow the same rule through /quota-grants.

// apiAltResponses documents a second success answer of a route: 202 when
// the change waits for a second person.
var apiAltResponses = map[string]struct {
	status, description string
	resp                any
}{}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"GET /api/v1/approvals":               {nil, pageOf(ApprovalJSON{}), "200"},
		"POST /api/v1/approvals/{id}/approve": {DecisionRequest{}, ApprovalDecidedJSON{}, "200"},
		"POST /api/v1/approvals/{id}/reject":  {DecisionRequest{}, ApprovalDecidedJSON{}, "200"},
		"POST /api/v1/enrolment/redeem":       {RedeemRequestJSON{}, RedeemedJSON{}, "200"},
	} {
		apiDocs[k] = v
	}
	for _, p := range []string{"POST /api/v1/users", "PUT /api/v1/users/{id}/role", "PUT /api/v1/users/{id}/shift",
		"POST /api/v1/tokens", "POST /api/v1/users/{id}/reenable", "POST /api/v1/carriers"} {
		apiAltResponses[p] = struct {
			status, description string
			resp                any
		}{"202", "Waiting for a second person's approval (four eyes)", ApprovalRequestedJSON{}}
	}
}

func (s *Server) registerApprovalRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		ma = yuncang.RoleMerchantAdmin
		au = yuncang.RoleAuditor
	)
	s.handle("GET", "/api/v1/approvals", "staff", "Four-eyes requests within the caller's reach (?status=pending|approved|rejected|applied|failed)",
		Policy{Roles: roles(pa, so, ws, ma, au)}, s.listApprovals)
	s.handle("POST", "/api/v1/approvals/{id}/approve", "staff", "Approve another person's request; the change is applied at once",
		Policy{Roles: roles(pa, so, ma), StepUp: true}, s.approveRequest)
	s.handle("POST", "/api/v1/approvals/{id}/reject", "staff", "Reject another person's request",
		Policy{Roles: roles(pa, so, ma), StepUp: true}, s.rejectRequest)
	s.handle("POST", "/api/v1/enrolment/redeem", "auth", "Redeem a one-time enrolment code: set your own password and second factor (rate limited)",
		Policy{Public: true}, s.redeemEnrolment)
}

// requestApproval stores the change as a pending request and answers 202.
func (s *Server) requestApproval(w http.ResponseWriter, r *http.Request, a *yuncang.Actor, target *yuncang.User, kind string, c yuncang.ApprovalChange, codePart string) error {
	now := s.auth.Now()
	ap := &yuncang.Approval{TenantID: target.TenantID, Kind: kind, TargetID: target.ID, Change: c, RequestedBy: a.UserID,
		CreatedAt: now, ExpiresAt: now.Add(yuncang.ApprovalTTL)}
	if err := s.store.CreateApproval(r.Context(), ap, adminEventFor(a, target, yuncang.EventApprovalRequest, describeChange(ap))); err != nil {
		return err
	}
	j, err := s.approvalJSON(r, ap, target)
	if err != nil {
		return err
	}
	out := ApprovalRequestedJSON{Approval: j, EnrolmentCodePart: codePart}
	if c.NewAccount {
		uj, err := s.userJSON(r, target)
		if err != nil {
			return err
		}
		out.User = &uj
	}
	writeJSON(w, http.StatusAccepted, out)
	return nil
}

// createUserUnderApproval stores an account of a role that needs four
// eyes as pending, and requests its activation. The requester gets half of
// the enrolment code now, the approver the other half on approval.
func (s *Server) createUserUnderApproval(w http.ResponseWriter, r *http.Request, a *yuncang.Actor, u *yuncang.User) error {
	u.Status = yuncang.UserPending
	if err := s.store.CreateUser(r.Context(), u, ""); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventUserCreate, "role "+u.Role+", "+u.EmploymentType+", pending a second person's approval")
	c := yuncang.ApprovalChange{Role: u.Role, NewAccount: true}
	part := ""
	if u.Role != yuncang.RoleCarrier { // carrier clients have no password or factor, only tokens
		var h []byte
		part, h = auth.NewEnrolmentPart()
		c.EnrolPartHash = h
	}
	return s.requestApproval(w, r, a, u, yuncang.ApprovalRole, c, part)
}

// describeChange is the audit detail of a request (no personal data).
func describeChange(ap *yuncang.Approval) string {
	c := ap.Change
	switch ap.Kind {
	case yuncang.ApprovalRole:
		if c.NewAccount {
			return "new account with role " + c.Role
		}
		return "grant role " + c.Role
	case yuncang.ApprovalShift:
		return "widen shift into the night"
	case yuncang.ApprovalToken:
		return "token " + c.TokenLabel + " scopes " + strings.Join(c.Scopes, ",") + " for " + strconv.Itoa(c.TTLHours) + "h"
	case yuncang.ApprovalReenable:
		return "re-enable: " + c.Reason
	case yuncang.ApprovalCarrier:
		if c.Carrier == nil {
			return "configure a carrier"
		}
		return "configure carrier " + c.Carrier.Code + " with manifest key " + c.Carrier.PublicKey
	}
	return ap.Kind
}

func (s *Server) approvalJSON(r *http.Request, ap *yuncang.Approval, target *yuncang.User) (ApprovalJSON, error) {
	c := ap.Change
	j := ApprovalJSON{ID: ap.ID, Kind: ap.Kind, TargetID: ap.TargetID, Role: c.Role, NewAccount: c.NewAccount, TokenLabel: c.TokenLabel,
		Scopes: c.Scopes, TTLHours: c.TTLHours, Reason: c.Reason, Status: ap.Status, RequestedBy: ap.RequestedBy, DecidedBy: ap.DecidedBy,
		Note: ap.Note, CreatedAt: ap.CreatedAt, DecidedAt: timePtr(ap.DecidedAt), ExpiresAt: ap.ExpiresAt}
	if ap.Status == yuncang.ApprovalPending && !s.auth.Now().Before(ap.ExpiresAt) {
		j.Status = "expired" // nobody can decide it any more
	}
	if c.Carrier != nil {
		// The approver sees the key and limits that will apply.
		cj := toCarrierJSON(c.Carrier)
		j.Carrier = &cj
	}
	if c.Shift != nil {
		// The approver sees exactly what will apply.
		j.Shift = toShiftJSON(*c.Shift)
		j.ShiftLifted = !c.Shift.Restricted()
	}
	if target != nil {
		j.TargetUsername = target.Username
	}
	if ap.TenantID != 0 {
		t, err := s.store.TenantByID(r.Context(), ap.TenantID)
		if err != nil {
			return j, err
		}
		j.Tenant = t.Code
	}
	return j, nil
}

// approvalVisible: platform administrators, security officers and auditors
// see every request; a merchant admin its own merchant's; a supervisor
// the requests it made.
func approvalVisible(a *yuncang.Actor, ap *yuncang.Approval) bool {
	switch a.Role {
	case yuncang.RolePlatformAdmin, yuncang.RoleSecurityOfficer, yuncang.RoleAuditor:
		return true
	case yuncang.RoleMerchantAdmin:
		return ap.TenantID == a.TenantID
	}
	return ap.RequestedBy == a.UserID
}

func (s *Server) listApprovals(w http.ResponseWriter, r *http.Request) error {
	out, err := s.VisibleApprovals(r, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	writeList(w, out)
	return nil
}

// VisibleApprovals are the four-eyes requests (status "" for all) within
// the actor's reach (GET /api/v1/approvals).
func (s *Server) VisibleApprovals(r *http.Request, status string) ([]ApprovalJSON, error) {
	switch status {
	case "", yuncang.ApprovalPending, yuncang.ApprovalApproved, yuncang.ApprovalRejected, yuncang.ApprovalApplied, yuncang.ApprovalFailed:
	default:
		return nil, yuncang.Invalid("status", "must be pending, approved, rejected, applied or failed")
	}
	a := yuncang.ActorFromContext(r.Context())
	tenant := int64(-1)
	if a.Role == yuncang.RoleMerchantAdmin {
		tenant = a.TenantID // the query itself is scoped, not only the filter below
	}
	aps, err := s.store.Approvals(r.Context(), tenant, status, 200)
	if err != nil {
		return nil, err
	}
	out := []ApprovalJSON{}
	for _, ap := range aps {
		if !approvalVisible(a, ap) {
			continue
		}
		target, _ := s.store.UserByID(r.Context(), ap.TargetID)
		j, err := s.approvalJSON(r, ap, target)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// mayDecide decides whether the actor may approve or reject the request:
// a different person from the requester and the target, with authority
// over the target's tenant. A merchant admin decides only its own
// merchant's requests (another merchant's do not exist for it); platform
// requests are decided by a platform administrator or security officer who
// could make the change themselves. A security officer or platform
// administrator may also decide a merchant's request, so that a merchant
// with a single admin is not stuck — except a token, which goes to the
// approver and so stays with another admin of the same merchant.
func mayDecide(a *yuncang.Actor, ap *yuncang.Approval, target *yuncang.User) error {
	platform := a.Role == yuncang.RolePlatformAdmin || a.Role == yuncang.RoleSecurityOfficer
	switch {
	case a.Role == yuncang.RoleMerchantAdmin && a.TenantID != ap.TenantID:
		return yuncang.Errorf(yuncang.ENOTFOUND, "approval not found")
	case !platform && a.Role != yuncang.RoleMerchantAdmin:
		return forbid("your role may not decide requests")
	case ap.TenantID == 0 && !platform:
		return yuncang.Errorf(yuncang.ENOTFOUND, "approval not found")
	}
	if ap.TenantID != 0 && ap.Kind == yuncang.ApprovalToken && a.Role != yuncang.RoleMerchantAdmin {
		// The approver receives the token: a merchant's token stays with
		// the merchant's own people.
		return forbid("a merchant's token is approved by another admin of that merchant")
	}
	if a.UserID == ap.RequestedBy {
		return forbid("a second, different person must decide this request")
	}
	if a.UserID == ap.TargetID {
		return forbid("you may not decide a request about your own account")
	}
	if ap.TenantID == 0 {
		role := target.Role
		switch ap.Kind {
		case yuncang.ApprovalRole:
			role = ap.Change.Role
		case yuncang.ApprovalCarrier:
			role = yuncang.RoleCarrier // who may manage carrier accounts may approve a carrier
		}
		if !yuncang.CanManage(a.Role, role) {
			return approverRefusal(role)
		}
	}
	return nil
}

func (s *Server) decisionTarget(w http.ResponseWriter, r *http.Request) (int64, string, error) {
	var req DecisionRequest
	if r.ContentLength != 0 { // the note is optional; so is the body
		if err := decodeJSON(w, r, &req); err != nil {
			return 0, "", err
		}
	}
	if len(req.Note) > 300 {
		return 0, "", yuncang.Invalid("note", "is longer than 300 bytes")
	}
	id, err := pathID(r)
	return id, req.Note, err
}

// decisionOn loads a request the actor may decide, with its target and
// the note masked.
func (s *Server) decisionOn(r *http.Request, id int64, note string) (*yuncang.Approval, *yuncang.User, string, error) {
	if len(note) > 300 {
		return nil, nil, "", yuncang.Invalid("note", "is longer than 300 bytes")
	}
	ap, err := s.store.ApprovalByID(r.Context(), id)
	if err != nil {
		return nil, nil, "", err
	}
	target := &yuncang.User{} // a carrier without an account has no target account
	if ap.TargetID != 0 || ap.Kind != yuncang.ApprovalCarrier {
		if target, err = s.store.UserByID(r.Context(), ap.TargetID); err != nil {
			return nil, nil, "", err
		}
	}
	if err := mayDecide(yuncang.ActorFromContext(r.Context()), ap, target); err != nil {
		return nil, nil, "", err
	}
	return ap, target, maskText(strings.TrimSpace(note)), nil
}

func (s *Server) rejectRequest(w http.ResponseWriter, r *http.Request) error {
	id, note, err := s.decisionTarget(w, r)
	if err != nil {
		return err
	}
	out, err := s.RejectApproval(r, id, note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// RejectApproval rejects another person's request (POST .../reject).
func (s *Server) RejectApproval(r *http.Request, id int64, note string) (ApprovalDecidedJSON, error) {
	ap, target, note, err := s.decisionOn(r, id, note)
	if err != nil {
		return ApprovalDecidedJSON{}, err
	}
	a := yuncang.ActorFromContext(r.Context())
	ev := adminEventFor(a, target, yuncang.EventApprovalDecision, "rejected request "+strconv.FormatInt(ap.ID, 10)+": "+describeChange(ap))
	ev.Targets = []string{"approval:" + strconv.FormatInt(ap.ID, 10)}
	if ap, err = s.store.DecideApproval(r.Context(), ap.ID, a.UserID, yuncang.ApprovalRejected, note, s.auth.Now(), ev); err != nil {
		return ApprovalDecidedJSON{}, err
	}
	if ap.Change.NewAccount {
		// A rejected new account never becomes usable.
		if err := s.store.Disable(r.Context(), target.ID, "creation rejected", s.auth.Now(), adminEventFor(a, target, yuncang.EventOffboard, "creation rejected")); err != nil {
			s.log.Error("disable rejected account", "err", err.Error())
		}
	}
	j, err := s.approvalJSON(r, ap, target)
	if err != nil {
		return ApprovalDecidedJSON{}, err
	}
	return ApprovalDecidedJSON{Approval: j}, nil
}

// approveRequest records the second person's approval and applies the
// change. The decision is claimed atomically first, so two approvers
// racing apply it once; if applying fails the request is marked failed.
func (s *Server) approveRequest(w http.ResponseWriter, r *http.Request) error {
	id, note, err := s.decisionTarget(w, r)
	if err != nil {
		return err
	}
	out, err := s.ApproveApproval(r, id, note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ApproveApproval approves another person's request and applies the
// change (POST .../approve); the answer may carry what only the approver
// receives (a token, half of an enrolment code), shown once.
func (s *Server) ApproveApproval(r *http.Request, id int64, note string) (ApprovalDecidedJSON, error) {
	ap, target, note, err := s.decisionOn(r, id, note)
	if err != nil {
		return ApprovalDecidedJSON{}, err
	}
	a := yuncang.ActorFromContext(r.Context())
	idTarget := []string{"approval:" + strconv.FormatInt(ap.ID, 10)}
	ev := adminEventFor(a, target, yuncang.EventApprovalDecision, "approved request "+strconv.FormatInt(ap.ID, 10)+": "+describeChange(ap))
	ev.Targets = idTarget
	if ap, err = s.store.DecideApproval(r.Context(), ap.ID, a.UserID, yuncang.ApprovalApproved, note, s.auth.Now(), ev); err != nil {
		return ApprovalDecidedJSON{}, err
	}
	out, applyErr := s.applyApproval(r, a, ap, target)
	status, detail := yuncang.ApprovalApplied, "applied request "+strconv.FormatInt(ap.ID, 10)
	if applyErr != nil {
		status, detail = yuncang.ApprovalFailed, "request "+strconv.FormatInt(ap.ID, 10)+" failed to apply"
	}
	fin := adminEventFor(a, target, yuncang.EventApprovalApply, detail)
	fin.Targets = idTarget
	if applyErr != nil {
		fin.Outcome = yuncang.OutcomeDenied
	}
	if err := s.store.FinishApproval(r.Context(), ap.ID, status, fin); err != nil {
		return ApprovalDecidedJSON{}, err
	}
	if applyErr != nil {
		return ApprovalDecidedJSON{}, applyErr
	}
	ap.Status = status
	if out.Approval, err = s.approvalJSON(r, ap, target); err != nil {
		return ApprovalDecidedJSON{}, err
	}
	return out, nil
}

// applyApproval makes the approved change, re-checking what may have
// changed since the request.
func (s *Server) applyApproval(r *http.Request, a *yuncang.Actor, ap *yuncang.Approval, target *yuncang.User) (ApprovalDecidedJSON, error) {
	var out ApprovalDecidedJSON
	ctx := r.Context()
	c := ap.Change
	via := " (four eyes: requested by " + strconv.FormatInt(ap.RequestedBy, 10) + ")"
	switch ap.Kind {
	case yuncang.ApprovalRole:
		if c.NewAccount {
			if err := s.store.ActivatePending(ctx, target.ID, adminEventFor(a, target, yuncang.EventRoleChange, "activated with role "+c.Role+via)); err != nil {
				return out, err
			}
			if c.EnrolPartHash != nil {
				p2, h2 := auth.NewEnrolmentPart()
				if _, err := s.issueEnrolment(r, a, target, yuncang.EnrolAccount, c.EnrolPartHash, h2, a.UserID); err != nil {
					return out, err
				}
				out.EnrolmentCodePart = p2
			}
			return out, nil
		}
		if target.Status != yuncang.UserActive {
			return out, yuncang.Invalid("id", "the account is no longer active")
		}
		if err := s.applyRole(r, target, c.Role); err != nil {
			return out, err
		}
		s.adminEvent(r, a, target, yuncang.EventRoleChange, target.Role+" -> "+c.Role+via)
		if c.EnrolPartHash != nil {
			// New reach, new credentials: nobody who knew the old ones keeps
			// an account that can now reveal, resolve or administer.
			if err := s.store.ResetCredentials(ctx, target.ID, adminEventFor(a, target, yuncang.EventPasswordChange, "credentials reset on the grant of "+c.Role+"; the person enrols again"+via)); err != nil {
				return out, err
			}
			p2, h2 := auth.NewEnrolmentPart()
			if _, err := s.issueEnrolment(r, a, target, yuncang.EnrolAccount, c.EnrolPartHash, h2, a.UserID); err != nil {
				return out, err
			}
			out.EnrolmentCodePart = p2
		}
	case yuncang.ApprovalShift:
		if err := s.store.UpdateUser(ctx, target.ID, yuncang.UserUpdate{Shift: c.Shift}); err != nil {
			return out, err
		}
		s.adminEvent(r, a, target, yuncang.EventShiftChange, "shift widened into the night"+via)
	case yuncang.ApprovalToken:
		if why := target.Usable(s.auth.Now(), 0); why != "" {
			return out, yuncang.Invalid("username", "the account is %s", why)
		}
		if target.Role == yuncang.RoleCarrier {
			if _, err := s.store.CarrierByUser(ctx, target.ID); err != nil {
				return out, yuncang.Invalid("username", "this carrier account is not linked to a carrier")
			}
		}
		token, cr, err := s.auth.IssueAPIToken(ctx, target.ID, c.TokenLabel, c.Scopes, time.Duration(c.TTLHours)*time.Hour)
		if err != nil {
			return out, err
		}
		s.adminEvent(r, a, target, yuncang.EventTokenIssue, "token "+c.TokenLabel+via)
		out.Token = &TokenResponse{ID: cr.ID, Token: token, Scopes: cr.Scopes, ExpiresAt: cr.ExpiresAt}
	case yuncang.ApprovalReenable:
		if err := s.store.Reenable(ctx, target.ID, adminEventFor(a, target, yuncang.EventReenable, c.Reason+via)); err != nil {
			return out, err
		}
		if s.guard != nil {
			// A fresh start: the windows that led to the suspension go.
			if err := s.guard.Forget(ctx, target.TenantID, target.ID); err != nil {
				return out, yuncang.Internal(err, "reset the guard's windows")
			}
		}
	case yuncang.ApprovalCarrier:
		if c.Carrier == nil {
			return out, yuncang.Errorf(yuncang.EINTERNAL, "carrier approval without a carrier")
		}
		cr, err := s.applyCarrier(r, c.Carrier)
		if err != nil {
			return out, err
		}
		out.Carrier = cr
	default:
		return out, yuncang.Errorf(yuncang.EINTERNAL, "unknown approval kind")
	}
	return out, nil
}

// issueEnrolment stores a one-time code (as the hashes of its parts) for
// the person to set up their own credentials.
func (s *Server) issueEnrolment(r *http.Request, a *yuncang.Actor, u *yuncang.User, purpose string, lookup, check []byte, approvedBy int64) (*yuncang.Enrolment, error) {
	now := s.auth.Now()
	e := &yuncang.Enrolment{TenantID: u.TenantID, UserID: u.ID, Purpose: purpose, LookupHash: lookup, CheckHash: check, CreatedBy: a.UserID,
		ApprovedBy: approvedBy, CreatedAt: now, ExpiresAt: now.Add(yuncang.EnrolmentTTL)}
	detail := purpose + " enrolment code issued"
	if approvedBy != 0 {
		detail += " (split between requester and approver)"
	}
	if err := s.store.CreateEnrolment(r.Context(), e, adminEventFor(a, u, yuncang.EventEnrolmentIssue, detail)); err != nil {
		return nil, err
	}
	return e, nil
}

// widensIntoNight reports whether the new shift lets the account work at
// some night minute of the week the old shift did not. Night is the
// guard's (22:00 to 06:00 unless configured otherwise).
func (s *Server) widensIntoNight(old, next yuncang.Shift) bool {
	start, end := 22*60, 6*60
	if s.guard != nil {
		cfg := s.guard.Config()
		start, end = cfg.NightStart, cfg.NightEnd
	}
	night := func(m int) bool {
		if start <= end {
			return m >= start && m < end
		}
		return m >= start || m < end
	}
	for day := 0; day < 7; day++ {
		for m := 0; m < 1440; m++ {
			if night(m) && shiftAllows(next, day, m) && !shiftAllows(old, day, m) {
				return true
			}
		}
	}
	return false
}

// shiftAllows mirrors Shift.Contains for a weekday and minute.
func shiftAllows(sh yuncang.Shift, day, m int) bool {
	if !sh.Restricted() {
		return true
	}
	on := func(d int) bool { return sh.Days&(1<<d) != 0 }
	if sh.StartMin < sh.EndMin {
		return on(day) && m >= sh.StartMin && m < sh.EndMin
	}
	if m >= sh.StartMin {
		return on(day)
	}
	return m < sh.EndMin && on((day+6)%7)
}
