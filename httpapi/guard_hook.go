package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

// Activity kinds the anti-theft guard watches. Every handler that shows,
// prints or resolves recipient data calls observe before doing it.
const (
	ActivityReveal       = guard.KindReveal
	ActivityLabelPrint   = guard.KindLabelPrint
	ActivityLabelReprint = guard.KindLabelReprint
	ActivityPhoneSearch  = guard.KindPhoneSearch
	ActivityListPage     = guard.KindListPage
	ActivityExport       = guard.KindExport
	ActivityResolve      = guard.KindResolve
	ActivityWaybillQuery = guard.KindWaybillQuery
	ActivityShipment     = guard.KindShipment
	ActivityManifest     = guard.KindManifest
	ActivityOrderChange  = guard.KindOrderChange
)

// GuardPolicy holds the hard limits the guard enforces through storage.
type GuardPolicy struct {
	// Quotas of reveals per role: per hour and per day.
	Quotas map[string][2]int
	// The merchant's daily ceiling on reveals: its busiest day of orders
	// shipped in the last 7 days × Coefficient, at least Floor (as Douyin
	// does with paid orders; imported orders alone never raise it).
	Coefficient float64
	Floor       int
}

// DefaultGuardPolicy: customer service 10 an hour and 30 a day, merchant
// staff 5 and 20; a merchant's staff together at most a tenth of its
// busiest day's orders.
func DefaultGuardPolicy() GuardPolicy {
	return GuardPolicy{
		Quotas:      map[string][2]int{yuncang.RoleCustomerService: {10, 30}, yuncang.RoleMerchantStaff: {5, 20}},
		Coefficient: 0.1,
		Floor:       20,
	}
}

// guardAction maps a guard kind to the audit action its history is in.
var guardAction = map[string]string{
	guard.KindReveal: yuncang.EventReveal, guard.KindListPage: yuncang.EventListPage, guard.KindPhoneSearch: yuncang.EventPhoneSearch,
	guard.KindLabelPrint: "label_print", guard.KindLabelReprint: "label_reprint", guard.KindResolve: "virtual_number_resolve",
	guard.KindExport: "export", guard.KindWaybillQuery: "virtual_number_resolve",
	guard.KindShipment: yuncang.EventShipmentCreate, guard.KindManifest: yuncang.EventKindCarrierHandover,
}

// baselines caches activity baselines from the audit log for an hour, and
// merchants' daily reveal ceilings for ten minutes.
type baselines struct {
	mu       sync.Mutex
	m        map[string]cachedBaseline
	ceilings map[int64]cachedCeiling
}

type cachedCeiling struct {
	n  int
	at time.Time
}

type cachedBaseline struct {
	b  guard.Baseline
	at time.Time
}

func (s *Server) baseline(ctx context.Context, a *yuncang.Actor, kind string, now time.Time) guard.Baseline {
	key := fmt.Sprintf("%d|%s", a.UserID, kind)
	s.bases.mu.Lock()
	c, ok := s.bases.m[key]
	s.bases.mu.Unlock()
	if ok && now.Sub(c.at) < time.Hour && now.After(c.at) {
		return c.b
	}
	action, ok := guardAction[kind]
	if !ok {
		return guard.Baseline{}
	}
	// The last seven whole days before today: today's activity is what is judged.
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	own, peer, err := s.store.ActivityBaseline(ctx, a.UserID, a.Role, action, today.AddDate(0, 0, -7), today)
	if err != nil {
		s.log.Error("guard baseline", "err", err.Error())
		return guard.Baseline{}
	}
	b := guard.Baseline{OwnDaily: own, PeerDaily: peer}
	s.bases.mu.Lock()
	if s.bases.m == nil || len(s.bases.m) > 10000 {
		s.bases.m = map[string]cachedBaseline{}
	}
	s.bases.m[key] = cachedBaseline{b, now}
	s.bases.mu.Unlock()
	return b
}

