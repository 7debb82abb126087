package console

import (
	"sync"
	"time"

	"github.com/yuncang/yuncang/intake"
)

// An import runs as a job: the page that starts it returns at once to a
// progress page, which polls the job's status from static/console.js. Jobs
// live in the memory of the server that runs them (the status is polled on
// the same server: behind a load balancer, pin console sessions to a node)
// and are forgotten an hour after they finish; what an import stored, and
// its audit record, are in the database like the API's imports.

// maxImportJobs is how many imports the console runs at once per server;
// maxQueuedImports how many may wait for a turn (each holds its file's
// orders in memory), beyond which a new one is refused.
const (
	maxImportJobs    = 2
	maxQueuedImports = 20
)

// importJob is one import's progress and outcome.
type importJob struct {
	id       string
	userID   int64
	tenantID int64

	mu       sync.Mutex
	state    string // "queued", "storing", "done", "failed"
	done     int
	total    int
	report   *intake.Report
	err      string // a safe message
	finished time.Time
}

// importStatus is the JSON the progress page polls (no personal data).
type importStatus struct {
	State   string `json:"state"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
}

func (j *importJob) status() importStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	s := importStatus{State: j.state, Done: j.done, Total: j.total}
	switch {
	case j.state == "done":
		s.Percent = 100
	case j.total > 0:
		s.Percent = j.done * 100 / j.total
	}
	return s
}

type importJobs struct {
	mu    sync.Mutex
	jobs  map[string]*importJob
	slots chan struct{}
}

var jobs = &importJobs{jobs: map[string]*importJob{}, slots: make(chan struct{}, maxImportJobs)}

// add registers a job, forgetting those finished over an hour ago; it
// refuses one when too many are waiting.
func (js *importJobs) add(j *importJob, now time.Time) bool {
	js.mu.Lock()
	defer js.mu.Unlock()
	waiting := 0
	for id, old := range js.jobs {
		old.mu.Lock()
		stale := !old.finished.IsZero() && now.Sub(old.finished) > time.Hour
		if old.finished.IsZero() {
			waiting++
		}
		old.mu.Unlock()
		if stale {
			delete(js.jobs, id)
		}
	}
	if waiting >= maxQueuedImports+maxImportJobs {
		return false
	}
	js.jobs[j.id] = j
	return true
}

// get returns the job if it is the user's, in the tenant acted on.
func (js *importJobs) get(id string, userID, tenantID int64) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	j := js.jobs[id]
	if j == nil || j.userID != userID || j.tenantID != tenantID {
		return nil
	}
	return j
}
