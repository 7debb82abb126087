package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/pii"
)

// mayManage decides whether the actor administers the target account:
// the role pair must allow it, merchant admins reach only their own tenant,
// supervisors only staff all of whose warehouses they supervise.
func mayManage(a *yuncang.Actor, t *yuncang.User) error {
	if a.UserID == t.ID {
		return forbid("you may not administer your own account")
	}
	if !yuncang.CanManage(a.Role, t.Role) {
		return forbid("your role may not administer this account")
	}
	if a.Role == yuncang.RoleMerchantAdmin && t.TenantID != a.TenantID {
		return yuncang.Errorf(yuncang.ENOTFOUND, "user not found")
	}
	if a.Role == yuncang.RoleWarehouseSupervisor {
		for _, w := range t.Warehouses {
			if !a.InWarehouse(w) {
				return forbid("this account works in a warehouse outside your scope")
			}
		}
	}
	return nil
}

// mayReenable decides whether the actor may re-enable (or ask a second
// person to re-enable) an account the guard suspended. Re-enabling is the
// security officers' and platform administrators' work for every account
// but their own (the guard's suspension message says so), merchant staff
// included, which they do not otherwise administer; a merchant admin may
// ask for its own staff. Whether the change also needs a second person is
// the same rule for all of them (yuncang.GrantNeedsApproval).
func mayReenable(a *yuncang.Actor, t *yuncang.User) error {
	if a.UserID == t.ID {
		return forbid("you may not re-enable your own account")
	}
	switch a.Role {
	case yuncang.RolePlatformAdmin, yuncang.RoleSecurityOfficer:
		if yuncang.IsMerchantRole(t.Role) || yuncang.CanManage(a.Role, t.Role) {
			return nil
		}
		return forbid("your role may not re-enable this account")
	}
	return mayManage(a, t)
}

// visible reports whether the actor may see the account in lists and reviews.
func visible(a *yuncang.Actor, u *yuncang.User) bool {
	switch a.Role {
	case yuncang.RolePlatformAdmin, yuncang.RoleSecurityOfficer, yuncang.RoleAuditor:
		return true
	case yuncang.RoleMerchantAdmin:
		return u.TenantID == a.TenantID
	case yuncang.RoleWarehouseSupervisor:
		return mayManage(a, u) == nil || u.ID == a.UserID
	}
	return false
}

// targetUser loads the {id} account and checks the actor administers it.
func (s *Server) targetUser(r *http.Request) (*yuncang.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, yuncang.Invalid("id", "must be a positive integer")
	}
	return s.targetUserID(r, id)
}

