-- An event's title and venue in English, shown on the English form when staff give them.
ALTER TABLE events ADD COLUMN title_en text, ADD COLUMN venue_en text;
