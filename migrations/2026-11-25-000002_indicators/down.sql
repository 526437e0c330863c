DROP TABLE indicator_plans;
ALTER TABLE events DROP COLUMN cancelled_at, DROP COLUMN series_id;
DROP TABLE event_series;
