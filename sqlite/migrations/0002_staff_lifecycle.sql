-- Staff lifecycle: employment type and end dates, managers, warehouse scope,
-- shifts, TOTP, step-up, scoped tokens, enrolled devices, known sources and
-- security events. Tenant 0 is the platform's own key scope (it encrypts
-- staff TOTP secrets); it is never listed or addressable as a merchant.
INSERT INTO tenants (id, code, name, created_at) VALUES (0, '_platform', 'platform key scope', 0);
ALTER TABLE tenants ADD COLUMN status TEXT NOT NULL DEFAULT 'active';

ALTER TABLE users ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN employment_type TEXT NOT NULL DEFAULT 'permanent';
ALTER TABLE users ADD COLUMN end_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN manager_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN created_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shift_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shift_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shift_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN shift_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_active_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN reviewed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_ct BLOB;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

CREATE TABLE user_warehouses (
	user_id INTEGER NOT NULL REFERENCES users(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	PRIMARY KEY (user_id, warehouse_id)
);

ALTER TABLE credentials ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN device_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE credentials ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN stepped_up_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE devices (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	warehouse_id BIGINT NOT NULL DEFAULT 0,
	tenant_id BIGINT NOT NULL DEFAULT 0,
	secret_hash BLOB NOT NULL UNIQUE,
	enrolled_by BIGINT NOT NULL,
	enrolled_at BIGINT NOT NULL,
	revoked_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE known_sources (
	user_id INTEGER NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL,
	value TEXT NOT NULL,
	first_seen BIGINT NOT NULL,
	PRIMARY KEY (user_id, kind, value)
);

CREATE TABLE security_events (
	id INTEGER PRIMARY KEY,
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	username TEXT NOT NULL,
	role TEXT NOT NULL,
	tenant_id BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	outcome TEXT NOT NULL,
	source TEXT NOT NULL,
	device_id BIGINT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX security_events_user ON security_events (user_id, id);
CREATE INDEX security_events_kind ON security_events (kind, id);