// targetUserID loads an account and checks the actor administers it.
func (s *Server) targetUserID(r *http.Request, id int64) (*yuncang.User, error) {
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := mayManage(yuncang.ActorFromContext(r.Context()), u); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	var req CreateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if !yuncang.ValidRole(req.Role) {
		return yuncang.Invalid("role", "is not a known role")
	}
	if !yuncang.CanManage(a.Role, req.Role) {
		return forbid("your role may not create this kind of account")
	}
	u := &yuncang.User{Username: req.Username, Role: req.Role, EmploymentType: req.EmploymentType, CreatedBy: a.UserID}
	if yuncang.IsMerchantRole(req.Role) {
		if a.Role == yuncang.RoleMerchantAdmin {
			u.TenantID, u.ManagerID = a.TenantID, a.UserID
			if req.Tenant != "" {
				own, err := s.store.TenantByID(r.Context(), a.TenantID)
				if err != nil {
					return err
				}
				if req.Tenant != own.Code {
					return forbid("you may act only on your own tenant")
				}
			}
		} else {
			t, err := s.store.TenantByCode(r.Context(), req.Tenant)
			if err != nil {
				if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
					return yuncang.Invalid("tenant", "no such tenant")
				}
				return err
			}
			u.TenantID = t.ID
		}
	} else if req.Tenant != "" {
		return yuncang.Invalid("tenant", "must be empty for platform roles")
	}
	// Every invalid field at once; the reach check below runs only on a
	// complete account.
	var probs yuncang.Problems
	var err error
	u.Warehouses, err = s.warehouseIDs(r, "warehouses", req.Warehouses)
	probs.Check(err)
	u.Shift, err = fromShiftJSON(req.Shift)
	probs.Check(err)
	probs.Check(s.checkEnd(r, a, u, req.EndAt))
	if !probs.OK() {
		probs.Check(u.Validate())
		return probs.Err()
	}
	if u.EndAt.IsZero() && req.EndAt != nil {
		u.EndAt = *req.EndAt
	}
	if err := mayManage(a, u); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if yuncang.GrantNeedsApproval(u.Role) {
		return s.createUserUnderApproval(w, r, a, u)
	}
	if err := s.store.CreateUser(r.Context(), u, ""); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventUserCreate, "role "+u.Role+", "+u.EmploymentType)
	out := CreatedUserJSON{}
	p1, h1 := auth.NewEnrolmentPart()
	p2, h2 := auth.NewEnrolmentPart()
	e, err := s.issueEnrolment(r, a, u, yuncang.EnrolAccount, h1, h2, 0)
	if err != nil {
		return err
	}
	out.EnrolmentCode, out.EnrolmentExpiresAt = auth.EnrolmentCode(p1, p2), e.ExpiresAt
	if out.UserJSON, err = s.userJSON(r, u); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// checkEnd validates an end date: in the future, required and bounded for
// temporary staff, and never beyond the end of a merchant admin's authority.
func (s *Server) checkEnd(r *http.Request, a *yuncang.Actor, u *yuncang.User, end *time.Time) error {
	now := s.auth.Now()
	if end == nil {
		if yuncang.HasBoundedTerm(u.EmploymentType) {
			return yuncang.Invalid("end_at", "is required for temporary staff and contractors (at most %d days ahead)", s.auth.Policy.TempMaxDays)
		}
	} else {
		if !end.After(now) {
			return yuncang.Invalid("end_at", "must be in the future")
		}
		if yuncang.HasBoundedTerm(u.EmploymentType) && end.After(s.auth.TempEndLimit()) {
			return yuncang.Invalid("end_at", "is more than %d days ahead, the limit for temporary staff and contractors", s.auth.Policy.TempMaxDays)
		}
		u.EndAt = *end
	}
	if u.Role == yuncang.RoleMerchantStaff && u.ManagerID != 0 {
		m, err := s.store.UserByID(r.Context(), u.ManagerID)
		if err != nil {
			return err
		}
		if !m.EndAt.IsZero() && (u.EndAt.IsZero() || u.EndAt.After(m.EndAt)) {
			u.EndAt = m.EndAt // a sub-account never outlives its admin's authority
		}
	}
	return nil
}

// adminEventFor is the audit event of an administrator acting on an account.
func adminEventFor(a *yuncang.Actor, target *yuncang.User, kind, detail string) *yuncang.Event {
	return &yuncang.Event{UserID: target.ID, Username: target.Username, Role: target.Role, TenantID: target.TenantID,
		ActorID: a.UserID, ActorName: a.Username, ActorRole: a.Role, Kind: kind, Outcome: yuncang.OutcomeOK, Source: a.Source, Detail: detail}
}

