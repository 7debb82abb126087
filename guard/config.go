package guard

import "time"

// Severity grades a signal. The response to a request is its highest.
type Severity int

const (
	Alert   Severity = iota + 1 // record and notify
	StepUp                      // also require a fresh second factor
	Refuse                      // refuse this request (a shared limit is spent), without blaming the account
	Suspend                     // disable the account and revoke everything now
)

func (s Severity) String() string {
	switch s {
	case Alert:
		return "alert"
	case StepUp:
		return "step_up"
	case Refuse:
		return "refuse"
	case Suspend:
		return "suspend"
	}
	return "none"
}

// Activity kinds.
const (
	KindReveal       = "reveal"
	KindLabelPrint   = "label_print"
	KindLabelReprint = "label_reprint"
	KindPhoneSearch  = "phone_search"
	KindListPage     = "list_page"
	KindExport       = "export"
	KindResolve      = "virtual_number_resolve"
	KindWaybillQuery = "waybill_lookup"
	KindShipment     = "shipment_create" // binds a recipient's phone to a waybill
	KindManifest     = "manifest"        // a carrier's handover list, names and addresses included
	KindDenied       = "denied"          // a request refused for scope: other tenant, warehouse or role
	// KindOrderChange: a person or client moves orders it names by id
	// (pays, cancels, allocates them). Shows no recipient data; the guard
	// judges it only when a named order is a decoy.
	KindOrderChange = "order_change"
)

// Volume thresholds for one activity kind: a day's count (sliding 24 h) is
// anomalous when it exceeds Factor × the larger of the actor's own daily
// baseline and its peer group's, and at least Floor.
type Volume struct {
	AlertFloor, SuspendFloor   int
	AlertFactor, SuspendFactor float64
}

// Config holds every threshold. Zero values are not sensible; start from
// DefaultConfig.
type Config struct {
	Zone       *time.Location
	NightStart int // minutes after midnight, local
	NightEnd   int
	// NightSuspend is how many reveals, prints or resolves one actor may do
	// at night before being suspended; each one at night needs a step-up.
	NightSuspend int
	Volume       map[string]Volume
	// Paging: list pages and phone searches per sliding hour.
	PagesStepUp, PagesSuspend int
	// Enumeration: this many consecutive ids in a row (each one more or one
	// less than the last) among reveals, resolves or waybill lookups.
	SequentialRun int
	// Spread: this many distinct targets in one minute need a step-up.
	SpreadPerMinute int
	// Denials of scope within DenialWindow.
	DenialAlert, DenialSuspend int
	DenialWindow               time.Duration
	// DenialByRole overrides the two for roles whose legitimate traffic
	// misses more often: a carrier's platform resolves numbers its
	// couriers dial, some of them long expired.
	DenialByRole map[string][2]int
	// TenantPhoneSearches caps one merchant's phone searches ("is this
	// number a customer?") per sliding hour, all its accounts together:
	// making more staff accounts does not multiply the answers.
	TenantPhoneSearches int
	// Machine clients (API tokens: a carrier's platform, an ERP) keep no
	// office hours, so the night rule does not apply to them; instead their
	// accesses to recipient data per sliding hour are capped, beside the
	// volume, miss-rate (scope probing) and enumeration rules.
	MachineHourAlert, MachineHourSuspend int
}

// DefaultConfig is tuned so that a busy customer-service team and a full
// packing shift raise nothing (see the false-positive tests), while every
// scenario of the brief is cut off within a handful of records.
func DefaultConfig() Config {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return Config{
		Zone:         loc,
		NightStart:   22 * 60,
		NightEnd:     6 * 60,
		NightSuspend: 3,
		Volume: map[string]Volume{
			KindReveal: {AlertFloor: 12, SuspendFloor: 25, AlertFactor: 2.5, SuspendFactor: 4},
			// A carrier's platform resolves for all its couriers: volume is
			// bounded by its hourly limit; misses and walking catch abuse.
			KindResolve:      {AlertFloor: 2000, SuspendFloor: 5000, AlertFactor: 3, SuspendFactor: 6},
			KindLabelReprint: {AlertFloor: 10, SuspendFloor: 30, AlertFactor: 3, SuspendFactor: 6},
			KindLabelPrint:   {AlertFloor: 1500, SuspendFloor: 4000, AlertFactor: 3, SuspendFactor: 6},
			KindExport:       {AlertFloor: 1, SuspendFloor: 5, AlertFactor: 3, SuspendFactor: 6},
			KindWaybillQuery: {AlertFloor: 10, SuspendFloor: 25, AlertFactor: 3, SuspendFactor: 5},
			// A warehouse creates shipments for a day's parcels; an operator
			// binding phones to waybills far beyond that is harvesting.
			KindShipment: {AlertFloor: 1500, SuspendFloor: 4000, AlertFactor: 3, SuspendFactor: 6},
			KindManifest: {AlertFloor: 20, SuspendFloor: 60, AlertFactor: 3, SuspendFactor: 6},
		},
		PagesStepUp:     40,
		PagesSuspend:    80,
		SequentialRun:   5,
		SpreadPerMinute: 8,
		DenialAlert:     2,
		DenialSuspend:   5,
		DenialWindow:    10 * time.Minute,
		DenialByRole:    map[string][2]int{"carrier": {10, 50}},
		// 80 an hour is one account's suspension threshold; a merchant's
		// whole team gets three accounts' worth.
		TenantPhoneSearches: 240,
		MachineHourAlert:    1000,
		MachineHourSuspend:  2500,
	}
}

// Night reports whether t falls in the configured night.
func (c *Config) Night(t time.Time) bool {
	t = t.In(c.Zone)
	m := t.Hour()*60 + t.Minute()
	if c.NightStart > c.NightEnd {
		return m >= c.NightStart || m < c.NightEnd
	}
	return m >= c.NightStart && m < c.NightEnd
}
