package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"slices"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/devicekey"
)

// signedDevice returns the enrolled device that signed the request (nil if
// the request carries no device headers). The signature covers method,
// path and query, body, time and nonce (package devicekey); the time must
// be within devicekey.MaxSkew of the server's clock and the nonce new for
// the device, recorded in the database so a replay fails on every server.
// The body is read here to hash it and handed on unchanged.
func (s *Server) signedDevice(w http.ResponseWriter, r *http.Request) (*yuncang.Device, error) {
	sig, ok, err := devicekey.Parse(r.Header)
	if !ok {
		return nil, nil
	}
	refused := yuncang.Errorf(yuncang.EUNAUTHORIZED, "the device signature is invalid, stale or replayed")
	if err != nil {
		return nil, &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: devicekey.HeaderDevice, Message: err.Error()}
	}
	limit := int64(maxJSONBody)
	if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json" {
		limit = maxImportBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, yuncang.Invalid("body", "is too large or unreadable")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	now := s.auth.Now()
	if !sig.Fresh(now) {
		return nil, refused
	}
	d, err := s.store.DeviceByID(r.Context(), sig.DeviceID)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return nil, refused
		}
		return nil, err
	}
	if !d.Active() || !sig.Verify(d.PublicKey, r.Method, r.URL.RequestURI(), body) {
		return nil, refused
	}
	// Only a correctly signed request spends a nonce, so nobody can burn a
	// device's nonces without its key.
	if err := s.store.UseDeviceNonce(r.Context(), d.ID, sig.Nonce, now, now.Add(-2*devicekey.MaxSkew)); err != nil {
		if yuncang.ErrorCode(err) == yuncang.ECONFLICT {
			return nil, refused
		}
		return nil, err
	}
	return d, nil
}

// deviceAllowed says why the actor's device may not be used for a route
// ("" if it may): the route names the kinds it accepts; a warehouse route
// needs a device standing in that warehouse.
func deviceAllowed(p Policy, a *yuncang.Actor, wh *yuncang.Warehouse) string {
	d := a.Device
	switch {
	case d == nil:
		return "only from an enrolled device"
	case len(p.DeviceKinds) > 0 && !slices.Contains(p.DeviceKinds, d.Kind):
		return "this device's kind (" + d.Kind + ") may not be used for this"
	case d.Kind == yuncang.DeviceOfficeDesk && d.AssignedTo != a.UserID:
		return "this office desk is assigned to someone else"
	case d.Kind == yuncang.DeviceOfficeDesk && d.EnrolledBy == a.UserID:
		// Enrolled before enrolling one's own desk was refused.
		return "you enrolled this office desk yourself; another administrator must enrol it"
	case d.WarehouseID != 0 && !a.InWarehouse(d.WarehouseID):
		return "this device stands in a warehouse outside your scope"
	case d.TenantID != 0 && d.TenantID != a.TenantID:
		return "this device belongs to another merchant"
	case wh != nil && d.Kind != yuncang.DeviceOfficeDesk && d.WarehouseID != wh.ID:
		return "this device stands in another warehouse"
	}
	return ""
}
