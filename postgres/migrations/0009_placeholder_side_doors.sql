-- Placeholder so that 0010 applies on this branch: the merge replaces it with
-- the real migration 0009 from another branch. Drop this file when merging.
SELECT 1;
