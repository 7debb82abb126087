-- Placeholder so this branch's migrations run without a gap: migration 0010
-- belongs to another branch of issue 11. The lead drops this file when merging
-- that branch's real 0010.
SELECT 1;