func (s *Server) adminEvent(r *http.Request, a *yuncang.Actor, target *yuncang.User, kind, detail string) {
	if err := s.store.RecordEvent(r.Context(), adminEventFor(a, target, kind, detail)); err != nil {
		s.log.Error("record security event", "kind", kind, "err", err.Error())
	}
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.VisibleUsers(r)
	if err != nil {
		return err
	}
	out := []UserJSON{}
	for _, u := range us {
		j, err := s.userJSON(r, u)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	writeList(w, out)
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !visible(yuncang.ActorFromContext(r.Context()), u) {
		return yuncang.Errorf(yuncang.ENOTFOUND, "user not found")
	}
	return s.writeUser(w, r, u)
}

func (s *Server) offboardUser(w http.ResponseWriter, r *http.Request) error {
	var req OffboardRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Reason == "" || len(req.Reason) > 200 {
		return yuncang.Invalid("reason", "is required, at most 200 bytes")
	}
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	if err := s.OffboardUser(r, u.ID, req.Reason); err != nil {
		return err
	}
	return s.getUserAfter(w, r, u.ID)
}

// OffboardUser disables an account the actor administers and revokes all
// its sessions and tokens at once, with a reason (masked before it is
// stored), as POST /api/v1/users/{id}/offboard.
func (s *Server) OffboardUser(r *http.Request, id int64, reason string) error {
	if reason == "" || len(reason) > 200 {
		return yuncang.Invalid("reason", "is required, at most 200 bytes")
	}
	u, err := s.targetUserID(r, id)
	if err != nil {
		return err
	}
	reason, _ = pii.MaskText(reason)
	a := yuncang.ActorFromContext(r.Context())
	return s.store.Disable(r.Context(), u.ID, "offboarded: "+reason, s.auth.Now(), adminEventFor(a, u, yuncang.EventOffboard, reason))
}

func (s *Server) setUserRole(w http.ResponseWriter, r *http.Request) error {
	var req RoleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	if !yuncang.ValidRole(req.Role) {
		return yuncang.Invalid("role", "is not a known role")
	}
	if !yuncang.CanManage(a.Role, req.Role) {
		return forbid("your role may not grant this role")
	}
	if yuncang.IsMerchantRole(req.Role) != yuncang.IsMerchantRole(u.Role) || (req.Role == yuncang.RoleCarrier) != (u.Role == yuncang.RoleCarrier) {
		return yuncang.Invalid("role", "cannot move an account between merchant, platform and machine roles; create a new account")
	}
	if yuncang.IsWarehouseScoped(req.Role) && len(u.Warehouses) == 0 {
		return yuncang.Invalid("role", "set the account's warehouses first")
	}
	if u.Status == yuncang.UserPending {
		return yuncang.Invalid("id", "the account is awaiting approval")
	}
	if yuncang.GrantNeedsApproval(req.Role) {
		// The account enrols again once the grant is approved: whoever set
		// its current credentials (an administrator who created a harmless
		// account to promote it) must not keep them. The requester holds
		// half of the new code, the approver the other half.
		c := yuncang.ApprovalChange{Role: req.Role}
		part := ""
		if req.Role != yuncang.RoleCarrier {
			var h []byte
			part, h = auth.NewEnrolmentPart()
			c.EnrolPartHash = h
		}
		return s.requestApproval(w, r, a, u, yuncang.ApprovalRole, c, part)
	}
	if err := s.applyRole(r, u, req.Role); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventRoleChange, u.Role+" -> "+req.Role)
	return s.getUserAfter(w, r, u.ID)
}

// applyRole gives the account the role; roles that are not
// warehouse-scoped lose the warehouse scope.
func (s *Server) applyRole(r *http.Request, u *yuncang.User, role string) error {
	up := yuncang.UserUpdate{Role: &role}
	if !yuncang.IsWarehouseScoped(role) {
		none := []int64{}
		up.Warehouses = &none
	}
	return s.store.UpdateUser(r.Context(), u.ID, up)
}

// getUserAfter answers with the account as it now stands.
func (s *Server) getUserAfter(w http.ResponseWriter, r *http.Request, id int64) error {
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.writeUser(w, r, u)
}

