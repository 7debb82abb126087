-- Placeholder on the house branch only: 0016 belongs to the console branch. It keeps
-- this branch's migrations gapless (LoadMigrations refuses gaps); drop it at
-- merge, where the real 0016 takes its place.
SELECT 1;
