ALTER TABLE events DROP COLUMN title_en, DROP COLUMN venue_en;
