-- Placeholder on the compliance-ledger branch only: 0013 belongs to the perf
-- branch. It keeps this branch's migrations gapless (LoadMigrations refuses
-- gaps); drop it at merge, where the real 0013 takes its place.
SELECT 1;
