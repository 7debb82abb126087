package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/pii"
)

// AlertJSON is a guard alert.
type AlertJSON struct {
	ID         int64      `json:"id"`
	At         time.Time  `json:"at"`
	UserID     int64      `json:"user_id"`
	Username   string     `json:"username"`
	Role       string     `json:"role"`
	Rule       string     `json:"rule"`
	Severity   string     `json:"severity"`
	Response   string     `json:"response"`
	Detail     string     `json:"detail"`
	Status     string     `json:"status"`
	ReviewedBy int64      `json:"reviewed_by,omitempty"`
	ReviewNote string     `json:"review_note,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
}

// ReviewRequest is the body of POST /api/v1/alerts/{id}/review.
type ReviewRequest struct {
	Decision string `json:"decision"` // confirmed or dismissed
	Note     string `json:"note"`
}

// ReasonRequest carries a reason for an administrative action.
type ReasonRequest struct {
	Reason string `json:"reason"`
}

// QuotaGrantRequest is the body of POST /api/v1/quota-grants.
type QuotaGrantRequest struct {
	Username string `json:"username"`
	Extra    int    `json:"extra"`
	Reason   string `json:"reason"`
}

// QuotaGrantJSON is a quota raise.
type QuotaGrantJSON struct {
	ID          int64     `json:"id"`
	UserID      int64     `json:"user_id"`
	Kind        string    `json:"kind"`
	Extra       int       `json:"extra"`
	Reason      string    `json:"reason"`
	RequestedBy int64     `json:"requested_by"`
	ApprovedBy  int64     `json:"approved_by,omitempty"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// CanariesScheduledJSON says how many decoys were scheduled (never which
// orders they become).
type CanariesScheduledJSON struct {
	Scheduled int `json:"scheduled"`
}

// CanaryRequest is the body of POST /api/v1/canaries.
type CanaryRequest struct {
	Count int `json:"count"`
}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"GET /api/v1/alerts":                     {nil, pageOf(AlertJSON{}), "200"},
		"POST /api/v1/alerts/{id}/review":        {ReviewRequest{}, AlertJSON{}, "200"},
		"POST /api/v1/users/{id}/reenable":       {ReasonRequest{}, UserJSON{}, "200"},
		"POST /api/v1/quota-grants":              {QuotaGrantRequest{}, QuotaGrantJSON{}, "201"},
		"POST /api/v1/quota-grants/{id}/approve": {nil, QuotaGrantJSON{}, "200"},
		"POST /api/v1/canaries":                  {CanaryRequest{}, CanariesScheduledJSON{}, "201"},
	} {
		apiDocs[k] = v
	}
}

func (s *Server) registerGuardRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		au = yuncang.RoleAuditor
		ma = yuncang.RoleMerchantAdmin
	)
	s.handle("GET", "/api/v1/alerts", "guard", "Guard alerts, newest first (?status=open|confirmed|dismissed)", Policy{Roles: roles(pa, so, ws, au)}, s.listAlerts)
	s.handle("POST", "/api/v1/alerts/{id}/review", "guard", "Confirm or dismiss an alert, with a note", Policy{Roles: roles(pa, so, ws), StepUp: true}, s.reviewAlert)
	s.handle("POST", "/api/v1/users/{id}/reenable", "guard", "Re-enable an account the guard suspended, with a reason: a security officer or platform administrator for any account but their own (merchant staff included), a merchant admin for its own staff; an account that could reveal, resolve or administer waits for a second person (202)", Policy{Roles: roles(pa, so, ma), StepUp: true}, s.reenableUser)
	s.handle("POST", "/api/v1/quota-grants", "guard", "Request a one-day raise of an account's reveal quota", Policy{Roles: roles(pa, so, ws), StepUp: true}, s.requestQuotaGrant)
	s.handle("POST", "/api/v1/quota-grants/{id}/approve", "guard", "Approve a quota raise (a second person)", Policy{Roles: roles(pa, so), StepUp: true}, s.approveQuotaGrant)
	s.handle("POST", "/api/v1/canaries", "guard", "Schedule decoy orders for a merchant: made among its next real orders, never shown which", Policy{Roles: roles(pa, so), Tenant: true, StepUp: true}, s.seedCanaries)
}

func toAlertJSON(a *yuncang.Alert) AlertJSON {
	return AlertJSON{ID: a.ID, At: a.At, UserID: a.UserID, Username: a.Username, Role: a.Role, Rule: a.Rule, Severity: a.Severity,
		Response: a.Response, Detail: a.Detail, Status: a.Status, ReviewedBy: a.ReviewedBy, ReviewNote: a.ReviewNote, ReviewedAt: timePtr(a.ReviewedAt)}
}

// alertVisible: supervisors see alerts about staff of their warehouses.
func (s *Server) alertVisible(r *http.Request, a *yuncang.Actor, al *yuncang.Alert) bool {
	if a.Role != yuncang.RoleWarehouseSupervisor {
		return true
	}
	u, err := s.store.UserByID(r.Context(), al.UserID)
	return err == nil && mayManage(a, u) == nil
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	als, err := s.VisibleAlerts(r, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	out := []AlertJSON{}
	for _, al := range als {
		out = append(out, toAlertJSON(al))
	}
	writeList(w, out)
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, yuncang.Invalid("id", "must be a positive integer")
	}
	return id, nil
}

func (s *Server) reviewAlert(w http.ResponseWriter, r *http.Request) error {
	var req ReviewRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	id, _ := pathID(r) // 0 if it is not an id: ReviewAlert names the field after the body's
	al, err := s.ReviewAlert(r, id, req.Decision, req.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAlertJSON(al))
	return nil
}