func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, u *yuncang.User) error {
	j, err := s.userJSON(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (s *Server) setUserWarehouses(w http.ResponseWriter, r *http.Request) error {
	var req WarehousesRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	if !yuncang.IsWarehouseScoped(u.Role) {
		return yuncang.Invalid("warehouses", "this role is not warehouse-scoped")
	}
	if len(req.Warehouses) == 0 {
		return yuncang.Invalid("warehouses", "at least one warehouse is required")
	}
	ids, err := s.warehouseIDs(r, "warehouses", req.Warehouses)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	for i, id := range ids {
		if !a.InWarehouse(id) {
			return forbid("warehouse " + strconv.Itoa(i) + " is outside your scope")
		}
	}
	if err := s.store.UpdateUser(r.Context(), u.ID, yuncang.UserUpdate{Warehouses: &ids}); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventScopeChange, "warehouses changed")
	return s.getUserAfter(w, r, u.ID)
}

func (s *Server) setUserShift(w http.ResponseWriter, r *http.Request) error {
	var req ShiftJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	sh, err := fromShiftJSON(&req)
	if err != nil {
		return err
	}
	if s.widensIntoNight(u.Shift, sh) {
		return s.requestApproval(w, r, yuncang.ActorFromContext(r.Context()), u, yuncang.ApprovalShift, yuncang.ApprovalChange{Shift: &sh}, "")
	}
	if err := s.store.UpdateUser(r.Context(), u.ID, yuncang.UserUpdate{Shift: &sh}); err != nil {
		return err
	}
	s.adminEvent(r, yuncang.ActorFromContext(r.Context()), u, yuncang.EventShiftChange, "shift changed")
	return s.getUserAfter(w, r, u.ID)
}

func (s *Server) setUserEnd(w http.ResponseWriter, r *http.Request) error {
	var req EndRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	u.EndAt = time.Time{}
	if err := s.checkEnd(r, a, u, req.EndAt); err != nil {
		return err
	}
	if err := s.store.UpdateUser(r.Context(), u.ID, yuncang.UserUpdate{EndAt: &u.EndAt}); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventScopeChange, "end date changed")
	return s.getUserAfter(w, r, u.ID)
}

// resetUserTOTP issues a one-time code with which the person enrols a new
// second factor. The administrator never sees the factor, and the code
// alone takes nothing over: redeeming it needs the account's password,
// which only the person knows. The old factor works until then. An account
// that never enrolled gets a new account code instead, unless its role
// needs four eyes.
func (s *Server) resetUserTOTP(w http.ResponseWriter, r *http.Request) error {
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	if u.Role == yuncang.RoleCarrier {
		return yuncang.Invalid("id", "machine clients have no second factor")
	}
	if u.Status != yuncang.UserActive {
		return yuncang.Invalid("id", "the account is not active")
	}
	purpose := yuncang.EnrolFactor
	if _, hash, err := s.store.UserForLogin(r.Context(), u.Username); err != nil {
		return err
	} else if hash == "" {
		// Never enrolled (the first code expired): a new account code. For a
		// role under four eyes that would hand one administrator the whole
		// account, so such an account is made again under four eyes instead.
		if yuncang.GrantNeedsApproval(u.Role) {
			return yuncang.Invalid("id", "the account never enrolled; offboard it and create it again (a second person approves it)")
		}
		purpose = yuncang.EnrolAccount
	}
	a := yuncang.ActorFromContext(r.Context())
	p1, h1 := auth.NewEnrolmentPart()
	p2, h2 := auth.NewEnrolmentPart()
	e, err := s.issueEnrolment(r, a, u, purpose, h1, h2, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, EnrolmentJSON{Purpose: e.Purpose, EnrolmentCode: auth.EnrolmentCode(p1, p2), ExpiresAt: e.ExpiresAt})
	return nil
}

func (s *Server) reviewUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	if err := s.store.UpdateUser(r.Context(), u.ID, yuncang.UserUpdate{Reviewed: true}); err != nil {
		return err
	}
	s.adminEvent(r, yuncang.ActorFromContext(r.Context()), u, yuncang.EventReview, "access reviewed")
	return s.getUserAfter(w, r, u.ID)
}

// reviewPeriod is how often every account's access must be reviewed.
const reviewPeriod = yuncang.AccessReviewPeriod

