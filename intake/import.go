package intake

import (
	"context"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/orderfile"
)

// ImportBatch is how many orders go into one storage transaction when an
// import is not all-or-nothing.
const ImportBatch = 500

// Report summarises an import: what was created, what was already there, and
// each rejected row with the field and the problem (never the value).
type Report struct {
	Orders     int // orders in the file (well-formed or not)
	Created    int
	Duplicates int
	Rejected   int
	Committed  bool // false when all-or-nothing refused the whole file
	Issues     []Issue
}

// Issue is one rejected order, located by its first row in the file.
type Issue struct {
	Row             int
	MerchantOrderID string
	Code            string
	Field           string
	Message         string
}

// Import validates and stores orders read from a file. Orders that fail are
// reported and the rest are stored, unless allOrNothing, in which case any
// failure means nothing is stored. progress, if set, is called with the
// number of valid orders stored so far and their total.
//
// Each storage batch is audited with a copy of ev (the importing actor).
func Import(ctx context.Context, store yuncang.OrderService, tenantID int64, orders []orderfile.Order, rowErrs []orderfile.RowError,
	allOrNothing bool, ev yuncang.Event, progress func(done, total int)) (*Report, error) {
	rep := &Report{Orders: len(orders), Committed: true}
	for _, e := range rowErrs {
		rep.Issues = append(rep.Issues, Issue{Row: e.Row, Code: yuncang.EINVALID, Field: e.Field, Message: e.Message})
	}
	rejectedRows := map[int]bool{}
	for _, e := range rowErrs {
		rejectedRows[e.Row] = true
	}
	rep.Rejected = len(rejectedRows)

	var batch []*yuncang.PreparedOrder
	var rows []int
	var ids []string
	for _, o := range orders {
		p, err := Prepare(tenantID, o.Input)
		if err != nil {
			rep.Rejected++
			rep.Issues = append(rep.Issues, issue(o.Rows[0], o.Input.MerchantOrderID, err))
			continue
		}
		batch = append(batch, p)
		rows = append(rows, o.Rows[0])
		ids = append(ids, p.MerchantOrderID)
	}
	if allOrNothing && rep.Rejected > 0 {
		rep.Committed = false
		return rep, nil
	}
	size := ImportBatch
	if allOrNothing {
		size = len(batch)
	}
	for start := 0; start < len(batch); start += size {
		end := min(start+size, len(batch))
		batchEv := ev
		res, committed, err := store.CreateOrders(ctx, tenantID, batch[start:end], allOrNothing, &batchEv)
		if err != nil {
			return nil, err
		}
		for i, r := range res {
			switch r.Outcome {
			case yuncang.IntakeCreated:
				rep.Created++
			case yuncang.IntakeDuplicate:
				rep.Duplicates++
			default:
				rep.Rejected++
				rep.Issues = append(rep.Issues, issue(rows[start+i], ids[start+i], r.Err))
			}
		}
		if !committed {
			rep.Committed = false
			rep.Created, rep.Duplicates = 0, 0
			return rep, nil
		}
		if progress != nil {
			progress(end, len(batch))
		}
	}
	return rep, nil
}

func issue(row int, moid string, err error) Issue {
	if len(moid) > yuncang.MaxMerchantOrderID {
		moid = moid[:yuncang.MaxMerchantOrderID]
	}
	if yuncang.ErrorField(err) == "merchant_order_id" {
		// Refused for what it holds (personal data, hidden characters):
		// the report must not repeat it.
		moid = ""
	}
	return Issue{Row: row, MerchantOrderID: moid, Code: yuncang.ErrorCode(err), Field: yuncang.ErrorField(err), Message: yuncang.ErrorMessage(err)}
}
