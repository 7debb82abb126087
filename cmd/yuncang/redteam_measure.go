package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// scenario is one attack in the registry. Each lives in its own
// redteam_sNN_*.go file and registers itself in init; run drives the attack
// through an *attack, which measures everything the result reports.
//
// To add one: start from a copy of a similar file; act as the attacker only
// over HTTP, through a.try (a request aimed at records: counted, and its
// answer scanned for plaintext) and a.do (any other request: scanned only);
// pass whatever the attacker derives from answers (a decrypted manifest)
// to a.inspect; name the accounts it acts as with a.as (for alerts and
// cut-off); register what it plants (free text) with rt.truth.add*; record
// scenario-specific counts with a.figure and bound them in Target.Figures.
// Set-up that is not the attack (creating the day's shipments, logging the
// actor in) goes through rt.call or rt.mustLogin.
type scenario struct {
	ID     string // orders the report: "1a", "9b"
	Name   string
	Target target
	// Open names the issue item that is known to let this attack through:
	// the scenario is measured and reported like any other (and fails its
	// target); TestRedteam expects it to fail until the fix lands, then
	// demands that this mark be removed.
	Open string
	run  func(ctx context.Context, rt *redteam, a *attack) error
}

var scenarios []scenario

func registerScenario(s scenario) { scenarios = append(scenarios, s) }

// target is what a scenario must stay within. Zero values mean "no limit"
// except MaxLeaked, which is always checked.
type target struct {
	MaxLeaked int // distinct seeded records with a name, phone or address tail in plaintext in any response
	// LeakQuota replaces MaxLeaked by the role's daily reveal quota (slow drip).
	LeakQuota string
	// NoneAccepted: every attempt must be refused.
	NoneAccepted bool
	// FlagWithin: a guard alert about the attacker within this much
	// simulated time of the first attempt.
	FlagWithin time.Duration
	// FlagByAttempt: a guard alert about the attacker no later than this attempt.
	FlagByAttempt int
	// Figures bounds scenario-specific measured counts.
	Figures map[string]int
}

func (t target) describe(quota int) string {
	var parts []string
	if t.LeakQuota != "" {
		parts = append(parts, fmt.Sprintf("leaked ≤ %d (daily reveal quota of %s)", quota, t.LeakQuota))
	} else {
		parts = append(parts, fmt.Sprintf("leaked ≤ %d", t.MaxLeaked))
	}
	if t.NoneAccepted {
		parts = append(parts, "every attempt refused")
	}
	if t.FlagWithin > 0 {
		parts = append(parts, "flagged within "+t.FlagWithin.String())
	}
	if t.FlagByAttempt > 0 {
		parts = append(parts, fmt.Sprintf("flagged by attempt %d", t.FlagByAttempt))
	}
	for _, k := range sortedKeys(t.Figures) {
		parts = append(parts, fmt.Sprintf("%s ≤ %d", k, t.Figures[k]))
	}
	return strings.Join(parts, "; ")
}

// RedteamResult is one scenario's measured outcome. Every number and every
// "stopped by" line comes from the HTTP answers the attacker got and from
// the alerts, audit events and account states the server recorded.
type RedteamResult struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"`
	Target   string `json:"target"`
	Open     string `json:"known_open,omitempty"`
	// Attempts are the attacker's requests aimed at records; Accepted the
	// ones answered 2xx.
	Attempts int            `json:"attempts"`
	Accepted int            `json:"accepted"`
	Statuses map[string]int `json:"statuses"` // "403 forbidden": n
	// RecordsSeen: distinct seeded records named in any answer (masked or
	// not); RecordsLeaked: those with a name, phone or address tail in
	// plaintext; LeakedFields counts records per field.
	RecordsSeen   int            `json:"records_seen"`
	RecordsLeaked int            `json:"records_leaked"`
	LeakedFields  map[string]int `json:"leaked_fields,omitempty"`
	// CutOffAfter: simulated seconds from the first attempt to the first
	// attempt refused because the credential or account was shut off
	// (401, or a refusal with the account disabled); -1: never.
	CutOffAfter int64 `json:"cut_off_after_s"`
	// FlaggedAfter: simulated seconds from the first attempt to the first
	// guard alert about the attacker; -1: never. FlaggedAtAttempt: how many
	// attempts had been made by then.
	FlaggedAfter     int64          `json:"flagged_after_s"`
	FlaggedAtAttempt int            `json:"flagged_at_attempt,omitempty"`
	StoppedBy        []string       `json:"stopped_by"`
	Figures          map[string]int `json:"figures,omitempty"`
	Met              bool           `json:"met"`
	Misses           []string       `json:"misses,omitempty"`
}

