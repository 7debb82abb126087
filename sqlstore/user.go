package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.UserService = (*DB)(nil)

// CreateUser stores an account with its password hash (may be empty for
// machine clients, which authenticate only with API tokens).
func (db *DB) CreateUser(ctx context.Context, u *yuncang.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt = db.now().UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO users (tenant_id, username, role, status, password_hash, created_at, last_login_at)
		VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id`),
		nullID(u.TenantID), u.Username, u.Role, u.Status, passwordHash, micros(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		if db.dialect.IsUnique(err) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "username", Message: "this username is taken"}
		}
		return wrapf(err, "insert user")
	}
	return nil
}

const userCols = `u.id, u.tenant_id, u.username, u.role, u.status, u.created_at, u.last_login_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*yuncang.User, error) {
	var u yuncang.User
	var tenant sql.NullInt64
	var created, last int64
	dest := append([]any{&u.ID, &tenant, &u.Username, &u.Role, &u.Status, &created, &last}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.TenantID = tenant.Int64
	u.CreatedAt, u.LastLoginAt = fromMicros(created), fromMicros(last)
	return &u, nil
}

// UserByID returns one account.
func (db *DB) UserByID(ctx context.Context, id int64) (*yuncang.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+` FROM users u WHERE u.id = ?`), id))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// UserForLogin returns an account and its password hash.
func (db *DB) UserForLogin(ctx context.Context, username string) (*yuncang.User, string, error) {
	var hash string
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, u.password_hash FROM users u WHERE u.username = ?`), username), &hash)
	if err != nil {
		return nil, "", notFound(err, "user")
	}
	return u, hash, nil
}

// Users lists the accounts of a tenant (0: platform staff).
func (db *DB) Users(ctx context.Context, tenantID int64) ([]*yuncang.User, error) {
	var rows *sql.Rows
	var err error
	if tenantID == 0 {
		rows, err = db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.tenant_id IS NULL ORDER BY u.username`)
	} else {
		rows, err = db.r.QueryContext(ctx, db.q(`SELECT `+userCols+` FROM users u WHERE u.tenant_id = ? ORDER BY u.username`), tenantID)
	}
	if err != nil {
		return nil, wrapf(err, "list users")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.User, error) { return scanUser(r) })
}

// TouchLogin records a successful login.
func (db *DB) TouchLogin(ctx context.Context, userID int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET last_login_at = ? WHERE id = ?`), micros(at), userID)
	if err != nil {
		return wrapf(err, "touch login")
	}
	return nil
}

// CreateCredential stores a session or API token by its hash.
func (db *DB) CreateCredential(ctx context.Context, c *yuncang.Credential) error {
	c.CreatedAt = db.now().UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO credentials (user_id, kind, token_hash, label, created_at, expires_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id`),
		c.UserID, c.Kind, c.TokenHash, c.Label, micros(c.CreatedAt), micros(c.ExpiresAt)).Scan(&c.ID)
	if err != nil {
		return wrapf(err, "insert credential")
	}
	return nil
}

// CredentialByHash returns an unexpired credential of an active user.
func (db *DB) CredentialByHash(ctx context.Context, hash []byte, now time.Time) (*yuncang.Credential, *yuncang.User, error) {
	var c yuncang.Credential
	var created, expires, used int64
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+`, c.id, c.user_id, c.kind, c.token_hash, c.label, c.created_at, c.expires_at, c.last_used_at
		FROM credentials c JOIN users u ON u.id = c.user_id
		WHERE c.token_hash = ? AND c.expires_at > ? AND u.status = 'active'`), hash, micros(now)),
		&c.ID, &c.UserID, &c.Kind, &c.TokenHash, &c.Label, &created, &expires, &used)
	if err != nil {
		if isNoRows(err) {
			return nil, nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
		}
		return nil, nil, wrapf(err, "look up credential")
	}
	c.CreatedAt, c.ExpiresAt, c.LastUsed = fromMicros(created), fromMicros(expires), fromMicros(used)
	return &c, u, nil
}

// DeleteCredential revokes a session or token.
func (db *DB) DeleteCredential(ctx context.Context, id int64) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE id = ?`), id); err != nil {
		return wrapf(err, "delete credential")
	}
	return nil
}
