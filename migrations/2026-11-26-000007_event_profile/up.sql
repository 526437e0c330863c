-- What an event was, for comparing events by it: its format, speakers, costs and staff's notes.
ALTER TABLE events
    ADD COLUMN format text,
    ADD COLUMN speakers jsonb,
    ADD COLUMN costs jsonb,
    ADD COLUMN notes text;