// attack measures one scenario: every attacker request goes through it.
type attack struct {
	rt       *redteam
	accounts []string // usernames the attacker acts as (for alerts and cut-off)
	res      RedteamResult
	start    time.Time
	times    []time.Time
	leaked   leak
	seen     map[string]bool
	cutOffAt time.Time
	refusal  string // first refusal of the final run of refusals
	figures  map[string]int
}

func newAttack(rt *redteam, accounts ...string) *attack {
	return &attack{rt: rt, accounts: accounts, leaked: leak{}, seen: map[string]bool{}, figures: map[string]int{},
		res: RedteamResult{Statuses: map[string]int{}, CutOffAfter: -1, FlaggedAfter: -1}}
}

// as adds an account the attacker acts as.
func (a *attack) as(name string) { a.accounts = appendOnce(a.accounts, name) }

// try is one attempt at records: the answer is counted and scanned.
func (a *attack) try(method, path, token, body string, headers ...string) (int, string) {
	now := a.rt.clock.Now()
	if a.start.IsZero() {
		a.start = now
	}
	a.res.Attempts++
	a.times = append(a.times, now)
	st, resp := a.rt.call(method, path, token, body, headers...)
	a.res.Statuses[statusKey(st, resp)]++
	a.inspect(resp)
	if st >= 200 && st < 300 {
		a.res.Accepted++
		a.refusal = ""
	} else if a.refusal == "" {
		a.refusal = fmt.Sprintf("HTTP %s on %s %s", statusKey(st, resp), method, strings.SplitN(path, "?", 2)[0])
		if msg := errorMessage(resp); msg != "" {
			a.refusal += ": " + msg
		}
	}
	if a.cutOffAt.IsZero() && (st == 401 || (st >= 400 && a.disabled() != "")) {
		a.cutOffAt = now
	}
	return st, resp
}

// do is an attacker request that is not itself an attempt at records
// (log in, step up, create a shipment to print); its answer is still
// scanned for leaks.
func (a *attack) do(method, path, token, body string, headers ...string) (int, string) {
	st, resp := a.rt.call(method, path, token, body, headers...)
	a.inspect(resp)
	return st, resp
}

// inspect scans something the attacker obtained from the server (an answer,
// or a file decrypted from one).
func (a *attack) inspect(body string) {
	l, seen := a.rt.truth.scan(body)
	for r, fs := range l {
		for f := range fs {
			a.leaked.add([]string{r}, f)
		}
	}
	for r := range seen {
		a.seen[r] = true
	}
}

// figure records a scenario-specific measured count.
func (a *attack) figure(name string, n int) { a.figures[name] = n }

// cutOff reports whether the attacker has been shut off.
func (a *attack) cutOff() bool { return !a.cutOffAt.IsZero() }

// disabled returns the reason the first disabled attacker account is
// disabled, from storage ("" if all are active).
func (a *attack) disabled() string {
	for _, name := range a.accounts {
		u, err := a.rt.m.DB.UserByUsername(context.Background(), name)
		if err == nil && u.Status != yuncang.UserActive {
			return name + " " + u.Status + ": " + u.DisabledReason
		}
	}
	return ""
}

// problem is the part of an RFC 9457 error answer the red team reads.
type problem struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Errors []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// errorMessage is the detail of an error answer (never personal data).
func errorMessage(body string) string {
	var e problem
	json.Unmarshal([]byte(body), &e)
	return e.Detail
}

func statusKey(st int, body string) string {
	var e problem
	if json.Unmarshal([]byte(body), &e) == nil && e.Code != "" {
		if len(e.Errors) > 0 && e.Errors[0].Field != "" {
			return fmt.Sprintf("%d %s (%s)", st, e.Code, e.Errors[0].Field)
		}
		return fmt.Sprintf("%d %s", st, e.Code)
	}
	return fmt.Sprint(st)
}

