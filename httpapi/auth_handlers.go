package httpapi

import (
	"net/http"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
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
	sess, err := s.auth.Login(r.Context(), req.Username, req.Password, s.clientAddr(r))
	if err != nil {
		return err
	}
	code, err := s.tenantCode(r, sess.User.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, LoginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, User: toUserJSON(sess.User, code)})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	if err := s.store.DeleteCredential(r.Context(), a.CredentialID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	u, err := s.store.UserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	code, err := s.tenantCode(r, u.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u, code))
	return nil
}

func (s *Server) tenantCode(r *http.Request, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	t, err := s.store.TenantByID(r.Context(), id)
	if err != nil {
		return "", err
	}
	return t.Code, nil
}

// createUser lets a platform admin create any account and a merchant admin
// create staff of its own tenant only.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	var req CreateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u := &yuncang.User{Username: req.Username, Role: req.Role}
	if a.Role == yuncang.RoleMerchantAdmin {
		if req.Role != yuncang.RoleMerchantStaff {
			return yuncang.Errorf(yuncang.EFORBIDDEN, "a merchant admin may create only merchant_staff accounts")
		}
		u.TenantID = a.TenantID
		own, err := s.tenantCode(r, a.TenantID)
		if err != nil {
			return err
		}
		if req.Tenant != "" && req.Tenant != own {
			return yuncang.Errorf(yuncang.EFORBIDDEN, "you may act only on your own tenant")
		}
		req.Tenant = own
	} else if req.Tenant != "" {
		t, err := s.store.TenantByCode(r.Context(), req.Tenant)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return yuncang.Invalid("tenant", "no such tenant")
			}
			return err
		}
		u.TenantID = t.ID
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash := ""
	if u.Role != yuncang.RoleCarrier { // machine clients use API tokens only
		if err := auth.CheckPasswordPolicy(req.Username, req.Password); err != nil {
			return err
		}
		var err error
		if hash, err = auth.HashPassword(req.Password); err != nil {
			return yuncang.Internal(err, "hash password")
		}
	} else if req.Password != "" {
		return yuncang.Invalid("password", "must be empty for carrier clients, which use API tokens")
	}
	if err := s.store.CreateUser(r.Context(), u, hash); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toUserJSON(u, req.Tenant))
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	tenantID, code := a.TenantID, ""
	if a.Role == yuncang.RoleMerchantAdmin {
		var err error
		if code, err = s.tenantCode(r, a.TenantID); err != nil {
			return err
		}
		if q := r.URL.Query().Get("tenant"); q != "" && q != code {
			return yuncang.Errorf(yuncang.EFORBIDDEN, "you may act only on your own tenant")
		}
	} else if q := r.URL.Query().Get("tenant"); q != "" {
		t, err := s.store.TenantByCode(r.Context(), q)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return yuncang.Invalid("tenant", "no such tenant")
			}
			return err
		}
		tenantID, code = t.ID, t.Code
	}
	us, err := s.store.Users(r.Context(), tenantID)
	if err != nil {
		return err
	}
	out := make([]UserJSON, len(us))
	for i, u := range us {
		out[i] = toUserJSON(u, code)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

// maxTokenTTL bounds API tokens: machine credentials expire too.
const maxTokenTTL = 90 * 24 * time.Hour

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	var req CreateTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Username == "" {
		return yuncang.Invalid("username", "is required")
	}
	if len(req.Label) > 100 {
		return yuncang.Invalid("label", "is longer than 100 bytes")
	}
	ttl := time.Duration(req.TTLHours) * time.Hour
	if req.TTLHours == 0 {
		ttl = 30 * 24 * time.Hour
	} else if req.TTLHours < 0 || ttl > maxTokenTTL {
		return yuncang.Invalid("ttl_hours", "must be between 1 and %d", int(maxTokenTTL.Hours()))
	}
	u, _, err := s.store.UserForLogin(r.Context(), req.Username)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("username", "no such account")
		}
		return err
	}
	if a.Role == yuncang.RoleMerchantAdmin && u.TenantID != a.TenantID {
		return yuncang.Invalid("username", "no such account")
	}
	if u.Status != yuncang.UserActive {
		return yuncang.Invalid("username", "the account is disabled")
	}
	token, c, err := s.auth.IssueAPIToken(r.Context(), u.ID, req.Label, ttl)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, TokenResponse{Token: token, ExpiresAt: c.ExpiresAt})
	return nil
}
