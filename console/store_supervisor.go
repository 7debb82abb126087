package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
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

// SecurityActions are the API's access review and offboarding
// (httpapi/staff_handlers.go), as the security officer's pages use them.
type SecurityActions interface {
	AccessReview(r *http.Request) (httpapi.AccessReviewJSON, error)
	OffboardUser(r *http.Request, id int64, reason string) error
	VisibleApprovals(r *http.Request, status string) ([]httpapi.ApprovalJSON, error)
	ApproveApproval(r *http.Request, id int64, note string) (httpapi.ApprovalDecidedJSON, error)
	RejectApproval(r *http.Request, id int64, note string) (httpapi.ApprovalDecidedJSON, error)
	GuardSettings() (*guard.Config, httpapi.GuardPolicy)
}

func (c *Console) securityActions() SecurityActions { return c.api.(SecurityActions) }
