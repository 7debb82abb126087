package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.UserService = (*DB)(nil)

// CreateUser stores an account with its password hash (empty for machine
// clients, which authenticate only with API tokens) and warehouse scope.
func (db *DB) CreateUser(ctx context.Context, u *yuncang.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt = db.now().UTC()
	return db.inTx(ctx, func(tx *sqlTx) error {
		s := u.Shift
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO users (tenant_id, username, role, status, password_hash, created_at, last_login_at,
			employment_type, end_at, manager_id, created_by, shift_start, shift_end, shift_days, shift_mode)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			nullID(u.TenantID), u.Username, u.Role, u.Status, passwordHash, micros(u.CreatedAt),
			u.EmploymentType, micros(u.EndAt), u.ManagerID, u.CreatedBy, s.StartMin, s.EndMin, int(s.Days), s.Mode).Scan(&u.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "username", Message: "this username is taken"}
			}
			return wrapf(err, "insert user")
		}
		return db.setWarehouses(ctx, tx, u.ID, u.Warehouses)
	})
}

func (db *DB) setWarehouses(ctx context.Context, tx *sql.Tx, userID int64, ws []int64) error {
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM user_warehouses WHERE user_id = ?`), userID); err != nil {
		return wrapf(err, "clear warehouses")
	}
	for _, w := range ws {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO user_warehouses (user_id, warehouse_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), userID, w); err != nil {
			return wrapf(err, "insert user warehouse")
		}
	}
	return nil
}

const userCols = `u.id, u.tenant_id, u.username, u.role, u.status, u.disabled_reason, u.employment_type, u.end_at, u.manager_id, u.created_by,
	u.shift_start, u.shift_end, u.shift_days, u.shift_mode, u.totp_ct IS NOT NULL, u.created_at, u.last_login_at, u.last_active_at, u.reviewed_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*yuncang.User, error) {
	var u yuncang.User
	var tenant sql.NullInt64
	var end, created, last, active, reviewed int64
	var days int
	dest := append([]any{&u.ID, &tenant, &u.Username, &u.Role, &u.Status, &u.DisabledReason, &u.EmploymentType, &end, &u.ManagerID, &u.CreatedBy,
		&u.Shift.StartMin, &u.Shift.EndMin, &days, &u.Shift.Mode, &u.HasTOTP, &created, &last, &active, &reviewed}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.TenantID = tenant.Int64
	u.Shift.Days = uint8(days)
	u.EndAt, u.CreatedAt, u.LastLoginAt, u.LastActiveAt, u.ReviewedAt = fromMicros(end), fromMicros(created), fromMicros(last), fromMicros(active), fromMicros(reviewed)
	return &u, nil
}

// loadWarehouses fills the warehouse scope of users.
func (db *DB) loadWarehouses(ctx context.Context, us ...*yuncang.User) error {
	if len(us) == 0 {
		return nil
	}
	byID := map[int64]*yuncang.User{}
	args := make([]any, len(us))
	for i, u := range us {
		byID[u.ID] = u
		args[i] = u.ID
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT user_id, warehouse_id FROM user_warehouses WHERE user_id IN (`+placeholders(len(us))+`) ORDER BY warehouse_id`), args...)
	if err != nil {
		return wrapf(err, "load user warehouses")
	}
	defer rows.Close()
	for rows.Next() {
		var uid, wid int64
		if err := rows.Scan(&uid, &wid); err != nil {
			return wrapf(err, "scan user warehouse")
		}
		byID[uid].Warehouses = append(byID[uid].Warehouses, wid)
	}
	return rows.Err()
}

func (db *DB) oneUser(ctx context.Context, where string, arg any, extra ...any) (*yuncang.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+extraCols(extra)+` FROM users u WHERE `+where), arg), extra...)
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, db.loadWarehouses(ctx, u)
}

func extraCols(extra []any) string {
	if len(extra) > 0 {
		return `, u.password_hash`
	}
	return ""
}

// UserByID returns one account.
func (db *DB) UserByID(ctx context.Context, id int64) (*yuncang.User, error) {
	return db.oneUser(ctx, `u.id = ?`, id)
}

// UserByUsername returns one account.
func (db *DB) UserByUsername(ctx context.Context, username string) (*yuncang.User, error) {
	return db.oneUser(ctx, `u.username = ?`, username)
}

// UserForLogin returns an account and its password hash.
func (db *DB) UserForLogin(ctx context.Context, username string) (*yuncang.User, string, error) {
	var hash string
	u, err := db.oneUser(ctx, `u.username = ?`, username, &hash)
	if err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// Users lists the accounts of a tenant (0: platform staff).
func (db *DB) Users(ctx context.Context, tenantID int64) ([]*yuncang.User, error) {
	if tenantID == 0 {
		return db.users(ctx, `WHERE u.tenant_id IS NULL`)
	}
	return db.users(ctx, `WHERE u.tenant_id = ?`, tenantID)
}

// AllUsers lists every account.
func (db *DB) AllUsers(ctx context.Context) ([]*yuncang.User, error) {
	return db.users(ctx, ``)
}

func (db *DB) users(ctx context.Context, where string, args ...any) ([]*yuncang.User, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+userCols+` FROM users u `+where+` ORDER BY u.username`), args...)
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	us, err := collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.User, error) { return scanUser(r) })
	if err != nil {
		return nil, err
	}
	return us, db.loadWarehouses(ctx, us...)
}

// UpdateUser changes an account's role, scope, shift, end date or review mark.
func (db *DB) UpdateUser(ctx context.Context, id int64, up yuncang.UserUpdate) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		exec := func(q string, args ...any) error {
			res, err := tx.ExecContext(ctx, db.q(q), args...)
			if err != nil {
				return wrapf(err, "update user")
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return yuncang.Errorf(yuncang.ENOTFOUND, "user not found")
			}
			return nil
		}
		if up.Role != nil {
			if err := exec(`UPDATE users SET role = ? WHERE id = ?`, *up.Role, id); err != nil {
				return err
			}
		}
		if up.Shift != nil {
			s := up.Shift
			if err := exec(`UPDATE users SET shift_start = ?, shift_end = ?, shift_days = ?, shift_mode = ? WHERE id = ?`, s.StartMin, s.EndMin, int(s.Days), s.Mode, id); err != nil {
				return err
			}
		}
		if up.EndAt != nil {
			if err := exec(`UPDATE users SET end_at = ? WHERE id = ?`, micros(*up.EndAt), id); err != nil {
				return err
			}
		}
		if up.ManagerID != nil {
			if err := exec(`UPDATE users SET manager_id = ? WHERE id = ?`, *up.ManagerID, id); err != nil {
				return err
			}
		}
		if up.Reviewed {
			if err := exec(`UPDATE users SET reviewed_at = ? WHERE id = ?`, micros(db.now()), id); err != nil {
				return err
			}
		}
		if up.Warehouses != nil {
			return db.setWarehouses(ctx, tx, id, *up.Warehouses)
		}
		return nil
	})
}

// SetPassword replaces an account's password hash.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return wrapf(err, "set password")
	}
	return nil
}

// ResetCredentials takes an account's password and second factor away and
// revokes its sessions and tokens, with its audit record, in one
// transaction: the person enrols again with a fresh code.
func (db *DB) ResetCredentials(ctx context.Context, userID int64, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET password_hash = '', totp_ct = NULL, totp_last_step = 0 WHERE id = ?`), userID)
		if err != nil {
			return wrapf(err, "reset credentials")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "user not found")
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE user_id = ?`), userID); err != nil {
			return wrapf(err, "revoke credentials")
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// TouchLogin records a successful login.
func (db *DB) TouchLogin(ctx context.Context, userID int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET last_login_at = ?, last_active_at = ? WHERE id = ?`), micros(at), micros(at), userID)
	if err != nil {
		return wrapf(err, "touch login")
	}
	return nil
}

