ALTER TABLE responses DROP COLUMN entered_by, DROP COLUMN source;
