package guard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Activity is one request about to touch recipient data (or refused for scope).
type Activity struct {
	At       time.Time
	ActorID  int64
	Role     string
	TenantID int64 // the merchant whose data is touched (0: none or many)
	// ActorTenantID is the actor's own merchant (0 for platform staff): its
	// window is kept under it, whichever merchant it works on.
	ActorTenantID int64
	Kind          string
	Targets       []string // "order:123", "waybill:SF1000123"
	Canary        bool     // a target is a decoy no legitimate job touches
	// HasShift says the actor works a shift window; InShift whether now is
	// inside it. Actors without a shift are held to the night hours.
	HasShift bool
	InShift  bool
	// Machine says the request comes with an API token (a carrier's
	// platform, an ERP), not a person's session.
	Machine bool
}

// Baseline is what storage knows of normal volume: the actor's own average
// daily count of the kind over the past week, and its peer group's (same
// role) median. Zero when unknown.
type Baseline struct {
	OwnDaily  float64
	PeerDaily float64
}

// Signal is one rule's finding.
type Signal struct {
	Rule     string
	Severity Severity
	Detail   string // no personal data: counts, kinds, rules
}

// Decision is the graded response to an activity.
type Decision struct {
	Signals []Signal
}

// Max is the strongest response required.
func (d Decision) Max() Severity {
	var m Severity
	for _, s := range d.Signals {
		if s.Severity > m {
			m = s.Severity
		}
	}
	return m
}

// Reasons joins the rules that fired at severity s or above.
func (d Decision) Reasons(s Severity) string {
	var r []string
	for _, x := range d.Signals {
		if x.Severity >= s {
			r = append(r, x.Rule+": "+x.Detail)
		}
	}
	return strings.Join(r, "; ")
}

// Engine applies the rules to windows kept in a Store. It holds no state of
// its own, so every server sharing the store enforces one set of limits.
type Engine struct {
	cfg   Config
	store Store
}

