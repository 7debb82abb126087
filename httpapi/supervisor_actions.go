package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

// What the API's staff, device and alert handlers decide about visibility
// and reviews, exported so that the console's supervisor and security
// pages show and change exactly what the API would.

// VisibleAlerts are the guard's alerts (status "" for all) the actor may
// see: supervisors only those about staff of their warehouses.
func (s *Server) VisibleAlerts(r *http.Request, status string) ([]*yuncang.Alert, error) {
	switch status {
	case "", yuncang.AlertOpen, yuncang.AlertConfirmed, yuncang.AlertDismissed:
	default:
		return nil, yuncang.Invalid("status", "must be open, confirmed or dismissed")
	}
	als, err := s.store.Alerts(r.Context(), status, 500)
	if err != nil {
		return nil, err
	}
	a := yuncang.ActorFromContext(r.Context())
	var out []*yuncang.Alert
	for _, al := range als {
		if s.alertVisible(r, a, al) {
			out = append(out, al)
		}
	}
	return out, nil
}

// ReviewAlert confirms or dismisses an alert with a note (personal data in
// the note is masked before it is stored).
func (s *Server) ReviewAlert(r *http.Request, id int64, decision, note string) (*yuncang.Alert, error) {
	if decision != yuncang.AlertConfirmed && decision != yuncang.AlertDismissed {
		return nil, yuncang.Invalid("decision", "must be confirmed or dismissed")
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 500 {
		return nil, yuncang.Invalid("note", "is required, at most 500 bytes")
	}
	note = maskText(note)
	if id <= 0 {
		return nil, yuncang.Invalid("id", "must be a positive integer")
	}
	a := yuncang.ActorFromContext(r.Context())
	// An alert the actor's list hides is one it cannot review either.
	al, err := s.store.Alert(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.alertVisible(r, a, al) {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "no open alert with this id")
	}
	if al.UserID == a.UserID {
		// Someone else judges it: an officer re-enabled by break glass
		// does not dismiss the alert about it himself.
		return nil, forbid("you may not review an alert about your own account")
	}
	ev := actorEvent(r, yuncang.EventAlertDecision)
	ev.Targets, ev.Detail = []string{"alert:" + strconv.FormatInt(id, 10)}, decision+": "+note
	return s.store.ReviewAlert(r.Context(), id, a.UserID, decision, note, s.auth.Now(), ev)
}

// VisibleUsers are the accounts the actor may see (GET /users).
func (s *Server) VisibleUsers(r *http.Request) ([]*yuncang.User, error) {
	all, err := s.store.AllUsers(r.Context())
	if err != nil {
		return nil, err
	}
	a := yuncang.ActorFromContext(r.Context())
	var out []*yuncang.User
	for _, u := range all {
		if visible(a, u) {
			out = append(out, u)
		}
	}
	return out, nil
}

// VisibleDevices are the enrolled devices the actor may see (GET /devices).
func (s *Server) VisibleDevices(r *http.Request) ([]*yuncang.Device, error) {
	ds, err := s.store.Devices(r.Context())
	if err != nil {
		return nil, err
	}
	a := yuncang.ActorFromContext(r.Context())
	var out []*yuncang.Device
	for _, d := range ds {
		if d.WarehouseID == 0 || a.InWarehouse(d.WarehouseID) {
			out = append(out, d)
		}
	}
	return out, nil
}

// OnShift reports whether an account's shift window holds now (an account
// without a shift is always on).
func (s *Server) OnShift(u *yuncang.User) bool {
	return u.Shift.Contains(s.auth.Now(), s.auth.Policy.ShiftZone)
}

// GuardSettings are the guard's limits as this server applies them (nil
// when the guard is off), and the reveal quotas.
func (s *Server) GuardSettings() (*guard.Config, GuardPolicy) {
	if s.guard == nil {
		return nil, s.guardPolicy
	}
	cfg := s.guard.Config()
	return &cfg, s.guardPolicy
}