func (s *Server) reenableUser(w http.ResponseWriter, r *http.Request) error {
	var req ReasonRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" || len(req.Reason) > 300 {
		return yuncang.Invalid("reason", "is required, at most 300 bytes")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := mayReenable(yuncang.ActorFromContext(r.Context()), u); err != nil {
		return err
	}
	if !strings.HasPrefix(u.DisabledReason, "suspended") {
		return yuncang.Invalid("id", "only accounts the guard suspended can be re-enabled; offboarded and expired accounts stay off")
	}
	a := yuncang.ActorFromContext(r.Context())
	if yuncang.GrantNeedsApproval(u.Role) { // it could reveal, resolve or administer: four eyes
		return s.requestApproval(w, r, a, u, yuncang.ApprovalReenable, yuncang.ApprovalChange{Reason: maskText(req.Reason)}, "")
	}
	if err := s.store.Reenable(r.Context(), u.ID, adminEventFor(a, u, yuncang.EventReenable, maskText(req.Reason))); err != nil {
		return err
	}
	if s.guard != nil {
		if err := s.guard.Forget(r.Context(), u.TenantID, u.ID); err != nil {
			return err
		}
	}
	return s.getUserAfter(w, r, u.ID)
}

// endOfDay is when a quota raise approved at t expires.
func (s *Server) endOfDay(t time.Time) time.Time {
	zone := time.UTC
	if s.guard != nil {
		zone = s.guard.Config().Zone
	}
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, zone)
}

func (s *Server) requestQuotaGrant(w http.ResponseWriter, r *http.Request) error {
	var req QuotaGrantRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Extra < 1 || req.Extra > yuncang.MaxQuotaExtra {
		return yuncang.Invalid("extra", "must be between 1 and %d", yuncang.MaxQuotaExtra)
	}
	if strings.TrimSpace(req.Reason) == "" || len(req.Reason) > 300 {
		return yuncang.Invalid("reason", "is required, at most 300 bytes")
	}
	u, err := s.store.UserByUsername(r.Context(), req.Username)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("username", "no such account")
		}
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	if !mayRequestQuota(a, u) {
		// Out of scope reads as unknown: the request names no account.
		return yuncang.Invalid("username", "no such account")
	}
	if _, ok := s.guardPolicy.Quotas[u.Role]; !ok {
		return yuncang.Invalid("username", "this account has no reveal quota")
	}
	if a.UserID == u.ID {
		return forbid("you may not raise your own quota")
	}
	now := s.auth.Now()
	g := &yuncang.QuotaGrant{UserID: u.ID, Kind: guard.KindReveal, Extra: req.Extra, Reason: maskText(req.Reason), RequestedBy: a.UserID, ExpiresAt: s.endOfDay(now)}
	if err := s.store.RequestQuotaGrant(r.Context(), g); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, QuotaGrantJSON{ID: g.ID, UserID: g.UserID, Kind: g.Kind, Extra: g.Extra, Reason: g.Reason, RequestedBy: g.RequestedBy, ExpiresAt: g.ExpiresAt})
	return nil
}

// mayRequestQuota: a warehouse supervisor asks for raises for the
// platform's customer service and for staff all of whose warehouses it
// supervises, never for a merchant's own staff (their merchant admin
// speaks for them); platform administrators and security officers for
// anyone. The raise itself still needs a second person.
func mayRequestQuota(a *yuncang.Actor, u *yuncang.User) bool {
	if a.Role != yuncang.RoleWarehouseSupervisor {
		return true
	}
	if yuncang.IsMerchantRole(u.Role) {
		return false
	}
	for _, w := range u.Warehouses {
		if !a.InWarehouse(w) {
			return false
		}
	}
	return true
}

func (s *Server) approveQuotaGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ev := actorEvent(r, yuncang.EventQuotaRaise)
	ev.Targets = []string{"quota_grant:" + strconv.FormatInt(id, 10)}
	a := yuncang.ActorFromContext(r.Context())
	g, err := s.store.ApproveQuotaGrant(r.Context(), id, a.UserID, s.auth.Now(), ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, QuotaGrantJSON{ID: g.ID, UserID: g.UserID, Kind: g.Kind, Extra: g.Extra, Reason: g.Reason, RequestedBy: g.RequestedBy, ApprovedBy: g.ApprovedBy, ExpiresAt: g.ExpiresAt})
	return nil
}

// seedCanaries schedules decoy orders for the merchant. They are made
// during the intake of its next real orders (decoyIntake), so that nothing
// an insider sees — ids, times, merchant order ids, recipients, lines —
// sets them apart. Nobody is told which orders they become.
func (s *Server) seedCanaries(w http.ResponseWriter, r *http.Request) error {
	var req CanaryRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Count < 1 || req.Count > 50 {
		return yuncang.Invalid("count", "must be between 1 and 50")
	}
	t := tenantFrom(r.Context())
	ev := actorEvent(r, yuncang.EventCanarySeed)
	ev.Detail = strconv.Itoa(req.Count) + " decoy orders scheduled"
	if err := s.store.ScheduleDecoys(r.Context(), t.ID, req.Count, ev); err != nil {
		return err
	}
	s.canaries.mu.Lock()
	s.canaries.ids = nil // reload on the next check
	s.canaries.mu.Unlock()
	writeJSON(w, http.StatusCreated, CanariesScheduledJSON{Scheduled: req.Count})
	return nil
}

// maskText hides phone and ID numbers in free text typed by staff.
func maskText(s string) string {
	m, _ := pii.MaskText(s)
	return m
}
