package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// ordersView is the order list's data: one page, masked, and its filters.
type ordersView struct {
	Orders   []httpapi.OrderJSON
	Statuses []string
	Status   string
	Day      string // YYYY-MM-DD
	MOID     string // merchant order id
	Next     string // link to the next page ("" on the last)
	First    string // link to the first page with the same filters ("" on it)
}

// ordersList is the tenant's orders, newest first, keyset-paged, filtered
// by status, day and merchant order id; recipients masked.
func (c *Console) ordersList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := &ordersView{Statuses: yuncang.OrderStatuses, Status: q.Get("status"), Day: q.Get("day"), MOID: strings.TrimSpace(q.Get("moid"))}
	f := yuncang.OrderFilter{Status: v.Status, MerchantOrderID: v.MOID}
	if v.Day != "" {
		d, err := time.ParseInLocation("2006-01-02", v.Day, c.zone)
		if err != nil {
			return yuncang.Invalid("day", "must be a date YYYY-MM-DD")
		}
		f.CreatedFrom, f.CreatedTo = d, d.AddDate(0, 0, 1)
	}
	page, err := c.orders.OrderList(r, f, 50, q.Get("cursor"), yuncang.EventListPage)
	if err != nil {
		return err
	}
	v.Orders = page.Items
	keep := url.Values{}
	for k, val := range map[string]string{"status": v.Status, "day": v.Day, "moid": v.MOID, "tenant": tenantParam(r)} {
		if val != "" {
			keep.Set(k, val)
		}
	}
	if page.Next != "" {
		next := url.Values{}
		for k := range keep {
			next.Set(k, keep.Get(k))
		}
		next.Set("cursor", page.Next)
		v.Next = "/orders?" + next.Encode()
	}
	if q.Get("cursor") != "" {
		v.First = "/orders?" + keep.Encode()
	}
	return c.render(w, http.StatusOK, "orders_list", c.newPage(r, "orders.title", v))
}