// New returns an engine with cfg over store (an in-process store if nil).
func New(cfg Config, store Store) *Engine {
	if store == nil {
		store = NewMemoryStore()
	}
	return &Engine{cfg: cfg, store: store}
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// Observe records the activity in the shared windows and returns the
// response it calls for. The windows are locked while the rules run, so two
// servers seeing the same account at once count one after the other. An
// error (storage unavailable) must refuse the request: the guard fails closed.
func (e *Engine) Observe(ctx context.Context, a Activity, b Baseline) (Decision, error) {
	return e.ObserveIn(ctx, e.store, a, b)
}

// ObserveIn is Observe over windows w instead of the engine's store: a
// storage transaction the caller holds open, so that the windows commit
// with the access they judge (one commit instead of two).
func (e *Engine) ObserveIn(ctx context.Context, ws Windows, a Activity, b Baseline) (Decision, error) {
	keys := []Key{{TenantID: a.ActorTenantID, Subject: a.ActorID}}
	tenant := a.Kind == KindPhoneSearch && a.TenantID != 0 && e.cfg.TenantPhoneSearches > 0
	if tenant {
		keys = append(keys, Key{TenantID: a.TenantID})
	}
	var d Decision
	err := ws.UpdateGuardWindows(ctx, keys, a.At, func(states [][]byte) ([][]byte, error) {
		w, err := decodeWindow(states[0])
		if err != nil {
			return nil, err
		}
		var tw *window
		if tenant {
			if tw, err = decodeWindow(states[1]); err != nil {
				return nil, err
			}
		}
		d = decide(&e.cfg, w, tw, a, b)
		out := [][]byte{w.encode()}
		if tenant {
			out = append(out, tw.encode())
		}
		return out, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return d, nil
}

// Forget drops an account's windows (after a supervisor re-enables it, so
// old activity does not suspend it again at once).
func (e *Engine) Forget(ctx context.Context, actorTenantID, actorID int64) error {
	return e.store.ForgetGuardWindow(ctx, Key{TenantID: actorTenantID, Subject: actorID})
}

// piKind reports whether the kind shows, prints, hands over or resolves a
// full record or a label of one.
func piKind(k string) bool {
	switch k {
	case KindReveal, KindLabelPrint, KindLabelReprint, KindResolve, KindWaybillQuery, KindExport, KindShipment, KindManifest:
		return true
	}
	return false
}

// enumerable kinds are ones a harvester walks by id.
func enumerable(k string) bool {
	// Not shipments: a warehouse ships a batch of imported orders, whose
	// ids run consecutively, in order.
	return k == KindReveal || k == KindResolve || k == KindWaybillQuery
}

// decide applies every rule to the activity over the actor's window w (and
// the merchant's window tw for phone searches), updating them. It is pure:
// same windows and activity, same decision.
func decide(c *Config, w, tw *window, a Activity, b Baseline) Decision {
	now := a.At
	ns := now.UnixNano()
	var d Decision
	add := func(rule string, s Severity, format string, args ...any) {
		d.Signals = append(d.Signals, Signal{Rule: rule, Severity: s, Detail: fmt.Sprintf(format, args...)})
	}

	if a.Kind == KindDenied {
		alertAt, suspendAt := c.DenialAlert, c.DenialSuspend
		if o, ok := c.DenialByRole[a.Role]; ok {
			alertAt, suspendAt = o[0], o[1]
		}
		w.denials = append(trimTimes(w.denials, now, c.DenialWindow, suspendAt), ns)
		n := len(w.denials)
		switch {
		case n >= suspendAt:
			add("scope_probing", Suspend, "%d requests refused for tenant, warehouse or role scope, or for unknown records, within %s", n, c.DenialWindow)
		case n >= alertAt:
			add("scope_probing", Alert, "%d requests refused for scope within %s", n, c.DenialWindow)
		}
		return d
	}

	// A decoy's recipient shown, printed, handed over or resolved is data
	// taken: suspend at once. A decoy paid, cancelled or allocated by hand
	// leaks nothing, but no real customer's order needs that of anyone:
	// alert the security officer, and answer the request as for a real
	// order, so the person does not learn which order was the decoy (a
	// refusal would be the very oracle decoys must not give) and an honest
	// clean-up of unpaid orders costs nobody their account.
	switch {
	case a.Canary && piKind(a.Kind):
		add("canary", Suspend, "a decoy record was touched (%s)", a.Kind)
	case a.Canary && a.Kind == KindOrderChange:
		add("canary", Alert, "a decoy order was moved by hand (%s)", a.Kind)
	}

	// Volume against the actor's own and its peers' normal day.
	if v, ok := c.Volume[a.Kind]; ok {
		vol := w.volumeOf(a.Kind)
		vol.buckets = addBucket(vol.buckets, now, volumeSlot, 24*time.Hour)
		day := sumBuckets(vol.buckets)
		base := max(b.OwnDaily, b.PeerDaily)
		alertAt := max(float64(v.AlertFloor), v.AlertFactor*base)
		suspendAt := max(float64(v.SuspendFloor), v.SuspendFactor*base)
		switch {
		case float64(day) > suspendAt:
			add("volume", Suspend, "%d %s in 24 h; normal is about %.0f a day (own %.0f, peers %.0f)", day, a.Kind, base, b.OwnDaily, b.PeerDaily)
		case float64(day) > alertAt:
			add("volume", StepUp, "%d %s in 24 h; normal is about %.0f a day", day, a.Kind, base)
		}
	}

	// Paging and phone searches harvest masked records; cap them per
	// account, and phone searches per merchant too.
	if a.Kind == KindListPage || a.Kind == KindPhoneSearch {
		w.pages = append(trimTimes(w.pages, now, time.Hour, c.PagesSuspend+1), ns)
		hour := len(w.pages)
		switch {
		case hour > c.PagesSuspend:
			add("bulk_listing", Suspend, "%d list pages and phone searches in one hour", hour)
		case hour > c.PagesStepUp:
			add("bulk_listing", StepUp, "%d list pages and phone searches in one hour", hour)
		}
	}
	if tw != nil {
		tw.phones = trimTimes(tw.phones, now, time.Hour, c.TenantPhoneSearches)
		if len(tw.phones) >= c.TenantPhoneSearches {
			add("tenant_phone_search", Refuse, "the merchant's accounts made %d phone searches in one hour", len(tw.phones))
		} else {
			tw.phones = append(tw.phones, ns) // refused searches answer nothing and spend nothing
		}
	}

	if a.Machine {
		// A machine client works around the clock: hold it to an hourly
		// rate instead of office hours.
		if piKind(a.Kind) {
			w.machine = addBucket(w.machine, now, machineSlot, time.Hour)
			n := sumBuckets(w.machine)
			switch {
			case n > c.MachineHourSuspend:
				add("machine_rate", Suspend, "%d accesses to recipient data in one hour by a machine client", n)
			case n > c.MachineHourAlert:
				add("machine_rate", Alert, "%d accesses to recipient data in one hour by a machine client", n)
			}
		}
	} else if offHours := (a.HasShift && !a.InShift) || (!a.HasShift && c.Night(now)); piKind(a.Kind) && a.Kind != KindLabelPrint && offHours {
		// Outside the actor's shift (or, without a shift, at night) every
		// access needs a fresh factor and only a few are allowed at all. A
		// night shift in the warehouse is normal work, not an anomaly.
		key := nightKey(now, c)
		if w.nightDay != key {
			w.nightDay, w.night = key, 0
		}
		w.night++
		if w.night > int64(c.NightSuspend) {
			add("night", Suspend, "%d accesses to recipient data at night or outside the shift", w.night)
		} else {
			add("night", StepUp, "access to recipient data at night or outside the shift")
		}
	}

	// Enumeration: walking ids one by one.
	if enumerable(a.Kind) {
		for _, t := range a.Targets {
			if id, ok := numericID(t); ok {
				w.ids = append(w.ids, id)
			}
		}
		if len(w.ids) > 32 {
			w.ids = w.ids[len(w.ids)-32:]
		}
		if run := sequentialRun(w.ids); run >= c.SequentialRun {
			add("enumeration", Suspend, "%d consecutive record ids in a row", run)
		}
		for _, t := range a.Targets {
			w.targets = append(w.targets, target{ns, targetKey(t)})
		}
		cut := now.Add(-time.Minute).UnixNano()
		i := 0
		for i < len(w.targets) && w.targets[i].at < cut {
			i++
		}
		// Only the newest few matter to the threshold; keep the work per
		// request bounded however fast an attacker goes.
		i = max(i, len(w.targets)-min(4*c.SpreadPerMinute+4, 64))
		w.targets = w.targets[i:]
		if n := distinctTargets(w.targets); n > c.SpreadPerMinute && a.Role != "carrier" {
			add("spread", StepUp, "%d distinct records in one minute", n)
		}
	}
	return d
}

// nightKey names the night t belongs to by the date it began (yyyymmdd).
func nightKey(t time.Time, c *Config) int64 {
	t = t.In(c.Zone)
	if t.Hour()*60+t.Minute() < c.NightEnd {
		t = t.AddDate(0, 0, -1)
	}
	return int64(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// numericID extracts the trailing number of a target such as "order:123"
// or "waybill:SF1000123".
func numericID(t string) (int64, bool) {
	_, v, ok := strings.Cut(t, ":")
	if !ok {
		return 0, false
	}
	j := len(v)
	for j > 0 && v[j-1] >= '0' && v[j-1] <= '9' {
		j--
	}
	if j == len(v) || len(v)-j > 18 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[j:], 10, 64)
	return n, err == nil
}

// sequentialRun is the length of the run of ids at the end of ids in which
// each differs from the previous by exactly +1 or exactly -1.
func sequentialRun(ids []int64) int {
	if len(ids) == 0 {
		return 0
	}
	run, dir := 1, int64(0)
	for i := len(ids) - 1; i > 0; i-- {
		step := ids[i] - ids[i-1]
		if step != 1 && step != -1 || (dir != 0 && step != dir) {
			break
		}
		dir = step
		run++
	}
	return run
}
