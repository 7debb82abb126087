-- Every tenant-owned table gets a key that starts with tenant_id, so the
-- schema can be distributed by tenant (Citus: distribution column tenant_id)
-- and every per-tenant lookup has a tenant-first access path. Primary keys
-- are left as they are: foreign keys reference them, and rewriting them would
-- rewrite every table. docs/scaling.md lists each table, its key, and what a
-- distributed deployment changes beyond this.
--
-- Where a (tenant_id, ...) index already existed it is replaced by the
-- unique key, so the write cost does not grow.

DROP INDEX orders_tenant_id;
CREATE UNIQUE INDEX orders_tenant_key ON orders (tenant_id, id);

DROP INDEX stock_tenant;
CREATE UNIQUE INDEX stock_tenant_key ON stock (tenant_id, warehouse_id, sku_id);

CREATE UNIQUE INDEX skus_tenant_key ON skus (tenant_id, id);
CREATE UNIQUE INDEX location_stock_tenant_key ON location_stock (tenant_id, location_id, sku_id, lot);
CREATE UNIQUE INDEX stock_moves_tenant_key ON stock_moves (tenant_id, id);
CREATE UNIQUE INDEX asns_tenant_key ON asns (tenant_id, id);
CREATE UNIQUE INDEX cycle_counts_tenant_key ON cycle_counts (tenant_id, id);
CREATE UNIQUE INDEX order_plans_tenant_key ON order_plans (tenant_id, order_id);
CREATE UNIQUE INDEX waves_tenant_key ON waves (tenant_id, id);
CREATE UNIQUE INDEX parcels_tenant_key ON parcels (tenant_id, id);
CREATE UNIQUE INDEX shipments_tenant_key ON shipments (tenant_id, id);
CREATE UNIQUE INDEX virtual_bindings_tenant_key ON virtual_bindings (tenant_id, id);
CREATE UNIQUE INDEX order_status_history_tenant_key ON order_status_history (tenant_id, id);
CREATE UNIQUE INDEX canaries_tenant_key ON canaries (tenant_id, order_id);
CREATE UNIQUE INDEX alerts_tenant_key ON alerts (tenant_id, id);
-- Users and devices of a merchant; platform staff and shared devices have no
-- tenant (NULL or 0) and stay on the coordinator in a distributed setup.
CREATE UNIQUE INDEX users_tenant_key ON users (tenant_id, id);
CREATE UNIQUE INDEX devices_tenant_key ON devices (tenant_id, id);
