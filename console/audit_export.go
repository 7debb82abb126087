package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// auditExport downloads the filtered audit log as CSV or JSON lines with
// its covering checkpoint: the API's own export (recorded in the log).
func (c *Console) auditExport(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "jsonl" {
		return yuncang.Invalid("format", "must be csv or jsonl")
	}
	w.Header().Set("Content-Disposition", `attachment; filename="audit.`+format+`"`)
	return c.auditActions().WriteAuditEvents(w, r)
}
