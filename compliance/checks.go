package compliance

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// Results of a control.
const (
	Pass = "pass"
	Fail = "fail"
	Warn = "warn"
)

// Check is one control of an inspection, its result and the evidence the
// result rests on.
type Check struct {
	ID       string `json:"id"`
	Title    string `json:"title"`    // Chinese
	TitleEn  string `json:"title_en"` // English
	Result   string `json:"result"`
	Evidence string `json:"evidence"`
}

// AuditEvidence is the outcome of verifying the audit log at the time of
// the inspection (the caller verifies: the CLI recomputes the whole tree,
// the server checks the latest checkpoint against the stored tree).
type AuditEvidence struct {
	Verified bool
	Detail   string
}

// Inspect runs the brief's controls against the ledger's evidence.
func Inspect(l *Ledger, av AuditEvidence, retention map[int64]int) []Check {
	var out []Check
	add := func(id, title, en string, result string, evidence string) {
		out = append(out, Check{ID: id, Title: title, TitleEn: en, Result: result, Evidence: evidence})
	}
	failIf := func(bad bool) string {
		if bad {
			return Fail
		}
		return Pass
	}
	warnIf := func(bad bool) string {
		if bad {
			return Warn
		}
		return Pass
	}

	var revealNo2FA, adminNo2FA []Account
	for _, a := range l.WithoutSecondFactor {
		switch {
		case yuncang.CanRevealPI(a.Role):
			revealNo2FA = append(revealNo2FA, a)
		case yuncang.RequiresTOTP(a.Role):
			adminNo2FA = append(adminNo2FA, a)
		}
	}
	add("C01", "可查看明文的账号均启用第二因素", "Every account that can reveal has a second factor",
		failIf(len(revealNo2FA) > 0), listOr(revealNo2FA, "revealing accounts without TOTP", "all revealing accounts have TOTP"))
	add("C02", "管理账号均启用第二因素", "Every administering account has a second factor",
		failIf(len(adminNo2FA) > 0), listOr(adminNo2FA, "administering accounts without TOTP", "all administering accounts have TOTP"))
	var departed []string
	for _, d := range l.DepartedLive {
		departed = append(departed, fmt.Sprintf("%s (sessions %d, tokens %d, devices %s)", d.Username, d.Sessions, d.Tokens, strings.Join(d.Devices, "/")))
	}
	add("C03", "离职人员无任何有效凭据或设备", "No departed staff with live sessions, tokens or devices",
		failIf(len(departed) > 0), joinOr(departed, "departed with live access", "no disabled account holds a live session, token or device"))
	// Sign-in stops at the end date itself; the sweep (every 10 minutes)
	// then disables the account. Past the end by less than SweepGrace is a
	// warning (the sweep has not run yet), beyond it a failure.
	var pastEnd, noEnd []Account
	late := false
	for _, a := range l.Temporary {
		if a.EndAt.IsZero() {
			noEnd = append(noEnd, a)
		} else if !l.GeneratedAt.Before(a.EndAt) {
			pastEnd = append(pastEnd, a)
			late = late || l.GeneratedAt.Sub(a.EndAt) > SweepGrace
		}
	}
	c04 := Pass
	if late {
		c04 = Fail
	} else if len(pastEnd) > 0 {
		c04 = Warn
	}
	add("C04", "临时账号均未超过截止日期", "No temporary account active past its end date",
		c04, listOr(pastEnd, "still active past end", fmt.Sprintf("%d temporary/contractor accounts, none past its end", len(l.Temporary))))
	add("C05", "临时账号均设有截止日期", "Every temporary account has an end date",
		failIf(len(noEnd) > 0), listOr(noEnd, "without end date", fmt.Sprintf("%d temporary/contractor accounts, all with an end date", len(l.Temporary))))
	add("C06", "账号权限定期复核", "Access reviews are not overdue",
		warnIf(len(l.PastReview) > 0), listOr(l.PastReview, "past review", fmt.Sprintf("%d active accounts, none past review", l.ActiveAccounts)))
	add("C07", "可查看明文的人员均已完成个人信息保护培训", "Every revealing account holds current personal-data training",
		failIf(len(l.UntrainedReveal) > 0), listOr(l.UntrainedReveal, "untrained (reveals refused)", "all revealing accounts trained"))
	var expiring []string
	for _, t := range l.ExpiringSoon {
		expiring = append(expiring, fmt.Sprintf("%s %s until %s", t.Username, t.Topic, t.ExpiresAt.Format("2006-01-02")))
	}
	add("C08", "培训记录无即将到期", "No training expires within 30 days",
		warnIf(len(expiring) > 0), joinOr(expiring, "expiring", fmt.Sprintf("%d training records, none expiring within 30 days", len(l.Training))))
	add("C09", "审计日志完整可验证", "The audit log verifies",
		failIf(!av.Verified), av.Detail)
	cpAge := l.GeneratedAt.Sub(l.CheckpointAt)
	cpEvidence := "no signed checkpoint"
	if !l.CheckpointAt.IsZero() {
		cpEvidence = fmt.Sprintf("latest checkpoint covers %d of %d records, signed %s (%s ago)", l.CheckpointSize, l.AuditSize,
			l.CheckpointAt.Format(time.RFC3339), cpAge.Round(time.Second))
	}
	add("C10", "最新审计检查点及时", "The latest audit checkpoint is fresh (under an hour)",
		failIf(l.CheckpointAt.IsZero() || cpAge > CheckpointMaxAge), cpEvidence)
	var stale []string
	for _, a := range l.OpenHigh {
		if time.Duration(a.AgeHours)*time.Hour > HighAlertMaxAge {
			stale = append(stale, fmt.Sprintf("#%d %s %s %s (%dh)", a.ID, a.Rule, a.Severity, a.Username, a.AgeHours))
		}
	}
	add("C11", "无超过3天未处理的高危告警", "No high alert open for more than 3 days",
		failIf(len(stale) > 0), joinOr(stale, "stale high alerts", fmt.Sprintf("%d open high alerts, none older than 3 days", len(l.OpenHigh))))
	add("C12", "告警均已复核", "Every alert has been reviewed",
		warnIf(l.AlertsOpen > 0), fmt.Sprintf("%d open, %d closed", l.AlertsOpen, l.AlertsClosed))
	var selfGranted []string
	approved := 0
	for _, g := range l.QuotaRaises {
		if g.ApprovedBy != "" {
			approved++
			if !g.FourEyes {
				selfGranted = append(selfGranted, fmt.Sprintf("#%d %s +%d", g.ID, g.Username, g.Extra))
			}
		}
	}
	add("C13", "配额提升均经第二人审批", "Every quota raise was approved by a second person",
		failIf(len(selfGranted) > 0), joinOr(selfGranted, "not four-eyes", fmt.Sprintf("%d raises since %s, %d approved, all by a second person",
			len(l.QuotaRaises), l.Since.Format("2006-01-02"), approved)))
	add("C14", "四眼审批记录", "Four-eyes approvals are decided by a second person",
		Pass, "by status: "+mapText(l.Approvals)+" (the database refuses a decision by the requester)")
	add("C15", "打印网关均已登记且近期在线", "Print gateways enrolled and not stale (7 days)",
		warnIf(len(l.StaleGateways) > 0), joinOr(l.StaleGateways, "stale gateways", fmt.Sprintf("%d active gateways, none stale", l.DevicesByKind[yuncang.DevicePrintGateway])))
	var unassigned []string
	for _, d := range l.Devices {
		if !d.Revoked && d.Kind == yuncang.DeviceOfficeDesk && d.AssignedTo == "" {
			unassigned = append(unassigned, d.Code)
		}
	}
	add("C16", "办公终端均指定到人", "Every office desk is assigned to one person",
		failIf(len(unassigned) > 0), joinOr(unassigned, "unassigned desks", fmt.Sprintf("active devices by kind: %s", mapText(l.DevicesByKind))))
	var odd []string
	for p := range l.RevealsByPurpose {
		if !slices.Contains(yuncang.Purposes, p) {
			odd = append(odd, p)
		}
	}
	sort.Strings(odd)
	add("C17", "明文查看均有登记用途", "Every reveal names a listed purpose",
		failIf(len(odd) > 0), fmt.Sprintf("reveals by purpose: %s; refused %d; reprints %d", mapText(l.RevealsByPurpose), l.RevealsDenied, l.Reprints)+
			map[bool]string{true: "; unlisted: " + strings.Join(odd, ","), false: ""}[len(odd) > 0])
	days := map[int]int{}
	for _, d := range retention {
		days[d]++
	}
	var rt []string
	for d, n := range days {
		rt = append(rt, fmt.Sprintf("%d merchants %d days", n, d))
	}
	sort.Strings(rt)
	long := false
	for d := range days {
		long = long || d > 365
	}
	add("C18", "个人信息保存期限最短必要", "Recipient data retention is set and short",
		warnIf(long), joinOr(rt, "retention", "no merchants")+fmt.Sprintf("; erasure records in the audit log: %d", l.Erasures))
	return out
}

// Tally counts the results.
func Tally(cs []Check) (pass, fail, warn int) {
	for _, c := range cs {
		switch c.Result {
		case Pass:
			pass++
		case Fail:
			fail++
		case Warn:
			warn++
		}
	}
	return
}

func listOr(as []Account, what, none string) string {
	if len(as) == 0 {
		return none
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Username+" ("+a.Role+")")
	}
	return joinOr(names, what, none)
}

func joinOr(items []string, what, none string) string {
	if len(items) == 0 {
		return none
	}
	const show = 12
	s := fmt.Sprintf("%d %s: %s", len(items), what, strings.Join(items[:min(len(items), show)], ", "))
	if len(items) > show {
		s += fmt.Sprintf(", … (%d more)", len(items)-show)
	}
	return s
}

func mapText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
