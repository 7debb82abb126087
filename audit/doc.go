// Package audit is yuncang's tamper-evident audit trail: the canonical
// encoding of an audit event, an RFC 6962 Merkle tree over the encoded events
// (built on golang.org/x/mod/sumdb/tlog, the Go checksum database's log),
// Ed25519-signed checkpoints of that tree in the signed-note format, their
// publication outside the database, inclusion and consistency proofs, and a
// streaming verifier that says exactly which record was edited, deleted,
// inserted or moved.
//
// It exists for threat 7 of the brief: someone with database access edits or
// deletes audit records to hide an attack. Storage alone cannot prevent that,
// so the package makes every such edit detectable: each record is a leaf of a
// Merkle tree, the tree root is signed with a key the database never holds,
// and signed roots are copied to a place the database administrator cannot
// write (a DirPublisher on another machine, WORM storage, an auditor's inbox).
// A record changed after its checkpoint was published no longer reproduces
// the published root, however carefully the rest of the database is adjusted.
//
// The storage adapters write a record, its leaf hash and the tree hashes
// returned by Append in the same transaction as the action being audited; this
// package holds no database code, only the HashReader it needs to read back
// earlier hashes inside that transaction. MemLog is the in-memory reference
// implementation used by the tests and benchmarks.
package audit
