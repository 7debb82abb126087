-- Signed resume statements (audit.Resume): after a restore from backup, the
-- log continues from the restored prefix in a new epoch. The statement is
-- also published beside the checkpoints and recorded in the log itself; this
-- copy lets every server find the current epoch.
CREATE TABLE audit_resumes (
	epoch INTEGER PRIMARY KEY,
	restored_size BIGINT NOT NULL,
	note TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
