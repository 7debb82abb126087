// Package auth authenticates people and machine clients: argon2id password
// hashes, opaque bearer tokens stored only as SHA-256 hashes, login
// throttling. Authorization (who may call what) lives in httpapi's route
// policies; this package only says who the caller is.
package auth