// finish computes the result from what was measured and the server's
// records, and checks it against the target.
func (a *attack) finish(ctx context.Context, sc scenario) RedteamResult {
	r := a.res
	r.ID, r.Scenario, r.Open = sc.ID, sc.Name, sc.Open
	quota := 0
	if sc.Target.LeakQuota != "" {
		quota = dailyRevealQuota(sc.Target.LeakQuota)
	}
	r.Target = sc.Target.describe(quota)
	r.RecordsSeen, r.RecordsLeaked = len(a.seen), len(a.leaked)
	if len(a.leaked) > 0 {
		r.LeakedFields = map[string]int{}
		for _, fs := range a.leaked {
			for f := range fs {
				r.LeakedFields[f]++
			}
		}
	}
	if !a.cutOffAt.IsZero() {
		r.CutOffAfter = int64(a.cutOffAt.Sub(a.start).Seconds())
	}
	// The guard's alerts about the attacker's accounts since the first attempt.
	ids := map[int64]bool{}
	for _, n := range a.accounts {
		if id := a.rt.userID(ctx, n); id != 0 {
			ids[id] = true
		}
	}
	als, err := a.rt.m.DB.Alerts(ctx, "", 100000)
	if err != nil {
		r.Misses = append(r.Misses, "the alerts could not be read: "+err.Error())
	}
	var mine []*yuncang.Alert
	for _, al := range als {
		if ids[al.UserID] && !a.start.IsZero() && !al.At.Before(a.start) {
			mine = append(mine, al)
		}
	}
	sort.Slice(mine, func(i, j int) bool {
		return mine[i].At.Before(mine[j].At) || mine[i].At.Equal(mine[j].At) && mine[i].ID < mine[j].ID
	})
	if len(mine) > 0 {
		r.FlaggedAfter = int64(mine[0].At.Sub(a.start).Seconds())
		for _, t := range a.times {
			if !t.After(mine[0].At) {
				r.FlaggedAtAttempt++
			}
		}
	}
	rules := map[string]bool{}
	for _, al := range mine {
		k := fmt.Sprintf("guard alert %s → %s (+%ds)", al.Rule, al.Response, int64(al.At.Sub(a.start).Seconds()))
		if !rules[al.Rule+al.Response] {
			rules[al.Rule+al.Response] = true
			r.StoppedBy = append(r.StoppedBy, k)
		}
	}
	if d := a.disabled(); d != "" {
		r.StoppedBy = append(r.StoppedBy, "account "+d)
	}
	if a.refusal != "" {
		r.StoppedBy = append(r.StoppedBy, a.refusal)
	}
	if len(r.StoppedBy) == 0 {
		r.StoppedBy = []string{"nothing: the attack ran to its end"}
	}
	if len(a.figures) > 0 {
		r.Figures = a.figures
	}
	// Against the target.
	maxLeak := sc.Target.MaxLeaked
	if sc.Target.LeakQuota != "" {
		maxLeak = quota
	}
	if r.RecordsLeaked > maxLeak {
		r.Misses = append(r.Misses, fmt.Sprintf("%d records leaked, target ≤ %d", r.RecordsLeaked, maxLeak))
	}
	if sc.Target.NoneAccepted && r.Accepted > 0 {
		r.Misses = append(r.Misses, fmt.Sprintf("%d attempts accepted, target 0", r.Accepted))
	}
	if w := sc.Target.FlagWithin; w > 0 && (r.FlaggedAfter < 0 || time.Duration(r.FlaggedAfter)*time.Second > w) {
		r.Misses = append(r.Misses, fmt.Sprintf("not flagged within %s", w))
	}
	if n := sc.Target.FlagByAttempt; n > 0 && (r.FlaggedAfter < 0 || r.FlaggedAtAttempt > n) {
		r.Misses = append(r.Misses, fmt.Sprintf("not flagged by attempt %d", n))
	}
	for _, k := range sortedKeys(sc.Target.Figures) {
		if v, ok := a.figures[k]; !ok {
			r.Misses = append(r.Misses, k+" was not measured")
		} else if v > sc.Target.Figures[k] {
			r.Misses = append(r.Misses, fmt.Sprintf("%s = %d, target ≤ %d", k, v, sc.Target.Figures[k]))
		}
	}
	if r.Attempts == 0 {
		r.Misses = append(r.Misses, "no attempt was made: nothing was measured")
	}
	r.Met = len(r.Misses) == 0
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