// TouchActive records use of a credential.
func (db *DB) TouchActive(ctx context.Context, userID, credentialID int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET last_active_at = ? WHERE id = ?`), micros(at), userID); err != nil {
			return wrapf(err, "touch user")
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE credentials SET last_used_at = ? WHERE id = ?`), micros(at), credentialID); err != nil {
			return wrapf(err, "touch credential")
		}
		return nil
	})
}

// Disable disables an account and revokes all of its credentials at once.
func (db *DB) Disable(ctx context.Context, userID int64, reason string, at time.Time, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET status = ?, disabled_reason = ?, disabled_at = ? WHERE id = ?`),
			yuncang.UserDisabled, reason, micros(at), userID)
		if err != nil {
			return wrapf(err, "disable user")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "user not found")
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE user_id = ?`), userID); err != nil {
			return wrapf(err, "revoke credentials")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// DisableExpired disables temporary accounts past their end and accounts
// not seen since inactiveBefore (machine clients excepted), revoking their
// credentials.
func (db *DB) DisableExpired(ctx context.Context, now, inactiveBefore time.Time) ([]*yuncang.User, error) {
	active, err := db.users(ctx, `WHERE u.status = 'active'`)
	if err != nil {
		return nil, err
	}
	var out []*yuncang.User
	for _, u := range active {
		reason := u.Usable(now, now.Sub(inactiveBefore))
		if reason == "" {
			continue
		}
		ev := &yuncang.Event{At: now, UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID,
			Kind: yuncang.EventExpiry, Outcome: yuncang.OutcomeOK, Detail: "disabled: " + reason}
		if err := db.Disable(ctx, u.ID, reason, now, ev); err != nil {
			return out, err
		}
		u.Status, u.DisabledReason = yuncang.UserDisabled, reason
		out = append(out, u)
	}
	return out, nil
}

// SetTOTP stores a user's TOTP secret, sealed by the caller's vault.
func (db *DB) SetTOTP(ctx context.Context, userID int64, sealed []byte) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET totp_ct = ?, totp_last_step = 0 WHERE id = ?`), sealed, userID)
	if err != nil {
		return wrapf(err, "set totp")
	}
	return nil
}

// TOTPSecret returns the sealed TOTP secret and the last used time step.
func (db *DB) TOTPSecret(ctx context.Context, userID int64) ([]byte, int64, error) {
	var ct []byte
	var step int64
	err := db.w.QueryRowContext(ctx, db.q(`SELECT totp_ct, totp_last_step FROM users WHERE id = ?`), userID).Scan(&ct, &step)
	if err != nil {
		return nil, 0, notFound(err, "user")
	}
	return ct, step, nil
}

// UseTOTPStep accepts a time step only if it is later than every step used
// before: a code can never be replayed, even across servers.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`), step, userID, step)
	if err != nil {
		return wrapf(err, "use totp step")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return yuncang.Errorf(yuncang.ECONFLICT, "this one-time code was already used")
	}
	return nil
}

