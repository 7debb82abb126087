package intake

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/orderfile"
)

// ImportBatch is how many orders go into one storage transaction when an
// import is not all-or-nothing.
const ImportBatch = 500

// Report summarises an import: what was created, which merchant order ids
// named orders already stored (nothing stored for them, whatever their
// content), and each rejected order's problems, by row and field (never the
// value). Orders = Created + len(Existing) + Rejected + NotCommitted, always.
type Report struct {
	Orders   int // orders in the file, well-formed or not; a row without a merchant order id counts as one
	Created  int
	Existing []Existing
	Rejected int // orders refused, each counted once however many problems it has
	// NotCommitted counts the good orders all-or-nothing did not store
	// because others were refused; 0 when Committed.
	NotCommitted int
	Committed    bool // false when all-or-nothing refused the whole file
	Issues       []Issue
}

// Existing is an order of the file whose merchant order id names an order
// already stored: nothing was stored for it. Its content was not compared
// with the stored order's (that would confirm guessed recipients).
type Existing struct {
	Row             int
	MerchantOrderID string
	OrderID         int64 // the stored order
}

// Issue is one problem of a rejected order, located by its row in the file:
// an order with several invalid fields has one issue per field, in row order.
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
// An order orderfile marked rejected is reported with its row errors and
// with every problem of the fields it does have (its recipient, remarks and
// id), as an order refused by Prepare would be; a row error on a row of no
// order (no merchant order id) is one rejected order of its own.
//
// Each storage batch is audited with a copy of ev (the importing actor).
func Import(ctx context.Context, store yuncang.OrderService, tenantID int64, orders []orderfile.Order, rowErrs []orderfile.RowError,
	allOrNothing bool, ev yuncang.Event, progress func(done, total int)) (*Report, error) {
	rep := &Report{Orders: len(orders), Committed: true}
	orderOf := map[int]int{} // row -> index in orders
	for i, o := range orders {
		for _, r := range o.Rows {
			orderOf[r] = i
		}
	}
	errsOf := map[int][]orderfile.RowError{} // index in orders -> its row errors
	orphans := map[int]bool{}                // rows of no order
	for _, e := range rowErrs {
		if i, ok := orderOf[e.Row]; ok {
			errsOf[i] = append(errsOf[i], e)
			continue
		}
		rep.Issues = append(rep.Issues, Issue{Row: e.Row, Code: yuncang.EINVALID, Field: e.Field, Message: e.Message})
		orphans[e.Row] = true
	}
	rep.Orders += len(orphans)
	rep.Rejected = len(orphans)

	var batch []*yuncang.PreparedOrder
	var rows []int
	var ids []string
	for i, o := range orders {
		p, err := Prepare(tenantID, o.Input)
		if err == nil && !o.Rejected {
			batch = append(batch, p)
			rows = append(rows, o.Rows[0])
			ids = append(ids, p.MerchantOrderID)
			continue
		}
		rep.Rejected++
		// One issue per invalid field: a row with three mistakes lists
		// three. A refused merchant order id is repeated in none of them
		// (see issue).
		fs, moid := yuncang.ErrorFields(err), o.Input.MerchantOrderID
		for _, f := range fs {
			if f.Field == "merchant_order_id" {
				moid = ""
			}
		}
		reported := map[string]bool{} // fields of the first row the file's own errors cover
		for _, e := range errsOf[i] {
			rep.Issues = append(rep.Issues, issue(e.Row, moid, yuncang.Invalid(e.Field, "%s", e.Message)))
			if e.Row == o.Rows[0] {
				reported[preparedField(e.Field)] = true
			}
		}
		for _, f := range fs {
			if o.Rejected && (strings.HasPrefix(f.Field, "lines") || reported[f.Field]) {
				// The lines of a rejected order are those the file's
				// rows got right; its row errors cover the others.
				continue
			}
			rep.Issues = append(rep.Issues, issue(o.Rows[0], moid, yuncang.Invalid(f.Field, "%s", f.Problem)))
		}
		if err != nil && len(fs) == 0 {
			rep.Issues = append(rep.Issues, issue(o.Rows[0], moid, err))
		}
	}
	sort.SliceStable(rep.Issues, func(a, b int) bool { return rep.Issues[a].Row < rep.Issues[b].Row })
	if allOrNothing && rep.Rejected > 0 {
		// Nothing will be stored, but the report must still name every
		// bad row: those the store would refuse too, as far as that can
		// be known without writing (unknown SKUs).
		if err := reportUnknownSKUs(ctx, store, tenantID, batch, rows, ids, rep); err != nil {
			return nil, err
		}
		rep.notCommitted()
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
			case yuncang.IntakeExists:
				rep.Existing = append(rep.Existing, Existing{Row: rows[start+i], MerchantOrderID: ids[start+i], OrderID: r.Order.ID})
			default:
				rep.Rejected++
				rep.Issues = append(rep.Issues, issue(rows[start+i], ids[start+i], r.Err))
			}
		}
		if !committed {
			sort.SliceStable(rep.Issues, func(a, b int) bool { return rep.Issues[a].Row < rep.Issues[b].Row })
			rep.notCommitted()
			return rep, nil
		}
		if progress != nil {
			progress(end, len(batch))
		}
	}
	sort.SliceStable(rep.Issues, func(a, b int) bool { return rep.Issues[a].Row < rep.Issues[b].Row })
	return rep, nil
}

// notCommitted marks the report of a file all-or-nothing refused: nothing
// was created or found already there, and every order not refused itself
// is counted as not committed.
func (rep *Report) notCommitted() {
	rep.Committed = false
	rep.Created, rep.Existing = 0, nil
	rep.NotCommitted = rep.Orders - rep.Rejected
}

// skuLister is the part of the store that knows a tenant's SKUs.
type skuLister interface {
	SKUs(ctx context.Context, tenantID int64) ([]*yuncang.SKU, error)
}

// reportUnknownSKUs adds an issue for each order naming an SKU the tenant
// does not have, with the store's own field and message.
func reportUnknownSKUs(ctx context.Context, store yuncang.OrderService, tenantID int64, batch []*yuncang.PreparedOrder, rows []int, ids []string, rep *Report) error {
	sl, ok := store.(skuLister)
	if !ok || len(batch) == 0 {
		return nil
	}
	skus, err := sl.SKUs(ctx, tenantID)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(skus))
	for _, s := range skus {
		known[s.Code] = true
	}
	for i, p := range batch {
		for n, l := range p.Lines {
			if !known[l.SKUCode] {
				rep.Rejected++
				rep.Issues = append(rep.Issues, issue(rows[i], ids[i], yuncang.Invalid(fmt.Sprintf("lines[%d].sku", n), "no such SKU for this merchant")))
				break
			}
		}
	}
	sort.SliceStable(rep.Issues, func(a, b int) bool { return rep.Issues[a].Row < rep.Issues[b].Row })
	return nil
}

// preparedField is the field Prepare reports for an order file's column.
func preparedField(col string) string {
	switch col {
	case orderfile.ColRecipientName:
		return "recipient.name"
	case orderfile.ColRecipientPhone:
		return "recipient.phone"
	case orderfile.ColRecipientAddress:
		return "recipient.address"
	case orderfile.ColSKU, orderfile.ColQuantity:
		return "lines"
	}
	return col // merchant_order_id, remarks
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
