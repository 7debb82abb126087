-- The print path (issue 13): printers in each warehouse, the print gateways
-- that deliver to them, and print jobs sealed to a gateway's key. A job's
-- payload is erased once printed or expired; nothing here holds recipient
-- plaintext (a payload is age ciphertext only the gateway can open).

CREATE TABLE print_gateways (
	device_id INTEGER PRIMARY KEY REFERENCES devices(id),
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	recipient TEXT NOT NULL,
	registered_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE printers (
	id INTEGER PRIMARY KEY,
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	name TEXT NOT NULL,
	language TEXT NOT NULL CHECK (language IN ('zpl', 'zpl-raster', 'tspl', 'tspl-raster', 'pdf')),
	dpi INTEGER NOT NULL,
	size TEXT NOT NULL,
	font TEXT NOT NULL DEFAULT '',
	addr TEXT NOT NULL,
	gateway_id BIGINT NOT NULL REFERENCES print_gateways(device_id),
	station_id BIGINT REFERENCES devices(id),
	created_at BIGINT NOT NULL,
	removed_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (warehouse_id, name)
);

CREATE TABLE print_jobs (
	id INTEGER PRIMARY KEY,
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	printer_id BIGINT NOT NULL REFERENCES printers(id),
	gateway_id BIGINT NOT NULL REFERENCES print_gateways(device_id),
	status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'printed', 'failed')),
	shipment_ids TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	requested_by BIGINT NOT NULL,
	station_id BIGINT NOT NULL DEFAULT 0,
	payload BLOB,
	digest TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX print_jobs_gateway ON print_jobs (gateway_id, status, id);
CREATE INDEX print_jobs_warehouse ON print_jobs (warehouse_id, id);
CREATE INDEX print_jobs_expiry ON print_jobs (expires_at);
