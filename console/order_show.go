package console

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// orderView is one order, masked, and whether the viewer may ask to reveal
// its recipient (the reveal itself is decided by the reveal route).
type orderView struct {
	Order     httpapi.OrderJSON
	CanReveal bool
	Purposes  []string
	ServerNow int64 // Unix seconds: the desk signs with the server's time
	Remask    int   // seconds a revealed recipient stays on screen
}

// remaskAfter is how long a revealed recipient stays on screen.
const remaskAfter = 30

// orderShow is one order of the tenant, masked.
func (c *Console) orderShow(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	o, err := c.orders.OrderDetail(r, id)
	if err != nil {
		return err
	}
	v := &orderView{Order: o, Purposes: yuncang.Purposes, ServerNow: c.now().Unix(), Remask: remaskAfter}
	if p, ok := c.api.PagePolicy("POST /orders/{id}/reveal"); ok {
		a := yuncang.ActorFromContext(r.Context())
		for _, role := range p.Roles {
			v.CanReveal = v.CanReveal || role == a.Role
		}
	}
	return c.render(w, http.StatusOK, "order_show", c.newPage(r, "order.title", v))
}
