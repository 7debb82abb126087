package httpapi

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/devicekey"
)

func (s *Server) enrolDevice(w http.ResponseWriter, r *http.Request) error {
	return s.enrol(w, r, &yuncang.Device{WarehouseID: warehouseFrom(r.Context()).ID})
}

func (s *Server) enrolOfficeDevice(w http.ResponseWriter, r *http.Request) error {
	return s.enrol(w, r, &yuncang.Device{TenantID: tenantFrom(r.Context()).ID})
}

// enrol registers a device with the public key it generated. Nothing
// secret is issued: the private key stays on the device.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request, d *yuncang.Device) error {
	var req DeviceRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	pub, err := devicekey.ParsePublic(req.PublicKey)
	if err != nil {
		return yuncang.Invalid("public_key", "must be an Ed25519 public key, base64 of 32 bytes")
	}
	a := yuncang.ActorFromContext(r.Context())
	d.Code, d.Name, d.Kind, d.PublicKey, d.EnrolledBy = req.Code, req.Name, req.Kind, pub, a.UserID
	if req.AssignedTo != "" {
		u, err := s.store.UserByUsername(r.Context(), req.AssignedTo)
		// An office desk serves a person of the office it stands in: a
		// merchant's own staff, or platform staff for a warehouse office.
		if err != nil || u.TenantID != d.TenantID || (d.WarehouseID != 0 && yuncang.IsWarehouseScoped(u.Role) && !u.InWarehouse(d.WarehouseID)) {
			return yuncang.Invalid("assigned_to", "no such person in this office")
		}
		if u.ID == a.UserID {
			// Nobody enrols their own revealing device: the key on it is
			// the enroller's, so a desk of one's own would let one person
			// alone reveal or correct recipients.
			return forbid("nobody enrols an office desk for themselves: another administrator enrols yours")
		}
		d.AssignedTo = u.ID
	}
	if err := s.store.EnrolDevice(r.Context(), d); err != nil {
		return err
	}
	s.securityEvent(r.Context(), a, yuncang.EventDeviceEnrol, yuncang.OutcomeOK, "device "+d.Code+" ("+d.Kind+")")
	j, err := s.deviceJSON(r, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, j)
	return nil
}

func (s *Server) deviceJSON(r *http.Request, d *yuncang.Device) (DeviceJSON, error) {
	j := DeviceJSON{ID: d.ID, Code: d.Code, Name: d.Name, Kind: d.Kind, EnrolledAt: d.EnrolledAt, RevokedAt: timePtr(d.RevokedAt)}
	if d.WarehouseID != 0 {
		codes, err := s.warehouseCodes(r)
		if err != nil {
			return j, err
		}
		j.Warehouse = codes[d.WarehouseID]
	}
	if d.TenantID != 0 {
		t, err := s.store.TenantByID(r.Context(), d.TenantID)
		if err != nil {
			return j, err
		}
		j.Tenant = t.Code
	}
	if d.AssignedTo != 0 {
		u, err := s.store.UserByID(r.Context(), d.AssignedTo)
		if err != nil {
			return j, err
		}
		j.AssignedTo = u.Username
	}
	return j, nil
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.VisibleDevices(r)
	if err != nil {
		return err
	}
	out := []DeviceJSON{}
	for _, d := range ds {
		j, err := s.deviceJSON(r, d)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	writeList(w, out)
	return nil
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	d, err := s.store.DeviceByID(r.Context(), id)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	switch {
	case a.Role == yuncang.RoleMerchantAdmin && d.TenantID != a.TenantID,
		a.Role != yuncang.RoleMerchantAdmin && d.WarehouseID != 0 && !a.InWarehouse(d.WarehouseID),
		a.Role == yuncang.RoleWarehouseSupervisor && d.WarehouseID == 0:
		return yuncang.Errorf(yuncang.ENOTFOUND, "device not found")
	}
	if err := s.store.RevokeDevice(r.Context(), id, s.auth.Now()); err != nil {
		return err
	}
	s.securityEvent(r.Context(), a, yuncang.EventDeviceRevoke, yuncang.OutcomeOK, "device "+d.Code)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
