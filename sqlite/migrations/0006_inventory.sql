-- Warehouse operations (issue 7): locations, the stock ledger, ASNs and
-- receipts, cycle counts, planning configuration, parcels, waves, picks and
-- order/parcel status history. No table here holds recipient data: parcels
-- carry only the destination province and city codes.

CREATE TABLE locations (
	id INTEGER PRIMARY KEY,
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	code TEXT NOT NULL,
	zone TEXT NOT NULL,
	aisle TEXT NOT NULL,
	bin TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('storage', 'receiving', 'packing', 'unlocated')),
	seq INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (warehouse_id, code)
);

-- Every warehouse has a receiving dock, a pack station and an unlocated
-- bucket (warehouse-level adjustments not yet in a bin).
INSERT INTO locations (warehouse_id, code, zone, aisle, bin, kind, seq, created_at)
	SELECT id, 'RECV', 'RECV', '-', '-', 'receiving', 0, created_at FROM warehouses;
INSERT INTO locations (warehouse_id, code, zone, aisle, bin, kind, seq, created_at)
	SELECT id, 'PACK', 'PACK', '-', '-', 'packing', 0, created_at FROM warehouses;
INSERT INTO locations (warehouse_id, code, zone, aisle, bin, kind, seq, created_at)
	SELECT id, 'UNLOCATED', 'UNLOCATED', '-', '-', 'unlocated', 0, created_at FROM warehouses;
CREATE TRIGGER warehouse_system_locations AFTER INSERT ON warehouses BEGIN
	INSERT INTO locations (warehouse_id, code, zone, aisle, bin, kind, seq, created_at) VALUES
		(NEW.id, 'RECV', 'RECV', '-', '-', 'receiving', 0, NEW.created_at),
		(NEW.id, 'PACK', 'PACK', '-', '-', 'packing', 0, NEW.created_at),
		(NEW.id, 'UNLOCATED', 'UNLOCATED', '-', '-', 'unlocated', 0, NEW.created_at);
END;

ALTER TABLE skus ADD COLUMN lot_tracked INTEGER NOT NULL DEFAULT 0;

