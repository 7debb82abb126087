package httpapi_test

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

// The data-subject request routes in the authorization matrix.
func init() {
	for p, rs := range map[string][]string{
		"POST /api/v1/data-requests":            {cs, ma, ms},
		"GET /api/v1/data-requests":             {cs, ma, ms},
		"POST /api/v1/data-requests/{id}/close": {cs, ma},
	} {
		allowed[p] = rs
	}
	tenantScoped = append(tenantScoped, "POST /api/v1/data-requests", "GET /api/v1/data-requests", "POST /api/v1/data-requests/{id}/close")
}

// dataRequest records an open access request of the tenant (fresh for each
// case: a closed one cannot be closed again).
func (m *matrixFixture) dataRequest(t *testing.T, tenant string) int64 {
	t.Helper()
	tn := m.tenant(tenant)
	d := &yuncang.DataRequest{TenantID: tn.ID, Kind: yuncang.DataRequestAccess, ReceivedAt: m.clock.Now(), DueAt: m.clock.Now().AddDate(0, 0, 21), CreatedBy: "matrix"}
	must(t, m.db.CreateDataRequest(context.Background(), d, nil))
	return d.ID
}
