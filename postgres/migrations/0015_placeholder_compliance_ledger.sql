-- Placeholder on the house branch only: 0015 belongs to the compliance-ledger branch. It keeps
-- this branch's migrations gapless (LoadMigrations refuses gaps); drop it at
-- merge, where the real 0015 takes its place.
SELECT 1;
