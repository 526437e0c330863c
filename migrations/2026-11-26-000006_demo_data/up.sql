-- Demo data (`tsunagari demo`) is marked, so that `tsunagari demo --remove` deletes it and only it.
ALTER TABLE events ADD COLUMN demo boolean NOT NULL DEFAULT false;
ALTER TABLE indicator_plans ADD COLUMN demo boolean NOT NULL DEFAULT false;
