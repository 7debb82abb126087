package console

import (
	"encoding/json"
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
)

// importJobView is the progress page's data; the report once done.
type importJobView struct {
	ID     string
	Status importStatus
	Report *intake.Report
	Err    string
}

// job returns the request's import job: only its starter sees it.
func (c *Console) job(r *http.Request) (*importJob, error) {
	a := yuncang.ActorFromContext(r.Context())
	j := jobs.get(r.PathValue("import"), a.UserID, httpapi.TenantFrom(r.Context()).ID)
	if j == nil {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "no such import")
	}
	return j, nil
}

// importJobShow is the progress bar (console.js polls the status) and,
// when the job is done, its report with the rows it refused.
func (c *Console) importJobShow(w http.ResponseWriter, r *http.Request) error {
	j, err := c.job(r)
	if err != nil {
		return err
	}
	v := &importJobView{ID: j.id, Status: j.status()}
	j.mu.Lock()
	v.Report, v.Err = j.report, j.err
	j.mu.Unlock()
	return c.render(w, http.StatusOK, "import_job", c.newPage(r, "import.title", v))
}

// importJobStatus is the job's progress as JSON for the page's script.
func (c *Console) importJobStatus(w http.ResponseWriter, r *http.Request) error {
	j, err := c.job(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(j.status())
}
