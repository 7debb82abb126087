package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/pii"
)

// searchView is the phone search's result: masked orders. The phone typed
// is not echoed back, and travels only in the POST body (never a URL).
type searchView struct {
	Searched bool
	Orders   []httpapi.OrderJSON
}

// searchShow is the empty phone search form.
func (c *Console) searchShow(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "search", c.newPage(r, "search.title", &searchView{}))
}

// searchSubmit finds the tenant's orders to a phone through the blind
// index, as POST /api/v1/orders/search does (guard and audit included).
func (c *Console) searchSubmit(w http.ResponseWriter, r *http.Request) error {
	ph, err := pii.ParsePhone(r.PostFormValue("phone"))
	if err != nil {
		return yuncang.Invalid("phone", "is not a valid phone number")
	}
	page, err := c.orders.OrderList(r, yuncang.OrderFilter{Phone: ph.Digits}, 50, "", yuncang.EventPhoneSearch)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "search", c.newPage(r, "search.title", &searchView{Searched: true, Orders: page.Items}))
}
