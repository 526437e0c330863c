ALTER TABLE events DROP COLUMN cancellation_reason;
