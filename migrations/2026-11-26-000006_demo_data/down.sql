ALTER TABLE events DROP COLUMN demo;
ALTER TABLE indicator_plans DROP COLUMN demo;
