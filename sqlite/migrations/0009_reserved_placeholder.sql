-- Placeholder so this branch's migrations run without a gap: migration 0009
-- belongs to another branch of issue 11. The lead drops this file when merging
-- that branch's real 0009.
SELECT 1;
