-- Placeholder for perf's migration 0013 so this branch's 0014 applies without a gap.
-- Delete at merge: the perf branch's 0013 takes this number.
SELECT 1;