// CreateCredential stores a session or API token by its hash.
func (db *DB) CreateCredential(ctx context.Context, c *yuncang.Credential) error {
	c.CreatedAt = db.now().UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO credentials (user_id, kind, token_hash, label, created_at, expires_at, last_used_at, scopes, device_id, source, stepped_up_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		c.UserID, c.Kind, c.TokenHash, c.Label, micros(c.CreatedAt), micros(c.ExpiresAt), micros(c.CreatedAt),
		strings.Join(c.Scopes, " "), c.DeviceID, c.Source, micros(c.SteppedUpAt)).Scan(&c.ID)
	if err != nil {
		return wrapf(err, "insert credential")
	}
	c.LastUsed = c.CreatedAt
	return nil
}

const credCols = `c.id, c.user_id, c.kind, c.token_hash, c.label, c.scopes, c.device_id, c.source, c.stepped_up_at, c.created_at, c.expires_at, c.last_used_at`

func credDest(c *yuncang.Credential, scopes *string, t *[4]int64) []any {
	return []any{&c.ID, &c.UserID, &c.Kind, &c.TokenHash, &c.Label, scopes, &c.DeviceID, &c.Source, &t[0], &t[1], &t[2], &t[3]}
}

func finishCred(c *yuncang.Credential, scopes string, t [4]int64) {
	c.Scopes = strings.Fields(scopes)
	c.SteppedUpAt, c.CreatedAt, c.ExpiresAt, c.LastUsed = fromMicros(t[0]), fromMicros(t[1]), fromMicros(t[2]), fromMicros(t[3])
}