func (s *Server) accessReview(w http.ResponseWriter, r *http.Request) error {
	out, err := s.AccessReview(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// AccessReview is who can do what among the accounts the actor may see,
// when each last acted, which are due for review (GET /access-review).
func (s *Server) AccessReview(r *http.Request) (AccessReviewJSON, error) {
	a := yuncang.ActorFromContext(r.Context())
	all, err := s.store.AllUsers(r.Context())
	if err != nil {
		return AccessReviewJSON{}, err
	}
	now := s.auth.Now()
	out := AccessReviewJSON{GeneratedAt: now, Accounts: []AccessReviewAccount{}, ByWarehouse: map[string][]string{}, ByTenant: map[string][]string{}, PastDue: []string{}}
	for _, u := range all {
		if !visible(a, u) {
			continue
		}
		j, err := s.userJSON(r, u)
		if err != nil {
			return AccessReviewJSON{}, err
		}
		acc := AccessReviewAccount{UserJSON: j, Can: capabilities(u.Role)}
		last := u.LastActiveAt
		if u.LastLoginAt.After(last) {
			last = u.LastLoginAt
		}
		acc.LastActed = timePtr(last)
		base := u.CreatedAt
		if u.ReviewedAt.After(base) {
			base = u.ReviewedAt
		}
		acc.ReviewDueAt = base.Add(reviewPeriod)
		acc.PastDue = u.Status == yuncang.UserActive && now.After(acc.ReviewDueAt)
		if acc.PastDue {
			out.PastDue = append(out.PastDue, u.Username)
		}
		for _, wc := range j.Warehouses {
			out.ByWarehouse[wc] = append(out.ByWarehouse[wc], u.Username)
		}
		if j.Tenant != "" {
			out.ByTenant[j.Tenant] = append(out.ByTenant[j.Tenant], u.Username)
		}
		out.Accounts = append(out.Accounts, acc)
	}
	return out, nil
}

// capabilities describes in words what a role can do, for reviewers.
func capabilities(role string) []string {
	var c []string
	if yuncang.CanRevealPI(role) {
		c = append(c, "reveal recipient data (one at a time, stated purpose, enrolled device, second factor)")
	}
	if yuncang.CanAdminAccounts(role) {
		c = append(c, "administer accounts")
	}
	switch role {
	case yuncang.RoleOperator:
		c = append(c, "warehouse operations in assigned warehouses")
	case yuncang.RoleMerchantAdmin, yuncang.RoleMerchantStaff:
		c = append(c, "submit and view own merchant's orders (masked)")
	case yuncang.RoleAuditor:
		c = append(c, "read-only: security events, access review, integrity")
	case yuncang.RoleCarrier:
		c = append(c, "machine client: scoped API tokens")
	}
	return c
}

// maxTokenTTL bounds API tokens: machine credentials expire too. Carrier
// tokens are bounded much tighter (auth.Policy.CarrierTokenMaxTTL).
const maxTokenTTL = 90 * 24 * time.Hour

// tokenNeedsApproval reports whether a token with these scopes reaches
// personal data (resolving virtual numbers, reading or searching orders)
// and so needs a second person.
func tokenNeedsApproval(scopes []string) bool {
	return slices.Contains(scopes, ScopeCarrier) || slices.Contains(scopes, ScopeOrdersRead)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	var req CreateTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Username == "" {
		return yuncang.Invalid("username", "is required")
	}
	if len(req.Label) > 100 {
		return yuncang.Invalid("label", "is longer than 100 bytes")
	}
	// The label is free text that goes into the audit log (token_issue,
	// approval requests): masked like every other note.
	req.Label = maskText(req.Label)
	u, err := s.store.UserByUsername(r.Context(), req.Username)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("username", "no such account")
		}
		return err
	}
	if a.Role == yuncang.RoleMerchantAdmin && u.TenantID != a.TenantID {
		return yuncang.Invalid("username", "no such account")
	}
	// Machine tokens go to carrier clients (platform), merchant staff
	// accounts used by a merchant's own systems, and platform accounts
	// that may read metrics (a scrape token, scope metrics only).
	allowed := []string{ScopeCarrier}
	switch {
	case u.Role == yuncang.RoleMerchantStaff && a.Role == yuncang.RoleMerchantAdmin:
		allowed = []string{ScopeOrdersWrite, ScopeOrdersRead, ScopeCatalogRead, ScopeCatalogWrite}
	case slices.Contains(MetricsRoles, u.Role) && a.Role != yuncang.RoleMerchantAdmin:
		// A scrape token is issued to the issuer's own account only: it
		// is attributed to that person (their audit trail, their alerts),
		// so nobody mints one in another person's name.
		if u.ID != a.UserID {
			return yuncang.Invalid("username", "a metrics token is issued only to your own account")
		}
		allowed = []string{ScopeMetrics}
	case u.Role != yuncang.RoleCarrier || a.Role == yuncang.RoleMerchantAdmin:
		return yuncang.Invalid("username", "API tokens are for carrier clients, merchants' own systems and metrics scrapers")
	}
	if len(req.Scopes) == 0 {
		return yuncang.Invalid("scopes", "name at least one scope")
	}
	for i, sc := range req.Scopes {
		if !slices.Contains(allowed, sc) {
			return yuncang.Invalid("scopes["+strconv.Itoa(i)+"]", "is not a scope this account may be given")
		}
	}
	ttl, err := s.tokenTTL(u, req.TTLHours)
	if err != nil {
		return err
	}
	if why := u.Usable(s.auth.Now(), 0); why != "" {
		return yuncang.Invalid("username", "the account is %s", why)
	}
	if u.Role == yuncang.RoleCarrier {
		// A carrier token acts as exactly one carrier: the one its account
		// is linked to. An unlinked carrier account gets no token at all.
		if _, err := s.store.CarrierByUser(r.Context(), u.ID); err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return yuncang.Invalid("username", "this carrier account is not linked to a carrier")
			}
			return err
		}
	}
	if tokenNeedsApproval(req.Scopes) {
		return s.requestApproval(w, r, a, u, yuncang.ApprovalToken,
			yuncang.ApprovalChange{TokenLabel: req.Label, Scopes: req.Scopes, TTLHours: int(ttl / time.Hour)}, "")
	}
	token, c, err := s.auth.IssueAPIToken(r.Context(), u.ID, req.Label, req.Scopes, ttl)
	if err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventTokenIssue, "token "+req.Label)
	writeJSON(w, http.StatusCreated, TokenResponse{ID: c.ID, Token: token, Scopes: c.Scopes, ExpiresAt: c.ExpiresAt})
	return nil
}

