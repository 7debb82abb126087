package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.SecurityKeyService = (*DB)(nil)

// AddSecurityKey stores a registered key and its audit event, together.
func (db *DB) AddSecurityKey(ctx context.Context, k *yuncang.SecurityKey, ev *yuncang.Event) error {
	if k.CreatedAt.IsZero() {
		k.CreatedAt = db.now().UTC()
	}
	if k.AAGUID == nil {
		k.AAGUID = []byte{}
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO security_keys (user_id, credential_id, public_key, sign_count, transports, aaguid, flags, label, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), k.UserID, k.CredentialID, k.PublicKey, int64(k.SignCount),
			strings.Join(k.Transports, ","), k.AAGUID, int64(k.Flags), k.Label, micros(k.CreatedAt)).Scan(&k.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return yuncang.Errorf(yuncang.ECONFLICT, "this security key is already registered")
			}
			return wrapf(err, "insert security key")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "security_key:"+strconv.FormatInt(k.ID, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// SecurityKeys returns the user's keys, oldest first.
func (db *DB) SecurityKeys(ctx context.Context, userID int64) ([]*yuncang.SecurityKey, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, user_id, credential_id, public_key, sign_count, transports, aaguid, flags, label, created_at, last_used_at
		FROM security_keys WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		return nil, wrapf(err, "list security keys")
	}
	defer rows.Close()
	var out []*yuncang.SecurityKey
	for rows.Next() {
		var k yuncang.SecurityKey
		var count, flags, created, used int64
		var transports string
		if err := rows.Scan(&k.ID, &k.UserID, &k.CredentialID, &k.PublicKey, &count, &transports, &k.AAGUID, &flags, &k.Label, &created, &used); err != nil {
			return nil, wrapf(err, "read security key")
		}
		k.SignCount, k.Flags = uint32(count), byte(flags)
		if transports != "" {
			k.Transports = strings.Split(transports, ",")
		}
		k.CreatedAt, k.LastUsedAt = fromMicros(created), fromMicros(used)
		out = append(out, &k)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "list security keys")
	}
	return out, nil
}

// UseSecurityKey records a successful assertion.
func (db *DB) UseSecurityKey(ctx context.Context, userID, id int64, signCount uint32, at time.Time) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE security_keys SET sign_count = ?, last_used_at = ? WHERE id = ? AND user_id = ?`),
		int64(signCount), micros(at), id, userID)
	if err != nil {
		return wrapf(err, "use security key")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return yuncang.Errorf(yuncang.ENOTFOUND, "security key not found")
	}
	return nil
}

// RemoveSecurityKey removes one of the user's keys and records the event.
func (db *DB) RemoveSecurityKey(ctx context.Context, userID, id int64, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM security_keys WHERE id = ? AND user_id = ?`), id, userID)
		if err != nil {
			return wrapf(err, "remove security key")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "security key not found")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "security_key:"+strconv.FormatInt(id, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}
