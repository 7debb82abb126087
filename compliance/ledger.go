// Package compliance computes the security ledger (台账), the processing
// register (GB/T 35273 §11.3), special inspections (专项检查) with their
// signed PDF reports, and breach notices (PIPL art. 57) from the facts the
// system holds. Everything here is a pure function of yuncang.SecurityFacts
// (and, for reports, a signing key); storage reads the facts.
package compliance

import (
	"sort"
	"time"

	"github.com/yuncang/yuncang"
)

// GatewayStaleAfter is how long a print gateway may go without pulling
// jobs before the ledger calls it stale (unused devices are attack surface).
const GatewayStaleAfter = 7 * 24 * time.Hour

// HighAlertMaxAge is how long a high alert (a refusal or a suspension) may
// stay open before an inspection fails it.
const HighAlertMaxAge = 3 * 24 * time.Hour

// CheckpointMaxAge is how old the latest audit checkpoint may be before an
// inspection fails it (serve signs one every minute).
const CheckpointMaxAge = time.Hour

// SweepGrace is how long an account may stay active past its end date
// before an inspection fails it (the sweep disables such accounts every
// 10 minutes; sign-in already stops at the end date).
const SweepGrace = time.Hour

// TrainingExpiringWithin is the horizon of "training expires soon".
const TrainingExpiringWithin = 30 * 24 * time.Hour

// Account is one account as the ledger names it.
type Account struct {
	Username string    `json:"username"`
	Role     string    `json:"role"`
	Tenant   int64     `json:"tenant_id,omitempty"`
	Status   string    `json:"status"`
	EndAt    time.Time `json:"end_at,omitzero"`
	Detail   string    `json:"detail,omitempty"`
}

// Departed is a disabled account with something still live.
type Departed struct {
	Account
	Sessions int      `json:"sessions"`
	Tokens   int      `json:"tokens"`
	Devices  []string `json:"devices"` // active devices assigned to it
}

// DeviceRow is one enrolled device.
type DeviceRow struct {
	Code        string    `json:"code"`
	Kind        string    `json:"kind"`
	WarehouseID int64     `json:"warehouse_id,omitempty"`
	TenantID    int64     `json:"tenant_id,omitempty"`
	AssignedTo  string    `json:"assigned_to,omitempty"`
	EnrolledAt  time.Time `json:"enrolled_at"`
	Revoked     bool      `json:"revoked"`
	LastSeen    time.Time `json:"last_seen,omitzero"` // print gateways
	Stale       bool      `json:"stale,omitempty"`
}

// Grant is one quota raise and who approved it.
type Grant struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Kind        string    `json:"kind"`
	Extra       int       `json:"extra"`
	RequestedBy string    `json:"requested_by"`
	ApprovedBy  string    `json:"approved_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	FourEyes    bool      `json:"four_eyes"` // approved by a person other than the requester
}

// AlertRow is one open high alert.
type AlertRow struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Username string    `json:"username"`
	Rule     string    `json:"rule"`
	Severity string    `json:"severity"`
	AgeHours int       `json:"age_hours"`
}

// TrainingRow is one training record.
type TrainingRow struct {
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	Topic     string    `json:"topic"`
	TrainedAt time.Time `json:"trained_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Current   bool      `json:"current"`
}

// Ledger is the security ledger: the system's security posture as it
// stands, computed from its own rows.
type Ledger struct {
	GeneratedAt time.Time `json:"generated_at"`
	Since       time.Time `json:"since"` // start of the window counts cover

	ActiveAccounts      int        `json:"active_accounts"`
	WithoutSecondFactor []Account  `json:"without_second_factor"` // active people without TOTP
	PastReview          []Account  `json:"past_review"`
	Temporary           []Account  `json:"temporary"` // temporary and contractor accounts with their end dates
	DepartedLive        []Departed `json:"departed_with_live_access"`

	Devices       []DeviceRow    `json:"devices"`
	DevicesByKind map[string]int `json:"active_devices_by_kind"`
	StaleGateways []string       `json:"stale_gateways"`

	QuotaRaises []Grant        `json:"quota_raises"`
	Approvals   map[string]int `json:"four_eyes_approvals"`

	AlertsOpen   int        `json:"alerts_open"`
	AlertsClosed int        `json:"alerts_closed"`
	OpenHigh     []AlertRow `json:"open_high_alerts"`

	RevealsByPurpose map[string]int `json:"reveals_by_purpose"`
	RevealsDenied    int            `json:"reveals_denied"`
	Reprints         int            `json:"reprints"`
	Erasures         int            `json:"erasures"`

	Training        []TrainingRow `json:"training"`
	UntrainedReveal []Account     `json:"revealing_accounts_untrained"`
	ExpiringSoon    []TrainingRow `json:"training_expiring_soon"`

	Incidents      int       `json:"incidents"`
	AuditSize      int64     `json:"audit_records"`
	CheckpointSize int64     `json:"checkpoint_size"`
	CheckpointAt   time.Time `json:"checkpoint_at,omitzero"`
}

