package console

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// auditListData is a page of the audit log with the checkpoint its
// records are proven against.
type auditListData struct {
	Filter url.Values
	// ExportCSV and ExportJSONL download the filtered log with its checkpoint.
	ExportCSV, ExportJSONL string
	Events                 []auditRow
	Checkpoint             *checkpointView
}

// auditRow is an event as the viewer shows it (the log holds no recipient
// data; reveal purposes and details are as recorded).
type auditRow struct {
	*yuncang.Event
	When    string
	Index   int64 // the record's index in the log (ID − 1)
	Covered bool  // inside the checkpoint's tree: provable now
	Targets string
}

// checkpointView is the signed checkpoint the page checks proofs against.
type checkpointView struct {
	Origin string
	Size   int64
	Root   string // base64
	When   string
	Note   string
}

// auditFilters are the query parameters the viewer passes on.
var auditFilters = []string{"kind", "user_id", "tenant_id", "target", "since", "until", "cursor"}

// auditList is the audit log viewer: filters as the API's, newest first,
// 100 per page; each record covered by the checkpoint can be proven.
func (c *Console) auditList(w http.ResponseWriter, r *http.Request) error {
	q := url.Values{}
	for _, k := range auditFilters {
		if v := strings.TrimSpace(r.URL.Query().Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	d := &auditListData{Filter: q}
	for _, f := range []struct {
		format string
		dst    *string
	}{{"csv", &d.ExportCSV}, {"jsonl", &d.ExportJSONL}} {
		e := url.Values{"format": {f.format}}
		for k, v := range q {
			e[k] = v
		}
		*f.dst = "/audit/export?" + e.Encode()
	}
	q.Set("limit", "100")
	p := c.newPage(r, "audit.title", d)
	f, err := httpapi.ParseEventFilter(q)
	if err != nil {
		p.Error = yuncang.ErrorMessage(err)
		return c.render(w, http.StatusBadRequest, "audit_list", p)
	}
	aa := c.auditActions()
	if cp, err := aa.LatestCheckpoint(r); err == nil {
		d.Checkpoint = &checkpointView{Origin: cp.Origin, Size: cp.Size, Root: base64.StdEncoding.EncodeToString(cp.Root[:]),
			When: cp.Time.In(c.zone).Format("2006-01-02 15:04:05"), Note: string(cp.Note)}
	} else if yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		return err
	}
	es, err := aa.AuditEvents(r, f)
	if err != nil {
		return err
	}
	for _, e := range es {
		row := auditRow{Event: e, When: e.At.In(c.zone).Format("2006-01-02 15:04:05"), Index: e.ID - 1, Targets: strings.Join(e.Targets, " ")}
		row.Covered = d.Checkpoint != nil && row.Index < d.Checkpoint.Size
		d.Events = append(d.Events, row)
	}
	return c.render(w, http.StatusOK, "audit_list", p)
}
