-- Security keys (WebAuthn passkeys and hardware keys) as a second factor
-- for sign-in and step-up (issue 12). The public key is not secret; the
-- credential id is unique across accounts.
CREATE TABLE security_keys (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id),
	credential_id BYTEA NOT NULL UNIQUE,
	public_key BYTEA NOT NULL,
	sign_count BIGINT NOT NULL DEFAULT 0,
	transports TEXT NOT NULL DEFAULT '',
	aaguid BYTEA NOT NULL,
	flags BIGINT NOT NULL DEFAULT 0,
	label TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX security_keys_user ON security_keys (user_id);
