package yuncang

import (
	"context"
	"fmt"
	"slices"
)

// LabelPrintTx is one label print as storage runs it in a single
// transaction: the printing service decides what may be printed, counts
// and audits it through these calls, and opens the label data only when
// the print is recorded.
type LabelPrintTx interface {
	// Shipments returns the warehouse's shipments with the given ids; ids
	// of other warehouses or of no shipment are absent.
	Shipments(ctx context.Context, warehouseID int64, ids []int64) (map[int64]*Shipment, error)
	Carrier(ctx context.Context, id int64) (*Carrier, error)
	// CountPrint counts one more print of the label's shipment and fills in
	// its virtual phone; the sender and remarks stay sealed until the
	// returned label is opened.
	CountPrint(ctx context.Context, ld *LabelData) (SealedLabel, error)
	// Audit appends events to the audit log in this transaction.
	Audit(ctx context.Context, evs ...*Event) error
	// QueueJob stores a sealed print job.
	QueueJob(ctx context.Context, j *PrintJob) error
}

// SealedLabel opens a counted label's sender and masked remarks into its
// LabelData. It reads no rows: it may be opened after the transaction
// committed.
type SealedLabel interface {
	Open(ctx context.Context) error
}

// MaxTargetsPerEvent keeps each audit event under the log's target limit;
// a large batch is recorded as several events in the same transaction.
const MaxTargetsPerEvent = 200

// ChunkEvents copies the template event once per MaxTargetsPerEvent
// targets, with the kind, outcome and detail given.
func ChunkEvents(tmpl *Event, kind, outcome, detail string, targets []string) []*Event {
	var evs []*Event
	for chunk := range slices.Chunk(targets, MaxTargetsPerEvent) {
		e := *tmpl
		e.Kind, e.Outcome, e.Targets = kind, outcome, chunk
		if detail != "" {
			if e.Detail != "" {
				e.Detail += "; "
			}
			e.Detail += detail
		}
		if len(targets) > MaxTargetsPerEvent {
			e.Detail += fmt.Sprintf(" (batch of %d)", len(targets))
		}
		evs = append(evs, &e)
	}
	return evs
}
