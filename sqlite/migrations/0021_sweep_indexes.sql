-- Print jobs still holding a payload (issue 14: retention must not block
-- intake). The retention sweep and data-subject erasure look, for every
-- batch of erased orders, for waiting print jobs that carry their labels;
-- under print_jobs_expiry alone that read every job of the last week
-- (printed ones keep their row, without payload). A payload is erased when
-- its job prints or expires, so this index holds only the jobs waiting now
-- (ExpirePrintJobs reads it too).
CREATE INDEX print_jobs_payload ON print_jobs (expires_at) WHERE payload IS NOT NULL;