// tokenTTL is a token's lifetime: carrier tokens live a day unless asked
// for less, at most the configured maximum (a week by default); merchant
// system tokens at most maxTokenTTL.
func (s *Server) tokenTTL(u *yuncang.User, hours int) (time.Duration, error) {
	def, max := 30*24*time.Hour, maxTokenTTL
	if u.Role == yuncang.RoleCarrier {
		def, max = s.auth.Policy.CarrierTokenTTL, s.auth.Policy.CarrierTokenMaxTTL
	}
	ttl := time.Duration(hours) * time.Hour
	if hours == 0 {
		return def, nil
	}
	if hours < 0 || ttl > max {
		return 0, yuncang.Invalid("ttl_hours", "must be between 1 and %d", int(max.Hours()))
	}
	return ttl, nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	c, err := s.store.CredentialByID(r.Context(), id)
	if err != nil || c.Kind != yuncang.CredentialAPIToken {
		return yuncang.Errorf(yuncang.ENOTFOUND, "token not found")
	}
	u, err := s.store.UserByID(r.Context(), c.UserID)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	if a.Role == yuncang.RoleMerchantAdmin && u.TenantID != a.TenantID {
		return yuncang.Errorf(yuncang.ENOTFOUND, "token not found")
	}
	if err := s.store.DeleteCredential(r.Context(), id); err != nil {
		return err
	}
	s.adminEvent(r, a, u, yuncang.EventTokenRevoke, "token "+c.Label)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
