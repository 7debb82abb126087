-- A merchant's sender (shop name, phone, return address) per warehouse it
-- ships from, so a shipment request need not carry one (issue 15). Sealed
-- like a shipment's sender: the merchant's phone and address are contact
-- data, kept as ciphertext under the tenant's key.
CREATE TABLE sender_addresses (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
	sender_ct BLOB NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, warehouse_id)
);
