-- The security ledger (台账), special inspections (专项检查) and the breach
-- workflow (issue 14). Training records: who was trained on what, when,
-- until when; a revealing account without a current record of the personal
-- data protection topic cannot reveal. Inspections keep the signed PDF
-- report they produced and its detached signature (a signed note), so the
-- report handed to a regulator can be fetched and verified again. Incidents
-- hold no personal data: an actor, a time window, counts and the drafted
-- notice.
CREATE TABLE training_records (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id),
	topic TEXT NOT NULL,
	trained_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	recorded_by BIGINT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	CHECK (expires_at > trained_at)
);
CREATE INDEX training_records_user ON training_records (user_id, topic, expires_at);

CREATE TABLE inspections (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_at BIGINT NOT NULL,
	run_by BIGINT NOT NULL,
	passed INTEGER NOT NULL,
	failed INTEGER NOT NULL,
	warned INTEGER NOT NULL,
	checkpoint_size BIGINT NOT NULL,
	pdf_sha256 TEXT NOT NULL,
	pdf BYTEA NOT NULL,
	signature TEXT NOT NULL
);

CREATE TABLE incidents (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	opened_at BIGINT NOT NULL,
	opened_by BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	window_start BIGINT NOT NULL,
	window_end BIGINT NOT NULL,
	cause TEXT NOT NULL,
	categories TEXT NOT NULL,
	harm TEXT NOT NULL,
	remedies TEXT NOT NULL,
	individual_measures TEXT NOT NULL,
	contact TEXT NOT NULL,
	affected_orders BIGINT NOT NULL,
	affected_tenants TEXT NOT NULL,
	CHECK (window_end > window_start)
);
