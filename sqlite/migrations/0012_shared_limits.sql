-- Limits every server process shares (issue 11, item 2; issue 10, item 7):
-- the guard's sliding windows and the login throttle live here, not in one
-- process's memory, so N servers enforce exactly the limits of one and a
-- restart forgets nothing.

-- One row per account (subject = user id, under the account's own merchant,
-- 0 for platform staff) or per merchant (subject = 0: windows its accounts
-- share, such as phone searches). state is the guard's compact encoding of
-- counts and recent times; it holds no recipient data. Rows are locked
-- while the guard decides, so concurrent servers count one after another.
CREATE TABLE guard_windows (
	tenant_id BIGINT NOT NULL,
	subject BIGINT NOT NULL,
	state BLOB NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, subject)
);

-- Failed logins and second-factor attempts, one row each, under the keys
-- they count against: the account, the account from one source address,
-- and (with a much higher ceiling) the source address alone. Rows older
-- than the longest window are deleted as new ones arrive.
CREATE TABLE login_failures (
	lock_key TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (lock_key, at);
CREATE INDEX login_failures_at ON login_failures (at);
