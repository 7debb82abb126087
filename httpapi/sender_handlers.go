package httpapi

import (
	"net/http"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// SenderAddressJSON is a merchant's stored sender for one warehouse, as
// read back: masked as on a label.
type SenderAddressJSON struct {
	Configured bool        `json:"configured"`
	Sender     *SenderJSON `json:"sender,omitempty"`
	UpdatedAt  *time.Time  `json:"updated_at,omitempty"`
}

// SenderAddressRequest is the body of PUT .../sender.
type SenderAddressRequest struct {
	Sender SenderJSON `json:"sender"`
}

func init() {
	apiDocs["PUT /api/v1/warehouses/{warehouse}/sender"] = struct {
		req, resp any
		status    string
	}{SenderAddressRequest{}, SenderAddressJSON{}, "200"}
	apiDocs["GET /api/v1/warehouses/{warehouse}/sender"] = struct {
		req, resp any
		status    string
	}{nil, SenderAddressJSON{}, "200"}
}

// registerSenderRoutes: a merchant stores the sender it ships with from a
// warehouse once, and shipments that name none carry it.
func (s *Server) registerSenderRoutes() {
	var (
		pa = yuncang.RolePlatformAdmin
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		ma = yuncang.RoleMerchantAdmin
	)
	s.handle("PUT", "/api/v1/warehouses/{warehouse}/sender", "outbound",
		"Store the merchant's sender (name, phone, return address) for shipments from this warehouse",
		Policy{Roles: roles(pa, ws, ma), Tenant: true, Warehouse: true}, s.putSender)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/sender", "outbound",
		"The merchant's stored sender for this warehouse, masked",
		Policy{Roles: roles(pa, ws, op, ma), Tenant: true, Warehouse: true}, s.getSender)
}

func (s *Server) putSender(w http.ResponseWriter, r *http.Request) error {
	var req SenderAddressRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a := &yuncang.SenderAddress{TenantID: tenantFrom(r.Context()).ID, WarehouseID: warehouseFrom(r.Context()).ID,
		Sender: yuncang.Sender{Name: req.Sender.Name, Phone: req.Sender.Phone, Address: req.Sender.Address}}
	if err := s.senders.Set(r.Context(), a); err != nil {
		return err
	}
	return s.getSender(w, r)
}

func (s *Server) getSender(w http.ResponseWriter, r *http.Request) error {
	a, err := s.senders.Get(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := SenderAddressJSON{}
	if a != nil {
		out.Configured, out.UpdatedAt = true, &a.UpdatedAt
		out.Sender = &SenderJSON{Name: pii.MaskName(a.Sender.Name), Phone: "***", Address: "***"}
		if p, err := pii.ParsePhone(a.Sender.Phone); err == nil {
			out.Sender.Phone = p.Masked()
		}
		if ad, err := pii.ParseAddress(a.Sender.Address); err == nil {
			out.Sender.Address = ad.Masked()
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
