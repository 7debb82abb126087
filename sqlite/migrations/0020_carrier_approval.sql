-- Four eyes for carriers: configuring a carrier (the key its manifests are
-- encrypted to, the account that resolves virtual numbers for it) is an
-- approval of kind 'carrier', applied only after a second person approves.
-- SQLite cannot change a CHECK constraint: the table is rebuilt as it was,
-- with the new kind allowed.

CREATE TABLE approvals_new (
	id INTEGER PRIMARY KEY,
	tenant_id BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('role', 'shift', 'token', 'reenable', 'carrier')),
	target_id BIGINT NOT NULL,
	change TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'applied', 'failed')),
	requested_by BIGINT NOT NULL,
	decided_by BIGINT NOT NULL DEFAULT 0,
	note TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	decided_at BIGINT NOT NULL DEFAULT 0,
	expires_at BIGINT NOT NULL,
	CHECK (decided_by = 0 OR decided_by <> requested_by)
);
INSERT INTO approvals_new (id, tenant_id, kind, target_id, change, status, requested_by, decided_by, note, created_at, decided_at, expires_at)
	SELECT id, tenant_id, kind, target_id, change, status, requested_by, decided_by, note, created_at, decided_at, expires_at FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_new RENAME TO approvals;
CREATE INDEX approvals_tenant ON approvals (tenant_id, status, id);
