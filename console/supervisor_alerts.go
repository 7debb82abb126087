package console

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
)

// supervisorAlertsData is the alerts queue: open alerts to review, and
// the latest reviewed ones with their notes.
type supervisorAlertsData struct {
	Open     []alertRow
	Reviewed []alertRow
	Action   string // where the review form posts: this area's review page
	Self     string
}

// alertAreas are the two alerts queues (supervisor, security officer):
// the same API decisions, each area's own page and policy.
var alertAreas = map[string][2]string{
	"GET /supervisor/alerts":         {"/supervisor/alerts", "/supervisor/alerts/review"},
	"POST /supervisor/alerts/review": {"/supervisor/alerts", "/supervisor/alerts/review"},
	"GET /security/alerts":           {"/security/alerts", "/security/alerts/review"},
	"POST /security/alerts/review":   {"/security/alerts", "/security/alerts/review"},
}

// alertRow is an alert with its time in the console's zone.
type alertRow struct {
	*yuncang.Alert
	When string
}

func (c *Console) alertRows(als []*yuncang.Alert) []alertRow {
	out := make([]alertRow, len(als))
	for i, a := range als {
		out[i] = alertRow{a, a.At.In(c.zone).Format("2006-01-02 15:04")}
	}
	return out
}

func (c *Console) alertsPage(r *http.Request) (*Page, error) {
	sa := c.supervisorActions()
	open, err := sa.VisibleAlerts(r, yuncang.AlertOpen)
	if err != nil {
		return nil, err
	}
	area := alertAreas[r.Pattern]
	d := &supervisorAlertsData{Open: c.alertRows(open), Self: area[0], Action: area[1]}
	for _, st := range []string{yuncang.AlertConfirmed, yuncang.AlertDismissed} {
		als, err := sa.VisibleAlerts(r, st)
		if err != nil {
			return nil, err
		}
		d.Reviewed = append(d.Reviewed, c.alertRows(als[:min(len(als), 20)])...)
	}
	return c.newPage(r, "alerts.title", d), nil
}

// supervisorAlerts is the alerts queue.
func (c *Console) supervisorAlerts(w http.ResponseWriter, r *http.Request) error {
	p, err := c.alertsPage(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "1" {
		p.Flash = "alerts.reviewed"
	}
	return c.render(w, http.StatusOK, "supervisor_alerts", p)
}

// supervisorReview confirms or dismisses an alert with a note, as POST
// /api/v1/alerts/{id}/review (the step-up is taken in place, from the
// form's one-time code).
func (c *Console) supervisorReview(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("alert"), 10, 64)
	_, err := c.supervisorActions().ReviewAlert(r, id, r.PostFormValue("decision"), r.PostFormValue("note"))
	if err != nil {
		if !scanRefused(err) {
			return err
		}
		p, perr := c.alertsPage(r)
		if perr != nil {
			return perr
		}
		p.Error = yuncang.ErrorMessage(err)
		return c.render(w, http.StatusUnprocessableEntity, "supervisor_alerts", p)
	}
	return seeOther(w, r, alertAreas[r.Pattern][0]+"?done=1")
}
