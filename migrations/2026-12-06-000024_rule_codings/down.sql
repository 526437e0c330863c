ALTER TABLE codings DROP COLUMN by_rule;
