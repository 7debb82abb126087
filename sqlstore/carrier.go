package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/yuncang/yuncang"
)

var _ yuncang.ShipmentService = (*DB)(nil)

// platformTenant is the key scope of platform secrets (carrier webhook
// secrets, the label token key).
const platformTenant = 0

func carrierSecretAAD(code string) []byte { return []byte("carriers|" + code + "|webhook_secret") }

// CreateCarrier stores a carrier with its webhook secret sealed.
func (db *DB) CreateCarrier(ctx context.Context, c *yuncang.Carrier, webhookSecret []byte) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if len(webhookSecret) < 16 {
		return yuncang.Invalid("webhook_secret", "must be at least 16 bytes")
	}
	if c.UserID != 0 {
		if err := db.checkCarrierAccount(ctx, db.r, c.UserID); err != nil {
			return err
		}
	}
	sealed, err := db.vault.Seal(ctx, platformTenant, carrierSecretAAD(c.Code), webhookSecret)
	if err != nil {
		return wrapf(err, "seal webhook secret")
	}
	c.CreatedAt = db.now().UTC()
	err = db.w.QueryRowContext(ctx, db.q(`INSERT INTO carriers (code, name, check_digit, user_id, public_key, webhook_secret_ct,
		max_reprints, resolve_per_hour, resolve_per_binding, binding_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		c.Code, c.Name, c.CheckDigit, nullID(c.UserID), c.PublicKey, sealed, c.MaxReprints, c.ResolvePerHour, c.ResolvePerBinding,
		c.BindingDays, micros(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		if db.dialect.IsUnique(err) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a carrier with this code (or for this account) exists"}
		}
		return wrapf(err, "insert carrier")
	}
	return nil
}

func (db *DB) checkCarrierAccount(ctx context.Context, q querier, userID int64) error {
	rows, err := q.QueryContext(ctx, db.q(`SELECT role FROM users WHERE id = ?`), userID)
	if err != nil {
		return wrapf(err, "look up account")
	}
	defer rows.Close()
	if !rows.Next() {
		return yuncang.Invalid("account", "no such account")
	}
	var role string
	if err := rows.Scan(&role); err != nil {
		return wrapf(err, "scan account")
	}
	if role != yuncang.RoleCarrier {
		return yuncang.Invalid("account", "must be a carrier account")
	}
	return nil
}

const carrierCols = `id, code, name, check_digit, COALESCE(user_id, 0), public_key, max_reprints, resolve_per_hour,
	resolve_per_binding, binding_days, created_at`

func scanCarrier(row interface{ Scan(...any) error }) (*yuncang.Carrier, error) {
	var c yuncang.Carrier
	var created int64
	if err := row.Scan(&c.ID, &c.Code, &c.Name, &c.CheckDigit, &c.UserID, &c.PublicKey, &c.MaxReprints, &c.ResolvePerHour,
		&c.ResolvePerBinding, &c.BindingDays, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicros(created)
	return &c, nil
}

// CarrierByCode returns one carrier.
func (db *DB) CarrierByCode(ctx context.Context, code string) (*yuncang.Carrier, error) {
	c, err := scanCarrier(db.r.QueryRowContext(ctx, db.q(`SELECT `+carrierCols+` FROM carriers WHERE code = ?`), code))
	if err != nil {
		return nil, notFound(err, "carrier")
	}
	return c, nil
}

// CarrierByUser returns the carrier an account is linked to.
func (db *DB) CarrierByUser(ctx context.Context, userID int64) (*yuncang.Carrier, error) {
	c, err := scanCarrier(db.r.QueryRowContext(ctx, db.q(`SELECT `+carrierCols+` FROM carriers WHERE user_id = ?`), userID))
	if err != nil {
		if isNoRows(err) {
			return nil, yuncang.Errorf(yuncang.ENOTFOUND, "this account is not linked to a carrier")
		}
		return nil, wrapf(err, "query carrier")
	}
	return c, nil
}

func (db *DB) carrierByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (*yuncang.Carrier, error) {
	c, err := scanCarrier(q.QueryRowContext(ctx, db.q(`SELECT `+carrierCols+` FROM carriers WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "carrier")
	}
	return c, nil
}

