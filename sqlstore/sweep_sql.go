package sqlstore

// The statements the retention sweep and data-subject erasure run per
// batch of orders, apart from the order rows' own update (by primary key).
// Each searches an index by what it filters on, so a batch costs the same
// however much is stored; sqlite/plans_test.go TestSweepPlans checks it
// through SweepPlanQueries.

// sweepShipmentsSQL lists the shipments of n orders (UNIQUE (order_id,
// parcel_no)).
func sweepShipmentsSQL(n int) string {
	return `SELECT id, manifest_id FROM shipments WHERE order_id IN (` + placeholders(n) + `)`
}

// sweepBindingsSQL drops the phone from the carrier bindings of n orders'
// shipments (virtual_bindings.shipment_id is unique, hence indexed).
func sweepBindingsSQL(n int) string {
	return `UPDATE virtual_bindings SET phone_ct = NULL
		WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id IN (` + placeholders(n) + `))`
}

// sweepTrackingSQL clears the notes of n shipments' tracking events
// (tracking_events_shipment).
func sweepTrackingSQL(n int) string {
	return `UPDATE tracking_events SET note = '' WHERE note <> '' AND shipment_id IN (` + placeholders(n) + `)`
}

// sweepPrintJobsSQL lists the print jobs still holding a payload (the
// partial index print_jobs_payload, migration 0021: jobs that printed or
// expired hold none, so this reads the waiting ones, not a week of jobs).
const sweepPrintJobsSQL = `SELECT id, shipment_ids FROM print_jobs WHERE expires_at > ? AND payload IS NOT NULL`

// sweepOrdersSQL lists the next orders of an erased bucket (orders_retention).
const sweepOrdersSQL = `SELECT id FROM orders WHERE retention_key_id = ? AND id > ? ORDER BY id LIMIT ?`

// sweepOrderKeysSQL drops the first order keys of an erased bucket (the
// primary key, retention_key_id first).
const sweepOrderKeysSQL = `DELETE FROM order_keys WHERE retention_key_id = ? AND handle IN
	(SELECT handle FROM order_keys WHERE retention_key_id = ? ORDER BY handle LIMIT ?)`

// A PlanQuery is a statement with arguments for EXPLAIN QUERY PLAN.
type PlanQuery struct {
	Name, SQL string
	Args      []any
}

// SweepPlanQueries returns the sweep's per-batch statements for a batch of
// three orders or shipments, with arguments (tests read their plans).
func SweepPlanQueries() []PlanQuery {
	return []PlanQuery{
		{"orders of a bucket", sweepOrdersSQL, []any{1, 0, 100}},
		{"shipments of orders", sweepShipmentsSQL(3), []any{1, 2, 3}},
		{"bound phones", sweepBindingsSQL(3), []any{1, 2, 3}},
		{"tracking notes", sweepTrackingSQL(3), []any{1, 2, 3}},
		{"waiting print jobs", sweepPrintJobsSQL, []any{1}},
		{"order keys of bucket", sweepOrderKeysSQL, []any{1, 1, 100}},
	}
}
