-- Per-order crypto-shredding (issue 14, docs/compliance/retention.md).
--
-- Since this migration each order's recipient data is sealed with a random
-- key of its own, wrapped by the bucket key of its intake day
-- (retention_keys). A data-subject deletion destroys the order's row here,
-- so no key the system holds opens that order, in the live database or in
-- a backup taken before; retention destroying the bucket key still makes
-- the whole day's order keys useless at once (their rows are swept
-- afterwards). Like retention_keys.wrapped, this table is LIVE ONLY:
-- `yuncang backup` leaves it out, `yuncang restore` takes it from the live
-- database, pg_dump runs with --exclude-table-data=order_keys.
--
-- handle: 6 bytes of Unix milliseconds then 6 random bytes, so the
-- primary key grows at the end of each bucket's range.
CREATE TABLE order_keys (
	retention_key_id BIGINT NOT NULL,
	handle BLOB NOT NULL,
	wrapped BLOB NOT NULL,
	PRIMARY KEY (retention_key_id, handle)
) WITHOUT ROWID;
