package guard

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Activity is one request about to touch recipient data (or refused for scope).
type Activity struct {
	At       time.Time
	ActorID  int64
	Role     string
	TenantID int64
	Kind     string
	Targets  []string // "order:123", "waybill:SF1000123"
	Canary   bool     // a target is a decoy no legitimate job touches
	// HasShift says the actor works a shift window; InShift whether now is
	// inside it. Actors without a shift are held to the night hours.
	HasShift bool
	InShift  bool
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

// Engine holds the sliding windows. It is safe for concurrent use.
type Engine struct {
	cfg    Config
	mu     sync.Mutex
	actors map[int64]*window
}

// New returns an engine with cfg.
func New(cfg Config) *Engine {
	return &Engine{cfg: cfg, actors: map[int64]*window{}}
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// window is one actor's recent history.
type window struct {
	events   map[string][]time.Time // kind -> times within the last 24 h
	ids      []int64                // recent numeric target ids of enumerable kinds, newest last
	targets  []targetAt             // recent distinct targets (one minute)
	night    int                    // PI accesses in the current night
	nightDay string                 // which night it was
}

type targetAt struct {
	t   time.Time
	key string
}

func (e *Engine) window(actor int64) *window {
	w := e.actors[actor]
	if w == nil {
		w = &window{events: map[string][]time.Time{}}
		e.actors[actor] = w
	}
	return w
}

// trim keeps the times within d before now.
func trim(ts []time.Time, now time.Time, d time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > d {
		i++
	}
	return ts[i:]
}

func count(ts []time.Time, now time.Time, d time.Duration) int {
	n := 0
	for i := len(ts) - 1; i >= 0 && now.Sub(ts[i]) <= d; i-- {
		n++
	}
	return n
}

// piKind reports whether the kind shows, prints or resolves a full record
// or a label of one.
func piKind(k string) bool {
	switch k {
	case KindReveal, KindLabelPrint, KindLabelReprint, KindResolve, KindWaybillQuery, KindExport:
		return true
	}
	return false
}

// enumerable kinds are ones a harvester walks by id.
func enumerable(k string) bool {
	return k == KindReveal || k == KindResolve || k == KindWaybillQuery
}

// Observe records the activity and returns the response it calls for.
func (e *Engine) Observe(a Activity, b Baseline) Decision {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &e.cfg
	w := e.window(a.ActorID)
	now := a.At
	var d Decision
	add := func(rule string, s Severity, format string, args ...any) {
		d.Signals = append(d.Signals, Signal{Rule: rule, Severity: s, Detail: fmt.Sprintf(format, args...)})
	}

	if a.Kind == KindDenied {
		w.events[KindDenied] = append(trim(w.events[KindDenied], now, c.DenialWindow), now)
		n := len(w.events[KindDenied])
		alertAt, suspendAt := c.DenialAlert, c.DenialSuspend
		if o, ok := c.DenialByRole[a.Role]; ok {
			alertAt, suspendAt = o[0], o[1]
		}
		switch {
		case n >= suspendAt:
			add("scope_probing", Suspend, "%d requests refused for tenant, warehouse or role scope, or for unknown records, within %s", n, c.DenialWindow)
		case n >= alertAt:
			add("scope_probing", Alert, "%d requests refused for scope within %s", n, c.DenialWindow)
		}
		return d
	}

	if a.Canary && piKind(a.Kind) {
		add("canary", Suspend, "a decoy record was touched (%s)", a.Kind)
	}

	ts := append(trim(w.events[a.Kind], now, 24*time.Hour), now)
	w.events[a.Kind] = ts
	day := len(ts)

	// Volume against the actor's own and its peers' normal day.
	if v, ok := c.Volume[a.Kind]; ok {
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

	// Paging and phone searches harvest masked records; cap them.
	if a.Kind == KindListPage || a.Kind == KindPhoneSearch {
		hour := count(w.events[KindListPage], now, time.Hour) + count(w.events[KindPhoneSearch], now, time.Hour)
		switch {
		case hour > c.PagesSuspend:
			add("bulk_listing", Suspend, "%d list pages and phone searches in one hour", hour)
		case hour > c.PagesStepUp:
			add("bulk_listing", StepUp, "%d list pages and phone searches in one hour", hour)
		}
	}

	// Outside the actor's shift (or, without a shift, at night) every access
	// needs a fresh factor and only a few are allowed at all. A night shift
	// in the warehouse is normal work, not an anomaly.
	offHours := (a.HasShift && !a.InShift) || (!a.HasShift && c.Night(now))
	if piKind(a.Kind) && a.Kind != KindLabelPrint && offHours {
		key := nightKey(now, c)
		if w.nightDay != key {
			w.nightDay, w.night = key, 0
		}
		w.night++
		if w.night > c.NightSuspend {
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
			w.targets = append(w.targets, targetAt{now, t})
		}
		i := 0
		for i < len(w.targets) && now.Sub(w.targets[i].t) > time.Minute {
			i++
		}
		// Only the newest few matter to the threshold; keep the work per
		// request bounded however fast an attacker goes.
		i = max(i, len(w.targets)-min(4*c.SpreadPerMinute+4, 64))
		w.targets = w.targets[i:]
		distinct := map[string]bool{}
		for _, t := range w.targets {
			distinct[t.key] = true
		}
		if len(distinct) > c.SpreadPerMinute && a.Role != "carrier" {
			add("spread", StepUp, "%d distinct records in one minute", len(distinct))
		}
	}
	return d
}

// Forget drops an actor's windows (after a supervisor re-enables it, so old
// activity does not suspend it again at once).
func (e *Engine) Forget(actor int64) {
	e.mu.Lock()
	delete(e.actors, actor)
	e.mu.Unlock()
}

// nightKey names the night t belongs to (the date it began).
func nightKey(t time.Time, c *Config) string {
	t = t.In(c.Zone)
	if t.Hour()*60+t.Minute() < c.NightEnd {
		t = t.AddDate(0, 0, -1)
	}
	return t.Format("2006-01-02")
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