// BuildLedger computes the ledger from the facts.
func BuildLedger(f *yuncang.SecurityFacts) *Ledger {
	now := f.At
	l := &Ledger{GeneratedAt: now, Since: f.Since, DevicesByKind: map[string]int{}, Approvals: map[string]int{},
		RevealsByPurpose: map[string]int{}, WithoutSecondFactor: []Account{}, PastReview: []Account{}, Temporary: []Account{},
		DepartedLive: []Departed{}, Devices: []DeviceRow{}, StaleGateways: []string{}, QuotaRaises: []Grant{}, OpenHigh: []AlertRow{},
		Training: []TrainingRow{}, UntrainedReveal: []Account{}, ExpiringSoon: []TrainingRow{}}
	names := map[int64]string{}
	for _, u := range f.Users {
		names[u.ID] = u.Username
	}
	assigned := map[int64][]string{} // active devices per person
	for _, d := range f.Devices {
		row := DeviceRow{Code: d.Code, Kind: d.Kind, WarehouseID: d.WarehouseID, TenantID: d.TenantID, AssignedTo: names[d.AssignedTo],
			EnrolledAt: d.EnrolledAt, Revoked: !d.Active()}
		if d.Kind == yuncang.DevicePrintGateway {
			row.LastSeen = f.GatewaySeen[d.ID]
			row.Stale = d.Active() && now.Sub(maxTime(row.LastSeen, d.EnrolledAt)) > GatewayStaleAfter
			if row.Stale {
				l.StaleGateways = append(l.StaleGateways, d.Code)
			}
		}
		if d.Active() {
			l.DevicesByKind[d.Kind]++
			if d.AssignedTo != 0 {
				assigned[d.AssignedTo] = append(assigned[d.AssignedTo], d.Code)
			}
		}
		l.Devices = append(l.Devices, row)
	}
	trained := map[int64]bool{}
	for _, t := range f.Training {
		row := TrainingRow{Username: t.Username, Role: t.Role, Topic: t.Topic, TrainedAt: t.TrainedAt, ExpiresAt: t.ExpiresAt, Current: t.Current(now)}
		l.Training = append(l.Training, row)
		if row.Current && t.Topic == yuncang.TrainingPersonalData {
			trained[t.UserID] = true
		}
		if row.Current && t.ExpiresAt.Sub(now) < TrainingExpiringWithin {
			l.ExpiringSoon = append(l.ExpiringSoon, row)
		}
	}
	for _, u := range f.Users {
		acc := Account{Username: u.Username, Role: u.Role, Tenant: u.TenantID, Status: u.Status, EndAt: u.EndAt}
		if u.Status != yuncang.UserActive {
			if live := f.LiveSessions[u.ID] + f.LiveTokens[u.ID] + len(assigned[u.ID]); u.Status == yuncang.UserDisabled && live > 0 {
				acc.Detail = u.DisabledReason
				l.DepartedLive = append(l.DepartedLive, Departed{Account: acc, Sessions: f.LiveSessions[u.ID], Tokens: f.LiveTokens[u.ID],
					Devices: append([]string{}, assigned[u.ID]...)})
			}
			continue
		}
		l.ActiveAccounts++
		if u.Role != yuncang.RoleCarrier && !u.HasTOTP {
			l.WithoutSecondFactor = append(l.WithoutSecondFactor, acc)
		}
		base := maxTime(u.CreatedAt, u.ReviewedAt)
		if now.Sub(base) > yuncang.AccessReviewPeriod {
			a := acc
			a.Detail = "review due " + base.Add(yuncang.AccessReviewPeriod).Format("2006-01-02")
			l.PastReview = append(l.PastReview, a)
		}
		if u.EmploymentType == yuncang.EmploymentTemporary || u.EmploymentType == yuncang.EmploymentContractor {
			a := acc
			a.Detail = u.EmploymentType
			if !u.EndAt.IsZero() && !now.Before(u.EndAt) {
				a.Detail += ", past its end"
			}
			l.Temporary = append(l.Temporary, a)
		}
		if yuncang.CanRevealPI(u.Role) && !trained[u.ID] {
			l.UntrainedReveal = append(l.UntrainedReveal, acc)
		}
	}
	for _, g := range f.QuotaGrants {
		l.QuotaRaises = append(l.QuotaRaises, Grant{ID: g.ID, Username: names[g.UserID], Kind: g.Kind, Extra: g.Extra, RequestedBy: names[g.RequestedBy],
			ApprovedBy: names[g.ApprovedBy], CreatedAt: g.CreatedAt, FourEyes: g.ApprovedBy != 0 && g.ApprovedBy != g.RequestedBy})
	}
	for k, v := range f.Approvals {
		l.Approvals[k] = v
	}
	for _, a := range f.Alerts {
		if a.Status != yuncang.AlertOpen {
			l.AlertsClosed++
			continue
		}
		l.AlertsOpen++
		if IsHighSeverity(a.Severity) {
			l.OpenHigh = append(l.OpenHigh, AlertRow{ID: a.ID, At: a.At, Username: a.Username, Rule: a.Rule, Severity: a.Severity, AgeHours: int(now.Sub(a.At).Hours())})
		}
	}
	for k, v := range f.RevealsByPurpose {
		l.RevealsByPurpose[k] = v
	}
	l.RevealsDenied, l.Reprints, l.Erasures, l.Incidents, l.AuditSize = f.RevealsDenied, f.Reprints, f.Erasures, len(f.Incidents), f.AuditSize
	if cp, err := parseCheckpointFields(f.Checkpoint); err == nil {
		l.CheckpointSize, l.CheckpointAt = cp.size, cp.at
	}
	sort.Slice(l.Temporary, func(i, j int) bool { return l.Temporary[i].EndAt.Before(l.Temporary[j].EndAt) })
	return l
}

// IsHighSeverity reports whether an alert's severity is one the guard
// answered by refusing or suspending.
func IsHighSeverity(s string) bool { return s == "refuse" || s == "suspend" }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