// Carriers lists every carrier.
func (db *DB) Carriers(ctx context.Context) ([]*yuncang.Carrier, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+carrierCols+` FROM carriers ORDER BY code`)
	if err != nil {
		return nil, wrapf(err, "list carriers")
	}
	return collect(rows, scanCarrier)
}

// LinkCarrierAccount links a carrier-role account to a carrier (one each).
func (db *DB) LinkCarrierAccount(ctx context.Context, carrierID, userID int64) error {
	if err := db.checkCarrierAccount(ctx, db.r, userID); err != nil {
		return err
	}
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE carriers SET user_id = ? WHERE id = ?`), userID, carrierID)
	if err != nil {
		if db.dialect.IsUnique(err) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "account", Message: "this account is linked to another carrier"}
		}
		return wrapf(err, "link carrier account")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return yuncang.Errorf(yuncang.ENOTFOUND, "carrier not found")
	}
	return nil
}

// CarrierWebhookSecret opens the carrier's webhook secret.
func (db *DB) CarrierWebhookSecret(ctx context.Context, carrierID int64) ([]byte, error) {
	var code string
	var ct []byte
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT code, webhook_secret_ct FROM carriers WHERE id = ?`), carrierID).Scan(&code, &ct); err != nil {
		return nil, notFound(err, "carrier")
	}
	s, err := db.vault.Open(ctx, platformTenant, carrierSecretAAD(code), ct)
	if err != nil {
		return nil, wrapf(err, "open webhook secret")
	}
	return s, nil
}

// LabelTokenKey derives the label token key from the platform's keyed
// hash: it is held by no table and changes with nothing but the vault.
func (db *DB) LabelTokenKey(ctx context.Context) ([]byte, error) {
	k, err := db.vault.Fingerprint(ctx, platformTenant, []byte("yuncang label token key v1"))
	if err != nil {
		return nil, wrapf(err, "derive label token key")
	}
	return k, nil
}

// AddWaybillSegment stores a carrier's number range. Ranges with the same
// prefix must not overlap, or a number could be handed out twice.
func (db *DB) AddWaybillSegment(ctx context.Context, s *yuncang.WaybillSegment) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s.CreatedAt = db.now().UTC()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM carriers WHERE id = ?`), s.CarrierID).Scan(&n); err != nil {
			return wrapf(err, "look up carrier")
		} else if n == 0 {
			return yuncang.Invalid("carrier", "no such carrier")
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM waybill_segments WHERE carrier_id = ? AND prefix = ?
			AND first_serial <= ? AND last_serial >= ?`), s.CarrierID, s.Prefix, s.Last, s.First).Scan(&n); err != nil {
			return wrapf(err, "check overlap")
		} else if n > 0 {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "first", Message: "the range overlaps one of the carrier's ranges"}
		}
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO waybill_segments (carrier_id, prefix, width, first_serial, last_serial, next_serial, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), s.CarrierID, s.Prefix, s.Width, s.First, s.Last, s.Next, micros(s.CreatedAt)).Scan(&s.ID)
	})
}

