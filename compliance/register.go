package compliance

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// RouteAccess is one API route and the roles its policy admits (from
// httpapi's route table, the one authorization point).
type RouteAccess struct {
	Route   string   `json:"route"`
	Summary string   `json:"summary"`
	Roles   []string `json:"-"`
}

// Activity is one processing activity of the register.
type Activity struct {
	Name       string   `json:"name"`
	Data       []string `json:"data"`
	Purpose    string   `json:"purpose"`
	LegalBasis string   `json:"legal_basis"`
	Recipients []string `json:"recipients"`
	Retention  string   `json:"retention"`
	Measures   []string `json:"security_measures"`
}

// Recipient is a party personal data is given to.
type Recipient struct {
	Kind string `json:"kind"` // carrier, merchant
	Code string `json:"code"`
	Name string `json:"name"`
	What string `json:"what"`
}

// RoleRow is what one role may do, from the route table.
type RoleRow struct {
	Role      string   `json:"role"`
	CanReveal bool     `json:"can_reveal"`
	Needs2FA  bool     `json:"requires_second_factor"`
	Routes    []string `json:"routes"`
}

// RetentionRow is one merchant's retention of recipient data.
type RetentionRow struct {
	Tenant string `json:"tenant"`
	Days   int    `json:"days_after_delivery"`
}

// Register is the record of processing activities (GB/T 35273-2020
// §11.3), generated from the system's configuration.
type Register struct {
	GeneratedAt    time.Time      `json:"generated_at"`
	Controller     string         `json:"controller"`
	Activities     []Activity     `json:"activities"`
	Recipients     []Recipient    `json:"recipients"`
	Roles          []RoleRow      `json:"roles"`
	RevealPurposes []string       `json:"reveal_purposes"`
	Retention      []RetentionRow `json:"retention"`
	AuditRetention string         `json:"audit_log_retention"`
}

