package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	// The device signature covers the body: check it before reading it.
	device, err := s.signedDevice(w, r)
	if err != nil {
		return err
	}
	var req LoginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Username == "" {
		return yuncang.Invalid("username", "is required")
	}
	if req.Password == "" {
		return yuncang.Invalid("password", "is required")
	}
	sess, err := s.auth.Login(r.Context(), auth.LoginRequest{Username: req.Username, Password: req.Password, TOTP: req.TOTP,
		Device: device, Source: s.clientAddr(r)})
	if err != nil {
		return err
	}
	u, err := s.userJSON(r, sess.User)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, LoginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, User: u})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.EndSession(r.Context(), yuncang.ActorFromContext(r.Context())); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) stepUp(w http.ResponseWriter, r *http.Request) error {
	var req StepUpRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.TOTP == "" {
		return yuncang.Invalid("totp", "is required")
	}
	a := yuncang.ActorFromContext(r.Context())
	if err := s.auth.StepUp(r.Context(), a, req.TOTP); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	return s.getUserAfter(w, r, a.UserID)
}
