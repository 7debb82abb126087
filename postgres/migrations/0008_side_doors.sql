-- Side doors closed (issue 10).
--
-- A shipment belongs to one parcel that went through the warehouse flow;
-- at most one live (not voided) shipment per parcel.
ALTER TABLE shipments ADD COLUMN parcel_id BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX shipments_live_parcel ON shipments (tenant_id, parcel_id) WHERE parcel_id <> 0 AND status <> 'voided';

-- Devices prove themselves with a key pair generated on the device: the
-- server keeps only the public key (Ed25519, 32 bytes). The kind decides
-- what a device may be used for; an office desk is assigned to one person.
-- Devices enrolled with a bearer secret cannot sign and must be enrolled
-- again, which is the point: a copied secret must stop working.
ALTER TABLE devices DROP COLUMN secret_hash;
ALTER TABLE devices ADD COLUMN kind TEXT NOT NULL DEFAULT 'packing_station'
	CHECK (kind IN ('packing_station', 'office_desk', 'print_gateway', 'carrier_client'));
ALTER TABLE devices ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE devices ADD COLUMN assigned_to BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN public_key BYTEA UNIQUE;

-- Nonces of signed device requests seen within the replay window.
CREATE TABLE device_nonces (
	device_id BIGINT NOT NULL,
	nonce TEXT NOT NULL,
	seen_at BIGINT NOT NULL,
	PRIMARY KEY (device_id, nonce)
);
CREATE INDEX device_nonces_seen ON device_nonces (seen_at);

-- Decoys asked for and not yet made: they are created among the merchant's
-- next real orders, in the intake's own transaction.
CREATE TABLE decoys_pending (
	tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id),
	remaining INTEGER NOT NULL CHECK (remaining >= 0)
);