// observe runs the guard on the request's actor about to do kind to
// targets ("order:12", "waybill:SF123"). It returns an error to refuse:
// when a rule suspends the account (which happens here, at once), when a
// fresh second factor is required and missing.
func (s *Server) observe(r *http.Request, kind string, targets ...string) error {
	g, err := s.guardCheck(r, kind, targets...)
	if g == nil || err != nil {
		return err
	}
	if err := g.run(r.Context(), nil); err != nil && yuncang.ErrorCode(err) == yuncang.EINTERNAL {
		return err // fail closed: a limit that cannot be counted is not let go
	}
	return g.respond()
}

// guardJudgement is the guard's view of one request: prepared before the
// request's transaction, decided inside it (run, which may be called again
// if the access is retried in a new transaction), and acted upon after it
// (respond), since a suspension and an alert are records of their own.
type guardJudgement struct {
	s       *Server
	r       *http.Request
	a       *yuncang.Actor
	act     guard.Activity
	base    guard.Baseline
	d       guard.Decision
	decided bool
}

// guardCheck prepares the guard's judgement of the request's actor about
// to do kind to targets: the activity, whether a target is a decoy, and the
// actor's baseline (all cached, read before any transaction). nil when the
// guard is off.
func (s *Server) guardCheck(r *http.Request, kind string, targets ...string) (*guardJudgement, error) {
	if s.guard == nil {
		return nil, nil
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	now := s.auth.Now()
	act := guard.Activity{At: now.In(s.guard.Config().Zone), ActorID: a.UserID, Role: a.Role, TenantID: a.TenantID, ActorTenantID: a.TenantID,
		Kind: kind, Targets: targets, HasShift: a.Shift.Restricted(), InShift: s.auth.InShift(a), Machine: a.Kind == yuncang.CredentialAPIToken}
	if t := tenantFrom(ctx); t != nil {
		act.TenantID = t.ID
	}
	var ids []int64
	for _, t := range targets {
		if id, ok := strings.CutPrefix(t, "order:"); ok {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
	}
	canary, err := s.isCanary(ctx, ids, now)
	if err != nil {
		return nil, err
	}
	act.Canary = canary
	return &guardJudgement{s: s, r: r, a: a, act: act, base: s.baseline(ctx, a, kind, act.At)}, nil
}

// run decides over windows w (a storage transaction's; nil: the guard's own
// store) and returns the error that refuses the request, if the decision
// refuses it. It has no effect beyond the windows: respond acts.
func (g *guardJudgement) run(ctx context.Context, w guard.Windows) error {
	var d guard.Decision
	var err error
	if w == nil {
		d, err = g.s.guard.Observe(ctx, g.act, g.base)
	} else {
		d, err = g.s.guard.ObserveIn(ctx, w, g.act, g.base)
	}
	if err != nil {
		return err
	}
	g.d, g.decided = d, true
	_, refusal := g.s.verdict(g.a, d)
	return refusal
}

// respond acts on the last decision: suspends the account, records the
// alert, and returns the error refusing the request (nil: go on).
func (g *guardJudgement) respond() error {
	if !g.decided {
		return nil
	}
	g.s.metrics.decision(g.act.Kind, g.d.Max())
	if g.d.Max() == guard.Suspend {
		return g.s.suspend(g.r, g.a, g.d)
	}
	response, refusal := g.s.verdict(g.a, g.d)
	if response != "" {
		g.s.raise(g.r, g.a, g.d, response)
	}
	return refusal
}

// errSuspended answers a request whose account the guard has suspended.
func errSuspended() error {
	return yuncang.Errorf(yuncang.EFORBIDDEN, "your account has been suspended pending review; a security officer or a platform administrator re-enables it")
}

// verdict is what decision d means for a request of a: the response to
// record in an alert ("" for none) and the error refusing the request (nil
// to go on). Pure: the caller acts on it.
func (s *Server) verdict(a *yuncang.Actor, d guard.Decision) (string, error) {
	switch d.Max() {
	case guard.Suspend:
		return "account suspended", errSuspended()
	case guard.Refuse:
		return "refused", yuncang.Errorf(yuncang.ERATELIMITED, "a limit your merchant's accounts share is used up; try again later")
	case guard.StepUp:
		if a.Kind == yuncang.CredentialAPIToken {
			// A machine cannot step up; its abuse is caught by the rules
			// that suspend (misses, walking, volume). Record and go on.
			return "alerted (machine client)", nil
		}
		if !s.auth.SteppedUp(a) {
			return "step-up required", &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "totp", Message: "unusual activity: confirm with a fresh one-time code (POST /api/v1/step-up)"}
		}
		return "allowed after step-up", nil
	case guard.Alert:
		return "alerted", nil
	}
	return "", nil
}

// quotaFor is the quota a reveal by the request's actor spends (nil when
// the role has none or the guard is off). The store spends it in the
// reveal's own transaction.
func (s *Server) quotaFor(r *http.Request, kind string) *yuncang.QuotaRequest {
	a := yuncang.ActorFromContext(r.Context())
	q, ok := s.guardPolicy.Quotas[a.Role]
	if s.guard == nil || !ok {
		return nil
	}
	t := tenantFrom(r.Context())
	at := s.auth.Now().In(s.guard.Config().Zone)
	return &yuncang.QuotaRequest{UserID: a.UserID, TenantID: t.ID, Kind: kind, At: at, HourLimit: q[0], DayLimit: q[1],
		TenantLimit: s.tenantCeiling(r.Context(), t.ID, at)}
}

// quotaRefused records an alert when a quota stopped a request.
func (s *Server) quotaRefused(r *http.Request, err error) {
	if yuncang.ErrorCode(err) == yuncang.ERATELIMITED {
		s.metrics.quota.WithLabelValues(ActivityReveal).Inc()
		s.raise(r, yuncang.ActorFromContext(r.Context()), guard.Decision{Signals: []guard.Signal{{Rule: "quota", Severity: guard.Alert, Detail: yuncang.ErrorMessage(err)}}}, "refused")
	}
}

// canaryCache holds the decoy order ids, refreshed every minute (and at
// once after this server seeds new ones), so the check costs no query.
type canaryCache struct {
	mu  sync.Mutex
	ids map[int64]bool
	at  time.Time
}

func (s *Server) isCanary(ctx context.Context, ids []int64, now time.Time) (bool, error) {
	if len(ids) == 0 {
		return false, nil
	}
	c := &s.canaries
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil || now.Sub(c.at) > time.Minute || now.Before(c.at) {
		all, err := s.store.CanaryIDs(ctx)
		if err != nil {
			return false, err
		}
		c.ids, c.at = map[int64]bool{}, now
		for _, id := range all {
			c.ids[id] = true
		}
	}
	for _, id := range ids {
		if c.ids[id] {
			return true, nil
		}
	}
	return false, nil
}

// observeOrderChange tells the guard that the request moves orders it
// names (pays, cancels or allocates them) when one of them is a decoy of
// the request's merchant: no customer placed it, so nobody's job names it.
// The guard alerts and the request goes on, answered as for a real order.
// Moves of real orders cost no guard window (the canary check is cached),
// and a decoy of another merchant, which the request cannot reach (not
// found), is the scope rules' business.
func (s *Server) observeOrderChange(r *http.Request, ids ...int64) error {
	if s.guard == nil {
		return nil
	}
	ctx := r.Context()
	t := tenantFrom(ctx)
	var targets []string
	for _, id := range ids {
		canary, err := s.isCanary(ctx, []int64{id}, s.auth.Now())
		if err != nil {
			return err
		}
		if !canary || t == nil {
			continue
		}
		if _, err := s.store.OrderState(ctx, t.ID, id); yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		targets = append(targets, fmt.Sprintf("order:%d", id))
	}
	if len(targets) == 0 {
		return nil
	}
	return s.observe(r, ActivityOrderChange, targets...)
}

// tenantCeiling is the merchant's daily reveal ceiling, recomputed from
// shipped volume at most every ten minutes.
func (s *Server) tenantCeiling(ctx context.Context, tenantID int64, now time.Time) int {
	if tenantID == 0 {
		return 0
	}
	s.bases.mu.Lock()
	c, ok := s.bases.ceilings[tenantID]
	s.bases.mu.Unlock()
	if ok && now.Sub(c.at) < 10*time.Minute && !now.Before(c.at) {
		return c.n
	}
	busiest, err := s.store.TenantDailyShippedMax(ctx, tenantID, now.AddDate(0, 0, -7))
	if err != nil {
		s.log.Error("tenant ceiling", "err", err.Error())
		return s.guardPolicy.Floor
	}
	ceiling := max(s.guardPolicy.Floor, int(float64(busiest)*s.guardPolicy.Coefficient))
	s.bases.mu.Lock()
	if s.bases.ceilings == nil {
		s.bases.ceilings = map[int64]cachedCeiling{}
	}
	s.bases.ceilings[tenantID] = cachedCeiling{ceiling, now}
	s.bases.mu.Unlock()
	return ceiling
}

// observeDenied tells the guard a request was refused for scope.
func (s *Server) observeDenied(r *http.Request, ctx context.Context) {
	a := yuncang.ActorFromContext(ctx)
	if s.guard == nil || a == nil || ctx.Value(notProbingKey{}) != nil {
		return
	}
	d, err := s.guard.Observe(ctx, guard.Activity{At: s.auth.Now(), ActorID: a.UserID, Role: a.Role, TenantID: a.TenantID, ActorTenantID: a.TenantID,
		Kind: guard.KindDenied, Machine: a.Kind == yuncang.CredentialAPIToken}, guard.Baseline{})
	if err != nil {
		s.log.Error("guard", "err", err.Error()) // the request is refused anyway
		return
	}
	switch d.Max() {
	case guard.Suspend:
		s.suspend(r.WithContext(ctx), a, d)
	case guard.Alert, guard.StepUp:
		s.raise(r.WithContext(ctx), a, d, "alerted")
	}
}

// raise records an alert (in the audit log too) and notifies the webhook.
func (s *Server) raise(r *http.Request, a *yuncang.Actor, d guard.Decision, response string) *yuncang.Alert {
	al := &yuncang.Alert{At: s.auth.Now(), UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID,
		Rule: d.Signals[0].Rule, Severity: d.Max().String(), Response: response, Detail: d.Reasons(guard.Alert)}
	for _, sg := range d.Signals {
		if sg.Severity == d.Max() {
			al.Rule = sg.Rule
			break
		}
	}
	ev := &yuncang.Event{UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID, Kind: yuncang.EventGuardAlert,
		Outcome: yuncang.OutcomeAlert, Source: a.Source, Detail: al.Rule + " (" + response + "): " + al.Detail}
	if err := s.store.RecordAlert(r.Context(), al, ev); err != nil {
		s.log.Error("record alert", "err", err.Error())
		return al
	}
	s.notifier.Notify(al)
	return al
}

// suspend disables the actor's account and revokes every session and
// token at once, then raises the alert.
func (s *Server) suspend(r *http.Request, a *yuncang.Actor, d guard.Decision) error {
	reason := "suspended by the guard: " + d.Reasons(guard.Suspend)
	ev := &yuncang.Event{UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID, Kind: yuncang.EventSuspend,
		Outcome: yuncang.OutcomeOK, Source: a.Source, Detail: reason}
	if err := s.store.Disable(r.Context(), a.UserID, truncate(reason, 500), s.auth.Now(), ev); err != nil {
		return err
	}
	s.raise(r, a, d, "account suspended")
	return errSuspended()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
