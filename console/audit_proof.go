package console

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
)

// auditProof answers the viewer's fetch(): the inclusion proof of one
// record in the latest checkpoint's tree (the API's proof). The page
// recomputes the path itself and compares it with the checkpoint's root.
func (c *Console) auditProof(w http.ResponseWriter, r *http.Request) error {
	idx, err := strconv.ParseInt(r.URL.Query().Get("index"), 10, 64)
	if err != nil || idx < 0 {
		return yuncang.Invalid("index", "must be a record index (0 or more)")
	}
	p, err := c.auditActions().AuditInclusion(r, idx, 0)
	if err != nil {
		return err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return yuncang.Internal(err, "encode proof")
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(b)
	return err
}
