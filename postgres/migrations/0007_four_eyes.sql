-- Four eyes and self-enrolment (issue 10, items 2 and 3). An approval is a
-- change that gives someone reach towards plaintext (a revealing or
-- administering role, a night shift, a carrier or order-reading token, a
-- re-enabled account); it is applied only after a second, different person
-- approves it. An enrolment is a one-time code with which a person sets
-- their own password and second factor; only hashes of its two parts are
-- kept. Both are tenant-owned (tenant 0: the platform's own staff).

CREATE TABLE approvals (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('role', 'shift', 'token', 'reenable')),
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
CREATE INDEX approvals_tenant ON approvals (tenant_id, status, id);

-- The lookup hash is unique across tenants: redemption is public and does
-- not know (and must not reveal) whose code it is.
CREATE TABLE enrolments (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	purpose TEXT NOT NULL CHECK (purpose IN ('account', 'factor')),
	lookup_hash BYTEA NOT NULL UNIQUE,
	check_hash BYTEA NOT NULL,
	created_by BIGINT NOT NULL,
	approved_by BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX enrolments_tenant_user ON enrolments (tenant_id, user_id, used_at);