-- What lies where. The unlocated bucket may go negative: a warehouse-level
-- set (SetStock) below what the bins hold, to be resolved by a cycle count.
CREATE TABLE location_stock (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	location_id INTEGER NOT NULL REFERENCES locations(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	lot TEXT NOT NULL DEFAULT '',
	expiry TEXT NOT NULL DEFAULT '',
	qty INTEGER NOT NULL,
	allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (location_id, sku_id, lot)
);
CREATE INDEX location_stock_sku ON location_stock (tenant_id, warehouse_id, sku_id);

-- The append-only stock ledger. stock.on_hand and stock.reserved are the
-- sums of d_on_hand and d_reserved; location_stock.qty the sum of d_qty.
CREATE TABLE stock_moves (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	location_id INTEGER REFERENCES locations(id),
	lot TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL,
	d_on_hand INTEGER NOT NULL,
	d_reserved INTEGER NOT NULL,
	d_qty INTEGER NOT NULL,
	ref TEXT NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0,
	at BIGINT NOT NULL
);
CREATE INDEX stock_moves_sku ON stock_moves (tenant_id, warehouse_id, sku_id, id);
CREATE INDEX stock_moves_ref ON stock_moves (tenant_id, ref);
CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves BEGIN
	SELECT RAISE(ABORT, 'the stock ledger is append-only');
END;
CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves BEGIN
	SELECT RAISE(ABORT, 'the stock ledger is append-only');
END;

-- booked is on_hand as the ledger knows it. Every ledger-aware write sets
-- both; a write that sets only on_hand (SetStock) is booked by the trigger
-- below as an adjustment into the unlocated bucket.
ALTER TABLE stock ADD COLUMN booked INTEGER NOT NULL DEFAULT 0;
INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
	SELECT s.tenant_id, s.warehouse_id, s.sku_id, l.id, '', 'opening', s.on_hand, s.reserved, s.on_hand, 'migration', 0, s.updated_at
	FROM stock s JOIN locations l ON l.warehouse_id = s.warehouse_id AND l.code = 'UNLOCATED'
	WHERE s.on_hand <> 0 OR s.reserved <> 0;
INSERT INTO location_stock (tenant_id, warehouse_id, location_id, sku_id, lot, expiry, qty, allocated, updated_at)
	SELECT s.tenant_id, s.warehouse_id, l.id, s.sku_id, '', '', s.on_hand, 0, s.updated_at
	FROM stock s JOIN locations l ON l.warehouse_id = s.warehouse_id AND l.code = 'UNLOCATED'
	WHERE s.on_hand <> 0;
UPDATE stock SET booked = on_hand;

CREATE TRIGGER stock_book_insert AFTER INSERT ON stock WHEN NEW.on_hand <> NEW.booked BEGIN
	INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
		SELECT NEW.tenant_id, NEW.warehouse_id, NEW.sku_id, l.id, '', 'adjust', NEW.on_hand - NEW.booked, 0, NEW.on_hand - NEW.booked, 'set_stock', 0, NEW.updated_at
		FROM locations l WHERE l.warehouse_id = NEW.warehouse_id AND l.code = 'UNLOCATED';
	INSERT INTO location_stock (tenant_id, warehouse_id, location_id, sku_id, lot, expiry, qty, allocated, updated_at)
		SELECT NEW.tenant_id, NEW.warehouse_id, l.id, NEW.sku_id, '', '', NEW.on_hand - NEW.booked, 0, NEW.updated_at
		FROM locations l WHERE l.warehouse_id = NEW.warehouse_id AND l.code = 'UNLOCATED'
		ON CONFLICT (location_id, sku_id, lot) DO UPDATE SET qty = qty + excluded.qty, updated_at = excluded.updated_at;
	UPDATE stock SET booked = NEW.on_hand WHERE warehouse_id = NEW.warehouse_id AND sku_id = NEW.sku_id;
END;
CREATE TRIGGER stock_book_update AFTER UPDATE OF on_hand ON stock WHEN NEW.on_hand <> NEW.booked BEGIN
	INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
		SELECT NEW.tenant_id, NEW.warehouse_id, NEW.sku_id, l.id, '', 'adjust', NEW.on_hand - NEW.booked, 0, NEW.on_hand - NEW.booked, 'set_stock', 0, NEW.updated_at
		FROM locations l WHERE l.warehouse_id = NEW.warehouse_id AND l.code = 'UNLOCATED';
	INSERT INTO location_stock (tenant_id, warehouse_id, location_id, sku_id, lot, expiry, qty, allocated, updated_at)
		SELECT NEW.tenant_id, NEW.warehouse_id, l.id, NEW.sku_id, '', '', NEW.on_hand - NEW.booked, 0, NEW.updated_at
		FROM locations l WHERE l.warehouse_id = NEW.warehouse_id AND l.code = 'UNLOCATED'
		ON CONFLICT (location_id, sku_id, lot) DO UPDATE SET qty = qty + excluded.qty, updated_at = excluded.updated_at;
	UPDATE stock SET booked = NEW.on_hand WHERE warehouse_id = NEW.warehouse_id AND sku_id = NEW.sku_id;
END;

CREATE TABLE asns (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	ref TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('open', 'receiving', 'closed')),
	expected_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	closed_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (tenant_id, ref)
);
CREATE INDEX asns_warehouse ON asns (tenant_id, warehouse_id, id);

