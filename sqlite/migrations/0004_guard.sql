-- The anti-theft guard: quota counters (shared by every server process),
-- second-person quota raises, alerts for supervisors, and canary records.
CREATE TABLE guard_counters (
	scope TEXT NOT NULL,      -- 'user' or 'tenant'
	scope_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	day BIGINT NOT NULL,      -- start of the day, unix micros
	day_count BIGINT NOT NULL,
	hour BIGINT NOT NULL,     -- start of the current hour
	hour_count BIGINT NOT NULL,
	PRIMARY KEY (scope, scope_id, kind, day)
);

CREATE TABLE quota_grants (
	id INTEGER PRIMARY KEY,
	user_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	extra BIGINT NOT NULL,
	reason TEXT NOT NULL,
	requested_by BIGINT NOT NULL,
	approved_by BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	approved_at BIGINT NOT NULL DEFAULT 0,
	expires_at BIGINT NOT NULL
);
CREATE INDEX quota_grants_user ON quota_grants (user_id, kind, expires_at);

CREATE TABLE alerts (
	id INTEGER PRIMARY KEY,
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	username TEXT NOT NULL,
	role TEXT NOT NULL,
	tenant_id BIGINT NOT NULL,
	rule TEXT NOT NULL,
	severity TEXT NOT NULL,
	response TEXT NOT NULL,
	detail TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open',
	reviewed_by BIGINT NOT NULL DEFAULT 0,
	review_note TEXT NOT NULL DEFAULT '',
	reviewed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX alerts_status ON alerts (status, id);
CREATE INDEX alerts_user ON alerts (user_id, id);

CREATE TABLE canaries (
	order_id BIGINT PRIMARY KEY,
	tenant_id BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