// BuildRegister generates the register from the facts (carriers,
// merchants, retention) and the route table (roles and permissions).
func BuildRegister(f *yuncang.SecurityFacts, routes []RouteAccess) *Register {
	r := &Register{GeneratedAt: f.At, Controller: "The warehouse processes recipients' data entrusted by each merchant (PIPL art. 21); the merchant is the personal-information handler.",
		RevealPurposes: append([]string(nil), yuncang.Purposes...), AuditRetention: "at least 180 days online (Cybersecurity Law art. 21)"}
	var carriers []string
	for _, c := range f.Carriers {
		carriers = append(carriers, c.Code)
		r.Recipients = append(r.Recipients, Recipient{Kind: "carrier", Code: c.Code, Name: c.Name,
			What: fmt.Sprintf("masked waybill label; handover manifest encrypted to the carrier's key; real phone only through a virtual number bound for delivery + %d days; at most %d reprints per label", c.BindingDays, c.MaxReprints)})
	}
	days := map[int]bool{}
	for _, t := range f.Tenants {
		d := f.Retention[t.ID]
		days[d] = true
		r.Retention = append(r.Retention, RetentionRow{Tenant: t.Code, Days: d})
		r.Recipients = append(r.Recipients, Recipient{Kind: "merchant", Code: t.Code, Name: t.Name,
			What: "its own orders, masked; a revealed recipient only to its own staff, one at a time, for a listed purpose"})
	}
	retention := fmt.Sprintf("%d days after delivery (default)", yuncang.DefaultRetentionDays)
	if len(days) > 1 || (len(days) == 1 && !days[yuncang.DefaultRetentionDays]) {
		retention = "per merchant after delivery: see retention"
	}
	recipientData := []string{"recipient name", "recipient phone", "recipient address", "order remarks (free text, scanned and masked)"}
	encrypted := "AES-256-GCM per merchant data key, wrapped by a master key kept outside the database; blind index for phone search"
	r.Activities = []Activity{
		{Name: "order intake", Data: recipientData, Purpose: "fulfil the merchant's orders (pick, pack, ship)", LegalBasis: "entrusted processing (PIPL art. 21) for a contract with the recipient (art. 13(2))",
			Recipients: []string{"the merchant (its own orders)"}, Retention: retention, Measures: []string{encrypted, "masked in every listing (GB/T 41833)", "free-text personal data masked", "every read audited"}},
		{Name: "waybill printing", Data: []string{"masked name (1+ character hidden)", "masked phone (6+ digits hidden) or virtual number", "address without house number"},
			Purpose: "deliver the parcel", LegalBasis: "entrusted processing; GB/T 41833-2022", Recipients: carriers, Retention: "on paper with the parcel",
			Measures: []string{"labels only from an enrolled station in the parcel's warehouse", "reprints need a reason and are capped", "print gateways pull sealed jobs"}},
		{Name: "carrier handover and virtual numbers", Data: []string{"recipient phone (behind a virtual number)", "handover manifest"},
			Purpose: "let the courier reach the recipient", LegalBasis: "entrusted processing", Recipients: carriers,
			Retention: "binding released after delivery + the carrier's binding days, then erased",
			Measures:  []string{"manifest encrypted to the carrier's X25519 key (age)", "resolves rate-limited and audited"}},
		{Name: "reveal (one recipient in full)", Data: recipientData, Purpose: "purposes: " + strings.Join(yuncang.Purposes, ", "),
			LegalBasis: "minimum necessary (PIPL art. 6)", Recipients: []string{"customer service and merchant staff (one record at a time)"}, Retention: "not stored: shown once, watermarked",
			Measures: []string{"listed purpose", "enrolled office desk", "fresh second factor", "current personal-data training", "quotas per account and merchant", "anomaly guard", "audited in the same transaction"}},
		{Name: "staff accounts and security logs", Data: []string{"staff username and role", "login address and device", "audit records (no recipient data)"},
			Purpose: "security, accountability (Cybersecurity Law art. 21; PIPL art. 51)", LegalBasis: "legal obligation",
			Recipients: []string{"security officer", "auditor (read-only)"}, Retention: r.AuditRetention,
			Measures: []string{"tamper-evident Merkle log with Ed25519-signed checkpoints published outside the database"}},
		{Name: "logistics analytics", Data: []string{"none (counts, costs, provinces)"}, Purpose: "logistics analysis", LegalBasis: "no personal data",
			Recipients: []string{"merchant", "platform"}, Retention: "indefinite (no personal data)", Measures: []string{"aggregates only"}},
	}
	byRole := map[string][]string{}
	for _, rt := range routes {
		for _, role := range rt.Roles {
			byRole[role] = append(byRole[role], rt.Route)
		}
	}
	for _, role := range yuncang.Roles {
		rs := byRole[role]
		sort.Strings(rs)
		if rs == nil {
			rs = []string{}
		}
		r.Roles = append(r.Roles, RoleRow{Role: role, CanReveal: yuncang.CanRevealPI(role), Needs2FA: yuncang.RequiresTOTP(role), Routes: rs})
	}
	return r
}

// CSV writes the register as rows of section, name, field, value.
func (r *Register) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{"section", "name", "field", "value"}, {"register", "generated_at", "", r.GeneratedAt.UTC().Format(time.RFC3339)},
		{"register", "controller", "", r.Controller}, {"register", "audit_log_retention", "", r.AuditRetention},
		{"register", "reveal_purposes", "", strings.Join(r.RevealPurposes, "; ")}}
	for _, a := range r.Activities {
		rows = append(rows, []string{"activity", a.Name, "data", strings.Join(a.Data, "; ")}, []string{"activity", a.Name, "purpose", a.Purpose},
			[]string{"activity", a.Name, "legal_basis", a.LegalBasis}, []string{"activity", a.Name, "recipients", strings.Join(a.Recipients, "; ")},
			[]string{"activity", a.Name, "retention", a.Retention}, []string{"activity", a.Name, "security_measures", strings.Join(a.Measures, "; ")})
	}
	for _, p := range r.Recipients {
		rows = append(rows, []string{"recipient", p.Kind + ":" + p.Code, p.Name, p.What})
	}
	for _, ro := range r.Roles {
		rows = append(rows, []string{"role", ro.Role, fmt.Sprintf("can_reveal=%v requires_second_factor=%v", ro.CanReveal, ro.Needs2FA), strings.Join(ro.Routes, "; ")})
	}
	for _, t := range r.Retention {
		rows = append(rows, []string{"retention", t.Tenant, "days_after_delivery", fmt.Sprint(t.Days)})
	}
	for _, row := range rows {
		for i, v := range row {
			row[i] = csvSafe(v)
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
		return "'" + v
	}
	return v
}
