-- Privacy e-waybills (issue 5): carriers and their number ranges, waybill
-- numbers, shipments (parcels), virtual-number (隐私号) bindings, handover
-- manifests and tracking events. Personal data columns end in _ct and hold
-- vault ciphertext; a manifest holds only age ciphertext to the carrier.
CREATE TABLE carriers (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	check_digit TEXT NOT NULL,
	user_id BIGINT UNIQUE REFERENCES users(id),
	public_key TEXT NOT NULL,
	webhook_secret_ct BYTEA NOT NULL,
	max_reprints INTEGER NOT NULL CHECK (max_reprints >= 0),
	resolve_per_hour INTEGER NOT NULL CHECK (resolve_per_hour >= 0),
	resolve_per_binding INTEGER NOT NULL CHECK (resolve_per_binding >= 0),
	binding_days INTEGER NOT NULL CHECK (binding_days >= 0),
	created_at BIGINT NOT NULL
);

-- A range of serials handed out by the carrier. next_serial moves only
-- inside the transaction that records the numbers it hands out, so a
-- rollback returns them: no gaps, and no number is handed out twice.
CREATE TABLE waybill_segments (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	prefix TEXT NOT NULL,
	width INTEGER NOT NULL,
	first_serial BIGINT NOT NULL,
	last_serial BIGINT NOT NULL,
	next_serial BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	CHECK (next_serial >= first_serial AND next_serial <= last_serial + 1)
);
CREATE INDEX waybill_segments_carrier ON waybill_segments (carrier_id, id);

CREATE TABLE waybills (
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	number TEXT NOT NULL,
	segment_id BIGINT NOT NULL REFERENCES waybill_segments(id),
	serial BIGINT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('allocated', 'used', 'voided')),
	void_reason TEXT NOT NULL DEFAULT '',
	allocated_at BIGINT NOT NULL,
	voided_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (carrier_id, number),
	UNIQUE (segment_id, serial)
);

CREATE TABLE shipments (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	order_id BIGINT NOT NULL REFERENCES orders(id),
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	waybill TEXT NOT NULL,
	parcel_no INTEGER NOT NULL,
	weight_g INTEGER NOT NULL CHECK (weight_g > 0),
	status TEXT NOT NULL,
	sender_ct BYTEA NOT NULL,
	prints INTEGER NOT NULL DEFAULT 0,
	manifest_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	delivered_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (carrier_id, waybill),
	UNIQUE (order_id, parcel_no)
);
CREATE INDEX shipments_handover ON shipments (warehouse_id, carrier_id, manifest_id, status);
CREATE INDEX shipments_tenant_order ON shipments (tenant_id, order_id);

-- The pool of virtual main numbers, and which (number, extension) pairs are
-- taken: busy_until is far in the future while bound, and after release a
-- cool-down, so an old label's number never reaches a new recipient.
CREATE TABLE virtual_numbers (
	main_number TEXT PRIMARY KEY,
	added_at BIGINT NOT NULL
);
CREATE TABLE virtual_slots (
	main_number TEXT NOT NULL REFERENCES virtual_numbers(main_number),
	extension TEXT NOT NULL,
	shipment_id BIGINT NOT NULL,
	busy_until BIGINT NOT NULL,
	PRIMARY KEY (main_number, extension)
);
CREATE TABLE virtual_bindings (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	shipment_id BIGINT NOT NULL UNIQUE REFERENCES shipments(id),
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	main_number TEXT NOT NULL,
	extension TEXT NOT NULL,
	phone_ct BYTEA,
	valid_until BIGINT NOT NULL DEFAULT 0,
	released_at BIGINT NOT NULL DEFAULT 0,
	resolves INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE INDEX virtual_bindings_number ON virtual_bindings (main_number, extension, id);
CREATE INDEX virtual_bindings_expiry ON virtual_bindings (released_at, valid_until);

-- Resolve counts per carrier per hour (the rate limit, shared by every
-- server on the database).
CREATE TABLE resolve_windows (
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	window_start BIGINT NOT NULL,
	count INTEGER NOT NULL,
	PRIMARY KEY (carrier_id, window_start)
);

CREATE TABLE manifests (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	parcels INTEGER NOT NULL,
	waybills TEXT NOT NULL,
	sealed BYTEA NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX manifests_carrier ON manifests (carrier_id, id);

CREATE TABLE tracking_events (
	carrier_id BIGINT NOT NULL REFERENCES carriers(id),
	event_id TEXT NOT NULL,
	shipment_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	at BIGINT NOT NULL,
	note TEXT NOT NULL,
	received_at BIGINT NOT NULL,
	PRIMARY KEY (carrier_id, event_id)
);
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, received_at);
