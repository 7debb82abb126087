package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// redeemEnrolment lets a person set their own credentials with a one-time
// code. It is public (the person has no credentials yet); every refusal of
// the code reads the same, and failures count against the source address.
func (s *Server) redeemEnrolment(w http.ResponseWriter, r *http.Request) error {
	// The device signature covers the body: check it before the body is read.
	device, err := s.signedDevice(w, r)
	if err != nil {
		return err
	}
	var req RedeemRequestJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Code == "" {
		return yuncang.Invalid("code", "is required")
	}
	if req.Password == "" {
		return yuncang.Invalid("password", "is required")
	}
	res, err := s.auth.Redeem(r.Context(), s.store, auth.RedeemRequest{Code: req.Code, Password: req.Password,
		Device: device, Source: s.clientAddr(r)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, RedeemedJSON{Username: res.User.Username, Purpose: res.Purpose, TOTPSecret: res.TOTPSecret,
		TOTPURI: auth.TOTPURI("yuncang", res.User.Username, res.TOTPSecret)})
	return nil
}
