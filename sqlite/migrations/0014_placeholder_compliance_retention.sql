-- Placeholder on the compliance-ledger branch only: 0014 belongs to the
-- compliance-retention branch. It keeps this branch's migrations gapless
-- (LoadMigrations refuses gaps); drop it at merge.
SELECT 1;
