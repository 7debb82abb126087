package console

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/yuncang/yuncang/httpapi"
)

// planningView is the merchant's planning configuration (GET
// /api/v1/planning-config), read-only: carriers, cut-offs, rate counts and
// the document itself.
type planningView struct {
	Default   bool
	UpdatedAt string
	Carriers  []planningCarrier
	Penalties map[string]any
	JSON      string
}

type planningCarrier struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Cutoff string `json:"cutoff"`
	Rates  []any  `json:"rates"`
}

func (c *Console) planningShow(w http.ResponseWriter, r *http.Request) error {
	pc, err := c.store.PlanningConfig(r.Context(), httpapi.TenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	v := &planningView{Default: pc.Default}
	if !pc.UpdatedAt.IsZero() {
		v.UpdatedAt = pc.UpdatedAt.In(c.zone).Format("2006-01-02 15:04")
	}
	var doc struct {
		Carriers  []planningCarrier `json:"carriers"`
		Penalties map[string]any    `json:"penalties"`
	}
	if json.Unmarshal(pc.Body, &doc) == nil {
		v.Carriers, v.Penalties = doc.Carriers, doc.Penalties
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, pc.Body, "", "  ") == nil {
		v.JSON = pretty.String()
	}
	return c.render(w, http.StatusOK, "planning_show", c.newPage(r, "planning.title", v))
}
