-- Retention by crypto-shredding (issue 14, docs/compliance/retention.md).
--
-- Each tenant's recipient data is sealed with a data key of the day the
-- order came in (a "bucket"), wrapped by the tenant's data key. A bucket key
-- is destroyed (wrapped set to NULL) once every order in it is past its
-- retention period; the row stays as the tombstone that audit and the
-- sweep refer to. Counters let the retention run decide per key, never per
-- order: settled counts orders delivered or cancelled, and the last_* times
-- say when the latest of them settled.
CREATE TABLE retention_keys (
	id INTEGER PRIMARY KEY,
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	day INTEGER NOT NULL,
	wrap_version INTEGER NOT NULL,
	wrapped BLOB,
	orders INTEGER NOT NULL DEFAULT 0,
	counted_at BIGINT NOT NULL DEFAULT 0,
	settled INTEGER NOT NULL DEFAULT 0,
	last_delivered_at BIGINT NOT NULL DEFAULT 0,
	last_cancelled_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	erased_at BIGINT NOT NULL DEFAULT 0,
	swept_to BIGINT NOT NULL DEFAULT 0,
	swept_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (tenant_id, day)
);
CREATE INDEX retention_keys_live ON retention_keys (erased_at, swept_at);

-- A merchant's retention periods, in days; no row means the defaults.
CREATE TABLE retention_policies (
	tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id),
	after_delivery_days INTEGER NOT NULL,
	after_cancel_days INTEGER NOT NULL,
	max_age_days INTEGER NOT NULL,
	updated_at BIGINT NOT NULL
);

-- The bucket key of an order's personal data; NULL for orders sealed with
-- the tenant key before this migration (the "legacy" rule erases those by
-- overwriting, one order at a time).
ALTER TABLE orders ADD COLUMN retention_key_id BIGINT REFERENCES retention_keys(id);
CREATE INDEX orders_retention ON orders (retention_key_id, id);

-- Data-subject requests (PIPL arts. 44-50). The phone a request was found
-- by is not stored: order_ids lists the orders the blind index matched.
-- reason is a refusal reason or closing note, masked, never personal data.
CREATE TABLE data_requests (
	id INTEGER PRIMARY KEY,
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL CHECK (kind IN ('access', 'correction', 'deletion', 'withdrawal')),
	status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'corrected', 'erased', 'refused')),
	order_ids TEXT NOT NULL,
	received_at BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	closed_at BIGINT NOT NULL DEFAULT 0,
	reason TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	closed_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX data_requests_tenant_key ON data_requests (tenant_id, id);
CREATE INDEX data_requests_due ON data_requests (tenant_id, status, due_at);
