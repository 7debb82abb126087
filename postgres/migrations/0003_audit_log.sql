-- The tamper-evident audit log replaces the plain security_events table.
-- Each record's canonical encoding is in data; hashes holds the RFC 6962
-- stored hashes its append created (leaf first, then the interior nodes it
-- completed, 32 bytes each), so the tree needs no second table. The other
-- columns are copies for querying; verification checks them against data.
DROP TABLE security_events;

CREATE TABLE audit_records (
	idx BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	subject_id BIGINT NOT NULL,
	tenant_id BIGINT NOT NULL,
	action TEXT NOT NULL,
	outcome TEXT NOT NULL,
	targets TEXT NOT NULL,
	data BYTEA NOT NULL,
	hashes BYTEA NOT NULL
);
CREATE INDEX audit_actor ON audit_records (actor_id, idx);
CREATE INDEX audit_subject ON audit_records (subject_id, idx);
CREATE INDEX audit_action ON audit_records (action, idx);
CREATE INDEX audit_tenant ON audit_records (tenant_id, idx);
CREATE INDEX audit_at ON audit_records (at);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	size BIGINT NOT NULL
);
INSERT INTO audit_head (id, size) VALUES (1, 0);

CREATE TABLE audit_checkpoints (
	size BIGINT PRIMARY KEY,
	note TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