CREATE TABLE asn_lines (
	asn_id INTEGER NOT NULL REFERENCES asns(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	line_no INTEGER NOT NULL,
	expected INTEGER NOT NULL CHECK (expected > 0),
	received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
	damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
	PRIMARY KEY (asn_id, sku_id)
);

CREATE TABLE asn_receipts (
	id INTEGER PRIMARY KEY,
	asn_id INTEGER NOT NULL REFERENCES asns(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	lot TEXT NOT NULL DEFAULT '',
	expiry TEXT NOT NULL DEFAULT '',
	qty INTEGER NOT NULL CHECK (qty >= 0),
	damaged INTEGER NOT NULL CHECK (damaged >= 0),
	user_id BIGINT NOT NULL DEFAULT 0,
	at BIGINT NOT NULL
);
CREATE INDEX asn_receipts_asn ON asn_receipts (asn_id);

CREATE TABLE cycle_counts (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	user_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE TABLE cycle_count_lines (
	count_id INTEGER NOT NULL REFERENCES cycle_counts(id),
	location_id INTEGER NOT NULL REFERENCES locations(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	lot TEXT NOT NULL DEFAULT '',
	expected INTEGER NOT NULL,
	counted INTEGER NOT NULL CHECK (counted >= 0),
	PRIMARY KEY (count_id, location_id, sku_id, lot)
);

CREATE TABLE planning_configs (
	tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
	body TEXT NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);

CREATE TABLE order_plans (
	order_id INTEGER PRIMARY KEY REFERENCES orders(id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	method TEXT NOT NULL,
	freight_fen BIGINT NOT NULL,
	penalty_fen BIGINT NOT NULL,
	cost_fen BIGINT NOT NULL,
	explanation TEXT NOT NULL,
	alternatives TEXT NOT NULL,
	reason TEXT NOT NULL,
	message TEXT NOT NULL,
	planned_at BIGINT NOT NULL
);

CREATE TABLE waves (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	carrier TEXT NOT NULL,
	zone TEXT NOT NULL,
	cutoff TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('open', 'picked', 'done')),
	user_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);
CREATE INDEX waves_warehouse ON waves (tenant_id, warehouse_id, id);

CREATE TABLE parcels (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	order_id INTEGER NOT NULL REFERENCES orders(id),
	warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
	carrier TEXT NOT NULL,
	temp TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('allocated', 'waved', 'picked', 'packed', 'weighed', 'shipped', 'delivered', 'cancelled')),
	weight_g INTEGER NOT NULL,
	volume_cm3 INTEGER NOT NULL,
	chargeable_g INTEGER NOT NULL,
	cost_fen BIGINT NOT NULL,
	days INTEGER NOT NULL,
	explanation TEXT NOT NULL,
	wave_id INTEGER REFERENCES waves(id),
	weighed_g INTEGER NOT NULL DEFAULT 0,
	waybill_no TEXT NOT NULL DEFAULT '',
	province_code TEXT NOT NULL,
	city_code TEXT NOT NULL,
	shipped_at BIGINT NOT NULL DEFAULT 0,
	due_at BIGINT NOT NULL DEFAULT 0,
	delivered_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX parcels_order ON parcels (tenant_id, order_id);
CREATE INDEX parcels_status ON parcels (tenant_id, warehouse_id, status, id);
CREATE INDEX parcels_wave ON parcels (wave_id);
CREATE INDEX parcels_shipped ON parcels (shipped_at);

CREATE TABLE parcel_lines (
	parcel_id INTEGER NOT NULL REFERENCES parcels(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	qty INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (parcel_id, sku_id)
);

CREATE TABLE pick_tasks (
	id INTEGER PRIMARY KEY,
	wave_id INTEGER NOT NULL REFERENCES waves(id),
	parcel_id INTEGER NOT NULL REFERENCES parcels(id),
	location_id INTEGER NOT NULL REFERENCES locations(id),
	sku_id INTEGER NOT NULL REFERENCES skus(id),
	lot TEXT NOT NULL DEFAULT '',
	qty INTEGER NOT NULL CHECK (qty > 0),
	picked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pick_tasks_wave ON pick_tasks (wave_id);
CREATE INDEX pick_tasks_parcel ON pick_tasks (parcel_id);

CREATE TABLE order_status_history (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	order_id INTEGER NOT NULL REFERENCES orders(id),
	parcel_id BIGINT NOT NULL DEFAULT 0,
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0,
	note TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history (tenant_id, order_id, id);
