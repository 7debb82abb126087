-- yuncang schema, SQLite dialect. Personal data columns end in _ct and hold
-- vault ciphertext; masked_* columns hold GB/T 41833 de-identified views.
CREATE TABLE tenants (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE tenant_keys (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	purpose TEXT NOT NULL,
	version INTEGER NOT NULL,
	master_key_id TEXT NOT NULL,
	wrapped BLOB NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, purpose, version)
);

CREATE TABLE warehouses (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	province_code TEXT NOT NULL,
	city_code TEXT NOT NULL,
	district_code TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE skus (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	code TEXT NOT NULL,
	barcode TEXT NOT NULL,
	name TEXT NOT NULL,
	weight_g INTEGER NOT NULL CHECK (weight_g > 0),
	volume_cm3 INTEGER NOT NULL CHECK (volume_cm3 > 0),
	temp_class TEXT NOT NULL CHECK (temp_class IN ('ambient', 'chilled', 'frozen')),
	created_at BIGINT NOT NULL,
	UNIQUE (tenant_id, code)
);

CREATE TABLE stock (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
	reserved INTEGER NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (warehouse_id, sku_id)
);
CREATE INDEX stock_tenant ON stock (tenant_id);

CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	merchant_order_id TEXT NOT NULL,
	status TEXT NOT NULL,
	fingerprint BLOB NOT NULL,
	name_ct BLOB NOT NULL,
	phone_ct BLOB NOT NULL,
	address_ct BLOB NOT NULL,
	remarks_ct BLOB NOT NULL,
	masked_remarks_ct BLOB NOT NULL,
	phone_index BLOB NOT NULL,
	masked_name TEXT NOT NULL,
	masked_phone TEXT NOT NULL,
	masked_address TEXT NOT NULL,
	province TEXT NOT NULL,
	province_code TEXT NOT NULL,
	city TEXT NOT NULL,
	city_code TEXT NOT NULL,
	district TEXT NOT NULL,
	district_code TEXT NOT NULL,
	street TEXT NOT NULL,
	street_code TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (tenant_id, merchant_order_id)
);
CREATE INDEX orders_tenant_id ON orders (tenant_id, id);
CREATE INDEX orders_tenant_status ON orders (tenant_id, status, id);
CREATE INDEX orders_tenant_phone ON orders (tenant_id, phone_index);

CREATE TABLE order_lines (
	order_id INTEGER NOT NULL REFERENCES orders(id),
	line_no INTEGER NOT NULL,
	sku_code TEXT NOT NULL,
	quantity INTEGER NOT NULL CHECK (quantity > 0),
	PRIMARY KEY (order_id, line_no)
);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER REFERENCES tenants(id),
	username TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	status TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_login_at BIGINT NOT NULL
);

CREATE TABLE credentials (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE,
	label TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL
);
CREATE INDEX credentials_user ON credentials (user_id);