// CredentialByHash returns an unexpired credential and its user (whatever
// the user's state: the caller decides whether the account may act).
func (db *DB) CredentialByHash(ctx context.Context, hash []byte, now time.Time) (*yuncang.Credential, *yuncang.User, error) {
	var c yuncang.Credential
	var scopes string
	var t [4]int64
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, `+credCols+`
		FROM credentials c JOIN users u ON u.id = c.user_id
		WHERE c.token_hash = ? AND c.expires_at > ?`), hash, micros(now)), credDest(&c, &scopes, &t)...)
	if err != nil {
		if isNoRows(err) {
			return nil, nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
		}
		return nil, nil, wrapf(err, "look up credential")
	}
	finishCred(&c, scopes, t)
	if !yuncang.IsWarehouseScoped(u.Role) {
		return &c, u, nil // only warehouse-scoped roles have a scope to load
	}
	return &c, u, db.loadWarehouses(ctx, u)
}

// Credentials lists a user's sessions and tokens (hashes only).
func (db *DB) Credentials(ctx context.Context, userID int64) ([]*yuncang.Credential, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+credCols+` FROM credentials c WHERE c.user_id = ? ORDER BY c.id`), userID)
	if err != nil {
		return nil, wrapf(err, "list credentials")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.Credential, error) {
		var c yuncang.Credential
		var scopes string
		var t [4]int64
		if err := r.Scan(credDest(&c, &scopes, &t)...); err != nil {
			return nil, err
		}
		finishCred(&c, scopes, t)
		return &c, nil
	})
}

// CredentialByID returns one credential (hash only).
func (db *DB) CredentialByID(ctx context.Context, id int64) (*yuncang.Credential, error) {
	var c yuncang.Credential
	var scopes string
	var t [4]int64
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT `+credCols+` FROM credentials c WHERE c.id = ?`), id).Scan(credDest(&c, &scopes, &t)...); err != nil {
		return nil, notFound(err, "credential")
	}
	finishCred(&c, scopes, t)
	return &c, nil
}

// StepUp records a fresh second factor on a session.
func (db *DB) StepUp(ctx context.Context, credentialID int64, at time.Time) error {
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE credentials SET stepped_up_at = ? WHERE id = ?`), micros(at), credentialID); err != nil {
		return wrapf(err, "step up")
	}
	return nil
}

// DeleteCredential revokes a session or token.
func (db *DB) DeleteCredential(ctx context.Context, id int64) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE id = ?`), id); err != nil {
		return wrapf(err, "delete credential")
	}
	return nil
}

// KnownSource reports whether the user has logged in from this source before.
func (db *DB) KnownSource(ctx context.Context, userID int64, kind, value string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM known_sources WHERE user_id = ? AND kind = ? AND value = ?`), userID, kind, value).Scan(&n)
	if err != nil {
		return false, wrapf(err, "look up source")
	}
	return n > 0, nil
}

// RememberSource records a source the user logged in from.
func (db *DB) RememberSource(ctx context.Context, userID int64, kind, value string, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO known_sources (user_id, kind, value, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		userID, kind, value, micros(at))
	if err != nil {
		return wrapf(err, "record source")
	}
	return nil
}

// ActivatePending makes an account created under four eyes usable once the
// second person approved it.
func (db *DB) ActivatePending(ctx context.Context, userID int64, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET status = 'active', last_active_at = ? WHERE id = ? AND status = 'pending'`),
			micros(db.now()), userID)
		if err != nil {
			return wrapf(err, "activate user")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ECONFLICT, "the account is not awaiting approval")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}
