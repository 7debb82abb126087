package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// SupervisorActions are the API's own visibility and review decisions
// (httpapi/supervisor_actions.go), as the supervisor's pages use them.
type SupervisorActions interface {
	VisibleAlerts(r *http.Request, status string) ([]*yuncang.Alert, error)
	ReviewAlert(r *http.Request, id int64, decision, note string) (*yuncang.Alert, error)
	VisibleUsers(r *http.Request) ([]*yuncang.User, error)
	VisibleDevices(r *http.Request) ([]*yuncang.Device, error)
	OnShift(u *yuncang.User) bool
}

func (c *Console) supervisorActions() SupervisorActions { return c.api.(SupervisorActions) }
