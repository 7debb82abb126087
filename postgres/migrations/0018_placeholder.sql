-- Placeholder so this branch's migrations stay gapless: 0018 belongs to
-- another branch. Drop this file when merging (issue 14, branch shred).
SELECT 1;
