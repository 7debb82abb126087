package console

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// accessReviewData is the access review with, for the roles that may
// offboard, a one-click offboarding form per active account.
type accessReviewData struct {
	Review      httpapi.AccessReviewJSON
	CanOffboard bool
	Last        map[int64]string // last acted, in the console's zone
	Due         map[int64]string
}

func (c *Console) accessPage(r *http.Request) (*Page, error) {
	rv, err := c.securityActions().AccessReview(r)
	if err != nil {
		return nil, err
	}
	d := &accessReviewData{Review: rv, Last: map[int64]string{}, Due: map[int64]string{}}
	for _, a := range rv.Accounts {
		if a.LastActed != nil {
			d.Last[a.ID] = a.LastActed.In(c.zone).Format("2006-01-02 15:04")
		}
		d.Due[a.ID] = a.ReviewDueAt.In(c.zone).Format("2006-01-02")
	}
	if p, ok := c.api.PagePolicy("POST /security/offboard"); ok {
		d.CanOffboard = slices.Contains(p.Roles, yuncang.ActorFromContext(r.Context()).Role)
	}
	return c.newPage(r, "access.title", d), nil
}

// accessReview shows who can do what, when each account last acted, which
// are due for review (the API's access review).
func (c *Console) accessReview(w http.ResponseWriter, r *http.Request) error {
	p, err := c.accessPage(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "1" {
		p.Flash = "access.offboarded"
	}
	return c.render(w, http.StatusOK, "access_review", p)
}

// offboard disables an account at once (sessions and tokens revoked) with
// the API's offboarding; the form must carry the confirmation box, the
// CSRF token and (the API's step-up) a fresh one-time code.
func (c *Console) offboard(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	err := yuncang.Error{Code: yuncang.EINVALID, Field: "confirm", Message: "tick the box to confirm the offboarding"}
	var ferr error = &err
	if r.PostFormValue("confirm") == "yes" {
		ferr = c.securityActions().OffboardUser(r, id, r.PostFormValue("reason"))
	}
	if ferr != nil {
		if !scanRefused(ferr) {
			return ferr
		}
		p, perr := c.accessPage(r)
		if perr != nil {
			return perr
		}
		p.Error = yuncang.ErrorMessage(ferr)
		return c.render(w, http.StatusUnprocessableEntity, "access_review", p)
	}
	return seeOther(w, r, "/security/access?done=1")
}
