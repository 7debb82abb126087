-- The blind phone index by retention bucket (issue 11: intake's cost must
-- not grow with the orders stored). Blind-index values are keyed hashes,
-- random by design: under (tenant_id, phone_index) every batch of new
-- orders landed on as many leaf pages as it had orders, all over an index
-- as large as everything stored, so each batch wrote more pages the more
-- was stored. Under (tenant_id, retention_key_id, phone_index) today's
-- orders land in today's bucket only, a subtree as large as one day's
-- intake; a phone search seeks once per bucket of the tenant that still
-- holds blind indexes (not yet swept; retention bounds their number) and
-- once for the orders sealed before buckets existed (NULL), in
-- sqlstore/order.go. Existing rows are indexed as they are: nothing moves.
DROP INDEX orders_tenant_phone;
CREATE INDEX orders_tenant_bucket_phone ON orders (tenant_id, retention_key_id, phone_index);
