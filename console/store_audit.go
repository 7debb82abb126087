package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/httpapi"
)

// AuditActions are the API's audit log reads (httpapi/audit_actions.go).
type AuditActions interface {
	AuditEvents(r *http.Request, f yuncang.EventFilter) ([]*yuncang.Event, error)
	LatestCheckpoint(r *http.Request) (*audit.Checkpoint, error)
	AuditInclusion(r *http.Request, idx, size int64) (httpapi.ProofJSON, error)
	WriteAuditEvents(w http.ResponseWriter, r *http.Request) error
}

func (c *Console) auditActions() AuditActions { return c.api.(AuditActions) }