// WaybillSegments lists a carrier's ranges with their progress.
func (db *DB) WaybillSegments(ctx context.Context, carrierID int64) ([]*yuncang.WaybillSegment, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, carrier_id, prefix, width, first_serial, last_serial, next_serial, created_at
		FROM waybill_segments WHERE carrier_id = ? ORDER BY id`), carrierID)
	if err != nil {
		return nil, wrapf(err, "list segments")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.WaybillSegment, error) {
		var s yuncang.WaybillSegment
		var created int64
		err := r.Scan(&s.ID, &s.CarrierID, &s.Prefix, &s.Width, &s.First, &s.Last, &s.Next, &created)
		s.CreatedAt = fromMicros(created)
		return &s, err
	})
}

// takeWaybill moves the carrier's first open segment on by one serial and
// records the number, inside tx: if tx rolls back, the serial is free
// again, so numbers have no gaps; the row lock (PostgreSQL) or the single
// writer (SQLite) makes concurrent takers queue, so none is taken twice.
func (db *DB) takeWaybill(ctx context.Context, tx *sql.Tx, c *yuncang.Carrier, status string) (string, error) {
	for attempt := 0; attempt < 8; attempt++ {
		var segID, serial int64
		var prefix string
		var width int
		err := tx.QueryRowContext(ctx, db.q(`UPDATE waybill_segments SET next_serial = next_serial + 1
			WHERE id = (SELECT id FROM waybill_segments WHERE carrier_id = ? AND next_serial <= last_serial ORDER BY id LIMIT 1)
			AND next_serial <= last_serial
			RETURNING id, prefix, width, next_serial - 1`), c.ID).Scan(&segID, &prefix, &width, &serial)
		if isNoRows(err) {
			// Either every range is used up, or a concurrent taker used up
			// the one we chose: look again.
			var open int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM waybill_segments WHERE carrier_id = ? AND next_serial <= last_serial`), c.ID).Scan(&open); err != nil {
				return "", wrapf(err, "count open segments")
			}
			if open == 0 {
				return "", &yuncang.Error{Code: yuncang.ECONFLICT, Field: "carrier", Message: "the carrier has no waybill numbers left: add a range"}
			}
			continue
		} else if err != nil {
			return "", wrapf(err, "take waybill serial")
		}
		number := yuncang.WaybillNumber(prefix, width, serial, c.CheckDigit)
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO waybills (carrier_id, number, segment_id, serial, status, allocated_at) VALUES (?, ?, ?, ?, ?, ?)`),
			c.ID, number, segID, serial, status, micros(db.now())); err != nil {
			if db.dialect.IsUnique(err) {
				return "", &yuncang.Error{Code: yuncang.ECONFLICT, Field: "carrier", Message: "waybill number already issued: ranges overlap"}
			}
			return "", wrapf(err, "record waybill")
		}
		return number, nil
	}
	return "", yuncang.Errorf(yuncang.ECONFLICT, "waybill ranges are contended; retry")
}

// AllocateWaybills takes the carrier's next n numbers, unassigned.
func (db *DB) AllocateWaybills(ctx context.Context, carrierID int64, n int) ([]string, error) {
	if n < 1 || n > 10000 {
		return nil, yuncang.Invalid("count", "must be between 1 and 10000")
	}
	c, err := db.carrierByID(ctx, db.r, carrierID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for range n {
			num, err := db.takeWaybill(ctx, tx, c, "allocated")
			if err != nil {
				return err
			}
			out = append(out, num)
		}
		return nil
	})
	return out, err
}

// AddVirtualNumbers adds 11-digit mobile main numbers to the pool.
func (db *DB) AddVirtualNumbers(ctx context.Context, numbers []string) (int, error) {
	for i, n := range numbers {
		n = strings.TrimSpace(n)
		if len(n) != 11 || n[0] != '1' || strings.Trim(n, "0123456789") != "" {
			return 0, yuncang.Invalid("numbers", "entry %d is not an 11-digit mobile number", i)
		}
		numbers[i] = n
	}
	added := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, n := range numbers {
			res, err := tx.ExecContext(ctx, db.q(`INSERT INTO virtual_numbers (main_number, added_at) VALUES (?, ?) ON CONFLICT (main_number) DO NOTHING`), n, micros(db.now()))
			if err != nil {
				return wrapf(err, "add virtual number")
			}
			k, _ := res.RowsAffected()
			added += int(k)
		}
		return nil
	})
	return added, err
}
