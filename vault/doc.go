// Package vault encrypts recipients' personal data. It is the only package
// that ever holds key material.
//
// Envelope encryption: each tenant has data keys (AES-256) used with AES-GCM
// for personal data, an HMAC key for blind indexes (exact-match search on the
// normalised phone) and an HMAC key for content fingerprints (idempotent
// intake). Those keys are stored only wrapped by a master key that comes from
// the environment or a key file, never from the database they protect.
// Rotating the master key rewraps the tenant keys without touching data;
// rotating a tenant's data key makes new writes use the new version while old
// ciphertexts, which name their key version, stay readable.
package vault
