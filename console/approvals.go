package console

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// approvalsData is the four-eyes queue, and the outcome of a decision
// just made (what only the approver receives is shown here once).
type approvalsData struct {
	Pending []httpapi.ApprovalJSON
	Decided *httpapi.ApprovalDecidedJSON
}

func (c *Console) approvalsPage(r *http.Request, decided *httpapi.ApprovalDecidedJSON) (*Page, error) {
	aps, err := c.securityActions().VisibleApprovals(r, yuncang.ApprovalPending)
	if err != nil {
		return nil, err
	}
	return c.newPage(r, "approvals.title", &approvalsData{Pending: aps, Decided: decided}), nil
}

// approvalsList shows the requests waiting for a second person.
func (c *Console) approvalsList(w http.ResponseWriter, r *http.Request) error {
	p, err := c.approvalsPage(r, nil)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "approvals", p)
}

// approvalDecide approves or rejects a request with the API's decision
// (another person than the requester and the target, with authority over
// it; the API's step-up, taken in the form). The page that answers is not
// a redirect: a token or half an enrolment code the approver receives is
// shown on it once, and never again.
func (c *Console) approvalDecide(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("approval"), 10, 64)
	sa := c.securityActions()
	var out httpapi.ApprovalDecidedJSON
	var err error
	switch r.PostFormValue("decision") {
	case "approve":
		out, err = sa.ApproveApproval(r, id, r.PostFormValue("note"))
	case "reject":
		out, err = sa.RejectApproval(r, id, r.PostFormValue("note"))
	default:
		err = yuncang.Invalid("decision", "must be approve or reject")
	}
	if err != nil && !scanRefused(err) {
		return err
	}
	decided := &out
	if err != nil {
		decided = nil
	}
	p, perr := c.approvalsPage(r, decided)
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if err != nil {
		p.Error, status = yuncang.ErrorMessage(err), http.StatusUnprocessableEntity
	} else {
		p.Flash = "approvals.decided"
	}
	return c.render(w, status, "approvals", p)
}
