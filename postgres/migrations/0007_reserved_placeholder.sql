-- Placeholder so this branch's migrations run without a gap: migration 0007
-- belongs to another branch of issue 11. The lead drops this file when merging
-- that branch's real 0007.
SELECT 1;
