-- Agencies loaded by `tsunagari demo` are marked, so `--remove` deletes them and only them.
ALTER TABLE agencies ADD COLUMN demo BOOLEAN NOT NULL DEFAULT false;
