package console

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
)

// guardData is the guard's configuration as the server applies it.
type guardData struct {
	On      bool
	Config  *guard.Config
	Night   string
	Volumes []volumeRow
	Quotas  []quotaRow
	Policy  httpapi.GuardPolicy
}

type volumeRow struct {
	Kind string
	guard.Volume
}

type quotaRow struct {
	Role      string
	Hour, Day int
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// guardSettings shows the guard's limits (read-only: they are the
// server's configuration).
func (c *Console) guardSettings(w http.ResponseWriter, r *http.Request) error {
	cfg, pol := c.securityActions().GuardSettings()
	d := &guardData{On: cfg != nil, Config: cfg, Policy: pol}
	if cfg != nil {
		d.Night = hhmm(cfg.NightStart) + "–" + hhmm(cfg.NightEnd)
		if cfg.Zone != nil {
			d.Night += " " + cfg.Zone.String()
		}
		for k, v := range cfg.Volume {
			d.Volumes = append(d.Volumes, volumeRow{k, v})
		}
		sort.Slice(d.Volumes, func(i, j int) bool { return d.Volumes[i].Kind < d.Volumes[j].Kind })
	}
	for role, q := range pol.Quotas {
		d.Quotas = append(d.Quotas, quotaRow{role, q[0], q[1]})
	}
	sort.Slice(d.Quotas, func(i, j int) bool { return d.Quotas[i].Role < d.Quotas[j].Role })
	return c.render(w, http.StatusOK, "guard_settings", c.newPage(r, "guard.title", d))
}
