-- Placeholder on the house branch only: 0014 belongs to the compliance-retention branch. It keeps
-- this branch's migrations gapless (LoadMigrations refuses gaps); drop it at
-- merge, where the real 0014 takes its place.
SELECT 1;
